using System.Threading.RateLimiting;

namespace Listes360.Api.GraphQL;

/// <summary>
/// Requests that carry a mutation, per caller (the token's subject): a token bucket of
/// <see cref="RequestLimits.WriteBurst"/> refilled at <see cref="RequestLimits.WritesPerMinute"/> a
/// minute. Whether a request writes is known only once its document is parsed, so the endpoint asks
/// here after parsing rather than through the ASP.NET Core middleware, which sees every POST alike.
/// </summary>
public sealed class WriteRateLimiter : IDisposable
{
    public const string Code = "RATE_LIMITED";

    private readonly PartitionedRateLimiter<string> _limiter;

    public WriteRateLimiter(IConfiguration configuration)
    {
        PerMinute = configuration.GetValue(RequestLimits.WritesPerMinuteSetting, RequestLimits.WritesPerMinute);
        Burst = configuration.GetValue(RequestLimits.WriteBurstSetting, RequestLimits.WriteBurst);
        if (PerMinute < 1 || Burst < 1)
            throw new InvalidOperationException(
                $"{RequestLimits.WritesPerMinuteSetting} et {RequestLimits.WriteBurstSetting} doivent être des entiers positifs (reçu : {PerMinute} et {Burst}).");
        var period = TimeSpan.FromMinutes(1) / PerMinute;
        _limiter = PartitionedRateLimiter.Create<string, string>(subject => RateLimitPartition.GetTokenBucketLimiter(subject, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = Burst,
            TokensPerPeriod = 1,
            ReplenishmentPeriod = period,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
    }

    public int PerMinute { get; }

    public int Burst { get; }

    /// <summary>Null when the caller may write now, else how long to wait before trying again.</summary>
    public TimeSpan? TryAcquire(string subject)
    {
        using var lease = _limiter.AttemptAcquire(subject);
        if (lease.IsAcquired)
            return null;
        return lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromMinutes(1) / PerMinute;
    }

    public void Dispose() => _limiter.Dispose();
}
