using Listes360.Domain.Security;
using Listes360.Domain.Vacancies;
using Listes360.Grains.Security;

namespace Listes360.Grains.Vacancies;

/// <summary>
/// The signed webhook of one ESMS (key: its FINESS number): its vacancies' changes posted to the URL its
/// director or an admin configured, each signed with HMAC-SHA256 by the ESMS's secret, retried with backoff
/// from a persisted queue (a reminder brings the grain back after a restart), each attempt in a delivery log.
/// The secret is shown once, when set, and never logged.
/// </summary>
[Alias("Listes360.Vacancies.IVacancyHookGrain")]
public interface IVacancyHookGrain : IGrainWithStringKey
{
    /// <summary>Sets the URL and the secret (drawn at random when none is given, and then returned once).</summary>
    [Allow(Role.EsmsDirector, Role.Admin, Scope = KeyScope.Finess)]
    [Alias("ConfigureAsync")]
    Task<VacancyHookConfigured> ConfigureAsync(string url, string? secret, string by);

    /// <summary>Removes the webhook: nothing more is posted, what waited is dropped (said in the delivery log).</summary>
    [Allow(Role.EsmsDirector, Role.Admin, Scope = KeyScope.Finess)]
    [Alias("RemoveAsync")]
    Task RemoveAsync(string by);

    /// <summary>The webhook (without its secret), what waits, and the last attempts; null when none is configured.</summary>
    [ReadOnly]
    [Allow(Role.EsmsDirector, Role.Admin, Scope = KeyScope.Finess)]
    [Alias("GetAsync")]
    Task<VacancyHookView?> GetAsync();

    /// <summary>A vacancy of the ESMS changed (from the vacancy grain's outbox): queued, then posted. Dropped when no webhook is configured.</summary>
    [Internal]
    [Alias("EnqueueAsync")]
    Task EnqueueAsync(VacancyHookMessage message);

    /// <summary>Posts now what is due (what the timer and the reminder do).</summary>
    [Internal]
    [Alias("DeliverDueAsync")]
    Task DeliverDueAsync();
}

/// <summary>The webhook after it was set: the secret only when it was drawn here (shown this once).</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Vacancies.VacancyHookConfigured")]
public sealed record VacancyHookConfigured(
    [property: Id(0)] string Finess,
    [property: Id(1)] string Url,
    [property: Id(2)] string? GeneratedSecret,
    [property: Id(3)] DateTimeOffset SetAt);

[GenerateSerializer, Immutable, Alias("Listes360.Vacancies.VacancyHookView")]
public sealed record VacancyHookView(
    [property: Id(0)] string Finess,
    [property: Id(1)] string Url,
    [property: Id(2)] string SetBy,
    [property: Id(3)] DateTimeOffset SetAt,
    [property: Id(4)] int Pending,
    [property: Id(5)] DateTimeOffset? NextAttemptAt,
    [property: Id(6)] IReadOnlyList<HookDelivery> Deliveries);

/// <summary>How a signed message is posted (HTTP in production; the status code, or an exception when nothing answered).</summary>
public interface IVacancyHookTransport
{
    Task<int> PostAsync(string url, string body, IReadOnlyDictionary<string, string> headers, CancellationToken cancellationToken);
}

/// <summary>
/// POSTs JSON with one pooled <see cref="HttpClient"/>: 10 s per attempt, no redirect followed (a redirect is a
/// failure the delivery log shows), nothing logged by the client (the URL may carry a token).
/// </summary>
public sealed class HttpVacancyHookTransport : IVacancyHookTransport
{
    private static readonly HttpClient Client = new(new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
    {
        Timeout = TimeSpan.FromSeconds(10),
    };

    public async Task<int> PostAsync(string url, string body, IReadOnlyDictionary<string, string> headers, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        foreach (var (name, value) in headers)
            request.Headers.TryAddWithoutValidation(name, value);
        using var response = await Client.SendAsync(request, cancellationToken);
        return (int)response.StatusCode;
    }
}
