using Listes360.Domain.Candidatures;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;
using Listes360.Domain.Security;
using Listes360.Domain.Sequential;
using Listes360.Grains.Security;

namespace Listes360.Grains.Sequential;

/// <summary>
/// The sequential side of a person (same grain as <see cref="Persons.IPersonGrain"/>, same key): their
/// weekly needs, and the proposals of combinations of ESMS made to them.
/// </summary>
[Alias("Listes360.Sequential.IPersonSequentialGrain")]
public interface IPersonSequentialGrain : IGrainWithStringKey
{
    /// <summary>Declares (or with null, removes) the person's needs.</summary>
    [Allow(Role.TerritorialStaff, Role.MdphReferent, Role.Admin, Scope = KeyScope.Department)]
    [Alias("SetSequentialNeedsAsync")]
    Task<SequentialNeeds?> SetSequentialNeedsAsync(SequentialNeeds? needs);

    /// <summary>The needs; a director only for a person with a candidature to one of their ESMS.</summary>
    [ReadOnly]
    [Allow(Role.EsmsDirector, Role.TerritorialStaff, Role.MdphReferent, Role.Admin, Scope = KeyScope.Person, AuditReads = true)]
    [Alias("GetSequentialNeedsAsync")]
    Task<SequentialNeeds?> GetSequentialNeedsAsync();

    /// <summary>
    /// Proposes a combination: an OFFERED candidature in each ESMS, all or nothing. Each ESMS's places
    /// are held, then committed, then the candidatures are written; if an ESMS refuses (<c>CONFLICT</c>:
    /// taken meanwhile) or does not answer, every place held is released and nothing is offered.
    /// </summary>
    [Allow(Role.TerritorialStaff, Role.Admin, Scope = KeyScope.Department)]
    [Alias("ProposeSequentialAsync")]
    Task<SequentialProposal> ProposeSequentialAsync(DateOnly from, [Scoped(KeyScope.Finess, Member = nameof(ProposalPart.Finess))] IReadOnlyList<ProposalPart> parts, string by);
}

/// <summary>One ESMS of a proposal: modality and half-days of the week.</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Sequential.ProposalPart")]
public sealed record ProposalPart(
    [property: Id(0)] FinessNumber Finess,
    [property: Id(1)] Modality Modality,
    [property: Id(2)] int HalfDays);

/// <summary>A proposal made: its parts and the candidatures (one per ESMS) it put in OFFERED.</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Sequential.SequentialProposal")]
public sealed record SequentialProposal(
    [property: Id(0)] string Id,
    [property: Id(1)] PersonId Person,
    [property: Id(2)] DateOnly From,
    [property: Id(3)] IReadOnlyList<ProposalPart> Parts,
    [property: Id(4)] IReadOnlyList<CandidatureId> Candidatures,
    [property: Id(5)] DateTimeOffset At,
    [property: Id(6)] string By);
