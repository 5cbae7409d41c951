using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Listes360.Testing.Cluster;

/// <summary>
/// A GraphQL client over the APIs of a cluster that behaves as the README asks a client to during a
/// failover: every mutation carries an <c>Idempotency-Key</c>; on an answer whose errors all say
/// <c>retryable: true</c>, a 5xx without a GraphQL body, a timeout or a refused connection, it sends
/// the SAME request with the SAME key again (to the next silo when the connection is refused);
/// anything else is a refusal, handed back as is. Every failed attempt is recorded in
/// <see cref="Failures"/> (what a test asserts on, what a benchmark counts).
/// </summary>
/// <remarks>No test framework here: the cluster benchmark (bench/cluster) links this file too.</remarks>
public sealed class RetryingGraphQLClient : IDisposable
{
    public const string IdempotencyHeader = "Idempotency-Key";

    private readonly HttpClient _http;
    private readonly IReadOnlyList<string> _urls;
    private readonly string _token;

    public RetryingGraphQLClient(IReadOnlyList<string> urls, string token, TimeSpan? requestTimeout = null)
    {
        _urls = urls;
        _token = token;
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(1), ConnectTimeout = TimeSpan.FromSeconds(5) })
        {
            Timeout = requestTimeout ?? TimeSpan.FromSeconds(40),
        };
    }

    /// <summary>Every attempt that did not succeed, in the order seen.</summary>
    public ConcurrentQueue<FailedAttempt> Failures { get; } = new();

    /// <summary>Longest wait between two attempts (a <c>Retry-After</c> longer than this is shortened).</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    public int SiloCount => _urls.Count;

    /// <summary>
    /// Sends the mutation to <paramref name="silo"/> until it is acknowledged, refused (non-retryable
    /// error: <see cref="GraphQLRefusedException"/>) or <paramref name="giveUpAfter"/> has passed
    /// (<see cref="TimeoutException"/>).
    /// </summary>
    public async Task<Acknowledged> MutateAsync(int silo, string query, object? variables, string idempotencyKey, TimeSpan giveUpAfter, CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.StartNew();
        var body = JsonSerializer.Serialize(new { query, variables });
        var attempts = 0;
        var delay = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            attempts++;
            var attempt = await SendAsync(silo, body, idempotencyKey, cancellationToken);
            if (attempt.Outcome == AttemptOutcome.Ok)
                return new Acknowledged(attempt.Data, attempts, silo, DateTimeOffset.UtcNow, attempt.IdempotencyStatus, started.Elapsed, attempt.Body!);
            if (attempt.Outcome == AttemptOutcome.Refused)
                throw new GraphQLRefusedException(attempt.Failure!.Kind, silo, attempt.Body ?? attempt.Failure.Detail);
            if (started.Elapsed > giveUpAfter)
                throw new TimeoutException($"Mutation non acquittée en {giveUpAfter.TotalSeconds:F0} s ({attempts} essais, dernier : {attempt.Failure!.Kind} sur le silo {silo + 1} : {attempt.Failure.Detail}).");
            if (attempt.Failure!.Kind is FailureKinds.Connection)
                silo = (silo + 1) % _urls.Count; // that silo's API is gone: the same request to another one
            var wait = attempt.RetryAfter is { } after && after < MaxRetryDelay ? after : delay;
            await Task.Delay(wait < MaxRetryDelay ? wait : MaxRetryDelay, cancellationToken);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
        }
    }

    /// <summary>One query to one silo; its errors (if any) are thrown.</summary>
    public async Task<JsonElement> QueryAsync(int silo, string query, object? variables = null, CancellationToken cancellationToken = default)
    {
        var attempt = await SendAsync(silo, JsonSerializer.Serialize(new { query, variables }), null, cancellationToken);
        return attempt.Outcome == AttemptOutcome.Ok
            ? attempt.Data
            : throw new GraphQLRefusedException(attempt.Failure!.Kind, silo, attempt.Body ?? attempt.Failure.Detail);
    }

    /// <summary>One attempt, classified; a failed one is recorded in <see cref="Failures"/>.</summary>
    public async Task<Attempt> SendAsync(int silo, string body, string? idempotencyKey, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _urls[silo] + "/graphql")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        if (idempotencyKey is not null)
            request.Headers.Add(IdempotencyHeader, idempotencyKey);
        Attempt attempt;
        try
        {
            using var response = await _http.SendAsync(request, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            var retryAfter = response.Headers.RetryAfter?.Delta;
            var status = (int)response.StatusCode;
            var idempotencyStatus = response.Headers.TryGetValues("Idempotency-Status", out var values) ? string.Join(",", values) : null;
            attempt = Classify(silo, DateTimeOffset.UtcNow, status, text, retryAfter, idempotencyStatus);
        }
        catch (HttpRequestException e)
        {
            attempt = new Attempt(AttemptOutcome.Retry, default, null, null, null,
                new FailedAttempt(DateTimeOffset.UtcNow, silo, FailureKinds.Connection, true, null, e.Message));
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            attempt = new Attempt(AttemptOutcome.Retry, default, null, null, null,
                new FailedAttempt(DateTimeOffset.UtcNow, silo, FailureKinds.Timeout, true, null, e.Message));
        }
        if (attempt.Failure is not null)
            Failures.Enqueue(attempt.Failure);
        return attempt;
    }

    private static Attempt Classify(int silo, DateTimeOffset at, int status, string text, TimeSpan? retryAfter, string? idempotencyStatus)
    {
        JsonElement root;
        try
        {
            using var json = JsonDocument.Parse(text);
            root = json.RootElement.Clone();
        }
        catch (JsonException)
        {
            // Not a GraphQL answer: a 5xx of the host (retried), anything else refused.
            var kind = $"HTTP_{status}";
            return status >= 500
                ? new Attempt(AttemptOutcome.Retry, default, text, retryAfter, idempotencyStatus, new FailedAttempt(at, silo, kind, true, status, Shorten(text)))
                : new Attempt(AttemptOutcome.Refused, default, text, retryAfter, idempotencyStatus, new FailedAttempt(at, silo, kind, false, status, Shorten(text)));
        }
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0)
        {
            var first = errors[0];
            var code = first.TryGetProperty("extensions", out var ext) && ext.TryGetProperty("code", out var c) ? c.GetString() ?? "?" : "NO_CODE";
            var allRetryable = errors.EnumerateArray().All(e =>
                e.TryGetProperty("extensions", out var x) && x.TryGetProperty("retryable", out var r) && r.ValueKind == JsonValueKind.True);
            var failure = new FailedAttempt(at, silo, code, allRetryable, status, Shorten(text));
            return new Attempt(allRetryable ? AttemptOutcome.Retry : AttemptOutcome.Refused, default, text, retryAfter, idempotencyStatus, failure);
        }
        if (status >= 500 || !root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object)
            return new Attempt(status >= 500 ? AttemptOutcome.Retry : AttemptOutcome.Refused, default, text, retryAfter, idempotencyStatus,
                new FailedAttempt(at, silo, $"HTTP_{status}", status >= 500, status, Shorten(text)));
        return new Attempt(AttemptOutcome.Ok, data, text, retryAfter, idempotencyStatus, null);
    }

    private static string Shorten(string text) => text.Length <= 600 ? text : text[..600] + "…";

    public void Dispose() => _http.Dispose();
}

public static class FailureKinds
{
    /// <summary>The connection was refused or dropped (a killed silo's API).</summary>
    public const string Connection = "CONNECTION";

    /// <summary>No answer within the client's timeout.</summary>
    public const string Timeout = "TIMEOUT";
}

public enum AttemptOutcome { Ok, Retry, Refused }

public sealed record Attempt(AttemptOutcome Outcome, JsonElement Data, string? Body, TimeSpan? RetryAfter, string? IdempotencyStatus, FailedAttempt? Failure);

/// <summary>An attempt that failed: when its failure was seen (answer or error received), on which silo (0-based), what (GraphQL code, HTTP_5xx, CONNECTION, TIMEOUT), retryable or not.</summary>
public sealed record FailedAttempt(DateTimeOffset At, int Silo, string Kind, bool Retryable, int? HttpStatus, string Detail);

/// <summary>A mutation's answer: its data, after how many attempts, on which silo it was finally sent.</summary>
public sealed record Acknowledged(JsonElement Data, int Attempts, int Silo, DateTimeOffset At, string? IdempotencyStatus, TimeSpan Elapsed, string Body);

public sealed class GraphQLRefusedException(string code, int silo, string body)
    : Exception($"Refus {code} du silo {silo + 1} : {body}")
{
    public string Code { get; } = code;
    public int Silo { get; } = silo;
    public string Body { get; } = body;
}
