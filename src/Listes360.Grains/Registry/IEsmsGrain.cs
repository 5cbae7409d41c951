using Listes360.Domain.Candidatures;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;
using Listes360.Domain.Security;
using Listes360.Grains.Common;
using Listes360.Grains.Security;

namespace Listes360.Grains.Registry;

/// <summary>
/// One ESMS, keyed by its FINESS number (validated before the grain is reached): identity, places,
/// and its view of the candidatures addressed to it (the persons' grains own them).
/// </summary>
[Alias("Listes360.Registry.IEsmsGrain")]
public interface IEsmsGrain : IGrainWithStringKey
{
    /// <summary>The ESMS as registered, or null when this FINESS number is not registered.</summary>
    [ReadOnly]
    [Allow(Role.EsmsDirector, Role.TerritorialStaff, Role.MdphReferent, Role.Observatory, Role.Admin, Scope = KeyScope.Finess)]
    [Alias("GetAsync")]
    Task<EsmsSnapshot?> GetAsync();

    /// <summary>Registers the ESMS or updates its identity; an identical registration changes nothing.</summary>
    [Allow(Role.Admin, Scope = KeyScope.Finess)]
    [Alias("RegisterAsync")]
    Task<EsmsRegistrationResult> RegisterAsync([Scoped(KeyScope.Finess, Member = nameof(EsmsProfile.Finess))] EsmsProfile profile, string by);

    /// <summary>Declares the places of one modality; refused (unchanged) when not registered or invalid.</summary>
    [Allow(Role.EsmsDirector, Role.Admin, Scope = KeyScope.Finess)]
    [Alias("SetPlacesAsync")]
    Task<EsmsSnapshot> SetPlacesAsync(Modality modality, int capacity, int occupied, DateOnly effectiveDate, string by);

    /// <summary>
    /// A page of older place changes (1 = the oldest, up to <see cref="EsmsSnapshot.ArchivedPlacesPages"/>),
    /// moved out of the ESMS's own record; empty outside that range.
    /// </summary>
    [ReadOnly]
    [Allow(Role.EsmsDirector, Role.TerritorialStaff, Role.MdphReferent, Role.Observatory, Role.Admin, Scope = KeyScope.Finess)]
    [Alias("GetArchivedPlacesChangesAsync")]
    Task<IReadOnlyList<PlacesChange>> GetArchivedPlacesChangesAsync(int page);

    /// <summary>The candidatures addressed to this ESMS, oldest request first; optionally only open ones.</summary>
    [ReadOnly]
    [Allow(Role.EsmsDirector, Role.TerritorialStaff, Role.MdphReferent, Role.Admin, Scope = KeyScope.Finess, AuditReads = true)]
    [Alias("GetCandidaturesAsync")]
    Task<Page<EsmsCandidatureView>> GetCandidaturesAsync(bool openOnly, string? after, int first);

    /// <summary>The profile, for the persons' grains checking eligibility (interleaves: a pure read, asked by grains this ESMS may be awaiting).</summary>
    [ReadOnly, AlwaysInterleave]
    [Internal]
    [Alias("GetProfileAsync")]
    Task<EsmsProfile?> GetProfileAsync();

    /// <summary>
    /// Brings this ESMS's view of one candidature up to <paramref name="view"/>'s version. Idempotent:
    /// an older or equal version changes nothing, so replays after a crash are harmless.
    /// </summary>
    [Internal]
    [Alias("ApplyCandidatureAsync")]
    Task ApplyCandidatureAsync(EsmsCandidatureView view);

    /// <summary>
    /// <see cref="ApplyCandidatureAsync"/> for many views in one write (a list import delivering its persons'
    /// views in bulk); each view is applied by version as alone. A view of another ESMS refuses the whole batch.
    /// </summary>
    [Internal]
    [Alias("ApplyCandidaturesAsync")]
    Task ApplyCandidaturesAsync(IReadOnlyList<EsmsCandidatureView> views);
}

/// <summary>
/// A read of an ESMS: profile, places by modality, its latest place changes (older ones in
/// <see cref="ArchivedPlacesPages"/> archive pages), candidature counts.
/// </summary>
[GenerateSerializer, Immutable, Alias("Listes360.Registry.EsmsSnapshot")]
public sealed record EsmsSnapshot(
    [property: Id(0)] EsmsProfile Profile,
    [property: Id(1)] IReadOnlyList<Places> Places,
    [property: Id(2)] IReadOnlyList<PlacesChange> PlacesHistory,
    [property: Id(3)] int Version,
    [property: Id(4)] int OpenCandidatures,
    [property: Id(5)] int SolutionFoundElsewhere,
    [property: Id(6)] int ArchivedPlacesPages = 0);

[GenerateSerializer, Immutable, Alias("Listes360.Registry.EsmsRegistrationResult")]
public sealed record EsmsRegistrationResult(
    [property: Id(0)] EsmsSnapshot Esms,
    [property: Id(1)] bool Changed);

/// <summary>What an ESMS sees of a candidature addressed to it; the person's grain holds the rest.</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Registry.EsmsCandidatureView")]
public sealed record EsmsCandidatureView(
    [property: Id(0)] CandidatureId Id,
    [property: Id(1)] PersonId PersonId,
    [property: Id(2)] FinessNumber Finess,
    [property: Id(3)] Modality Modality,
    [property: Id(4)] KindOfSupport Kind,
    [property: Id(5)] DateOnly RequestDate,
    [property: Id(6)] CandidatureStatus Status,
    [property: Id(7)] CandidatureReason? Reason,
    [property: Id(8)] bool WaitingForPreferred,
    [property: Id(9)] int Version,
    [property: Id(10)] DateTimeOffset UpdatedAt)
{
    public static EsmsCandidatureView Of(Candidature c) => new(
        c.Id, c.PersonId, c.Finess, c.Modality, c.Kind, c.RequestDate, c.Status,
        c.History.IsDefaultOrEmpty ? null : c.History[^1].Reason,
        c.WaitingForPreferred, c.Version,
        c.History.IsDefaultOrEmpty ? DateTimeOffset.MinValue : c.History[^1].At);
}
