using Listes360.Domain.Persons;
using Listes360.Domain.Projections;
using Listes360.Domain.Risk;
using Listes360.Domain.Security;
using Listes360.Grains.Department;
using Listes360.Grains.Security;

namespace Listes360.Grains.Risk;

/// <summary>
/// One shard of a département's rupture-risk projection (key <c>{département}-r{index}</c>, persons
/// spread as in the waiting shards): each person's pseudonymised snapshot, flags and score. Kept
/// current by the person grains (on every change and by the daily pass, which moves ages and
/// durations on); rebuildable by a reconcile.
/// </summary>
[Alias("Listes360.Risk.IRiskShardGrain")]
public interface IRiskShardGrain : IGrainWithStringKey
{
    /// <summary>
    /// Stores and scores the person's input if <paramref name="version"/> is newer than the stored one;
    /// returns once a write that includes it is durable. Interleaves: concurrent applies share one write.
    /// </summary>
    [Internal]
    [AlwaysInterleave]
    [Alias("ApplyAsync")]
    Task ApplyAsync(PersonId person, long version, PersonRiskInput input);

    /// <summary>
    /// <see cref="ApplyAsync"/> for the items of a bulk delivery (a list import): each applied by version as alone, their
    /// persons' rows written together (one transaction per 99 rows) with whatever else arrived meanwhile.
    /// </summary>
    [Internal]
    [AlwaysInterleave]
    [Alias("ApplyManyAsync")]
    Task ApplyManyAsync(IReadOnlyList<Common.PersonVersioned<PersonRiskInput>> items);

    /// <summary>The shard's matching persons after the cursor, in list order (probability first), pseudonymised.</summary>
    [ReadOnly]
    [Allow(Role.TerritorialStaff, Role.MdphReferent, Role.Observatory, Role.Admin, Scope = KeyScope.Department)]
    [Alias("SelectAsync")]
    Task<RiskShardPage> SelectAsync([Scoped(KeyScope.Territory, Member = nameof(RiskFilter.Territory))] RiskFilter filter, string? afterSortKey, int take);

    /// <summary>
    /// The probability of each of these persons the shard has scored (others left out): for the
    /// departmental list's order by probability, asked by its list shards (which check the caller's role).
    /// </summary>
    [ReadOnly]
    [Internal]
    [Alias("ProbabilitiesAsync")]
    Task<IReadOnlyDictionary<PersonId, double>> ProbabilitiesAsync(IReadOnlyList<PersonId> persons);

    [ReadOnly]
    [Allow(Role.TerritorialStaff, Role.MdphReferent, Role.Observatory, Role.Admin, Scope = KeyScope.Department)]
    [Alias("IndicatorsAsync")]
    Task<RiskIndicatorPart> IndicatorsAsync(DateOnly date);
}

public static class RiskTopology
{
    public static string ShardKey(string department, int index) => $"{department}-r{index}";

    /// <summary>The risk shard of a person: same index as their waiting shard.</summary>
    public static string RiskShardOf(this DepartmentTopology topology, PersonId person) =>
        ShardKey(AccessPolicy.DepartmentOfKey(person.Value), WaitingSharding.ShardOf(person, topology.WaitingShards));
}
