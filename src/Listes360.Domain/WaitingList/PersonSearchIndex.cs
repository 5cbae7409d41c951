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
/// persisted. A search scans the distinct name words (a few thousand in a département), not the
/// persons: each query word is compared once to each distinct word, then the postings give the persons.
/// </remarks>
public sealed class PersonSearchIndex
{
    private const double Exact = 1.0, Prefix = 0.9, SoundsAlike = 0.85, OneTypo = 0.8, TwoTypos = 0.7;

    /// <summary>Longer than the identity engine's blocking key (4): a search compares whole words, not blocks.</summary>
    private const int PhoneticLength = 8;

    private readonly Dictionary<PersonId, SearchablePerson> persons = [];
    private readonly Dictionary<string, WordEntry> words = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<PersonId>> byMdph = new(StringComparer.Ordinal);

    private sealed class WordEntry(string word, string phonetic)
    {
        public string Phonetic { get; } = phonetic;
        public ulong Letters { get; } = LettersOf(word);
        public HashSet<PersonId> Persons { get; } = [];
    }

    public int Count => persons.Count;

    public bool Contains(PersonId id) => persons.ContainsKey(id);

    /// <summary>Adds the person, or replaces what was known of them.</summary>
    public void Upsert(SearchablePerson person)
    {
        Remove(person.Id);
        persons[person.Id] = person;
        foreach (var word in WordsOf(person))
        {
            if (!words.TryGetValue(word, out var entry))
                words[word] = entry = new WordEntry(word, word.Length >= 4 ? FrenchPhonetic.Key(word, PhoneticLength) : "");
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
        if (!persons.Remove(id, out var person))
            return;
        foreach (var word in WordsOf(person))
        {
            if (words.TryGetValue(word, out var entry) && entry.Persons.Remove(id) && entry.Persons.Count == 0)
                words.Remove(word);
        }
        if (MdphKey(person.MdphFileNumber) is { } mdph && byMdph.TryGetValue(mdph, out var set) && set.Remove(id) && set.Count == 0)
            byMdph.Remove(mdph);
    }

    /// <summary>The persons found, best first (words matched, then score, then name); <paramref name="among"/> limits them (e.g. to a filter's result).</summary>
    public IReadOnlyList<SearchHit> Search(SearchText text, Func<PersonId, bool>? among = null)
    {
        IEnumerable<PersonId> candidates;
        if (text.MdphFileNumber is { } mdph)
            candidates = byMdph.TryGetValue(MdphFileNumber.NumberPart(mdph), out var found)
                ? found.Where(id => MdphFileNumber.SameFile(MdphFileNumber.Normalize(persons[id].MdphFileNumber), mdph))
                : [];
        else if (text.Words.IsEmpty)
            candidates = persons.Keys;
        else
            candidates = [];

        var perWord = text.Words.Select(MatchesOf).ToList();
        if (text.MdphFileNumber is null && !text.Words.IsEmpty)
            candidates = perWord.SelectMany(m => m.Keys).Distinct();

        var hits = new List<SearchHit>();
        foreach (var id in candidates)
        {
            var person = persons[id];
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
        return hits.Where(h => h.WordsMatched >= required)
            .OrderByDescending(h => h.WordsMatched)
            .ThenByDescending(h => h.Score)
            .ThenBy(h => persons[h.Person].BirthName, StringComparer.Ordinal)
            .ThenBy(h => h.Person.Value, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>For one query word: each person having a name word that matches it, with the best quality.</summary>
    private Dictionary<PersonId, double> MatchesOf(string query)
    {
        var phonetic = query.Length >= 4 ? FrenchPhonetic.Key(query, PhoneticLength) : "";
        var letters = LettersOf(query);
        var best = new Dictionary<PersonId, double>();
        foreach (var (word, entry) in words)
        {
            var quality = Quality(query, phonetic, letters, word, entry.Phonetic, entry.Letters);
            if (quality == 0) continue;
            foreach (var id in entry.Persons)
            {
                if (!best.TryGetValue(id, out var known) || known < quality)
                    best[id] = quality;
            }
        }
        return best;
    }

    private static double Quality(string query, string queryPhonetic, ulong queryLetters, string word, string wordPhonetic, ulong wordLetters)
    {
        if (word == query) return Exact;
        if (query.Length >= 2 && word.StartsWith(query, StringComparison.Ordinal)) return Prefix;
        if (queryPhonetic.Length > 0 && queryPhonetic == wordPhonetic) return SoundsAlike;
        var allowed = query.Length >= 8 ? 2 : query.Length >= 4 ? 1 : 0;
        if (allowed == 0 || Math.Abs(word.Length - query.Length) > allowed) return 0;
        // A typo brings in at most one letter the other word lacks (an insertion or a substitution; a deletion or a
        // swap none): more missing letters, either way, than typos allowed rule the word out before the alignment.
        // Almost every word of a shard stops here, which is what makes a search scan cheap.
        if (BitOperations.PopCount(queryLetters & ~wordLetters) > allowed || BitOperations.PopCount(wordLetters & ~queryLetters) > allowed)
            return 0;
        var typos = EditDistance.AtMost(query, word, allowed);
        return typos > allowed ? 0 : typos == 1 ? OneTypo : TwoTypos;
    }

    /// <summary>
    /// The letters of a word as a set of bits (a letter's code modulo 64): two letters sharing a bit only make the
    /// filter of <see cref="Quality"/> let more words through to the alignment, never fewer.
    /// </summary>
    private static ulong LettersOf(string word)
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
