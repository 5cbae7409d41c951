using Listes360.Domain.Persons;
using Listes360.Domain.Projections;
using Listes360.Domain.Security;
using Listes360.Grains.Security;

namespace Listes360.Grains.Department;

/// <summary>
/// One shard of a département's waiting counts (key <c>{département}-w{index}</c>): the latest
/// contribution of each of its persons and their sum. Persons are spread by a stable hash of their
/// id (<see cref="WaitingSharding"/>), so a Nord-sized département stays far below the 1 MiB entity.
/// Rebuildable: every person grain re-sends its contribution on reconcile.
/// </summary>
[Alias("Listes360.Department.IWaitingShardGrain")]
public interface IWaitingShardGrain : IGrainWithStringKey
{
    /// <summary>Replaces the person's contribution; a version not newer than the stored one changes nothing.</summary>
    /// <remarks>Returns once a write that includes it is durable. Interleaves: concurrent applies share one write (<see cref="Common.GroupCommit"/>).</remarks>
    [Internal]
    [AlwaysInterleave]
    [Alias("ApplyAsync")]
    Task ApplyAsync(PersonId person, long version, WaitingCounts contribution);

    /// <summary>
    /// <see cref="ApplyAsync"/> for the items of a bulk delivery (a list import): each applied by version as alone, their
    /// persons' rows written together (one transaction per 99 rows) with whatever else arrived meanwhile.
    /// </summary>
    [Internal]
    [AlwaysInterleave]
    [Alias("ApplyManyAsync")]
    Task ApplyManyAsync(IReadOnlyList<Common.PersonVersioned<WaitingCounts>> items);

    [ReadOnly]
    [Allow(Role.TerritorialStaff, Role.MdphReferent, Role.Observatory, Role.Admin, Scope = KeyScope.Department)]
    [Alias("GetCountsAsync")]
    Task<WaitingCounts> GetCountsAsync();

    /// <summary>The persons this shard knows, for reconcile passes.</summary>
    [ReadOnly]
    [Internal]
    [Alias("GetPersonsAsync")]
    Task<IReadOnlyList<PersonId>> GetPersonsAsync();

    /// <summary>A page of this shard's persons after <paramref name="after"/>, in ordinal order of their id (a reconcile pass's batch).</summary>
    [ReadOnly]
    [Internal]
    [Alias("GetPersonsAfterAsync")]
    Task<IReadOnlyList<PersonId>> GetPersonsAfterAsync(string? after, int count);

    /// <summary>How many persons this shard knows.</summary>
    [ReadOnly]
    [Internal]
    [Alias("CountPersonsAsync")]
    Task<int> CountPersonsAsync();
}

/// <summary>How a département's département-level grains are split (configuration <c>Department</c>).</summary>
public sealed class DepartmentTopology
{
    public const string Section = "Department";

    /// <summary>
    /// Waiting-count shards per département. Fixed for a deployment: changing it means a rebuild
    /// (reconcile) of the counts. 8 fits up to ~10,000 persons; use 16 for a Nord-sized département.
    /// </summary>
    public int WaitingShards { get; set; } = 8;

    public static string ShardKey(string department, int index) => $"{department}-w{index}";

    /// <summary>The index in a département shard's key (<c>61-w3</c>, <c>61-r3</c>, <c>61-l12</c>): what follows the last <paramref name="marker"/>.</summary>
    public static int IndexOfShardKey(string key, string marker) =>
        int.Parse(key[(key.LastIndexOf(marker, StringComparison.Ordinal) + marker.Length)..], System.Globalization.CultureInfo.InvariantCulture);

    public string ShardOf(PersonId person) =>
        ShardKey(Domain.Security.AccessPolicy.DepartmentOfKey(person.Value), WaitingSharding.ShardOf(person, WaitingShards));
}
