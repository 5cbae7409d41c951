using System.Collections.Immutable;
using System.Numerics;
using Listes360.Domain.Identity;
using Listes360.Domain.Persons;

namespace Listes360.Domain.WaitingList;

/// <summary>What a search reads of a person: their names, birth date and MDPH file number.</summary>
public sealed record SearchablePerson(PersonId Id, string BirthName, string? UsageName, ImmutableArray<string> FirstNames, DateOnly BirthDate, string? MdphFileNumber)
{
    public static SearchablePerson Of(PersonId id, PersonIdentity identity) =>
        new(id, identity.BirthName, identity.UsageName, identity.FirstNames, identity.BirthDate, identity.MdphFileNumber);
}

/// <summary>
/// The name words matching one query word, each with its quality (<see cref="PersonSearchIndex.QualityOf"/>): found once
/// for every shard of a list (<see cref="NameVocabulary"/>) or by one index alone. Never changed once made.
/// </summary>
public sealed class QueryWordMatches(IReadOnlyList<(string Word, double Quality)> words, IReadOnlyList<int>? vocabularyIds = null)
{
    public IReadOnlyList<(string Word, double Quality)> Words { get; } = words;

    /// <summary>Found by a vocabulary: each word's number in it (<see cref="NameVocabulary.Add"/>), in the order of <see cref="Words"/>; none otherwise.</summary>
    public IReadOnlyList<int> VocabularyIds { get; } = vocabularyIds ?? [];

    public IReadOnlyDictionary<string, double> ByWord { get; } = words.ToDictionary(w => w.Word, w => w.Quality, StringComparer.Ordinal);
}

/// <summary>A person found, with how well the words matched (1 per word matched exactly; less for a prefix, a sound-alike, a typo).</summary>
public sealed record SearchHit(PersonId Person, int WordsMatched, double Score);

/// <summary>
/// Finds persons by what a conseiller remembers of them: any of their names in any order, case and
/// accents ignored, compound first names as their parts, a prefix (« dup »), the same French sound
/// (<see cref="FrenchPhonetic"/>: « Lefèvre » finds « Lefebvre »), one typo in a word of 4 letters or
/// more, two from 8 (« Dupnot », « Kilian »). Every word must match when some person matches them all;
/// otherwise persons matching all but one come (a wrong first name on the phone), ranked after.
/// </summary>
/// <remarks>
/// Kept in memory beside a projection (rebuilt on activation, updated on each change), never
/// persisted. A search looks each query word up among the distinct name words, not the persons: by exact
/// form, as a prefix, by sound, and among the words of a near length for typos — or, with a <see cref="NameVocabulary"/>
/// shared with the other shards of the list, takes the words the vocabulary found once for all of them; then the
/// postings give the persons. A search of several words reads the persons of its rarest word first.
/// </remarks>
/// <param name="vocabulary">Shared with the other shards of a list: the words matching a query word are then found once among its words, not in each index.</param>
public sealed class PersonSearchIndex(NameVocabulary? vocabulary = null)
{
    private const double Exact = 1.0, Prefix = 0.9, SoundsAlike = 0.85, OneTypo = 0.8, TwoTypos = 0.7;

    /// <summary>Longer than the identity engine's blocking key (4): a search compares whole words, not blocks.</summary>
    private const int PhoneticLength = 8;

    // Each person with their name words (what they were indexed under): a search checks a candidate's words against a
    // query word's matches, and a removal finds its postings without tokenizing the names again.
    private readonly Dictionary<PersonId, (SearchablePerson Person, string[] Words)> persons = [];
    private readonly Dictionary<string, WordEntry> words = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<PersonId>> byMdph = new(StringComparer.Ordinal);

    // Without a vocabulary, the same words three more ways, so that a search looks up what it can instead of comparing
    // every word: in order (the words a query is the prefix of), by sound, and by length (only words within the typos
    // allowed of the query's length can be a typo of it). With one, the vocabulary does that, once for every shard.
    private readonly SortedSet<string> ordered = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<WordEntry>> bySound = new(StringComparer.Ordinal);
    private readonly List<List<WordEntry>> byLength = [];

    // With a vocabulary, this index's words by their number in it: the words a vocabulary finds are looked up here by
    // position, not by hashing each word in each shard.
    private readonly List<WordEntry?> byVocabularyId = [];

    private sealed class WordEntry(string word, string phonetic)
    {
        public string Word { get; } = word;
        /// <summary>Its sound, for <see cref="bySound"/>: empty with a vocabulary, which keeps each word's sound once for every shard.</summary>
        public string Phonetic { get; } = phonetic;
        public ulong Letters { get; } = LettersOf(word);
        public HashSet<PersonId> Persons { get; } = [];
        /// <summary>The word's number in the vocabulary, when there is one (<see cref="byVocabularyId"/>).</summary>
        public int VocabularyId { get; set; } = -1;
        /// <summary>Where the word is in its length's list (<see cref="byLength"/>), so that removing it is one swap.</summary>
        public int Slot { get; set; }
    }

    public int Count => persons.Count;

    public bool Contains(PersonId id) => persons.ContainsKey(id);

    /// <summary>Adds the person, or replaces what was known of them.</summary>
    public void Upsert(SearchablePerson person)
    {
        Remove(person.Id);
        var personWords = WordsOf(person).ToArray();
        persons[person.Id] = (person, personWords);
        foreach (var word in personWords)
        {
            if (!words.TryGetValue(word, out var entry))
                AddWord(entry = new WordEntry(word, vocabulary is null ? SoundOf(word) : ""));
            entry.Persons.Add(person.Id);
        }
        if (MdphKey(person.MdphFileNumber) is { } mdph)
        {
            if (!byMdph.TryGetValue(mdph, out var set))
                byMdph[mdph] = set = [];
            set.Add(person.Id);
        }
    }

    public void Remove(PersonId id)
    {
        if (!persons.Remove(id, out var indexed))
            return;
        var person = indexed.Person;
        foreach (var word in indexed.Words)
        {
            if (words.TryGetValue(word, out var entry) && entry.Persons.Remove(id) && entry.Persons.Count == 0)
                RemoveWord(entry);
        }
        if (MdphKey(person.MdphFileNumber) is { } mdph && byMdph.TryGetValue(mdph, out var set) && set.Remove(id) && set.Count == 0)
            byMdph.Remove(mdph);
    }

    private void AddWord(WordEntry entry)
    {
        words[entry.Word] = entry;
        if (vocabulary is not null)
        {
            entry.VocabularyId = vocabulary.Add(entry.Word);
            while (byVocabularyId.Count <= entry.VocabularyId)
                byVocabularyId.Add(null);
            byVocabularyId[entry.VocabularyId] = entry;
            return;
        }
        ordered.Add(entry.Word);
        if (entry.Phonetic.Length > 0)
        {
            if (!bySound.TryGetValue(entry.Phonetic, out var alike))
                bySound[entry.Phonetic] = alike = [];
            alike.Add(entry);
        }
        while (byLength.Count <= entry.Word.Length)
            byLength.Add([]);
        var sameLength = byLength[entry.Word.Length];
        entry.Slot = sameLength.Count;
        sameLength.Add(entry);
    }

    private void RemoveWord(WordEntry entry)
    {
        words.Remove(entry.Word);
        if (vocabulary is not null)
        {
            byVocabularyId[entry.VocabularyId] = null;
            return;
        }
        ordered.Remove(entry.Word);
        if (entry.Phonetic.Length > 0 && bySound.TryGetValue(entry.Phonetic, out var alike) && alike.Remove(entry) && alike.Count == 0)
            bySound.Remove(entry.Phonetic);
        var sameLength = byLength[entry.Word.Length];
        var last = sameLength[^1];
        sameLength[entry.Slot] = last;
        last.Slot = entry.Slot;
        sameLength.RemoveAt(sameLength.Count - 1);
    }

    /// <summary>The persons found, best first (words matched, then score, then name); <paramref name="among"/> limits them (e.g. to a filter's result).</summary>
    public IReadOnlyList<SearchHit> Search(SearchText text, Func<PersonId, bool>? among = null) =>
        Hits(text, among)
            .OrderByDescending(h => h.WordsMatched)
            .ThenByDescending(h => h.Score)
            .ThenBy(h => persons[h.Person].Person.BirthName, StringComparer.Ordinal)
            .ThenBy(h => h.Person.Value, StringComparer.Ordinal)
            .ToList();

    /// <summary>
    /// The persons <see cref="Search"/> finds, in no order: for a caller that sorts them its own way (a page of the
    /// departmental list sorts by its keys and keeps 20; sorting every hit first was a fifth of a name search).
    /// </summary>
    public IReadOnlyList<SearchHit> Hits(SearchText text, Func<PersonId, bool>? among = null)
    {
        var wordsMatching = text.Words.Select(WordsMatching).ToList();
        if (text.MdphFileNumber is null && wordsMatching.Count > 1 && MatchingEveryWord(text, wordsMatching, among) is { Count: > 0 } everyWord)
            return everyWord;

        IEnumerable<PersonId> candidates;
        if (text.MdphFileNumber is { } mdph)
            candidates = byMdph.TryGetValue(MdphFileNumber.NumberPart(mdph), out var found)
                ? found.Where(id => MdphFileNumber.SameFile(MdphFileNumber.Normalize(persons[id].Person.MdphFileNumber), mdph))
                : [];
        else if (text.Words.IsEmpty)
            candidates = persons.Keys;
        else
            candidates = [];

        var perWord = wordsMatching.Select(PersonsMatching).ToList();
        if (text.MdphFileNumber is null && !text.Words.IsEmpty)
            candidates = perWord.SelectMany(m => m.Keys).Distinct();

        var hits = new List<SearchHit>();
        foreach (var id in candidates)
        {
            var person = persons[id].Person;
            if (text.BirthDate is { } date && person.BirthDate != date) continue;
            if (text.BirthYear is { } year && person.BirthDate.Year != year) continue;
            if (among is not null && !among(id)) continue;
            var matched = 0;
            var score = text.MdphFileNumber is null ? 0.0 : 1.0;
            foreach (var matches in perWord)
            {
                if (matches.TryGetValue(id, out var quality))
                {
                    matched++;
                    score += quality;
                }
            }
            hits.Add(new SearchHit(id, matched, score));
        }
        var required = text.Words.Length;
        if (required > 1 && !hits.Any(h => h.WordsMatched == required))
            required--;
        if (text.MdphFileNumber is not null)
            required = 0;
        return hits.Where(h => h.WordsMatched >= required).ToList();
    }

    /// <summary>
    /// The persons matching every word of a search of several words (no MDPH number), with their date and
    /// <paramref name="among"/>: what <see cref="Hits"/> returns when there is one. Read from the persons of the word
    /// that matches fewest, each checked against the other words through their own name words: a common word
    /// (« epouse », « marie ») no longer makes every person bearing it a candidate to count.
    /// </summary>
    private List<SearchHit> MatchingEveryWord(SearchText text, List<WordsMatched> wordsMatching, Func<PersonId, bool>? among)
    {
        var rarest = wordsMatching.MinBy(m => m.Here.Sum(v => v.Entry.Persons.Count))!;
        var hits = new List<SearchHit>();
        var seen = new HashSet<PersonId>();
        foreach (var (entry, _) in rarest.Here)
        {
            foreach (var id in entry.Persons)
            {
                if (!seen.Add(id))
                    continue;
                var (person, personWords) = persons[id];
                var score = 0.0;
                var everyWord = true;
                foreach (var matching in wordsMatching)
                {
                    if (BestQuality(personWords, matching.All.ByWord) is not { } quality)
                    {
                        everyWord = false;
                        break;
                    }
                    score += quality;
                }
                if (!everyWord) continue;
                if (text.BirthDate is { } date && person.BirthDate != date) continue;
                if (text.BirthYear is { } year && person.BirthDate.Year != year) continue;
                if (among is not null && !among(id)) continue;
                hits.Add(new SearchHit(id, wordsMatching.Count, score));
            }
        }
        return hits;
    }

    /// <summary>The best quality with which one of a person's words matches a query word; none when no word does.</summary>
    private static double? BestQuality(string[] personWords, IReadOnlyDictionary<string, double> matching)
    {
        double? best = null;
        foreach (var word in personWords)
        {
            if (matching.TryGetValue(word, out var quality) && (best is null || quality > best))
                best = quality;
        }
        return best;
    }

    /// <summary>For one query word: each person having a name word that matches it, with the best quality.</summary>
    private static Dictionary<PersonId, double> PersonsMatching(WordsMatched wordsMatching)
    {
        var best = new Dictionary<PersonId, double>();
        foreach (var (entry, quality) in wordsMatching.Here)
            Keep(best, entry, quality);
        return best;
    }

    /// <summary>The words matching a query word: all those found (<see cref="QueryWordMatches"/>), and those of this index with their persons.</summary>
    private sealed record WordsMatched(QueryWordMatches All, List<(WordEntry Entry, double Quality)> Here);

    private WordsMatched WordsMatching(string query)
    {
        if (vocabulary is not null)
        {
            // The vocabulary holds every word of this index (and others'), each with its best rule: those it finds that are not here are skipped.
            var all = vocabulary.Matching(query);
            var here = new List<(WordEntry Entry, double Quality)>();
            for (var i = 0; i < all.VocabularyIds.Count; i++)
            {
                var id = all.VocabularyIds[i];
                if (id < byVocabularyId.Count && byVocabularyId[id] is { } entry)
                    here.Add((entry, all.Words[i].Quality));
            }
            return new WordsMatched(all, here);
        }
        var best = WordsMatchingHere(query);
        return new WordsMatched(new QueryWordMatches([.. best.Values.Select(v => (v.Entry.Word, v.Quality))]), [.. best.Values]);
    }

    /// <summary>Without a vocabulary: the index's own words matching a query word, by its lookups, each with the best quality.</summary>
    /// <remarks>
    /// A word may qualify several ways (« dupont » is itself and a prefix of « dupontel »): each way is looked up on its
    /// own and the best quality kept, which is what taking the first rule that holds, from the best, gave.
    /// </remarks>
    private Dictionary<string, (WordEntry Entry, double Quality)> WordsMatchingHere(string query)
    {
        var best = new Dictionary<string, (WordEntry Entry, double Quality)>(StringComparer.Ordinal);
        if (words.TryGetValue(query, out var exact))
            Keep(best, exact, Exact);
        if (query.Length >= 2)
        {
            // The ordinal order puts every word starting with the query right after it, before « query » + the last character.
            foreach (var word in ordered.GetViewBetween(query, query + char.MaxValue))
                if (word.StartsWith(query, StringComparison.Ordinal))
                    Keep(best, words[word], Prefix);
        }
        if (SoundOf(query) is { Length: > 0 } sound && bySound.TryGetValue(sound, out var alike))
            foreach (var entry in alike)
                Keep(best, entry, SoundsAlike);
        var allowed = TyposAllowed(query);
        if (allowed == 0)
            return best;
        var letters = LettersOf(query);
        for (var length = Math.Max(1, query.Length - allowed); length <= query.Length + allowed && length < byLength.Count; length++)
        {
            foreach (var entry in byLength[length])
            {
                if (TyposWithin(query, letters, entry.Word, entry.Letters, allowed) is var typos and > 0)
                    Keep(best, entry, typos == 1 ? OneTypo : TwoTypos);
            }
        }
        return best;
    }

    /// <summary>
    /// How well a name word matches a query word, by the best rule that holds: the same word (1), a word the query is
    /// the prefix of (from 2 letters), the same French sound (from 4 letters: <see cref="SoundOf"/>), one or two typos
    /// (<see cref="TyposAllowed"/>); 0 when none does. The rules the index's lookups apply, word by word (what a
    /// <see cref="NameVocabulary"/> applies to its words).
    /// </summary>
    internal static double QualityOf(string query, ulong queryLetters, string querySound, string word, ulong wordLetters, string wordSound)
    {
        if (string.Equals(word, query, StringComparison.Ordinal)) return Exact;
        if (query.Length >= 2 && word.StartsWith(query, StringComparison.Ordinal)) return Prefix;
        if (querySound.Length > 0 && string.Equals(querySound, wordSound, StringComparison.Ordinal)) return SoundsAlike;
        var allowed = TyposAllowed(query);
        if (allowed > 0 && TyposWithin(query, queryLetters, word, wordLetters, allowed) is var typos and > 0)
            return typos == 1 ? OneTypo : TwoTypos;
        return 0;
    }

    /// <summary>A word's French sound as the index compares it (none under 4 letters).</summary>
    internal static string SoundOf(string word) => word.Length >= 4 ? FrenchPhonetic.Key(word, PhoneticLength) : "";

    /// <summary>
    /// The typos between a query word and a word (their letters as <see cref="LettersOf"/> gives them) when there are 1 to
    /// <paramref name="allowed"/>; 0 otherwise (the same word, or too far).
    /// </summary>
    internal static int TyposWithin(string query, ulong queryLetters, string word, ulong wordLetters, int allowed)
    {
        // A typo brings in at most one letter the other word lacks (an insertion or a substitution; a deletion or a
        // swap none): more missing letters, either way, than typos allowed rule the word out before the alignment.
        // Almost every word of the length stops here, which is what makes a search cheap.
        if (BitOperations.PopCount(queryLetters & ~wordLetters) > allowed || BitOperations.PopCount(wordLetters & ~queryLetters) > allowed)
            return 0;
        var typos = EditDistance.AtMost(query, word, allowed);
        return typos <= allowed ? typos : 0;
    }

    /// <summary>One typo in a word of 4 letters or more, two from 8.</summary>
    private static int TyposAllowed(string query) => query.Length >= 8 ? 2 : query.Length >= 4 ? 1 : 0;

    private static void Keep(Dictionary<string, (WordEntry Entry, double Quality)> best, WordEntry entry, double quality)
    {
        if (!best.TryGetValue(entry.Word, out var known) || known.Quality < quality)
            best[entry.Word] = (entry, quality);
    }

    private static void Keep(Dictionary<PersonId, double> best, WordEntry entry, double quality)
    {
        foreach (var id in entry.Persons)
        {
            if (!best.TryGetValue(id, out var known) || known < quality)
                best[id] = quality;
        }
    }

    /// <summary>
    /// The letters of a word as a set of bits (a letter's code modulo 64): two letters sharing a bit only make the
    /// filter of <see cref="WordsMatching"/> let more words through to the alignment, never fewer.
    /// </summary>
    internal static ulong LettersOf(string word)
    {
        var letters = 0UL;
        foreach (var c in word)
            letters |= 1UL << (c & 63);
        return letters;
    }

    /// <summary>Every word of every name, and last names glued as written without spaces (« de La Fontaine »: « lafontaine », « delafontaine »).</summary>
    private static IEnumerable<string> WordsOf(SearchablePerson person) =>
        FrenchNames.Tokens(person.BirthName)
            .Concat(FrenchNames.Tokens(person.UsageName))
            .Concat(Glued(person.BirthName))
            .Concat(Glued(person.UsageName))
            .Concat(person.FirstNames.IsDefault ? [] : person.FirstNames.SelectMany(FrenchNames.Tokens))
            .Distinct(StringComparer.Ordinal);

    private static IEnumerable<string> Glued(string? lastName)
    {
        var tokens = FrenchNames.Tokens(lastName);
        for (var start = 0; start < tokens.Length - 1; start++)
            yield return string.Concat(tokens[start..]);
    }

    /// <summary>The MDPH file number's key in the index: its number without département, by the one rule (<see cref="MdphFileNumber"/>).</summary>
    private static string? MdphKey(string? mdph) =>
        MdphFileNumber.Normalize(mdph) is { } canonical ? MdphFileNumber.NumberPart(canonical) : null;
}

/// <summary>Typos between two words: insertions, deletions, substitutions and swaps of two neighbours (optimal string alignment).</summary>
public static class EditDistance
{
    /// <summary>The distance when it is at most <paramref name="max"/>; <c>max + 1</c> otherwise (stops early).</summary>
    public static int AtMost(string a, string b, int max)
    {
        if (Math.Abs(a.Length - b.Length) > max) return max + 1;
        // Three rows of the alignment, on the stack for a name's length: a search aligns thousands of words.
        var width = b.Length + 1;
        Span<int> rows = width <= 64 ? stackalloc int[3 * width] : new int[3 * width];
        int previous2 = 0, previous = width, current = 2 * width;
        for (var j = 0; j <= b.Length; j++) rows[previous + j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            rows[current] = i;
            var rowMin = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                var value = Math.Min(Math.Min(rows[previous + j] + 1, rows[current + j - 1] + 1), rows[previous + j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    value = Math.Min(value, rows[previous2 + j - 2] + 1);
                rows[current + j] = value;
                rowMin = Math.Min(rowMin, value);
            }
            if (rowMin > max) return max + 1;
            (previous2, previous, current) = (previous, current, previous2);
        }
        return Math.Min(rows[previous + b.Length], max + 1);
    }
}
