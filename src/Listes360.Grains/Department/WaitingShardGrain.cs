using Listes360.Domain.Persons;
using Listes360.Domain.Projections;
using Listes360.Grains.Common;
using Orleans.Serialization;

namespace Listes360.Grains.Department;

/// <summary>The first shape of a shard, one entity written whole at each change: read once to move it to rows, then cleared.</summary>
[GenerateSerializer, Alias("Listes360.Department.WaitingShardState")]
public sealed class WaitingShardState
{
    [Id(0)] public WaitingShard? Shard { get; set; }
}

/// <summary>
/// A shard of the waiting counts, held in memory as its domain <see cref="WaitingShard"/> and stored as one row per
/// person (<see cref="KeyedRowsWriter{T}"/>): an apply writes its person's row, not the shard, whose size grows with
/// the département.
/// </summary>
public sealed class WaitingShardGrain(
    [PersistentState("waiting", StorageNames.Main)] IPersistentState<WaitingShardState> legacy,
    IKeyedRowStorage storage,
    Serializer serializer,
    DepartmentTopology topology) : Grain, IWaitingShardGrain
{
    private WaitingShard shard = null!;
    private KeyedRowsWriter<PersonContribution> rowWriter = null!;
    private GroupCommit? commit;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        rowWriter = new KeyedRowsWriter<PersonContribution>(storage, serializer, this.GetGrainId(), "waiting",
            key => shard.Contributions.GetValueOrDefault(PersonRowKeys.PersonOf(key)));
        var stored = await rowWriter.ReadAsync();
        shard = WaitingShard.Create(ShardIndex(), topology.WaitingShards);
        if (!rowWriter.Exists && legacy.State.Shard is { } whole)
        {
            shard = whole;
            await rowWriter.MoveFromWholeStateAsync(legacy, whole.Contributions.Keys.Select(PersonRowKeys.Of));
            return;
        }
        foreach (var (key, contribution) in stored)
            shard = shard.Apply(PersonRowKeys.PersonOf(key), contribution.Version, contribution.Counts);
    }

    public Task ApplyManyAsync(IReadOnlyList<PersonVersioned<WaitingCounts>> items) =>
        Task.WhenAll(items.Select(i => ApplyAsync(i.Person, i.Version, i.Value)));

    public async Task ApplyAsync(PersonId person, long version, WaitingCounts contribution)
    {
        // No await until the shard is replaced: interleaved applies each see and replace a whole shard.
        var next = shard.Apply(person, version, contribution);
        if (ReferenceEquals(next, shard))
            return;
        shard = next;
        rowWriter.Changed(PersonRowKeys.Of(person));
        await (commit ??= new GroupCommit(rowWriter.WriteAsync, DeactivateOnIdle)).CommitAsync();
    }

    public Task<WaitingCounts> GetCountsAsync() => Task.FromResult(shard.Totals);

    public Task<IReadOnlyList<PersonId>> GetPersonsAsync() =>
        Task.FromResult<IReadOnlyList<PersonId>>(shard.Contributions.Keys.ToList());

    public Task<IReadOnlyList<PersonId>> GetPersonsAfterAsync(string? after, int count) =>
        Task.FromResult(Domain.Maintenance.ReconcilePass.PageAfter(shard.Contributions.Keys, after, count));

    public Task<int> CountPersonsAsync() => Task.FromResult(shard.Contributions.Count);

    private int ShardIndex() => DepartmentTopology.IndexOfShardKey(this.GetPrimaryKeyString(), "-w");
}
