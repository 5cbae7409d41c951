using Listes360.Domain.Identity;
using Listes360.Grains.Common;
using Orleans.Serialization;

namespace Listes360.Grains.Identity;

/// <summary>The first shape of a shard, one entity written whole at each change: read once to move it to rows, then cleared.</summary>
[GenerateSerializer, Alias("Listes360.Identity.IdentityShardState")]
public sealed class IdentityShardState
{
    /// <summary>Blocking key → persons in that block.</summary>
    [Id(0)] public Dictionary<string, List<string>> Blocks { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Person → their distinct records (variants as lists wrote them).</summary>
    [Id(1)] public Dictionary<string, List<IndexedRecord>> Persons { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>One row of a shard: a person's records (the earlier rows of blocks, whose persons lists are now rebuilt in memory, are deleted at the next write).</summary>
[GenerateSerializer, Alias("Listes360.Identity.IdentityShardRow")]
public sealed class IdentityShardRow
{
    [Id(0)] public List<string> Persons { get; set; } = [];

    [Id(1)] public List<IndexedRecord> Records { get; set; } = [];
}

/// <summary>
/// A shard of the identity index kept as one row per person (<see cref="KeyedRowsState{T}"/>): adding a record writes
/// its person's row, not the shard. Written whole, a shard holding ~60 % of the département's records was written at
/// each chunk of an import: the cost of onboarding grew with the square of the département (6,522 writes of ~130 KB for
/// 1,000 persons). The blocks (blocking key → persons) are not stored: they follow from the records and are rebuilt at
/// activation. Stored as rows, each person added to a block rewrote the block's whole list: at the Nord's onboarding
/// (32,000 persons) the shards' writes sent 84 MB, a third of all bytes, and the import waited for them at each chunk.
/// </summary>
public sealed class IdentityShardGrain(
    [PersistentState("identity-shard", StorageNames.Main)] IPersistentState<IdentityShardState> legacy,
    IKeyedRowStorage storage,
    Serializer serializer,
    IdentityTopology topology) : Grain, IIdentityShardGrain
{
    private const string StateName = "identity-shard";
    private const string What = "l'index des personnes du département";

    private KeyedRowsState<IdentityShardRow> rows = null!;

    /// <summary>Blocking key (of this shard) → the persons with a record under it, in the order they were added.</summary>
    private readonly Dictionary<string, List<string>> blocks = new(StringComparer.Ordinal);

    private int Index => IdentityTopology.IndexOfShardKey(this.GetPrimaryKeyString());

    private const string BlockPrefix = "b:";

    private static string PersonKey(string person) => "p:" + person;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        rows = new KeyedRowsState<IdentityShardRow>(storage, serializer, this.GetGrainId(), StateName);
        await rows.ReadAsync();
        if (!rows.Exists && legacy.RecordExists)
        {
            foreach (var (person, records) in legacy.State.Persons)
                rows.Set(PersonKey(person), new IdentityShardRow { Records = records });
            await rows.MoveFromWholeStateAsync(legacy);
        }
        // Rows of blocks written by the earlier code: the blocks are rebuilt below, the rows go at the next write.
        foreach (var block in rows.Rows.Keys.Where(k => k.StartsWith(BlockPrefix, StringComparison.Ordinal)).ToList())
            rows.Remove(block);
        foreach (var person in rows.Rows.Values)
            foreach (var record in person.Records)
                AddToBlocks(record);
    }

    private IEnumerable<string> KeysHere(IndexedRecord record) => Blocking.Keys(record.Record).Where(k => topology.ShardOf(k) == Index);

    private void AddToBlocks(IndexedRecord record)
    {
        foreach (var key in KeysHere(record))
        {
            if (!blocks.TryGetValue(key, out var block))
                blocks[key] = block = [];
            if (!block.Contains(record.PersonId, StringComparer.Ordinal))
                block.Add(record.PersonId);
        }
    }

    public Task<IReadOnlyList<IndexedRecord>> FindAsync(IReadOnlyList<string> keys)
    {
        var persons = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in keys)
            if (blocks.TryGetValue(key, out var block))
                persons.UnionWith(block);
        IReadOnlyList<IndexedRecord> found = persons.SelectMany(p => rows.Rows.TryGetValue(PersonKey(p), out var person) ? person.Records : []).ToList();
        return Task.FromResult(found);
    }

    public async Task AddAsync(IReadOnlyList<IndexedRecord> records)
    {
        foreach (var record in records)
        {
            var personKey = PersonKey(record.PersonId);
            if (!rows.Rows.TryGetValue(personKey, out var person))
                person = new IdentityShardRow();
            if (person.Records.Any(r => MatchRecords.SameContent(r.Record, record.Record)))
                continue;
            person.Records.Add(record);
            rows.Set(personKey, person);
            AddToBlocks(record);
        }
        await rows.WriteAsync(What);
    }

    public async Task RemoveAsync(IReadOnlyList<IndexedRecord> records)
    {
        foreach (var record in records)
        {
            var personKey = PersonKey(record.PersonId);
            if (!rows.Rows.TryGetValue(personKey, out var person) || person.Records.RemoveAll(r => MatchRecords.SameContent(r.Record, record.Record)) == 0)
                continue;
            if (person.Records.Count == 0)
                rows.Remove(personKey);
            else
                rows.Touch(personKey);
            var kept = person.Records.SelectMany(r => Blocking.Keys(r.Record)).ToHashSet(StringComparer.Ordinal);
            foreach (var key in KeysHere(record).Where(k => !kept.Contains(k)))
            {
                if (!blocks.TryGetValue(key, out var block) || !block.Remove(record.PersonId))
                    continue;
                if (block.Count == 0)
                    blocks.Remove(key);
            }
        }
        await rows.WriteAsync(What);
    }
}
