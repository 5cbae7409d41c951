using System.Globalization;
using System.Text;
using Bogus;

namespace Listes360.Imports.Simulation;

/// <summary>Error rates of the simulated lists (probabilities per row, except where said).</summary>
public sealed record SimulationOptions
{
    public double MeanRecordsPerPerson { get; init; } = 4.0;
    public double TwinRate { get; init; } = 0.01;
    public double CompoundFirstNameRate { get; init; } = 0.12;
    public double MarriedWomanRate { get; init; } = 0.45;
    public double AccentsDroppedRate { get; init; } = 0.35;
    public double LastNameTypoRate { get; init; } = 0.07;
    public double FirstNameTypoRate { get; init; } = 0.07;
    public double DayMonthSwapRate { get; init; } = 0.03;
    public double DateTypoRate { get; init; } = 0.03;
    public double MdphMissingRate { get; init; } = 0.35;
    public double NirPresentRate { get; init; } = 0.25;
    public double MovedRate { get; init; } = 0.05;
    public double NamesSwappedRate { get; init; } = 0.005;
}

/// <summary>
/// SIMULATED French persons on several ESMS waiting lists, with the truth (source=simulated; no row is
/// a real person). Seeded: the same seed gives the same rows. Names come from Bogus' « fr » locale plus
/// a list of frequent French surnames (with particles and compound names); each person is written
/// 1 to 7 times (mean <see cref="SimulationOptions.MeanRecordsPerPerson"/>) with the variants real lists
/// show: case, accents dropped, typos, day and month swapped, a digit mistyped, compound first names
/// written « Jean Pierre » or shortened to « Jean », married women under their usage name, their birth
/// name, « X épouse Y » or « Y née X », particles glued or dropped, MDPH number missing or formatted
/// otherwise, NIR sometimes given, a move to another postcode; plus twins (same name, date and place,
/// other first name) as hard negatives. Reusable by the demo seeder.
/// </summary>
public sealed class FrenchPersonGenerator
{
    private static readonly string[] ExtraLastNames =
    [
        "Martin", "Bernard", "Dubois", "Durand", "Leroy", "Moreau", "Simon", "Laurent", "Lefèvre", "Lefebvre", "Michel",
        "Garnier", "Rousseau", "Fournier", "Girard", "Bonnet", "Morel", "Dupuis", "Lemaire", "Lemoine", "Marchand",
        "Duval", "Denis", "Masson", "Perrin", "Gauthier", "Robin", "Clément", "Morin", "Nicolas", "Henry", "Roussel",
        "Mathieu", "Guérin", "Muller", "Boyer", "Chevallier", "François", "Legrand", "Gaillard", "Brunet", "Blanc",
        "Guillaume", "Leclerc", "Renaud", "Renault", "Perrault", "Thibault", "Arnaud", "Giraud", "Caron", "Picard",
        "Roger", "Meunier", "Lucas", "Dumas", "Barbier", "Brun", "Schmitt", "Aubert", "Hamel", "Lebrun", "Lecomte",
        "Lejeune", "Leblanc", "Huet", "Hervé", "Besnard", "Lebreton", "Lemonnier", "Lecoq", "Leboucher", "Godard",
        "Le Goff", "Le Gall", "Le Roux", "Le Bihan", "Le Guen", "Le Floch", "Le Corre", "de La Fontaine", "de Saint-Aubin",
        "Du Pont", "d'Harcourt", "d'Almeida", "Dos Santos", "Da Silva", "Pereira", "Ferreira", "Rodrigues", "Fernandes",
        "Diallo", "N'Diaye", "Traoré", "Ben Ali", "Benali", "Haddad", "Mansouri", "Nguyen", "Tran", "Kowalski",
        "Martin-Durand", "Lefèvre-Pontalis", "Saint-Cyr", "Guillot", "Collin", "Prévost", "Poirier", "Marie", "Charpentier",
        "Hébert", "Bouvier", "Maillard", "Rivière", "Lacroix", "Vasseur", "Hoarau", "Payet", "Grondin", "Fontaine",
        "Chauvin", "Jacquet", "Royer", "Langlois", "Berthelot", "Bailly", "Hue", "Tessier", "Gosselin", "Lelièvre",
        "Ménard", "Cordier", "Lesage", "Poulain", "Pichon", "Marais", "Queval", "Fouquet", "Desmoulins", "Vautier",
        "Boulanger", "Delaunay", "Letellier", "Lepetit", "Jourdan", "Bazin", "Hamon", "Rault", "Chevreuil", "Tanguy",
    ];

    private static readonly string[] MaleCompounds =
        ["Jean-Pierre", "Jean-Claude", "Jean-Luc", "Jean-Marc", "Jean-Michel", "Jean-Baptiste", "Pierre-Yves", "Paul-Henri", "Louis-Marie", "Jean-François", "Marc-Antoine"];

    private static readonly string[] FemaleCompounds =
        ["Marie-Claire", "Anne-Sophie", "Marie-Hélène", "Marie-Laure", "Anne-Marie", "Marie-Christine", "Marie-Pierre", "Marie-Noëlle", "Marie-Thérèse", "Anne-Laure", "Marie-José"];

    /// <summary>Postcodes and communes of the Orne (the département of the pilot).</summary>
    private static readonly (string Postcode, string Commune)[] Places =
    [
        ("61000", "Alençon"), ("61100", "Flers"), ("61200", "Argentan"), ("61300", "L'Aigle"), ("61400", "Mortagne-au-Perche"),
        ("61500", "Sées"), ("61600", "La Ferté-Macé"), ("61700", "Domfront en Poiraie"), ("61800", "Tinchebray-Bocage"),
        ("61110", "Rémalard en Perche"), ("61120", "Vimoutiers"), ("61130", "Bellême"), ("61140", "Bagnoles de l'Orne Normandie"),
        ("61150", "Écouché-les-Vallées"), ("61160", "Trun"), ("61170", "Le Mêle-sur-Sarthe"), ("61190", "Tourouvre au Perche"),
        ("61210", "Putanges-le-Lac"), ("61220", "Briouze"), ("61230", "Gacé"), ("61240", "Le Merlerault"), ("61250", "Damigny"),
        ("61270", "Rai"), ("61290", "Longny les Villages"), ("61310", "Exmes"), ("61320", "Carrouges"), ("61340", "Nocé"),
        ("61360", "Pervenchères"), ("61380", "Soligny-la-Trappe"), ("61390", "Courtomer"), ("61410", "Couterne"),
        ("61420", "Saint-Denis-sur-Sarthon"), ("61430", "Athis-Val de Rouvre"), ("61440", "Messei"), ("61450", "La Ferrière-aux-Étangs"),
        ("61470", "Le Sap-en-Auge"), ("61560", "Saint-Germain-de-Martigny"), ("61570", "Mortrée"), ("61600", "Magny-le-Désert"),
    ];

    private readonly SimulationOptions _options;
    private readonly int _seed;
    private readonly HashSet<string> _usedIdentifiers = new(StringComparer.Ordinal);

    public FrenchPersonGenerator(int seed, SimulationOptions? options = null)
    {
        _seed = seed;
        _options = options ?? new SimulationOptions();
    }

    private sealed record Person(int Id, bool Female, string FirstName, string BirthName, string? UsageName, DateOnly BirthDate,
        string? Mdph, string Nir, (string Postcode, string Commune) Place);

    /// <summary>
    /// Rows for <paramref name="persons"/> simulated persons, shuffled as if merged from many lists: each
    /// person 1 to 7 times, <see cref="SimulationOptions.MeanRecordsPerPerson"/> on average, or exactly
    /// <paramref name="records"/> rows in all when given (between <paramref name="persons"/> and 7 × as many).
    /// </summary>
    public IReadOnlyList<SimulatedRow> Generate(int persons, int? records = null)
    {
        if (persons < 1) throw new ArgumentOutOfRangeException(nameof(persons));
        if (records is { } total && (total < persons || total > 7L * persons)) throw new ArgumentOutOfRangeException(nameof(records));
        _usedIdentifiers.Clear();
        var faker = new Faker("fr") { Random = new Randomizer(_seed) };
        var random = new Random(_seed);
        var people = new List<Person>(persons + persons / 50);
        while (people.Count < persons)
        {
            var person = NewPerson(faker, random, people.Count);
            people.Add(person);
            if (people.Count < persons && random.NextDouble() < _options.TwinRate)
            {
                var female = random.NextDouble() < 0.5;
                string first;
                do first = FirstName(faker, random, female); while (FrenchFold(first) == FrenchFold(person.FirstName));
                people.Add(person with
                {
                    Id = people.Count, Female = female, FirstName = first, UsageName = null,
                    Mdph = person.Mdph is null ? null : NewMdph(random, person.BirthDate.Year), Nir = NewNir(random, female, person.BirthDate),
                });
            }
        }

        var esmsLists = Enumerable.Range(1, 40).Select(i => $"ESMS{i:D2}").ToArray();
        var rows = new List<SimulatedRow>();
        var counts = new int[people.Count];
        if (records is { } wanted)
        {
            Array.Fill(counts, 1);
            for (var remaining = wanted - people.Count; remaining > 0;)
            {
                var k = random.Next(counts.Length);
                if (counts[k] >= 7) continue;
                counts[k]++;
                remaining--;
            }
        }
        else
        {
            var p = Math.Clamp((_options.MeanRecordsPerPerson - 1) / 6.0, 0, 1);
            for (var k = 0; k < counts.Length; k++)
            {
                counts[k] = 1;
                for (var draw = 0; draw < 6; draw++) if (random.NextDouble() < p) counts[k]++;
            }
        }
        foreach (var person in people)
        {
            for (var r = 0; r < counts[person.Id]; r++)
            {
                rows.Add(Variant(person, random, faker, esmsLists[random.Next(esmsLists.Length)], r == 0));
            }
        }
        // Shuffle (Fisher-Yates, seeded), then number the rows.
        for (var i = rows.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (rows[i], rows[j]) = (rows[j], rows[i]);
        }
        return rows.Select((row, i) => row with { RecordId = $"SIM{i + 1:D6}" }).ToList();
    }

    private Person NewPerson(Faker faker, Random random, int id)
    {
        var female = random.NextDouble() < 0.5;
        var first = random.NextDouble() < _options.CompoundFirstNameRate
            ? Pick(female ? FemaleCompounds : MaleCompounds, random)
            : FirstName(faker, random, female);
        var birthName = LastName(faker, random);
        var birth = new DateOnly(1945, 1, 1).AddDays(random.Next(0, 365 * 78));
        string? usage = null;
        if (female && birth.Year < 2000 && random.NextDouble() < _options.MarriedWomanRate)
        {
            do usage = LastName(faker, random); while (usage == birthName);
        }
        var mdph = random.NextDouble() < 0.9 ? NewMdph(random, birth.Year) : null;
        return new Person(id, female, first, birthName, usage, birth, mdph, NewNir(random, female, birth), Places[random.Next(Places.Length)]);
    }

    private static string Pick(string[] values, Random random) => values[random.Next(values.Length)];

    private static string FirstName(Faker faker, Random random, bool female) =>
        faker.Name.FirstName(female ? Bogus.DataSets.Name.Gender.Female : Bogus.DataSets.Name.Gender.Male);

    private static string LastName(Faker faker, Random random) =>
        random.NextDouble() < 0.5 ? faker.Name.LastName() : ExtraLastNames[random.Next(ExtraLastNames.Length)];

    /// <summary>An MDPH file number, unique like real ones: département, year of the first request, sequence.</summary>
    private string NewMdph(Random random, int year)
    {
        string number;
        do number = $"61{Math.Max(2006, Math.Min(2025, year + random.Next(1, 30)))}{random.Next(0, 100000):D5}";
        while (!_usedIdentifiers.Add(number));
        return number;
    }

    /// <summary>A NIR-shaped number (sex, year, month, département 61, commune, order), unique; no key.</summary>
    private string NewNir(Random random, bool female, DateOnly birth)
    {
        string nir;
        do nir = $"{(female ? 2 : 1)}{birth.Year % 100:D2}{birth.Month:D2}61{random.Next(1, 500):D3}{random.Next(1, 1000):D3}";
        while (!_usedIdentifiers.Add(nir));
        return nir;
    }

    private SimulatedRow Variant(Person person, Random random, Faker faker, string esms, bool first)
    {
        // Names: particles glued or spaced otherwise on some lists (« Le Goff » → « LEGOFF »).
        var birthNameAsWritten = first ? person.BirthName : GlueParticles(person.BirthName, random);
        string lastName;
        string? birthName = null;
        if (person.UsageName is { } married)
        {
            var usage = first ? married : GlueParticles(married, random);
            var roll = random.NextDouble();
            (lastName, birthName) = roll switch
            {
                < 0.40 => (usage, (string?)null),
                < 0.55 => ($"{birthNameAsWritten} épouse {usage}", null),
                < 0.70 => ($"{usage} née {birthNameAsWritten}", null),
                < 0.85 => (birthNameAsWritten, null),
                _ => (usage, birthNameAsWritten),
            };
            if (random.NextDouble() < 0.2) lastName = lastName.Replace("épouse", "ép.", StringComparison.Ordinal);
        }
        else
        {
            lastName = birthNameAsWritten;
        }
        var firstName = person.FirstName;
        if (firstName.Contains('-', StringComparison.Ordinal))
        {
            var roll = random.NextDouble();
            if (roll < 0.3) firstName = firstName.Replace('-', ' ');
            else if (roll < 0.55) firstName = firstName[..firstName.IndexOf('-', StringComparison.Ordinal)];
        }
        if (!first)
        {
            if (random.NextDouble() < _options.LastNameTypoRate) lastName = Typo(lastName, random);
            if (random.NextDouble() < _options.FirstNameTypoRate) firstName = Typo(firstName, random);
        }
        if (random.NextDouble() < _options.AccentsDroppedRate)
        {
            lastName = DropAccents(lastName);
            firstName = DropAccents(firstName);
            birthName = birthName is null ? null : DropAccents(birthName);
        }
        var caseRoll = random.NextDouble();
        if (caseRoll < 0.5) lastName = lastName.ToUpper(CultureInfo.GetCultureInfo("fr-FR"));
        else if (caseRoll < 0.65) { lastName = lastName.ToUpper(CultureInfo.GetCultureInfo("fr-FR")); firstName = firstName.ToUpper(CultureInfo.GetCultureInfo("fr-FR")); }
        else if (caseRoll < 0.68) { lastName = lastName.ToLowerInvariant(); firstName = firstName.ToLowerInvariant(); }
        if (!first && random.NextDouble() < _options.NamesSwappedRate) (lastName, firstName) = (firstName, lastName);

        // Date.
        var date = person.BirthDate.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        if (!first)
        {
            if (person.BirthDate.Day <= 12 && person.BirthDate.Day != person.BirthDate.Month && random.NextDouble() < _options.DayMonthSwapRate)
            {
                date = $"{person.BirthDate.Year:D4}{person.BirthDate.Day:D2}{person.BirthDate.Month:D2}";
            }
            else if (random.NextDouble() < _options.DateTypoRate)
            {
                date = DateTypo(person.BirthDate, random);
            }
        }

        // Identifiers and place.
        string? mdph = person.Mdph is not null && random.NextDouble() >= _options.MdphMissingRate ? FormatMdph(person.Mdph, random) : null;
        var nir = random.NextDouble() < _options.NirPresentRate ? FormatNir(person.Nir, random) : null;
        var place = !first && random.NextDouble() < _options.MovedRate ? Places[random.Next(Places.Length)] : person.Place;
        var commune = random.NextDouble() < 0.3 ? DropAccents(place.Commune).ToUpperInvariant() : place.Commune;
        return new SimulatedRow("", lastName, firstName, date, birthName, mdph, nir, place.Postcode, commune, person.Id, esms);
    }

    private static string GlueParticles(string name, Random random)
    {
        if (!name.Contains(' ', StringComparison.Ordinal) && !name.Contains('\'', StringComparison.Ordinal)) return name;
        var roll = random.NextDouble();
        if (roll < 0.25) return name.Replace(" ", "", StringComparison.Ordinal).Replace("'", "", StringComparison.Ordinal);
        if (roll < 0.35) return name.Replace("'", " ", StringComparison.Ordinal);
        return name;
    }

    private static string FormatMdph(string mdph, Random random) => random.Next(3) switch
    {
        0 => mdph,
        1 => $"{mdph[..2]}-{mdph[2..6]}-{mdph[6..]}",
        _ => $"{mdph[..2]} {mdph[2..6]} {mdph[6..]}",
    };

    private static string FormatNir(string nir, Random random) => random.Next(2) == 0
        ? nir
        : $"{nir[0]} {nir[1..3]} {nir[3..5]} {nir[5..7]} {nir[7..10]} {nir[10..13]}";

    /// <summary>A valid date one digit away (another day in the month, or a year digit).</summary>
    private static string DateTypo(DateOnly date, Random random)
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var digits = date.ToString("yyyyMMdd", CultureInfo.InvariantCulture).ToCharArray();
            var position = new[] { 2, 3, 5, 6, 7 }[random.Next(5)];
            digits[position] = (char)('0' + random.Next(10));
            var text = new string(digits);
            if (text != date.ToString("yyyyMMdd", CultureInfo.InvariantCulture)
                && DateOnly.TryParseExact(text, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var typo)
                && typo.Year is >= 1900 and <= 2025)
            {
                return text;
            }
        }
        return date.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
    }

    /// <summary>One keyboard error: a letter replaced, dropped, doubled, or two letters swapped.</summary>
    private static string Typo(string text, Random random)
    {
        var letters = Enumerable.Range(0, text.Length).Where(i => char.IsLetter(text[i])).ToArray();
        if (letters.Length < 4) return text;
        var i = letters[random.Next(1, letters.Length)];
        var sb = new StringBuilder(text);
        switch (random.Next(4))
        {
            case 0: sb[i] = (char)('a' + random.Next(26)); break;
            case 1: sb.Remove(i, 1); break;
            case 2: sb.Insert(i, text[i]); break;
            default:
                if (i + 1 < sb.Length && char.IsLetter(sb[i + 1])) (sb[i], sb[i + 1]) = (sb[i + 1], sb[i]);
                else sb.Remove(i, 1);
                break;
        }
        return sb.ToString();
    }

    private static string DropAccents(string text)
    {
        var decomposed = text.Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark) sb.Append(c);
        }
        return sb.ToString().Normalize(NormalizationForm.FormC);
    }

    private static string FrenchFold(string text) => DropAccents(text).ToLowerInvariant();
}
