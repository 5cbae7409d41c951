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
