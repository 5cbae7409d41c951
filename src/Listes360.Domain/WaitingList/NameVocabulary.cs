namespace Listes360.Domain.WaitingList;

/// <summary>
/// Every name word that the <see cref="PersonSearchIndex"/>es sharing it have held (a département's list shards in a
/// silo: <see cref="NameVocabularies"/>), for the one costly part of a
/// search: finding the words within a typo or two of a query word. A département's list is split in shards, each with
/// its own index, and the same names recur in every shard: each shard compared the query to its own words of a near
/// length, so a search did that work once per shard. Shared, it is done once per query word and kept; each index then
/// looks the few words found up among its own. The vocabulary only grows (a word removed from an index stays here):
/// a superset of each index's words, which changes nothing to what an index finds, only what it looks up.
/// Thread-safe: the shards of a silo search at the same time.
/// </summary>
public sealed class NameVocabulary
{
    /// <summary>Query words whose matches are kept; past it, the oldest half is forgotten (recomputed if asked again).</summary>
    public const int KeptQueries = 4096;

    /// <summary>A word and its letters as a set of bits (<see cref="PersonSearchIndex.LettersOf"/>).</summary>
    private readonly record struct Word(string Text, ulong Letters);

    /// <summary>The words within typos of one query word, and how far each length's list had been read.</summary>
    private sealed class Matches(int[] readUpTo)
    {
        public int[] ReadUpTo { get; } = readUpTo;
        public List<(string Word, int Typos)> Found { get; } = [];
    }

    private readonly Lock gate = new();
    private readonly HashSet<string> known = new(StringComparer.Ordinal);
    // Append-only by length: what a kept query has read stays read, a new word is compared once to the queries kept.
    private readonly List<List<Word>> byLength = [];
    private readonly Dictionary<string, Matches> kept = new(StringComparer.Ordinal);
    private readonly Queue<string> keptOrder = new();

    public int Count { get { lock (gate) return known.Count; } }

    public void Add(string word)
    {
        lock (gate)
        {
            if (!known.Add(word))
                return;
            while (byLength.Count <= word.Length)
                byLength.Add([]);
            byLength[word.Length].Add(new Word(word, PersonSearchIndex.LettersOf(word)));
        }
    }

    /// <summary>The words of the vocabulary one to <paramref name="allowed"/> typos from <paramref name="query"/> (not itself).</summary>
    public IReadOnlyList<(string Word, int Typos)> WithinTypos(string query, int allowed)
    {
        lock (gate)
        {
            var key = $"{allowed}\u001f{query}";
            if (!kept.TryGetValue(key, out var matches))
            {
                if (kept.Count >= KeptQueries)
                {
                    for (var n = 0; n < KeptQueries / 2; n++)
                        kept.Remove(keptOrder.Dequeue());
                }
                matches = new Matches(new int[2 * allowed + 1]);
                kept[key] = matches;
                keptOrder.Enqueue(key);
            }
            var letters = PersonSearchIndex.LettersOf(query);
            for (var k = 0; k < matches.ReadUpTo.Length; k++)
            {
                var length = query.Length - allowed + k;
                if (length < 1 || length >= byLength.Count)
                    continue;
                var words = byLength[length];
                for (var i = matches.ReadUpTo[k]; i < words.Count; i++)
                {
                    var word = words[i];
                    if (PersonSearchIndex.TyposWithin(query, letters, word.Text, word.Letters, allowed) is var typos and > 0)
                        matches.Found.Add((word.Text, typos));
                }
                matches.ReadUpTo[k] = words.Count;
            }
            // A copy: the kept list grows under the lock when new words arrive.
            return [.. matches.Found];
        }
    }
}

/// <summary>
/// One <see cref="NameVocabulary"/> per département: a silo may host the lists of several, and a département's shards
/// then scan their own département's words, not every name the silo has seen.
/// </summary>
public sealed class NameVocabularies
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, NameVocabulary> byDepartment = new(StringComparer.Ordinal);

    public NameVocabulary Of(string department) => byDepartment.GetOrAdd(department, _ => new NameVocabulary());
}
