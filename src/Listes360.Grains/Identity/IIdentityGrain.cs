using Listes360.Domain.Identity;
using Listes360.Domain.Security;
using Listes360.Grains.Security;
using MatchRecord = Listes360.Domain.Identity.Records.PersonRecord;

namespace Listes360.Grains.Identity;

/// <summary>A new record to place among the département's persons.</summary>
/// <param name="MayCreate">When false (a list row without a CDAPH decision), no person is created for
/// a record that matches nobody: the outcome is <see cref="IdentityOutcome.NewPerson"/> without an id.</param>
/// <param name="Source">Where the record comes from (file and line, « saisie »), for the review queue.</param>
[GenerateSerializer, Immutable, Alias("Listes360.Identity.IdentityRequest")]
public sealed record IdentityRequest(
    [property: Id(0)] MatchRecord Record,
    [property: Id(1)] bool MayCreate,
    [property: Id(2)] string Source);

/// <summary>
/// Where a record goes: an existing person (<see cref="IdentityOutcome.SamePerson"/>), a new person
/// (<see cref="IdentityOutcome.NewPerson"/>), or a new person queued for review beside its possible
/// duplicates (<see cref="IdentityOutcome.Review"/>). <see cref="PersonId"/> is the id to use (new ids are
/// reserved, the caller creates the person's grain), null when no person may be created.
/// <see cref="RecordAdded"/> and <see cref="ReviewsQueued"/> say what the resolution wrote for this record
/// (its record was new to the person's entries; the review items it queued), so that a caller whose row is
/// then refused can take exactly that back (<see cref="IIdentityGrain.WithdrawAsync"/>).
/// A record without birth date (an ESMS list row) never creates a person: it joins the one person its
/// MDPH number or NIR designates (<see cref="IdentityOutcome.SamePerson"/>, nothing indexed), or gets no
/// id and <see cref="Refusal"/>, the French reason; when several persons carry its number, they are
/// queued for review as possible duplicates of each other.
/// </summary>
[GenerateSerializer, Immutable, Alias("Listes360.Identity.IdentityResolution")]
public sealed record IdentityResolution(
    [property: Id(0)] IdentityOutcome Outcome,
    [property: Id(1)] string? PersonId,
    [property: Id(2)] IReadOnlyList<PersonMatch> Matches,
    [property: Id(3)] bool RecordAdded = false,
    [property: Id(4)] IReadOnlyList<string>? ReviewsQueued = null,
    [property: Id(5)] string? Refusal = null);

/// <summary>
/// The département's identity resolution (key: the département code). Every new person — GraphQL
/// createPerson and list imports — goes through <see cref="ResolveAsync"/>, one at a time for the
/// département (a non-reentrant grain), so two imports cannot both create the same person. It reads
/// the candidates from the index shards, lets the domain's <see cref="IdentityResolver"/> decide,
/// indexes the new records and queues possible duplicates for the MDPH referent. It also keeps the
/// merges (merged person → surviving person) and runs merge and split.
/// </summary>
[Alias("Listes360.Identity.IIdentityGrain")]
public interface IIdentityGrain : IGrainWithStringKey
{
    [Allow(Role.TerritorialStaff, Role.MdphReferent, Role.Admin, Scope = KeyScope.Department)]
    [Alias("ResolveAsync")]
    Task<IReadOnlyList<IdentityResolution>> ResolveAsync(IReadOnlyList<IdentityRequest> requests);

    /// <summary>
    /// What <see cref="ResolveAsync"/> would decide now, without writing (new persons get throwaway ids):
    /// a list import groups its rows by person with it and has each person check them before resolving.
    /// </summary>
    [ReadOnly]
    [Internal]
    [Alias("PreviewAsync")]
    Task<IReadOnlyList<IdentityResolution>> PreviewAsync(IReadOnlyList<IdentityRequest> requests);

    /// <summary>
    /// Takes back what <see cref="ResolveAsync"/> wrote for records whose person then refused them (a list
    /// row refused by its person grain): these index records, and these review items while still pending.
    /// Idempotent; the caller passes only what no accepted row relies on.
    /// </summary>
    [Internal]
    [Alias("WithdrawAsync")]
    Task WithdrawAsync(IReadOnlyList<IndexedRecord> records, IReadOnlyList<string> reviewItems);

    /// <summary>
    /// Merges <paramref name="merged"/> into <paramref name="survivor"/>: candidatures (with their history),
    /// orientations move to the survivor, the merged id keeps a tombstone that redirects reads. Audited with the reason.
    /// </summary>
    [Allow(Role.MdphReferent, Role.Admin, Scope = KeyScope.Department)]
    [Alias("MergeAsync")]
    Task<MergeRecord> MergeAsync([AuditDetail, Scoped(KeyScope.Person)] string survivor, [AuditDetail, Scoped(KeyScope.Person)] string merged, [AuditDetail] string reason, string by);

    /// <summary>Undoes the merge of <paramref name="merged"/>: every candidature it brought goes back to it. Audited with the reason.</summary>
    [Allow(Role.MdphReferent, Role.Admin, Scope = KeyScope.Department)]
    [Alias("SplitAsync")]
    Task<MergeRecord> SplitAsync([AuditDetail, Scoped(KeyScope.Person)] string merged, [AuditDetail] string reason, string by);

    /// <summary>Finishes the merges interrupted between the survivor's write and the tombstone's (the reconcile pass calls it).</summary>
    [Internal]
    [Alias("FinishPendingMergesAsync")]
    Task FinishPendingMergesAsync();

    /// <summary>The person a merged id now reads as (itself when not merged).</summary>
    [ReadOnly]
    [Internal]
    [Alias("SurvivorOfAsync")]
    Task<string> SurvivorOfAsync(string person);
}
