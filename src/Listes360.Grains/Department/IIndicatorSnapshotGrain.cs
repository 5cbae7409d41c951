using Listes360.Domain.Observatory;
using Listes360.Domain.Security;
using Listes360.Grains.Security;

namespace Listes360.Grains.Department;

/// <summary>
/// A département's daily snapshots of the observatory's indicators (key: the département code), kept
/// <see cref="SnapshotHistory.MaxDays"/> days: the daily pass takes one at its end
/// (<see cref="DepartmentMaintenanceGrain"/>); the observatory reads their evolution. Counts only.
/// </summary>
[Alias("Listes360.Department.IIndicatorSnapshotGrain")]
public interface IIndicatorSnapshotGrain : IGrainWithStringKey
{
    /// <summary>
    /// Computes today's indicators (Europe/Paris date) over the département's waiting and risk shards and
    /// stores them as today's snapshot, replacing one taken earlier the same day.
    /// </summary>
    [Internal]
    [Alias("TakeAsync")]
    Task<IndicatorSnapshot> TakeAsync();

    /// <summary>
    /// Stores a snapshot computed elsewhere (days carried over from a former tool, or the simulated days of a
    /// demonstration or a browser test), with the same rules as <see cref="TakeAsync"/>: the same date replaced,
    /// <see cref="SnapshotHistory.MaxDays"/> days kept. Internal: the service itself only.
    /// </summary>
    [Internal]
    [Alias("RecordAsync")]
    Task RecordAsync(IndicatorSnapshot snapshot);

    /// <summary>The snapshots of the last <paramref name="days"/> days (1 to <see cref="SnapshotHistory.MaxDays"/>), oldest first.</summary>
    [ReadOnly]
    [Allow(Role.TerritorialStaff, Role.MdphReferent, Role.Observatory, Role.Admin, Scope = KeyScope.Department)]
    [Alias("GetSeriesAsync")]
    Task<IReadOnlyList<IndicatorSnapshot>> GetSeriesAsync(int days);
}
