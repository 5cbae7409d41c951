using System.Diagnostics;
using System.Net.Http.Headers;

namespace Listes360.Bench.SideBySide;

/// <summary>What one load run measured.</summary>
internal sealed record LoadResult(int Requests, int Failures, double Seconds, double P50Ms, double P99Ms, string? FirstFailure)
{
    public double Throughput => Seconds > 0 ? (Requests - Failures) / Seconds : 0;
}

/// <summary>
/// The closed-loop HTTP load generator used identically for both systems: <c>concurrency</c> workers,
/// each sending its next request as soon as the previous answer is read in full, for a duration or a
/// number of requests. Latency is measured per request from send to the end of the body; an answer is a
/// failure when its status is not 2xx or (GraphQL) its body carries <c>"errors"</c>. Throughput counts
/// successful answers per second. It runs in this process, on the same 2 cores as both servers.
/// </summary>
internal sealed class LoadGenerator(Uri baseAddress, string token, int concurrency) : IDisposable
{
    private readonly HttpClient http = new(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
    {
        BaseAddress = baseAddress,
        Timeout = TimeSpan.FromMinutes(2),
        DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", token) },
    };

    public HttpClient Http => http;

    public async Task<LoadResult> RunAsync(Func<int, HttpRequestMessage?> next, TimeSpan duration, int? maxRequests = null)
    {
        var latencies = new List<double>[concurrency];
        var failures = 0;
        string? firstFailure = null;
        var counter = -1;
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(w => Task.Run(async () =>
        {
            var mine = latencies[w] = [];
            while (clock.Elapsed < duration)
            {
                var i = Interlocked.Increment(ref counter);
                if (maxRequests is { } max && i >= max)
                    break;
                using var request = next(i);
                if (request is null)
                    break;
                var started = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await http.SendAsync(request);
                    var body = await response.Content.ReadAsStringAsync();
                    mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    if (!response.IsSuccessStatusCode || body.Contains("\"errors\"", StringComparison.Ordinal))
                    {
                        Interlocked.Increment(ref failures);
                        Interlocked.CompareExchange(ref firstFailure, $"{(int)response.StatusCode} {body[..Math.Min(300, body.Length)]}", null);
                    }
                }
                catch (HttpRequestException e)
                {
                    mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    Interlocked.Increment(ref failures);
                    Interlocked.CompareExchange(ref firstFailure, e.Message, null);
                }
            }
        })).ToArray();
        await Task.WhenAll(workers);
        var seconds = clock.Elapsed.TotalSeconds;
        var all = latencies.Where(l => l is not null).SelectMany(l => l).Order().ToArray();
        return new LoadResult(all.Length, failures, seconds, Percentile(all, 0.50), Percentile(all, 0.99), firstFailure);
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    public void Dispose() => http.Dispose();
}
