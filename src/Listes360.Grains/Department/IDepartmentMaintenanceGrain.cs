using Listes360.Domain.Security;
using Listes360.Grains.Persons;
using Listes360.Grains.Security;

namespace Listes360.Grains.Department;

/// <summary>
/// Département-wide passes (key: the département code): every person re-sends its candidature views
/// and its contribution to the counts, and applies the orientations that ended. Run daily by the
/// host, and on demand to rebuild the projections.
/// </summary>
public interface IDepartmentMaintenanceGrain : IGrainWithStringKey
{
    [Allow(Role.Admin, Scope = KeyScope.Department)]
    Task<ReconcileReport> ReconcileAsync();
}

[GenerateSerializer, Immutable]
public sealed record ReconcileReport(
    [property: Id(0)] string Department,
    [property: Id(1)] int Persons,
    [property: Id(2)] int Failed,
    [property: Id(3)] TimeSpan Duration);

public sealed class DepartmentMaintenanceGrain(DepartmentTopology topology, TimeProvider clock) : Grain, IDepartmentMaintenanceGrain
{
    public async Task<ReconcileReport> ReconcileAsync()
    {
        var department = this.GetPrimaryKeyString();
        var started = clock.GetTimestamp();
        var persons = 0;
        var failed = 0;
        // A merge interrupted before its tombstone is finished first, so the persons below are whole.
        try
        {
            await GrainFactory.GetGrain<Identity.IIdentityGrain>(department).FinishPendingMergesAsync();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Still pending: the identity grain retries at its next operation; the pass goes on.
            failed++;
        }
        for (var shard = 0; shard < topology.WaitingShards; shard++)
        {
            var ids = await GrainFactory.GetGrain<IWaitingShardGrain>(DepartmentTopology.ShardKey(department, shard)).GetPersonsAsync();
            // A few at a time: the pass must not crowd out the users' own requests.
            foreach (var batch in ids.Chunk(16))
            {
                var results = await Task.WhenAll(batch.Select(async id =>
                {
                    try
                    {
                        await GrainFactory.GetGrain<IPersonGrain>(id.Value).ReconcileAsync();
                        return true;
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        return false;
                    }
                }));
                persons += results.Length;
                failed += results.Count(ok => !ok);
            }
        }
        return new ReconcileReport(department, persons, failed, clock.GetElapsedTime(started));
    }
}
