using Listes360.Domain.Identity;
using Listes360.Grains.Common;

namespace Listes360.Grains.Identity;

[GenerateSerializer, Alias("Listes360.Identity.IdentityShardState")]
public sealed class IdentityShardState
{
    /// <summary>Blocking key → persons in that block.</summary>
    [Id(0)] public Dictionary<string, List<string>> Blocks { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Person → their distinct records (variants as lists wrote them).</summary>
    [Id(1)] public Dictionary<string, List<IndexedRecord>> Persons { get; set; } = new(StringComparer.Ordinal);
}

public sealed class IdentityShardGrain(
    [PersistentState("identity-shard", StorageNames.Main)] IPersistentState<IdentityShardState> state,
    IdentityTopology topology) : Grain, IIdentityShardGrain
{
    private int Index => IdentityTopology.IndexOfShardKey(this.GetPrimaryKeyString());

    public Task<IReadOnlyList<IndexedRecord>> FindAsync(IReadOnlyList<string> keys)
    {
        var persons = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in keys)
            if (state.State.Blocks.TryGetValue(key, out var members))
                persons.UnionWith(members);
        IReadOnlyList<IndexedRecord> found = persons.SelectMany(p => state.State.Persons[p]).ToList();
        return Task.FromResult(found);
    }

    public async Task AddAsync(IReadOnlyList<IndexedRecord> records)
    {
        var changed = false;
        foreach (var record in records)
        {
            var known = state.State.Persons.TryGetValue(record.PersonId, out var list) ? list : state.State.Persons[record.PersonId] = [];
            if (known.Any(r => MatchRecords.SameContent(r.Record, record.Record)))
                continue;
            known.Add(record);
            foreach (var key in Blocking.Keys(record.Record).Where(k => topology.ShardOf(k) == Index))
            {
                var members = state.State.Blocks.TryGetValue(key, out var m) ? m : state.State.Blocks[key] = [];
                if (!members.Contains(record.PersonId, StringComparer.Ordinal))
                    members.Add(record.PersonId);
            }
            changed = true;
        }
        if (changed)
            await state.WriteOrRestoreAsync("l'index des personnes du département");
    }

    public async Task RemoveAsync(IReadOnlyList<IndexedRecord> records)
    {
        var changed = false;
        foreach (var record in records)
        {
            if (!state.State.Persons.TryGetValue(record.PersonId, out var known) || known.RemoveAll(r => MatchRecords.SameContent(r.Record, record.Record)) == 0)
                continue;
            changed = true;
            if (known.Count == 0)
                state.State.Persons.Remove(record.PersonId);
            var kept = known.SelectMany(r => Blocking.Keys(r.Record)).ToHashSet(StringComparer.Ordinal);
            foreach (var key in Blocking.Keys(record.Record).Where(k => topology.ShardOf(k) == Index && !kept.Contains(k)))
            {
                if (state.State.Blocks.TryGetValue(key, out var members) && members.Remove(record.PersonId) && members.Count == 0)
                    state.State.Blocks.Remove(key);
            }
        }
        if (changed)
            await state.WriteOrRestoreAsync("l'index des personnes du département");
    }
}
