using System.Collections.Concurrent;
using Listes360.Grains.Department;
using Listes360.Grains.WaitingList;

namespace Listes360.Application.WaitingList;

/// <summary>
/// The references to a département's list shards, made once per département: every read of the list asks all of
/// them, and making a reference looks the grain interface up by reflection (4 % of a name search's processor time
/// at the Nord's scale, measured by a profile of the silo).
/// </summary>
public sealed class ListShardReferences(IGrainFactory grains, DepartmentTopology topology)
{
    private readonly ConcurrentDictionary<string, IWaitingListShardGrain[]> byDepartment = new(StringComparer.Ordinal);

    /// <summary>The shards of a département code already checked (<see cref="Domain.Geography.DepartmentCodes.Parse"/>).</summary>
    public IReadOnlyList<IWaitingListShardGrain> Of(string department) =>
        byDepartment.GetOrAdd(department, code => [.. topology.ListShardsOf(code).Select(key => grains.GetGrain<IWaitingListShardGrain>(key))]);
}
