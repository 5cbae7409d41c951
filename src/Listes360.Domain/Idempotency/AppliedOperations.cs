using System.Collections.Immutable;

namespace Listes360.Domain.Idempotency;

/// <summary>A keyed operation a person's record applied, and the candidature it made or changed.</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Idempotency.AppliedOperation")]
public sealed record AppliedOperation([property: Id(0)] string Key, [property: Id(1)] string CandidatureId);

/// <summary>
/// The last keyed operations a record applied. The API keeps each keyed answer, but when the server
/// answering dies after the write and before the answer is kept, the client's retry runs again: the
/// record itself then recognises the operation and answers as the first time did, instead of
/// <c>DUPLICATE_CANDIDATURE</c> or a transition already made.
/// </summary>
public static class AppliedOperations
{
    /// <summary>Retries come within seconds or minutes; a person's record sees few writes in that time.</summary>
    public const int Kept = 32;

    public static AppliedOperation? Find(IReadOnlyList<AppliedOperation> applied, string? key) =>
        key is null ? null : applied.LastOrDefault(a => string.Equals(a.Key, key, StringComparison.Ordinal));

    /// <summary>The list with this operation last, the oldest dropped beyond <see cref="Kept"/>; unchanged without a key.</summary>
    public static ImmutableList<AppliedOperation> Remember(ImmutableList<AppliedOperation> applied, string? key, string candidatureId)
    {
        if (key is null)
            return applied;
        var next = applied.Add(new AppliedOperation(key, candidatureId));
        return next.Count > Kept ? next.RemoveRange(0, next.Count - Kept) : next;
    }
}
