using Listes360.Domain.Persons;
using Listes360.Domain.Projections;
using Listes360.Grains.Common;

namespace Listes360.Grains.Department;

[GenerateSerializer, Alias("Listes360.Department.WaitingShardState")]
public sealed class WaitingShardState
{
    [Id(0)] public WaitingShard? Shard { get; set; }
}

public sealed class WaitingShardGrain(
    [PersistentState("waiting", StorageNames.Main)] IPersistentState<WaitingShardState> state,
    DepartmentTopology topology) : Grain, IWaitingShardGrain
{
    private GroupCommit? commit;

    public Task ApplyAsync(PersonId person, long version, WaitingCounts contribution) => ApplyAsync(person, version, contribution, TimeSpan.Zero);

    public Task ApplyManyAsync(IReadOnlyList<Common.PersonVersioned<WaitingCounts>> items) =>
        Task.WhenAll(items.Select(i => ApplyAsync(i.Person, i.Version, i.Value, Common.GroupCommit.BulkLinger)));

    private async Task ApplyAsync(PersonId person, long version, WaitingCounts contribution, TimeSpan linger)
    {
        // No await until the state is replaced: interleaved applies each see and replace a whole shard.
        var current = state.State.Shard ?? WaitingShard.Create(ShardIndex(), topology.WaitingShards);
        var next = current.Apply(person, version, contribution);
        if (ReferenceEquals(next, current))
            return;
        state.State.Shard = next;
        await (commit ??= new GroupCommit(() => state.WriteStateAsync(), DeactivateOnIdle)).CommitAsync(linger);
    }

    public Task<WaitingCounts> GetCountsAsync() => Task.FromResult(state.State.Shard?.Totals ?? WaitingCounts.Empty);

    public Task<IReadOnlyList<PersonId>> GetPersonsAsync() =>
        Task.FromResult<IReadOnlyList<PersonId>>(state.State.Shard?.Contributions.Keys.ToList() ?? []);

    public Task<IReadOnlyList<PersonId>> GetPersonsAfterAsync(string? after, int count) =>
        Task.FromResult(Domain.Maintenance.ReconcilePass.PageAfter(state.State.Shard?.Contributions.Keys ?? [], after, count));

    public Task<int> CountPersonsAsync() => Task.FromResult(state.State.Shard?.Contributions.Count ?? 0);

    private int ShardIndex() => DepartmentTopology.IndexOfShardKey(this.GetPrimaryKeyString(), "-w");
}
