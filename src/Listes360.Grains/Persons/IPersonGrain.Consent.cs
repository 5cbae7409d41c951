using Listes360.Domain.Registry;
using Listes360.Domain.Security;
using Listes360.Grains.Security;

namespace Listes360.Grains.Persons;

public partial interface IPersonGrain
{
    /// <summary>
    /// The person's consent to share their request between ESMS, given or withdrawn, as collected by an
    /// ESMS (SDO flow 2, <c>POST /fhir/Consent</c>); a director only for their own ESMS and a person who applied there.
    /// </summary>
    [Allow(Role.EsmsDirector, Role.TerritorialStaff, Role.MdphReferent, Role.Admin, Scope = KeyScope.Person)]
    [Alias("RecordConsentAsync")]
    Task<PersonSnapshot> RecordConsentAsync(bool consentToShare, [Scoped(KeyScope.Finess)] FinessNumber esms, string by);
}
