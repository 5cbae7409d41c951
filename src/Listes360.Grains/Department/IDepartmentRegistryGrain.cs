using Listes360.Domain.Registry;
using Listes360.Domain.Security;
using Listes360.Grains.Common;
using Listes360.Grains.Security;

namespace Listes360.Grains.Department;

/// <summary>
/// The ESMS of one département (key: the département code, e.g. <c>61</c>), kept current by the ESMS
/// grains. A few hundred entries at most per département (Nord: ~520), well within one grain.
/// </summary>
[Alias("Listes360.Department.IDepartmentRegistryGrain")]
public interface IDepartmentRegistryGrain : IGrainWithStringKey
{
    [Internal]
    [Alias("RecordEsmsAsync")]
    Task RecordEsmsAsync(EsmsSummary summary);

    /// <summary>The département's ESMS by FINESS number, optionally of one territory or kind of support.</summary>
    [ReadOnly]
    [Allow(Role.EsmsDirector, Role.TerritorialStaff, Role.MdphReferent, Role.Observatory, Role.Admin, Scope = KeyScope.Department)]
    [Alias("ListEsmsAsync")]
    Task<Page<EsmsSummary>> ListEsmsAsync([Scoped(KeyScope.Territory)] string? territory, KindOfSupport? kind, string? after, int first);

    [ReadOnly]
    [Allow(Role.Admin, Scope = KeyScope.Department)]
    [Alias("CountAsync")]
    Task<int> CountAsync();
}

[GenerateSerializer, Immutable, Alias("Listes360.Department.EsmsSummary")]
public sealed record EsmsSummary(
    [property: Id(0)] string Finess,
    [property: Id(1)] string Name,
    [property: Id(2)] string Category,
    [property: Id(3)] KindOfSupport Kind,
    [property: Id(4)] string? Territory,
    [property: Id(5)] string? Commune,
    [property: Id(6)] int Version);
