using Listes360.Domain.Identity;
using Listes360.Domain.Security;
using Listes360.Grains.Common;
using Listes360.Grains.Security;
using MatchRecord = Listes360.Domain.Identity.Records.PersonRecord;

namespace Listes360.Grains.Identity;

public enum ReviewStatus
{
    Pending = 1,
    /// <summary>The referent merged the two persons.</summary>
    Merged = 2,
    /// <summary>The referent said they are two persons: the pair is not proposed again.</summary>
    DifferentPersons = 3,
}

public enum ReviewDecision
{
    Merge = 1,
    DifferentPersons = 2,
}

/// <summary>
/// A possible duplicate: two persons side by side (their identities as the matching read them), the
/// score, its zone and the French reasons, where the new record came from, and the referent's answer.
/// </summary>
[GenerateSerializer, Immutable, Alias("Listes360.Identity.ReviewItem")]
public sealed record ReviewItem(
    [property: Id(0)] string Id,
    [property: Id(1)] string ExistingPerson,
    [property: Id(2)] MatchRecord Existing,
    [property: Id(3)] string NewPerson,
    [property: Id(4)] MatchRecord New,
    [property: Id(5)] MatchResult Match,
    [property: Id(6)] string Source,
    [property: Id(7)] DateTimeOffset QueuedAt,
    [property: Id(8)] ReviewStatus Status,
    [property: Id(9)] string? ResolvedBy = null,
    [property: Id(10)] DateTimeOffset? ResolvedAt = null,
    [property: Id(11)] string? Reason = null)
{
    /// <summary>One item per pair of persons, whichever came first.</summary>
    public static string IdOf(string a, string b) => string.CompareOrdinal(a, b) <= 0 ? $"{a}~{b}" : $"{b}~{a}";
}

/// <summary>
/// The département's review queue (key: the département code): possible duplicates for the MDPH
/// referent, oldest first. A pair already in the queue (or already answered) is not added again, so
/// re-importing a file adds nothing.
/// </summary>
[Alias("Listes360.Identity.IReviewQueueGrain")]
public interface IReviewQueueGrain : IGrainWithStringKey
{
    /// <summary>Interleaved: the identity grain adds while a resolution of this queue may be waiting on it.</summary>
    /// <returns>The ids of the items actually added (a pair already queued or answered is not).</returns>
    [AlwaysInterleave]
    [Internal]
    [Alias("AddAsync")]
    Task<IReadOnlyList<string>> AddAsync(IReadOnlyList<ReviewItem> items);

    /// <summary>
    /// Takes back items a refused list row had queued (see <see cref="IIdentityGrain.WithdrawAsync"/>):
    /// only while still pending, since an answered item is the referent's work. Idempotent.
    /// </summary>
    [AlwaysInterleave]
    [Internal]
    [Alias("WithdrawAsync")]
    Task WithdrawAsync(IReadOnlyList<string> itemIds);

    /// <summary>Items, oldest first; identities inside, so each read is audited.</summary>
    [ReadOnly]
    [Allow(Role.MdphReferent, Role.Admin, Scope = KeyScope.Department, AuditReads = true)]
    [Alias("ListAsync")]
    Task<Page<ReviewItem>> ListAsync(bool pendingOnly, string? after, int first);

    /// <summary>
    /// The referent's answer: merge (the survivor is one of the two; by default the person known
    /// first) or different persons. Audited with the reason.
    /// </summary>
    [Allow(Role.MdphReferent, Role.Admin, Scope = KeyScope.Department)]
    [Alias("ResolveAsync")]
    Task<ReviewItem> ResolveAsync([AuditDetail] string itemId, [AuditDetail] ReviewDecision decision, [Scoped(KeyScope.Person)] string? survivor, [AuditDetail] string reason, string by);
}
