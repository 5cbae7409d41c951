using Listes360.Domain.Persons;
using Listes360.Domain.Registry;
using Listes360.Domain.Security;
using Listes360.Domain.Sequential;
using Listes360.Grains.Security;

namespace Listes360.Grains.Sequential;

/// <summary>
/// One ESMS's sequential availability (key: FINESS number), companion of <see cref="Registry.IEsmsGrain"/>:
/// the places its director declares free on days of the week, and the proposals holding or using them.
/// Holds, commitments and releases are the steps of a proposal across several ESMS (see
/// <see cref="IPersonSequentialGrain.ProposeSequentialAsync"/>); one grain per ESMS serialises them,
/// so two proposals for the last place cannot both get it.
/// </summary>
[Alias("Listes360.Sequential.IEsmsAvailabilityGrain")]
public interface IEsmsAvailabilityGrain : IGrainWithStringKey
{
    /// <summary>Declares free places; refused (nothing changes) beyond the capacity declared for the modality.</summary>
    [Allow(Role.EsmsDirector, Role.Admin, Scope = KeyScope.Finess)]
    [Alias("DeclareAsync")]
    Task<EsmsAvailabilityView> DeclareAsync(Modality modality, int halfDays, int places, DateOnly from, DateOnly? to, string by);

    /// <summary>Withdraws a declaration, refused while an offer uses its places.</summary>
    [Allow(Role.EsmsDirector, Role.Admin, Scope = KeyScope.Finess)]
    [Alias("WithdrawAsync")]
    Task<EsmsAvailabilityView> WithdrawAsync(string declarationId, string by);

    /// <summary>Declarations, reservations and the half-days free on a date.</summary>
    [ReadOnly]
    [Allow(Role.EsmsDirector, Role.TerritorialStaff, Role.MdphReferent, Role.Admin, Scope = KeyScope.Finess)]
    [Alias("GetAsync")]
    Task<EsmsAvailabilityView> GetAsync(DateOnly date);

    /// <summary>The reverse question: waiting candidates who could use this ESMS's free places in a combination.</summary>
    [ReadOnly]
    [Allow(Role.EsmsDirector, Role.TerritorialStaff, Role.Admin, Scope = KeyScope.Finess, AuditReads = true)]
    [Alias("FindCandidatesAsync")]
    Task<SequentialSearchResult> FindCandidatesAsync(DateOnly date, int maxStructures, int first);

    /// <summary>Holds places for a proposal; <c>CONFLICT</c> when they are no longer free.</summary>
    [Internal]
    [Alias("HoldAsync")]
    Task HoldAsync(string proposalId, PersonId person, Modality modality, int halfDays, DateOnly from);

    [Internal]
    [Alias("ConfirmAsync")]
    Task ConfirmAsync(string proposalId);

    /// <summary>Frees a proposal's places (compensation, or the offer ended); idempotent.</summary>
    [Internal]
    [Alias("ReleaseAsync")]
    Task ReleaseAsync(string proposalId);

    /// <summary>
    /// Profile and availability, for the département's directory. Interleaves: the directory reads it
    /// on activation, possibly while this grain is waiting for that very directory.
    /// </summary>
    [AlwaysInterleave]
    [Internal]
    [Alias("GetOfferAsync")]
    Task<EsmsOffer?> GetOfferAsync();
}

/// <summary>A read of an ESMS's sequential availability on a date.</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Sequential.EsmsAvailabilityView")]
public sealed record EsmsAvailabilityView(
    [property: Id(0)] FinessNumber Finess,
    [property: Id(1)] DateOnly Date,
    [property: Id(2)] IReadOnlyList<AvailabilityDeclaration> Declarations,
    [property: Id(3)] IReadOnlyList<SlotReservation> Reservations,
    [property: Id(4)] IReadOnlyList<FreeSlots> Free,
    [property: Id(5)] int Version);

/// <summary>Free places of one modality, half-day by half-day (only those with at least one place).</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Sequential.FreeSlots")]
public sealed record FreeSlots(
    [property: Id(0)] Modality Modality,
    [property: Id(1)] int HalfDay,
    [property: Id(2)] int Places);
