using System.Collections.Immutable;
using Listes360.Domain.Persons;
using Listes360.Domain.Projections;

namespace Listes360.Domain.WaitingList;

/// <summary>A row with its sort key (the cursor of a page that ends on it).</summary>
[GenerateSerializer, Immutable, Alias("Listes360.WaitingList.SortedEntry")]
public sealed record SortedEntry([property: Id(0)] WaitingListEntry Entry, [property: Id(1)] string SortKey);

/// <summary>One shard's page: its first matching rows after the cursor, sorted, and how many match in all.</summary>
[GenerateSerializer, Immutable, Alias("Listes360.WaitingList.WaitingListShardPage")]
public sealed record WaitingListShardPage([property: Id(0)] ImmutableArray<SortedEntry> Rows, [property: Id(1)] int TotalCount);

/// <summary>
/// One shard of the departmental list (persons sharded as the waiting counts, <see cref="WaitingSharding"/>):
/// each person's last row by version. A person with neither row nor worklist item keeps only their
/// version (a tombstone), so that a late, older message cannot bring them back.
/// </summary>
[GenerateSerializer, Immutable, Alias("Listes360.WaitingList.WaitingListShard")]
public sealed record WaitingListShard
{
    [Id(0)] public required int ShardIndex { get; init; }
    [Id(1)] public required int ShardCount { get; init; }
    [Id(2)] public ImmutableDictionary<PersonId, WaitingListEntry> Entries { get; init; } = ImmutableDictionary<PersonId, WaitingListEntry>.Empty;
    [Id(3)] public ImmutableDictionary<PersonId, long> Tombstones { get; init; } = ImmutableDictionary<PersonId, long>.Empty;

    public static WaitingListShard Create(int shardIndex, int shardCount)
    {
        _ = WaitingShard.Create(shardIndex, shardCount);
        return new WaitingListShard { ShardIndex = shardIndex, ShardCount = shardCount };
    }

    public long? VersionOf(PersonId person) =>
        Entries.TryGetValue(person, out var entry) ? entry.Version : Tombstones.TryGetValue(person, out var version) ? version : null;

    /// <summary>Keeps the row if it is newer than what the shard has; the same instance otherwise.</summary>
    public WaitingListShard Apply(WaitingListEntry entry)
    {
        if (WaitingSharding.ShardOf(entry.Person, ShardCount) != ShardIndex)
            throw new DomainException("WRONG_SHARD",
                $"La personne {entry.Person} relève du fragment {WaitingSharding.ShardOf(entry.Person, ShardCount)}, pas du fragment {ShardIndex}.", "personId");
        if (VersionOf(entry.Person) is { } known && entry.Version <= known)
            return this;
        return entry.IsEmpty
            ? this with { Entries = Entries.Remove(entry.Person), Tombstones = Tombstones.SetItem(entry.Person, entry.Version) }
            : this with { Entries = Entries.SetItem(entry.Person, entry), Tombstones = Tombstones.Remove(entry.Person) };
    }

    /// <summary>
    /// The first <paramref name="first"/> rows matching the filter (and the search, when given) whose key
    /// comes after <paramref name="afterKey"/>, sorted; <paramref name="scoreOf"/> gives the score of
    /// <see cref="WaitingListOrder.ScoreDescending"/>; <paramref name="visible"/> is the caller's scope.
    /// </summary>
    public WaitingListShardPage Page(WaitingListFilter filter, WaitingListOrder order, int first, string? afterKey,
        Func<WaitingListEntry, bool>? visible = null, SearchText? search = null, PersonSearchIndex? index = null, Func<WaitingListEntry, double?>? scoreOf = null)
    {
        IEnumerable<(WaitingListEntry Entry, double? Score)> matching;
        if (search is not null)
        {
            index ??= IndexOf(Entries.Values);
            // Sorted below by the page's keys (relevance, then name, then id).
            matching = index.Hits(search, id => Entries.TryGetValue(id, out var e) && filter.Matches(e) && (visible?.Invoke(e) ?? true))
                .Select(h => (Entries[h.Person], (double?)(h.WordsMatched * 10 + h.Score)));
            order = WaitingListOrder.Relevance;
        }
        else
        {
            matching = Entries.Values.Where(e => filter.Matches(e) && (visible?.Invoke(e) ?? true))
                .Select(e => (e, order.IsByScore() ? scoreOf?.Invoke(e) : null));
        }
        var keyed = matching.Select(m => new SortedEntry(m.Entry, WaitingListOrdering.KeyOf(m.Entry, order, m.Score))).ToList();
        var rows = keyed.Where(k => afterKey is null || string.CompareOrdinal(k.SortKey, afterKey) > 0)
            .OrderBy(k => k.SortKey, StringComparer.Ordinal)
            .Take(first)
            .ToImmutableArray();
        return new WaitingListShardPage(rows, keyed.Count);
    }

    /// <summary>
    /// Every row with its key for <paramref name="order"/> (an order by name or date: no score, no search), sorted:
    /// what a shard grain keeps in memory until the shard changes, so that a page is a walk instead of a sort
    /// (<see cref="PageOfSorted"/>).
    /// </summary>
    public ImmutableArray<SortedEntry> Sorted(WaitingListOrder order)
    {
        if (order.IsByScore() || order == WaitingListOrder.Relevance)
            throw new DomainException("INVALID_ORDER", $"Le tri {order} ne se garde pas : il dépend d'un score ou d'une recherche.", "orderBy");
        return [.. Entries.Values.Select(e => new SortedEntry(e, WaitingListOrdering.KeyOf(e, order))).OrderBy(k => k.SortKey, StringComparer.Ordinal)];
    }

    /// <summary>
    /// The page <see cref="Page"/> gives (no search, no score) read from <paramref name="sorted"/> (this shard's
    /// <see cref="Sorted"/> for the order): the first <paramref name="first"/> rows matching the filter after
    /// <paramref name="afterKey"/>, and how many match in all.
    /// </summary>
    public static WaitingListShardPage PageOfSorted(ImmutableArray<SortedEntry> sorted, WaitingListFilter filter, int first, string? afterKey)
    {
        var start = 0;
        if (afterKey is not null)
        {
            // The first row whose key comes after the cursor (keys are sorted ordinally).
            var (low, high) = (0, sorted.Length);
            while (low < high)
            {
                var middle = (low + high) / 2;
                if (string.CompareOrdinal(sorted[middle].SortKey, afterKey) > 0) high = middle; else low = middle + 1;
            }
            start = low;
        }
        var rows = ImmutableArray.CreateBuilder<SortedEntry>(Math.Max(0, Math.Min(first, sorted.Length)));
        var total = 0;
        for (var i = 0; i < sorted.Length; i++)
        {
            if (!filter.Matches(sorted[i].Entry))
                continue;
            total++;
            if (i >= start && rows.Count < first)
                rows.Add(sorted[i]);
        }
        return new WaitingListShardPage(rows.ToImmutable(), total);
    }

    /// <summary>The search index of the rows (the shard grain keeps one in memory, updated with each row).</summary>
    /// <param name="vocabulary">The words shared by the shards of the silo (<see cref="NameVocabulary"/>), if any.</param>
    public static PersonSearchIndex IndexOf(IEnumerable<WaitingListEntry> entries, NameVocabulary? vocabulary = null)
    {
        var index = new PersonSearchIndex(vocabulary);
        foreach (var e in entries) index.Upsert(e.Searchable);
        return index;
    }

    /// <summary>Merges the shards' pages: the first <paramref name="first"/> rows in key order, and the total.</summary>
    public static WaitingListShardPage Merge(IEnumerable<WaitingListShardPage> pages, int first)
    {
        var all = pages.ToList();
        var rows = all.SelectMany(p => p.Rows).OrderBy(r => r.SortKey, StringComparer.Ordinal).Take(first).ToImmutableArray();
        return new WaitingListShardPage(rows, all.Sum(p => p.TotalCount));
    }
}
