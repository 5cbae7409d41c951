namespace Listes360.Domain.WaitingList;

/// <summary>
/// Every name word that the <see cref="PersonSearchIndex"/>es sharing it have held (a département's list shards in a
/// silo: <see cref="NameVocabularies"/>), for the part of a search that does not depend on the persons: which words
/// match a query word, and how well (the same word, a prefix, the same sound, one or two typos:
/// <see cref="PersonSearchIndex.QualityOf"/>). A département's list is split in shards, each with its own index, and the
/// same names recur in every shard: each shard looked the query word up among its own words (its typos, then its
/// prefixes and sounds too), so a search did that work once per shard — 64 times at the Nord's scale. Shared, it is
/// done once per query word and kept; each index then looks the words found up among its own. The vocabulary only grows
/// (a word removed from an index stays here): a superset of each index's words, which changes nothing to what an index
/// finds, only what it looks up. Thread-safe: the shards of a silo search at the same time.
/// </summary>
public sealed class NameVocabulary
{
    /// <summary>Query words whose matches are kept; past it, the oldest half is forgotten (recomputed if asked again).</summary>
    public const int KeptQueries = 4096;

    /// <summary>A word, its letters as a set of bits (<see cref="PersonSearchIndex.LettersOf"/>) and its sound (<see cref="PersonSearchIndex.SoundOf"/>).</summary>
    private sealed record Word(string Text, ulong Letters, string Sound);

    /// <summary>The words matching one query word, and how far the vocabulary had been read for it.</summary>
    private sealed class Matches
    {
        public int ReadUpTo { get; set; }
        public List<(string Word, double Quality)> Found { get; } = [];
        public List<int> FoundIds { get; } = [];
        /// <summary>What callers get: replaced, never changed, when words are found after it.</summary>
        public QueryWordMatches Snapshot { get; set; } = new([]);
    }

    private readonly Lock gate = new();
    private readonly Dictionary<string, int> known = new(StringComparer.Ordinal);
    // Append-only: what a kept query has read stays read, a new word is compared once to each query kept.
    private readonly List<Word> words = [];
    private readonly Dictionary<string, Matches> kept = new(StringComparer.Ordinal);
    private readonly Queue<string> keptOrder = new();

    public int Count { get { lock (gate) return known.Count; } }

    /// <summary>Adds the word if new; returns its number in the vocabulary (what <see cref="QueryWordMatches.VocabularyIds"/> gives).</summary>
    public int Add(string word)
    {
        lock (gate)
        {
            if (known.TryGetValue(word, out var id))
                return id;
            id = words.Count;
            known[word] = id;
            words.Add(new Word(word, PersonSearchIndex.LettersOf(word), PersonSearchIndex.SoundOf(word)));
            return id;
        }
    }

    /// <summary>The words of the vocabulary matching <paramref name="query"/> (itself included), each with its quality.</summary>
    public QueryWordMatches Matching(string query)
    {
        lock (gate)
        {
            if (!kept.TryGetValue(query, out var matches))
            {
                if (kept.Count >= KeptQueries)
                {
                    for (var n = 0; n < KeptQueries / 2; n++)
                        kept.Remove(keptOrder.Dequeue());
                }
                kept[query] = matches = new Matches();
                keptOrder.Enqueue(query);
            }
            if (matches.ReadUpTo < words.Count)
            {
                var letters = PersonSearchIndex.LettersOf(query);
                var sound = PersonSearchIndex.SoundOf(query);
                var found = matches.Found.Count;
                for (var i = matches.ReadUpTo; i < words.Count; i++)
                {
                    var word = words[i];
                    if (PersonSearchIndex.QualityOf(query, letters, sound, word.Text, word.Letters, word.Sound) is var quality and > 0)
                    {
                        matches.Found.Add((word.Text, quality));
                        matches.FoundIds.Add(i);
                    }
                }
                matches.ReadUpTo = words.Count;
                if (matches.Found.Count > found)
                    matches.Snapshot = new QueryWordMatches([.. matches.Found], [.. matches.FoundIds]);
            }
            return matches.Snapshot;
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
