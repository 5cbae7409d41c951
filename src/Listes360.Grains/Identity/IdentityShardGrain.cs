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

/// <summary>One row of a shard: a block (the persons under a blocking key) or a person (their records).</summary>
[GenerateSerializer, Alias("Listes360.Identity.IdentityShardRow")]
public sealed class IdentityShardRow
{
    [Id(0)] public List<string> Persons { get; set; } = [];

    [Id(1)] public List<IndexedRecord> Records { get; set; } = [];
}

/// <summary>
/// A shard of the identity index kept as one row per block and per person (<see cref="KeyedRowsState{T}"/>): adding a
/// record writes its person's row and its blocks' rows, not the shard. Written whole, a shard holding ~60 % of the
/// département's records was written at each chunk of an import: the cost of onboarding grew with the square of
/// the département (6,522 writes of ~130 KB for 1,000 persons).
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

    private int Index => IdentityTopology.IndexOfShardKey(this.GetPrimaryKeyString());

    private static string BlockKey(string blockingKey) => "b:" + blockingKey;

    private static string PersonKey(string person) => "p:" + person;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        rows = new KeyedRowsState<IdentityShardRow>(storage, serializer, this.GetGrainId(), StateName);
        await rows.ReadAsync();
        if (!rows.Exists && legacy.RecordExists)
        {
            foreach (var (key, persons) in legacy.State.Blocks)
                rows.Set(BlockKey(key), new IdentityShardRow { Persons = persons });
            foreach (var (person, records) in legacy.State.Persons)
                rows.Set(PersonKey(person), new IdentityShardRow { Records = records });
            await rows.MoveFromWholeStateAsync(legacy);
        }
    }

    public Task<IReadOnlyList<IndexedRecord>> FindAsync(IReadOnlyList<string> keys)
    {
        var persons = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in keys)
            if (rows.Rows.TryGetValue(BlockKey(key), out var block))
                persons.UnionWith(block.Persons);
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
            foreach (var key in Blocking.Keys(record.Record).Where(k => topology.ShardOf(k) == Index))
            {
                var blockKey = BlockKey(key);
                if (!rows.Rows.TryGetValue(blockKey, out var block))
                    block = new IdentityShardRow();
                if (block.Persons.Contains(record.PersonId, StringComparer.Ordinal))
                    continue;
                block.Persons.Add(record.PersonId);
                rows.Set(blockKey, block);
            }
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
            foreach (var key in Blocking.Keys(record.Record).Where(k => topology.ShardOf(k) == Index && !kept.Contains(k)))
            {
                var blockKey = BlockKey(key);
                if (!rows.Rows.TryGetValue(blockKey, out var block) || !block.Persons.Remove(record.PersonId))
                    continue;
                if (block.Persons.Count == 0)
                    rows.Remove(blockKey);
                else
                    rows.Touch(blockKey);
            }
        }
        await rows.WriteAsync(What);
    }
}
