namespace Listes360.Domain.Idempotency;

/// <summary>The answer a keyed mutation got the first time, replayed as it was (status, media type, JSON).</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Idempotency.IdempotentResponse")]
public sealed record IdempotentResponse(
    [property: Id(0)] int Status,
    [property: Id(1)] string ContentType,
    [property: Id(2)] string Body);

/// <summary>
/// One caller's use of one <c>Idempotency-Key</c>: the hash of the request it came with, the attempt
/// running it and the server (<see cref="Holder"/>, a silo address) it runs on, and, once done, the
/// response to replay until <see cref="ExpiresAt"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("Listes360.Idempotency.IdempotencyRecord")]
public sealed record IdempotencyRecord(
    [property: Id(0)] string RequestHash,
    [property: Id(1)] string Attempt,
    [property: Id(2)] DateTimeOffset StartedAt,
    [property: Id(3)] IdempotentResponse? Response,
    [property: Id(4)] DateTimeOffset ExpiresAt,
    [property: Id(5)] string? Holder = null)
{
    public bool InProgress => Response is null;
}

public enum IdempotencyOutcome
{
    /// <summary>First use of the key (or the previous record expired): run the request.</summary>
    Started,
    /// <summary>Same key, same request, already answered: send the stored answer again.</summary>
    Replay,
    /// <summary>Same key, another request: refused, nothing runs.</summary>
    KeyReused,
    /// <summary>Same key, same request, still running elsewhere: refused for now, retry shortly.</summary>
    InProgress,
}

/// <summary>What <see cref="IdempotencyRules.Begin"/> decided, and the record to store (null: unchanged).</summary>
public sealed record IdempotencyDecision(IdempotencyOutcome Outcome, IdempotencyRecord? Next, IdempotentResponse? Replay);

/// <summary>
/// Rules of the <c>Idempotency-Key</c> header: its form, and what a new request with a key already
/// seen gets. Pure: the grain that stores the record calls them with the clock's time.
/// </summary>
public static class IdempotencyRules
{
    public const string HeaderName = "Idempotency-Key";
    public const int MaxKeyLength = 128;

    /// <summary>How long an answer is replayed (at least 24 h are promised).</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromHours(48);

    /// <summary>
    /// How long an attempt holds its key before another may take over (the host running it died, its
    /// completion was lost). Writes have no time budget; an import of a large list stays well under this.
    /// </summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(10);

    public const string InvalidKeyCode = "INVALID_IDEMPOTENCY_KEY";
    public const string KeyReusedCode = "IDEMPOTENCY_KEY_REUSED";
    public const string InProgressCode = "IDEMPOTENCY_IN_PROGRESS";

    /// <summary>Null when the header's values make one valid key, else why not, in French.</summary>
    public static string? CheckKey(IReadOnlyList<string?> values)
    {
        if (values.Count > 1)
            return $"L'en-tête {HeaderName} est présent {values.Count} fois : envoyez une seule clé par requête.";
        var key = values.Count == 0 ? null : values[0];
        if (string.IsNullOrEmpty(key))
            return $"L'en-tête {HeaderName} est vide : donnez une clé de 1 à {MaxKeyLength} caractères ASCII imprimables (par exemple un UUID), ou n'envoyez pas l'en-tête.";
        if (key.Length > MaxKeyLength)
            return $"L'en-tête {HeaderName} fait {key.Length} caractères : {MaxKeyLength} au plus (un UUID en fait 36).";
        for (var i = 0; i < key.Length; i++)
            if (key[i] is < ' ' or > '~')
                return $"L'en-tête {HeaderName} contient un caractère non autorisé (U+{(int)key[i]:X4}, position {i + 1}) : seuls les caractères ASCII imprimables, de l'espace au tilde, sont acceptés.";
        return null;
    }

    /// <summary>
    /// A request with a key arrives. An absent or expired record, or an attempt whose lease ran out, lets
    /// this one start on <paramref name="holder"/>; otherwise the stored record answers: another request
    /// under the same key is refused, the same one gets the stored answer, or waits for the running
    /// attempt — unless the cluster declared that attempt's server dead (<paramref name="holderDead"/>):
    /// a client retrying after a failover takes the key over at once instead of waiting for the lease.
    /// </summary>
    public static IdempotencyDecision Begin(IdempotencyRecord? existing, string requestHash, string attempt, DateTimeOffset now, string? holder = null, bool holderDead = false)
    {
        var start = new IdempotencyDecision(IdempotencyOutcome.Started, new IdempotencyRecord(requestHash, attempt, now, null, now + Retention, holder), null);
        if (existing is null || now >= existing.ExpiresAt || (existing.InProgress && now - existing.StartedAt >= Lease))
            return start;
        if (!string.Equals(existing.RequestHash, requestHash, StringComparison.Ordinal))
            return new(IdempotencyOutcome.KeyReused, null, null);
        if (existing.Response is { } response)
            return new(IdempotencyOutcome.Replay, null, response);
        return holderDead ? start : new(IdempotencyOutcome.InProgress, null, null);
    }

    /// <summary>
    /// The attempt ends: its answer is kept until <see cref="Retention"/> has passed, or, when there is
    /// nothing to keep (a retryable failure, an answer too large, nothing ran), the key is freed for the
    /// client's next attempt. An attempt that lost its lease changes nothing (returns <paramref name="existing"/>).
    /// </summary>
    public static IdempotencyRecord? Complete(IdempotencyRecord? existing, string attempt, IdempotentResponse? response, DateTimeOffset now)
    {
        if (existing is null || !existing.InProgress || !string.Equals(existing.Attempt, attempt, StringComparison.Ordinal))
            return existing;
        return response is null ? null : existing with { Response = response, ExpiresAt = now + Retention };
    }

    /// <summary>Whether a stored record is past its retention and may be deleted.</summary>
    public static bool Expired(IdempotencyRecord record, DateTimeOffset now) => now >= record.ExpiresAt;
}
