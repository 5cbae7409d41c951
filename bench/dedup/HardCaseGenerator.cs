using System.Globalization;
using System.Text;
using Listes360.Domain.Identity.Records;

namespace Listes360.Bench.Dedup;

/// <summary>
/// SIMULATED hard cases for identity resolution (source=simulated; no row is a real person), written
/// apart from the engine and from <c>FrenchPersonGenerator</c>: its own name tables and frequencies, its
/// own error model. A département's ESMS lists (about 2.4 rows per person, like the independent
/// set: 6,600 rows for 2,700 persons) with the patterns that make two persons look like one:
/// <list type="bullet">
/// <item>common and rare names: surnames by rank from a Zipf law (s = 1) over 150 frequent French surnames
/// for 10 % of persons — « Martin » then weighs ≈ 1.8 % of persons, five times its national share
/// (≈ 0.37 % of births 1891–1990, INSEE « noms de famille »): homonyms are made frequent on purpose —,
/// Bogus' French surnames (a few hundred, uniform) for 35 %, and unique surnames for 55 % (France has
/// ≈ 1.3 million surnames); first names by birth cohort (before / after 1985): half from a Zipf law
/// (s = 0.5) over 40 frequent names per sex, the first one ≈ 4.5 % of the cohort (INSEE « fichier des
/// prénoms »: the top name of a year weighs 2–4 % of births), half from Bogus' French first names;</item>
/// <item>twins: 3 % of persons (INSEE: ≈ 1.7 % of deliveries are multiple, i.e. ≈ 3.4 % of children born;
/// prematurity makes them more frequent in medico-social lists): same surname, birth date, postcode,
/// another first name — a similar one (Louis / Louise, Lucas / Luca) for a quarter of them;</item>
/// <item>homonyms with a year variant: 2 % of persons have a homonym (same surname and first name, both
/// common) born the same day and month, the year differing by one digit (1990 / 1997, 2022 / 2023), 80 %
/// of them with another postcode — the pattern of the false merges;</item>
/// <item>siblings: 4 % (same surname and postcode, another first name, born 1 to 8 years apart);</item>
/// <item>parent and child with the same first name and surname: 0.5 % (born 20 to 40 years apart, same postcode);</item>
/// <item>per row: 5 % name typos, 2 % day and month swapped, 2 % one-digit date typos (half in the year),
/// 1 % birth date missing, usage names for married women, MDPH number on 60 % of rows in any notation
/// (« 61-012345 », « 012345 », « 12345 », with spaces or dots), NIR on 10 %, 5 % of rows with another
/// postcode (a move).</item>
/// </list>
/// These proportions are assumptions stated here, not measured on real lists (none are available).
/// The benchmark calibrates on seed 11 and reports on seed 1601, which was never looked at while the
/// scorer was tuned.
/// </summary>
public sealed class HardCaseGenerator(int seed)
{
    private static readonly string[] CommonSurnames =
    [
        "Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois", "Moreau", "Laurent", "Simon", "Michel",
        "Lefebvre", "Leroy", "Roux", "David", "Bertrand", "Morel", "Fournier", "Girard", "Bonnet", "Dupont", "Lambert", "Fontaine",
        "Rousseau", "Vincent", "Muller", "Lefèvre", "Faure", "André", "Mercier", "Blanc", "Guérin", "Boyer", "Garnier", "Chevalier",
        "François", "Legrand", "Gauthier", "Garcia", "Perrin", "Robin", "Clément", "Morin", "Nicolas", "Henry", "Roussel", "Mathieu",
        "Gautier", "Masson", "Marchand", "Duval", "Denis", "Dumont", "Marie", "Lemaire", "Noël", "Meyer", "Dufour", "Meunier",
        "Brun", "Blanchard", "Giraud", "Joly", "Rivière", "Lucas", "Brunet", "Gaillard", "Barbier", "Arnaud", "Martinez", "Gérard",
        "Roche", "Renard", "Schmitt", "Roy", "Leroux", "Colin", "Vidal", "Caron", "Picard", "Roger", "Fabre", "Aubert", "Lemoine",
        "Renaud", "Dumas", "Lacroix", "Olivier", "Philippe", "Bourgeois", "Pierre", "Benoît", "Rey", "Leclerc", "Payet", "Rolland",
        "Leclercq", "Guillaume", "Lecomte", "Lopez", "Jean", "Dupuy", "Guillot", "Hubert", "Berger", "Carpentier", "Sanchez",
        "Dupuis", "Moulin", "Louis", "Deschamps", "Huet", "Vasseur", "Perez", "Boucher", "Fleury", "Royer", "Klein", "Jacquet",
        "Adam", "Paris", "Poirier", "Marty", "Aubry", "Guyot", "Carré", "Charles", "Renault", "Charpentier", "Ménard", "Maillard",
        "Baron", "Bertin", "Bailly", "Hervé", "Schneider", "Fernandez", "Le Gall", "Collet", "Léger", "Bouvier", "Julien", "Prévost",
        "Millet", "Perrot", "Daniel", "Le Roux", "Cousin", "Germain", "Breton", "Besson", "Langlois", "Rémy",
    ];

    private static readonly string[] OldFemale =
    [
        "Nathalie", "Isabelle", "Sylvie", "Catherine", "Martine", "Christine", "Sandrine", "Valérie", "Véronique", "Françoise",
        "Monique", "Nicole", "Patricia", "Stéphanie", "Céline", "Brigitte", "Chantal", "Corinne", "Dominique", "Christiane",
        "Jacqueline", "Annie", "Florence", "Laurence", "Pascale", "Émilie", "Aurélie", "Karine", "Virginie", "Sophie",
        "Marie", "Hélène", "Muriel", "Caroline", "Anne", "Élodie", "Delphine", "Béatrice", "Agnès", "Ghislaine",
    ];

    private static readonly string[] OldMale =
    [
        "Philippe", "Michel", "Alain", "Patrick", "Christophe", "Pascal", "Éric", "Thierry", "Laurent", "Frédéric",
        "Stéphane", "David", "Jean", "Daniel", "Sébastien", "Olivier", "Nicolas", "Bernard", "Didier", "Dominique",
        "Pierre", "Gérard", "Jacques", "Serge", "Bruno", "Franck", "Vincent", "Jérôme", "Thomas", "Julien",
        "Cédric", "Fabrice", "Ludovic", "Emmanuel", "Denis", "Yannick", "Gilles", "Hervé", "Joël", "Florian",
    ];

    private static readonly string[] NewFemale =
    [
        "Emma", "Léa", "Chloé", "Manon", "Camille", "Inès", "Jade", "Sarah", "Louise", "Lina", "Zoé", "Clara", "Lucie",
        "Anaïs", "Océane", "Mathilde", "Juliette", "Alice", "Lola", "Eva", "Romane", "Maëlys", "Ambre", "Léna", "Louna",
        "Mia", "Rose", "Anna", "Laura", "Marie", "Pauline", "Justine", "Margaux", "Elisa", "Nina", "Charlotte", "Agathe",
        "Julia", "Ysaline", "Capucine",
    ];

    private static readonly string[] NewMale =
    [
        "Lucas", "Thomas", "Hugo", "Théo", "Nathan", "Louis", "Enzo", "Mathis", "Maxime", "Alexandre", "Gabriel", "Arthur",
        "Jules", "Raphaël", "Tom", "Noah", "Léo", "Clément", "Antoine", "Quentin", "Kylian", "Baptiste", "Paul", "Adam",
        "Nolan", "Ethan", "Romain", "Valentin", "Florian", "Kevin", "Dylan", "Matthieu", "Axel", "Evan", "Sacha", "Timéo",
        "Mathéo", "Corentin", "Luca", "Aurélien",
    ];

    /// <summary>First names a twin may get beside their sibling's (similar spelling, another person).</summary>
    private static readonly (string, string)[] SimilarPairs =
    [
        ("Louis", "Louise"), ("Lucas", "Luca"), ("Mathis", "Mathias"), ("Jean", "Jeanne"), ("Léo", "Léa"), ("Théo", "Théa"),
        ("Noé", "Noa"), ("Emma", "Emmy"), ("Gabriel", "Gabrielle"), ("Camille", "Camélia"), ("Eliott", "Eliot"), ("Lina", "Line"),
    ];

    private static readonly string[] Syllables =
    [
        "van", "den", "brou", "cke", "ker", "gue", "zin", "mar", "tel", "ot", "lou", "val", "ber", "nard", "qui", "non", "ri",
        "ve", "jac", "ques", "mo", "lin", "gra", "vel", "dur", "an", "teau", "cha", "put", "bou", "chet", "leg", "ros", "kow",
        "ski", "nia", "ben", "sa", "lah", "ha", "dad", "ngu", "yen", "tra", "pe", "rei", "ra", "fer", "nan", "des", "ieu",
    ];

    private static readonly string[] Postcodes =
    [
        "61000", "61100", "61200", "61300", "61400", "61500", "61600", "61700", "61800", "61110", "61120", "61130", "61140",
        "61150", "61160", "61170", "61190", "61210", "61220", "61230", "61240", "61250", "61270", "61290", "61310", "61320",
    ];

    private sealed record Person(int Id, bool Female, string First, string Surname, string? Usage, DateOnly Birth, string? Mdph, string? Nir, string Postcode);

    private readonly Random _random = new(seed);
    private readonly Bogus.Faker _faker = new("fr") { Random = new Bogus.Randomizer(seed + 1) };
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);
    private int _mdphSequence;

    /// <summary>About <paramref name="persons"/> persons (a few more with their twins and relatives), 2.4 rows each on average.</summary>
    public (List<PersonRecord> Records, List<string> Truth) Generate(int persons)
    {
        var people = new List<Person>();
        while (people.Count < persons)
        {
            var person = NewPerson(people.Count);
            var roll = _random.NextDouble();
            // A homonym pair: both with a common name pair (top 30 surnames, top 10 first names of the cohort).
            if (roll is >= 0.03 and < 0.05) person = person with { Surname = Zipf(CommonSurnames, 30), First = FirstName(person.Female, person.Birth.Year, 10), Usage = null };
            people.Add(person);
            if (roll < 0.03) people.Add(Twin(person, people.Count));
            else if (roll < 0.05) people.Add(Homonym(person, people.Count));
            else if (roll < 0.09) people.Add(Sibling(person, people.Count));
            else if (roll < 0.095) people.Add(ParentOrChild(person, people.Count));
        }
        var rows = new List<(PersonRecord Record, int Person)>();
        foreach (var person in people)
        {
            var count = 1;
            while (count < 6 && _random.NextDouble() < 0.58) count++;
            for (var r = 0; r < count; r++) rows.Add((Row(person, r == 0), person.Id));
        }
        for (var i = rows.Count - 1; i > 0; i--)
        {
            var j = _random.Next(i + 1);
            (rows[i], rows[j]) = (rows[j], rows[i]);
        }
        var records = rows.Select((r, i) => r.Record with { RecordId = $"HC{i + 1:D6}" }).ToList();
        return (records, rows.Select(r => r.Person.ToString(CultureInfo.InvariantCulture)).ToList());
    }

    private Person NewPerson(int id)
    {
        var female = _random.NextDouble() < 0.5;
        // Ages on ESMS lists: children (IME, SESSAD) and adults (MAS, FAM, ESAT) from 1960 to 2022.
        var birth = new DateOnly(1960, 1, 1).AddDays(_random.Next(0, 365 * 63));
        var surname = Surname();
        var first = FirstName(female, birth.Year);
        string? usage = null;
        if (female && birth.Year < 1998 && _random.NextDouble() < 0.35)
        {
            do usage = Surname(); while (usage == surname);
        }
        return new Person(id, female, first, surname, usage, birth, _random.NextDouble() < 0.85 ? NewMdph() : null,
            _random.NextDouble() < 0.5 ? NewNir(female, birth) : null, Postcodes[_random.Next(Postcodes.Length)]);
    }

    private Person Twin(Person p, int id)
    {
        var female = _random.NextDouble() < 0.5 ? p.Female : !p.Female;
        string first;
        var similar = SimilarPairs.Where(s => s.Item1 == p.First || s.Item2 == p.First).ToArray();
        if (similar.Length > 0 && _random.NextDouble() < 0.25)
        {
            var pair = similar[0];
            first = pair.Item1 == p.First ? pair.Item2 : pair.Item1;
        }
        else
        {
            do first = FirstName(female, p.Birth.Year); while (first == p.First);
        }
        return p with { Id = id, Female = female, First = first, Usage = null, Mdph = p.Mdph is null ? null : NewMdph(), Nir = p.Nir is null ? null : NewNir(female, p.Birth) };
    }

    private Person Homonym(Person p, int id)
    {
        // The same (common) name pair, the same day and month, the year one digit away.
        DateOnly birth;
        do
        {
            var digits = p.Birth.Year.ToString(CultureInfo.InvariantCulture).ToCharArray();
            var position = _random.Next(2, 4);
            digits[position] = (char)('0' + _random.Next(10));
            var year = int.Parse(new string(digits), CultureInfo.InvariantCulture);
            birth = year is >= 1950 and <= 2023 && year != p.Birth.Year && DateTime.IsLeapYear(year) | p.Birth is not { Month: 2, Day: 29 }
                ? new DateOnly(year, p.Birth.Month, p.Birth.Day) : default;
        } while (birth == default);
        var postcode = _random.NextDouble() < 0.8 ? Postcodes[_random.Next(Postcodes.Length)] : p.Postcode;
        return p with
        {
            Id = id, Birth = birth, Postcode = postcode, Mdph = _random.NextDouble() < 0.85 ? NewMdph() : null,
            Nir = _random.NextDouble() < 0.5 ? NewNir(p.Female, birth) : null,
        };
    }

    private Person Sibling(Person p, int id)
    {
        var female = _random.NextDouble() < 0.5;
        var birth = p.Birth.AddDays((_random.Next(2) == 0 ? 1 : -1) * _random.Next(365, 365 * 8));
        if (birth > new DateOnly(2023, 12, 31)) birth = p.Birth.AddDays(-_random.Next(365, 365 * 8));
        string first;
        do first = FirstName(female, birth.Year); while (first == p.First);
        return new Person(id, female, first, p.Surname, null, birth, _random.NextDouble() < 0.85 ? NewMdph() : null,
            _random.NextDouble() < 0.5 ? NewNir(female, birth) : null, p.Postcode);
    }

    private Person ParentOrChild(Person p, int id)
    {
        var gap = _random.Next(20, 41) * 365 + _random.Next(365);
        var birth = p.Birth.Year >= 1990 ? p.Birth.AddDays(-gap) : p.Birth.AddDays(gap);
        if (birth > new DateOnly(2023, 12, 31)) birth = p.Birth.AddDays(-gap);
        return new Person(id, p.Female, p.First, p.Surname, null, birth, _random.NextDouble() < 0.85 ? NewMdph() : null,
            _random.NextDouble() < 0.5 ? NewNir(p.Female, birth) : null, p.Postcode);
    }

    private PersonRecord Row(Person p, bool first)
    {
        string last;
        string? birthName = null;
        if (p.Usage is { } usage)
        {
            var roll = _random.NextDouble();
            (last, birthName) = roll switch
            {
                < 0.45 => (usage, (string?)null),
                < 0.60 => ($"{usage} née {p.Surname}", null),
                < 0.75 => (usage, p.Surname),
                _ => (p.Surname, null),
            };
        }
        else
        {
            last = p.Surname;
        }
        var firstName = p.First;
        if (!first && _random.NextDouble() < 0.05) last = Typo(last);
        if (!first && _random.NextDouble() < 0.05) firstName = Typo(firstName);
        if (_random.NextDouble() < 0.5) last = last.ToUpperInvariant();
        if (_random.NextDouble() < 0.3) (last, firstName) = (Plain(last), Plain(firstName));

        string? date = p.Birth.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var dateRoll = _random.NextDouble();
        if (dateRoll < 0.01) date = null;
        else if (!first && dateRoll < 0.03 && p.Birth.Day <= 12 && p.Birth.Day != p.Birth.Month) date = $"{p.Birth.Year:D4}{p.Birth.Day:D2}{p.Birth.Month:D2}";
        else if (!first && dateRoll < 0.05) date = DateTypo(p.Birth);

        var mdph = p.Mdph is not null && _random.NextDouble() < 0.6 ? MdphNotation(p.Mdph) : null;
        var nir = p.Nir is not null && _random.NextDouble() < 0.2 ? p.Nir : null;
        var postcode = !first && _random.NextDouble() < 0.05 ? Postcodes[_random.Next(Postcodes.Length)] : p.Postcode;
        return new PersonRecord
        {
            RecordId = "", LastName = last, FirstName = firstName, BirthDate = date, BirthName = birthName, MdphNumber = mdph,
            NirHash = nir, Postcode = postcode,
        };
    }

    private string Zipf(string[] values, int? top = null, double exponent = 1.0)
    {
        var n = top ?? values.Length;
        var total = 0.0;
        for (var k = 1; k <= n; k++) total += Math.Pow(k, -exponent);
        var x = _random.NextDouble() * total;
        for (var k = 1; k <= n; k++)
        {
            x -= Math.Pow(k, -exponent);
            if (x <= 0) return values[k - 1];
        }
        return values[n - 1];
    }

    /// <summary>10 % from the 150 frequent surnames (Zipf, s = 1), 35 % from Bogus' French surnames (uniform), 55 % unique.</summary>
    private string Surname()
    {
        var roll = _random.NextDouble();
        return roll < 0.10 ? Zipf(CommonSurnames) : roll < 0.45 ? _faker.Name.LastName() : RareSurname();
    }

    /// <summary>Half from the cohort's 40 frequent first names (Zipf, s = 0.5: the first ≈ 4.5 % of the cohort), half from Bogus' French first names (uniform).</summary>
    private string FirstName(bool female, int year, int? top = null)
    {
        if (top is null && _random.NextDouble() < 0.5)
        {
            return _faker.Name.FirstName(female ? Bogus.DataSets.Name.Gender.Female : Bogus.DataSets.Name.Gender.Male);
        }
        return Zipf(year < 1985 ? female ? OldFemale : OldMale : female ? NewFemale : NewMale, top, 0.5);
    }

    private string RareSurname()
    {
        string name;
        do
        {
            var sb = new StringBuilder();
            var parts = _random.Next(2, 4);
            for (var i = 0; i < parts; i++) sb.Append(Syllables[_random.Next(Syllables.Length)]);
            name = char.ToUpperInvariant(sb[0]) + sb.ToString(1, sb.Length - 1);
        } while (!_used.Add("S" + name));
        return name;
    }

    private string NewMdph() => $"{++_mdphSequence * 7 + _random.Next(7):D6}";

    private string MdphNotation(string number) => _random.Next(6) switch
    {
        0 => $"61-{number}",
        1 => number,
        2 => number.TrimStart('0'),
        3 => $"61 {number}",
        4 => $"61.{number}",
        _ => $"61{number}",
    };

    /// <summary>A stand-in for a NIR hash: unique per person (the benchmark does not hash).</summary>
    private string NewNir(bool female, DateOnly birth)
    {
        string nir;
        do nir = $"{(female ? 2 : 1)}{birth.Year % 100:D2}{birth.Month:D2}61{_random.Next(1, 1000):D3}{_random.Next(1, 1000):D3}";
        while (!_used.Add("N" + nir));
        return nir;
    }

    private string DateTypo(DateOnly date)
    {
        var text = date.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var digits = text.ToCharArray();
            var position = _random.NextDouble() < 0.5 ? _random.Next(2, 4) : new[] { 5, 6, 7 }[_random.Next(3)];
            digits[position] = (char)('0' + _random.Next(10));
            var typo = new string(digits);
            if (typo != text && DateOnly.TryParseExact(typo, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) && d.Year is >= 1950 and <= 2024)
            {
                return typo;
            }
        }
        return text;
    }

    private string Typo(string text)
    {
        if (text.Length < 4) return text;
        var i = _random.Next(1, text.Length);
        var sb = new StringBuilder(text);
        switch (_random.Next(3))
        {
            case 0: sb[i] = (char)((char.IsUpper(text[i]) ? 'A' : 'a') + _random.Next(26)); break;
            case 1: sb.Remove(i, 1); break;
            default: sb.Insert(i, text[i]); break;
        }
        return sb.ToString();
    }

    private static string Plain(string text)
    {
        var decomposed = text.Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark) sb.Append(c);
        }
        return sb.ToString().Normalize(NormalizationForm.FormC);
    }
}
