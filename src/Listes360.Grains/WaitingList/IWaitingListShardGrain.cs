using Listes360.Domain.Persons;
using Listes360.Domain.Security;
using Listes360.Domain.WaitingList;
using Listes360.Grains.Security;

namespace Listes360.Grains.WaitingList;

/// <summary>
/// One shard of a département's waiting list (key <c>{département}-l{index}</c>): each person's last
/// row, fed by the person grains (by version) and rebuildable by the daily pass. Names are read here:
/// every page read is audited.
/// </summary>
[Alias("Listes360.WaitingList.IWaitingListShardGrain")]
public interface IWaitingListShardGrain : IGrainWithStringKey
{
    /// <summary>Keeps the row if newer than the shard's; a row with nothing left to show leaves a tombstone.</summary>
    /// <remarks>Returns once a write that includes it is durable. Interleaves: concurrent applies share one write (<see cref="Common.GroupCommit"/>).</remarks>
    [Internal]
    [AlwaysInterleave]
    [Alias("ApplyAsync")]
    Task ApplyAsync(WaitingListEntry entry);

    /// <summary>
    /// <see cref="ApplyAsync"/> for the items of a bulk delivery (a list import): each applied by version as alone, their
    /// persons' rows written together (one transaction per 99 rows) with whatever else arrived meanwhile.
    /// </summary>
    [Internal]
    [AlwaysInterleave]
    [Alias("ApplyManyAsync")]
    Task ApplyManyAsync(IReadOnlyList<WaitingListEntry> entries);

    /// <summary>
    /// The shard's first rows matching the filter (and the search text, when given) after the sort key,
    /// and how many match. A territorial staff with a territory reads that territory only.
    /// </summary>
    [ReadOnly]
    [Allow(Role.TerritorialStaff, Role.MdphReferent, Role.Admin, Scope = KeyScope.Department, AuditReads = true)]
    [Alias("PageAsync")]
    Task<WaitingListShardPage> PageAsync(
        [Scoped(KeyScope.Territory, Member = nameof(WaitingListFilter.Territory))] WaitingListFilter filter,
        WaitingListOrder order, string? search, string? afterKey, int first);

    /// <summary>
    /// The shard's first rows matching the filter after the sort key, highest score first:
    /// <see cref="WaitingListOrder.GridScore"/> (the best score of the person's open candidatures of
    /// <paramref name="scoreKind"/>, read from their ESMS's rankings) or <see cref="WaitingListOrder.RiskProbability"/>
    /// (read from the risk shard; only for the roles that may see it, <see cref="WaitingListOrdering.RolesSeeingProbability"/>).
    /// </summary>
    [ReadOnly]
    [Allow(Role.TerritorialStaff, Role.MdphReferent, Role.Admin, Scope = KeyScope.Department, AuditReads = true)]
    [Alias("PageByScoreAsync")]
    Task<WaitingListShardPage> PageByScoreAsync(
        [Scoped(KeyScope.Territory, Member = nameof(WaitingListFilter.Territory))] WaitingListFilter filter,
        WaitingListOrder order, Domain.Registry.KindOfSupport? scoreKind, string? afterKey, int first);

    /// <summary>
    /// The worklist items of the shard's persons the caller may act on: a director those of their ESMS,
    /// a territorial staff those of their territory, the others those of the département.
    /// </summary>
    [ReadOnly]
    [Allow(Role.EsmsDirector, Role.TerritorialStaff, Role.MdphReferent, Role.Admin, Scope = KeyScope.Department, AuditReads = true)]
    [Alias("WorklistAsync")]
    Task<IReadOnlyList<WorklistRow>> WorklistAsync();

    /// <summary>
    /// The worklist items of one vacancy for the persons of this shard (issue 19), from the vacancy grain's outbox:
    /// kept if newer than the shard's; none left removes the vacancy's items.
    /// </summary>
    [Internal]
    [Alias("ApplyVacancyItemsAsync")]
    Task ApplyVacancyItemsAsync(Domain.Vacancies.VacancyWorklistItems items);

    /// <summary>A page of the persons this shard knows (rows and tombstones), in ordinal order of their id, for reconcile passes.</summary>
    [ReadOnly]
    [Internal]
    [Alias("GetPersonsAfterAsync")]
    Task<IReadOnlyList<PersonId>> GetPersonsAfterAsync(string? after, int count);
}

/// <summary>A worklist item with the name of the person it is about (the caller may see them).</summary>
[GenerateSerializer, Immutable, Alias("Listes360.WaitingList.WorklistRow")]
public sealed record WorklistRow(
    [property: Id(0)] WorklistItem Item,
    [property: Id(1)] string BirthName,
    [property: Id(2)] string FirstNames,
    [property: Id(3)] string? Territory);

/// <summary>How a département's list is split: four list shards per waiting-count shard (rows are larger than counts).</summary>
public static class WaitingListTopology
{
    public const int ShardsPerWaitingShard = 4;

    public static int ShardCount(this Department.DepartmentTopology topology) => topology.WaitingShards * ShardsPerWaitingShard;

    public static string ShardKey(string department, int index) => $"{department}-l{index}";

    public static string ListShardOf(this Department.DepartmentTopology topology, PersonId person) =>
        ShardKey(AccessPolicy.DepartmentOfKey(person.Value), Domain.Projections.WaitingSharding.ShardOf(person, topology.ShardCount()));

    public static IEnumerable<string> ListShardsOf(this Department.DepartmentTopology topology, string department) =>
        Enumerable.Range(0, topology.ShardCount()).Select(i => ShardKey(department, i));
}
