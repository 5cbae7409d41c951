using Listes360.Domain.Observatory;
using Listes360.Domain.Projections;
using Listes360.Domain.Risk;
using Listes360.Domain.Security;
using Listes360.Domain.Time;
using Listes360.Grains.Common;
using Listes360.Grains.Risk;
using Listes360.Grains.Security;

namespace Listes360.Grains.Department;

[GenerateSerializer, Alias("Listes360.Department.IndicatorSnapshotState")]
public sealed class IndicatorSnapshotState
{
    [Id(0)] public SnapshotHistory History { get; set; } = SnapshotHistory.Empty;
}

public sealed class IndicatorSnapshotGrain(
    [PersistentState("snapshots", StorageNames.Main)] IPersistentState<IndicatorSnapshotState> state,
    DepartmentTopology topology,
    TimeProvider clock) : Grain, IIndicatorSnapshotGrain
{
    private string Department => this.GetPrimaryKeyString();

    public async Task<IndicatorSnapshot> TakeAsync()
    {
        var now = clock.GetUtcNow();
        var date = ParisDate.Of(now);
        WaitingCounts[] counts;
        RiskIndicatorPart[] parts;
        // The shards answer the observatory's roles: the pass reads them as the service itself.
        using (CallerContext.As(new Caller($"instantané quotidien des indicateurs ({Department})", Role.System, [], Department, null)))
        {
            var shards = Enumerable.Range(0, topology.WaitingShards).ToList();
            var waiting = Task.WhenAll(shards.Select(i => GrainFactory.GetGrain<IWaitingShardGrain>(DepartmentTopology.ShardKey(Department, i)).GetCountsAsync()));
            var risk = Task.WhenAll(shards.Select(i => GrainFactory.GetGrain<IRiskShardGrain>(RiskTopology.ShardKey(Department, i)).IndicatorsAsync(date)));
            counts = await waiting;
            parts = await risk;
        }
        var snapshot = IndicatorSnapshot.Of(now, WaitingCounts.Combine(counts), RiskIndicators.Merge(date, parts));
        state.State.History = state.State.History.Record(snapshot);
        await state.WriteOrRestoreAsync("l'instantané quotidien des indicateurs");
        return snapshot;
    }

    public async Task RecordAsync(IndicatorSnapshot snapshot)
    {
        state.State.History = state.State.History.Record(snapshot);
        await state.WriteOrRestoreAsync("un instantané des indicateurs");
    }

    public Task<IReadOnlyList<IndicatorSnapshot>> GetSeriesAsync(int days) => Task.FromResult(state.State.History.Last(days));
}
