using System.Collections.Immutable;
using Listes360.Domain;
using Listes360.Domain.Persons;
using Listes360.Domain.WaitingList;

namespace Listes360.Domain.Tests.WaitingList;

public class PersonSearchTests
{
    private static readonly SearchablePerson Kylian = Person("61-kylian", "DUPONT", null, ["Kylian", "Marc"], new(2010, 3, 12), "61201900123");
    private static readonly SearchablePerson Marie = Person("61-marie", "Dupont", "Martin", ["Marie-Hélène"], new(1975, 6, 1), null);
    private static readonly SearchablePerson Leo = Person("61-leo", "Lefebvre", null, ["Léo"], new(2008, 1, 20), "61-2015-00456");
    private static readonly SearchablePerson Ines = Person("61-ines", "de La Fontaine", null, ["Inès"], new(2010, 3, 12), null);
    private static readonly SearchablePerson Jean = Person("61-jean", "Durand", null, ["Jean-Pierre"], new(1999, 9, 9), null);

    private static SearchablePerson Person(string id, string birth, string? usage, string[] first, DateOnly born, string? mdph) =>
        new(PersonId.Parse(id), birth, usage, [.. first], born, mdph);

    private static PersonSearchIndex Index(params SearchablePerson[] persons)
    {
        var index = new PersonSearchIndex();
        foreach (var p in persons) index.Upsert(p);
        return index;
    }

    private static readonly PersonSearchIndex All = Index(Kylian, Marie, Leo, Ines, Jean);

    private static string[] Find(string text, PersonSearchIndex? index = null) =>
        (index ?? All).Search(SearchText.Parse(text)).Select(h => h.Person.Value).ToArray();

    [Theory]
    [InlineData("dupont kylian")]
    [InlineData("KYLIAN Dupont")]
    [InlineData("dupont   kylian  ")]
    [InlineData("kylian")]
    [InlineData("marc dupont")]
    [InlineData("dupnot kylian")]      // two letters swapped
    [InlineData("dupont kilian")]      // same sound
    [InlineData("dupond kyliann")]     // same sound, one letter more
    [InlineData("dup kyl")]            // prefixes
    [InlineData("Mme Dupont, pour son fils Kylian")] // civilities and filler words: Dupont Kylian first
    public void Finds_a_person_by_names_in_any_order_case_accents_typos_and_prefixes(string text) =>
        Assert.Equal("61-kylian", Find(text)[0]);

    [Fact]
    public void Both_duponts_come_for_the_family_name_and_the_first_name_decides_the_order()
    {
        Assert.Equal(["61-kylian", "61-marie"], Find("dupont").Order().ToArray());
        Assert.Equal("61-marie", Find("dupont marie")[0]);
    }

    [Fact]
    public void Usage_name_birth_name_and_parts_of_a_compound_first_name_each_find_the_person()
    {
        Assert.Equal(["61-marie"], Find("martin"));
        Assert.Equal(["61-marie"], Find("helene martin"));
        Assert.Equal(["61-jean"], Find("jean-pierre durand"));
        Assert.Equal(["61-jean"], Find("pierre durand"));
    }

    [Fact]
    public void A_sound_alike_spelling_finds_the_name()
    {
        Assert.Equal(["61-leo"], Find("lefèvre"));
        Assert.Equal(["61-ines"], Find("lafontaine ines"));
    }

    [Fact]
    public void A_birth_date_or_year_narrows_the_names()
    {
        Assert.Equal(["61-kylian"], Find("dupont 12/03/2010"));
        Assert.Equal(["61-kylian"], Find("dupont 2010-03-12"));
        Assert.Equal(["61-marie"], Find("dupont 1975"));
        Assert.Empty(Find("dupont 1990"));
        Assert.Equal(["61-ines", "61-kylian"], Find("12/03/2010").Order().ToArray());
    }

    [Fact]
    public void An_mdph_file_number_finds_the_person_however_it_is_written()
    {
        Assert.Equal(["61-kylian"], Find("61201900123"));
        Assert.Equal(["61-kylian"], Find("61-2019-00123"));
        Assert.Equal(["61-leo"], Find("61201500456"));
        Assert.Empty(Find("61201999999"));
    }

    [Fact]
    public void A_wrong_first_name_still_brings_the_family_after_full_matches()
    {
        // « Dupont Kevin »: nobody matches both words, so every Dupont comes.
        Assert.Equal(["61-kylian", "61-marie"], Find("dupont kevin").Order().ToArray());
        // « Dupont Marie »: one person matches both, so only she comes.
        Assert.Equal(["61-marie"], Find("dupont marie"));
    }

    [Fact]
    public void Short_words_need_to_be_exact_or_a_prefix_and_unrelated_names_find_nobody()
    {
        Assert.Empty(Find("dx"));
        Assert.Empty(Find("bernard"));
        Assert.Empty(Find("dpuotn")); // two typos in a word of 6 letters: one only is allowed…
        Assert.Equal(["61-kylian", "61-marie"], Find("duppontt").Order().ToArray()); // …two from 8 letters
    }

    [Fact]
    public void Among_limits_the_search_to_a_filtered_set()
    {
        var hits = All.Search(SearchText.Parse("dupont"), among: id => id.Value == "61-marie");
        Assert.Equal(["61-marie"], hits.Select(h => h.Person.Value));
    }

    [Fact]
    public void Upsert_replaces_what_was_known_and_remove_forgets_the_person()
    {
        var index = Index(Kylian, Marie);
        index.Upsert(Kylian with { BirthName = "Bernard", MdphFileNumber = "61202000001" });
        Assert.Equal(["61-marie"], Find("dupont", index));
        Assert.Equal(["61-kylian"], Find("bernard", index));
        Assert.Empty(Find("61201900123", index));
        index.Remove(Kylian.Id);
        Assert.Empty(Find("bernard", index));
        Assert.Equal(1, index.Count);
        index.Remove(Kylian.Id); // twice: nothing to do
        Assert.Equal(1, index.Count);
    }

    [Theory]
    [InlineData("", "vide")]
    [InlineData("   ", "vide")]
    [InlineData("mme", "")] // a civility alone is kept as a word rather than refused
    [InlineData("31/02/2010", "n'est pas une date de naissance valide")]
    [InlineData("a b c e f g h i j", "9 mots")]
    public void A_bad_search_is_refused_in_french_on_the_search_field(string text, string expected)
    {
        if (expected.Length == 0)
        {
            Assert.Equal(["mme"], SearchText.Parse(text).Words.ToArray());
            return;
        }
        var error = Assert.Throws<DomainException>(() => SearchText.Parse(text));
        Assert.Equal("INVALID_SEARCH", error.Code);
        Assert.Equal("search", error.Field);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void A_search_longer_than_the_limit_or_with_control_characters_is_refused()
    {
        Assert.Contains("201 caractères", Assert.Throws<DomainException>(() => SearchText.Parse(new string('a', 201))).Message);
        Assert.Contains("interdit", Assert.Throws<DomainException>(() => SearchText.Parse("dupont\u202Ekylian")).Message);
    }

    /// <summary>
    /// The search rules out most words by their letters before aligning them (a typo brings at most one letter the
    /// other word lacks): that shortcut must never lose a word the alignment accepts. Random words and random typos
    /// (insertions, deletions, substitutions, swaps, with letters often absent from the word), 3,000 of them.
    /// </summary>
    [Fact]
    public void A_word_within_the_typos_allowed_is_found_whatever_letters_the_typos_bring_in_or_take_out()
    {
        var random = new Random(2026);
        const string alphabet = "abcdefghijklmnopqrstuvwxyz";
        var checkedWithTypos = 0;
        for (var n = 0; n < 3000; n++)
        {
            var word = new string([.. Enumerable.Range(0, random.Next(4, 13)).Select(_ => alphabet[random.Next(alphabet.Length)])]);
            var typed = new List<char>(word);
            for (var typo = random.Next(1, 3); typo > 0; typo--)
            {
                var at = random.Next(typed.Count);
                switch (random.Next(4))
                {
                    case 0: typed.Insert(at, alphabet[random.Next(alphabet.Length)]); break;
                    case 1: if (typed.Count > 1) typed.RemoveAt(at); break;
                    case 2: typed[at] = alphabet[random.Next(alphabet.Length)]; break;
                    default: if (at + 1 < typed.Count) (typed[at], typed[at + 1]) = (typed[at + 1], typed[at]); break;
                }
            }
            var query = new string([.. typed]);
            var allowed = query.Length >= 8 ? 2 : query.Length >= 4 ? 1 : 0;
            if (allowed == 0 || EditDistance.AtMost(query, word, allowed) > allowed)
                continue;
            checkedWithTypos++;
            var found = Find(query, Index(Person("61-w", word, null, ["Zzyzx"], new(2000, 1, 1), null)));
            Assert.True(found.SequenceEqual(["61-w"]), $"« {query} » ne trouve pas « {word} » ({EditDistance.AtMost(query, word, allowed)} faute(s), {allowed} permise(s)).");
        }
        Assert.True(checkedWithTypos > 1000, $"{checkedWithTypos} mots seulement à une ou deux fautes permises : le test n'éprouve pas le filtre.");
    }

    /// <summary>
    /// The index looks words up by exact form, prefix, sound and length instead of comparing every word: it must find
    /// exactly what comparing every word of every person gives (each word's best rule: exact, prefix, same sound, one or
    /// two typos), after any sequence of additions, replacements and removals. Names are built from a few syllables so
    /// that prefixes, namesakes, sound-alikes and near-misses abound. With a <see cref="NameVocabulary"/> shared with
    /// another index (the other shards of a list), which therefore holds words this index never had or no longer has,
    /// and whose kept typo matches must take in the words added after them.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Lookups_find_what_comparing_every_word_finds_after_any_additions_replacements_and_removals(bool sharedVocabulary)
    {
        var random = new Random(59);
        string[] syllables = ["ma", "mar", "tin", "du", "pont", "pond", "le", "fe", "bvre", "vre", "ka", "ki", "lian", "jean", "ro", "bert", "no", "el"];
        string Name(int parts) => string.Concat(Enumerable.Range(0, parts).Select(_ => syllables[random.Next(syllables.Length)]));
        string Typo(string word)
        {
            var chars = word.ToList();
            var at = random.Next(chars.Count);
            switch (random.Next(3))
            {
                case 0: chars.Insert(at, "aeiklmnrt"[random.Next(9)]); break;
                case 1: if (chars.Count > 1) chars.RemoveAt(at); break;
                default: chars[at] = "aeiklmnrt"[random.Next(9)]; break;
            }
            return new string([.. chars]);
        }
        var vocabulary = sharedVocabulary ? new NameVocabulary() : null;
        var index = new PersonSearchIndex(vocabulary);
        var otherShard = new PersonSearchIndex(vocabulary);
        var live = new Dictionary<PersonId, SearchablePerson>();
        var queries = 0;
        for (var step = 1; step <= 600; step++)
        {
            if (sharedVocabulary && random.Next(3) == 0)
                otherShard.Upsert(new SearchablePerson(PersonId.Parse($"61-o{random.Next(80)}"), Typo(Name(2)), null, [Name(1)], new(2001, 1, 1), null));
            var id = PersonId.Parse($"61-p{random.Next(80)}");
            if (random.Next(5) == 0)
            {
                index.Remove(id);
                live.Remove(id);
            }
            else
            {
                var person = new SearchablePerson(id, Name(random.Next(1, 4)), random.Next(4) == 0 ? Name(2) : null,
                    [.. Enumerable.Range(0, random.Next(1, 3)).Select(_ => Name(random.Next(1, 3)))], new(2000, 1, 1), null);
                index.Upsert(person);
                live[id] = person;
            }
            if (step % 20 != 0 || live.Count == 0)
                continue;
            for (var q = 0; q < 15; q++)
            {
                var someone = live.Values.ElementAt(random.Next(live.Count));
                var words = random.Next(3) switch
                {
                    0 => [someone.BirthName],
                    1 => new[] { someone.FirstNames[0], Typo(someone.BirthName) },
                    _ => [Name(random.Next(1, 3)), Typo(Name(2))],
                };
                var text = SearchText.Parse(string.Join(' ', words));
                var expected = Reference(text, live.Values);
                var found = index.Search(text);
                Assert.True(expected.SequenceEqual(found),
                    $"« {string.Join(' ', text.Words)} » : attendu [{string.Join(", ", expected)}], trouvé [{string.Join(", ", found)}]");
                queries++;
            }
        }
        Assert.True(queries > 400, $"{queries} recherches seulement.");
    }

    [Fact]
    public void A_departments_shards_share_one_vocabulary_and_another_departments_words_are_not_in_it()
    {
        var vocabularies = new NameVocabularies();
        var orne = new PersonSearchIndex(vocabularies.Of("61"));
        var nord = new PersonSearchIndex(vocabularies.Of("59"));
        orne.Upsert(new SearchablePerson(PersonId.Parse("61-a"), "Dupont", null, ["Kylian"], new(2005, 1, 1), null));
        nord.Upsert(new SearchablePerson(PersonId.Parse("59-a"), "Dupond", null, ["Léa"], new(2006, 1, 1), null));

        Assert.Same(vocabularies.Of("61"), vocabularies.Of("61"));
        Assert.Equal(2, vocabularies.Of("61").Count);
        Assert.Equal([("dupont", 0.9)], vocabularies.Of("61").Matching("dupon").Words);
        Assert.Equal([("dupond", 0.9)], vocabularies.Of("59").Matching("dupon").Words);
    }

    /// <summary>The search as first written: every query word compared to every word of every person (words only: no MDPH number, no date).</summary>
    private static List<SearchHit> Reference(SearchText text, IEnumerable<SearchablePerson> persons)
    {
        static IEnumerable<string> Glued(string? name)
        {
            var tokens = Listes360.Domain.Identity.FrenchNames.Tokens(name);
            for (var start = 0; start < tokens.Length - 1; start++)
                yield return string.Concat(tokens[start..]);
        }
        static double Quality(string query, string word)
        {
            if (word == query) return 1.0;
            if (query.Length >= 2 && word.StartsWith(query, StringComparison.Ordinal)) return 0.9;
            var sound = query.Length >= 4 ? Listes360.Domain.Identity.FrenchPhonetic.Key(query, 8) : "";
            if (sound.Length > 0 && word.Length >= 4 && sound == Listes360.Domain.Identity.FrenchPhonetic.Key(word, 8)) return 0.85;
            var allowed = query.Length >= 8 ? 2 : query.Length >= 4 ? 1 : 0;
            var typos = EditDistance.AtMost(query, word, allowed);
            return allowed == 0 || typos > allowed ? 0 : typos == 1 ? 0.8 : 0.7;
        }
        var hits = new List<SearchHit>();
        var byId = persons.ToDictionary(p => p.Id);
        foreach (var person in byId.Values)
        {
            var names = Listes360.Domain.Identity.FrenchNames.Tokens(person.BirthName)
                .Concat(Listes360.Domain.Identity.FrenchNames.Tokens(person.UsageName))
                .Concat(Glued(person.BirthName)).Concat(Glued(person.UsageName))
                .Concat(person.FirstNames.SelectMany(Listes360.Domain.Identity.FrenchNames.Tokens)).Distinct().ToList();
            var qualities = text.Words.Select(w => names.Select(n => Quality(w, n)).DefaultIfEmpty(0).Max()).ToList();
            if (qualities.Any(q => q > 0))
                hits.Add(new SearchHit(person.Id, qualities.Count(q => q > 0), qualities.Sum()));
        }
        var required = text.Words.Length;
        if (required > 1 && !hits.Any(h => h.WordsMatched == required))
            required--;
        return [.. hits.Where(h => h.WordsMatched >= required).OrderByDescending(h => h.WordsMatched).ThenByDescending(h => h.Score)
            .ThenBy(h => byId[h.Person].BirthName, StringComparer.Ordinal).ThenBy(h => h.Person.Value, StringComparer.Ordinal)];
    }

    [Theory]
    [InlineData("dupont", "dupont", 0)]
    [InlineData("dupont", "dupnot", 1)]
    [InlineData("dupont", "dupon", 1)]
    [InlineData("dupont", "duponte", 1)]
    [InlineData("dupont", "dapont", 1)]
    [InlineData("dupont", "dpuotn", 2)]
    [InlineData("dupont", "martin", 3)]
    public void Edit_distance_counts_insertions_deletions_substitutions_and_swaps_up_to_a_bound(string a, string b, int expected) =>
        Assert.Equal(expected, EditDistance.AtMost(a, b, 2));
    [Theory]
    [InlineData("dupont")]
    [InlineData("dup kyl")]
    [InlineData("dupnot kylian")]
    [InlineData("12/03/2010")]
    [InlineData("lafontaine")]
    public void Hits_are_the_persons_search_finds_with_the_same_scores_in_no_given_order(string text)
    {
        var search = All.Search(SearchText.Parse(text));
        var hits = All.Hits(SearchText.Parse(text));
        Assert.NotEmpty(search);
        Assert.Equal(search.OrderBy(h => h.Person.Value, StringComparer.Ordinal), hits.OrderBy(h => h.Person.Value, StringComparer.Ordinal));
    }
}

public class PersonSearchAtScaleTests
{
    private static readonly string[] LastNames =
    [
        "Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois", "Moreau", "Laurent",
        "Simon", "Michel", "Lefebvre", "Leroy", "Roux", "David", "Bertrand", "Morel", "Fournier", "Girard",
        "Bonnet", "Dupont", "Lambert", "Fontaine", "Rousseau", "Vincent", "Muller", "Lefèvre", "Faure", "André",
        "Mercier", "Blanc", "Guérin", "Boyer", "Garnier", "Chevalier", "François", "Legrand", "Gauthier", "Garcia",
        "Perrin", "Robin", "Clément", "Morin", "Nicolas", "Henry", "Roussel", "Mathieu", "Gautier", "Masson",
        "Le Goff", "Marchand", "Duval", "Denis", "Dumont", "Marie", "Lemaire", "Noël", "Meyer", "Dufour",
    ];

    private static readonly string[] FirstNames =
    [
        "Kylian", "Léa", "Lucas", "Emma", "Hugo", "Chloé", "Louis", "Manon", "Nathan", "Inès", "Jules", "Camille",
        "Gabriel", "Sarah", "Arthur", "Jade", "Raphaël", "Louise", "Adam", "Lina", "Noah", "Zoé", "Ethan", "Alice",
        "Théo", "Mathis", "Clara", "Enzo", "Anaïs", "Maël", "Jean-Pierre", "Marie-Hélène", "Anne-Sophie", "Paul", "Yanis", "Lou",
    ];

    /// <summary>
    /// 5,000 persons drawn from common French names (so, many namesakes), 200 searched as a conseiller
    /// would type them after a phone call: last name with one typo, the first name, sometimes the
    /// birth year. The issue's target on the seeded Orne is 195 of 200 in the first 5 rows; namesakes
    /// here are far denser than in a real département, so the same bar is a strict one.
    /// </summary>
    [Fact]
    public void A_misspelled_name_finds_the_person_in_the_first_five_rows_for_at_least_195_of_200()
    {
        var random = new Random(61);
        var index = new PersonSearchIndex();
        var persons = new List<SearchablePerson>();
        for (var i = 0; i < 5000; i++)
        {
            var person = new SearchablePerson(PersonId.Parse($"61-p{i}"), LastNames[random.Next(LastNames.Length)], null,
                [FirstNames[random.Next(FirstNames.Length)]], new DateOnly(1950, 1, 1).AddDays(random.Next(70 * 365)), null);
            persons.Add(person);
            index.Upsert(person);
        }
        var found = 0;
        for (var i = 0; i < 200; i++)
        {
            var person = persons[random.Next(persons.Count)];
            var text = $"{Misspell(person.BirthName, random)} {person.FirstNames[0]}" + (i % 2 == 0 ? $" {person.BirthDate.Year}" : $" {person.BirthDate:dd/MM/yyyy}");
            var hits = index.Search(SearchText.Parse(text));
            if (hits.Take(5).Any(h => h.Person == person.Id)) found++;
        }
        Assert.True(found >= 195, $"{found} personnes sur 200 trouvées dans les 5 premières lignes.");
    }

    [Fact]
    public void Without_a_birth_date_a_misspelled_full_name_still_ranks_an_exact_namesake_no_lower_than_the_typo_allows()
    {
        var index = new PersonSearchIndex();
        index.Upsert(new SearchablePerson(PersonId.Parse("61-a"), "Dupont", null, ["Kylian"], new(2010, 1, 1), null));
        index.Upsert(new SearchablePerson(PersonId.Parse("61-b"), "Dupond", null, ["Kylian"], new(2011, 1, 1), null));
        var hits = index.Search(SearchText.Parse("dupont kylian"));
        Assert.Equal(["61-a", "61-b"], hits.Select(h => h.Person.Value));
        Assert.True(hits[0].Score > hits[1].Score);
    }

    private static string Misspell(string name, Random random)
    {
        var letters = name.ToCharArray();
        var i = random.Next(1, Math.Max(2, letters.Length - 1));
        switch (random.Next(3))
        {
            case 0 when i + 1 < letters.Length:
                (letters[i], letters[i + 1]) = (letters[i + 1], letters[i]);
                return new string(letters);
            case 1:
                return name.Remove(i, 1);
            default:
                return name.Insert(i, name[i - 1].ToString());
        }
    }
}
