using Listes360.Domain.Maintenance;
using Listes360.Domain.Persons;
using Listes360.Domain.Security;
using Listes360.Domain.WaitingList;
using Listes360.Grains.Department;
using Listes360.Grains.Security;

namespace Listes360.Grains.WaitingList;

[GenerateSerializer, Alias("Listes360.WaitingList.WaitingListShardState")]
public sealed class WaitingListShardState
{
    [Id(0)] public WaitingListShard? Shard { get; set; }
}

/// <summary>
/// Loads the shard, applies a row through the domain, writes once when it changed. The name index is
/// memory only: built on the first search of an activation, then updated with each row applied.
/// </summary>
public sealed class WaitingListShardGrain(
    [PersistentState("waitingList", StorageNames.Main)] IPersistentState<WaitingListShardState> state,
    DepartmentTopology topology) : Grain, IWaitingListShardGrain
{
    private PersonSearchIndex? index;

    private WaitingListShard Shard => state.State.Shard ?? WaitingListShard.Create(ShardIndex(), topology.ShardCount());

    public async Task ApplyAsync(WaitingListEntry entry)
    {
        var current = Shard;
        var next = current.Apply(entry);
        if (ReferenceEquals(next, current))
            return;
        state.State.Shard = next;
        await state.WriteStateAsync();
        if (index is null)
            return;
        if (next.Entries.TryGetValue(entry.Person, out var kept))
            index.Upsert(kept.Searchable);
        else
            index.Remove(entry.Person);
    }

    public Task<WaitingListShardPage> PageAsync(WaitingListFilter filter, WaitingListOrder order, string? search, string? afterKey, int first)
    {
        var scoped = filter.Validated().For(CallerContext.Current);
        var text = search is null ? null : SearchText.Parse(search);
        if (text is not null)
            index ??= WaitingListShard.IndexOf(Shard.Entries.Values);
        return Task.FromResult(Shard.Page(scoped, order, first, afterKey, search: text, index: index));
    }

    public Task<IReadOnlyList<WorklistRow>> WorklistAsync()
    {
        var caller = CallerContext.Current;
        var territory = AccessPolicy.TerritoryFor(caller, null);
        var rows = Shard.Entries.Values
            .Where(e => territory is null || e.Territory == territory)
            .SelectMany(e => e.Worklist.Select(item => (Entry: e, Item: item)))
            .Where(x => caller is not { Role: Role.EsmsDirector } director || x.Item.Esms is { } esms && AccessPolicy.CarriesEsms(director, esms.Value))
            .Select(x => new WorklistRow(x.Item, x.Entry.BirthName, string.Join(' ', x.Entry.FirstNames), x.Entry.Territory))
            .ToList();
        return Task.FromResult<IReadOnlyList<WorklistRow>>(rows);
    }

    public Task<IReadOnlyList<PersonId>> GetPersonsAfterAsync(string? after, int count) =>
        Task.FromResult(ReconcilePass.PageAfter(Shard.Entries.Keys.Concat(Shard.Tombstones.Keys), after, count));

    private int ShardIndex() => DepartmentTopology.IndexOfShardKey(this.GetPrimaryKeyString(), "-l");
}
