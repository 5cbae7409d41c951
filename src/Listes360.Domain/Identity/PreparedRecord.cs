using Listes360.Domain.Identity.Records;

namespace Listes360.Domain.Identity;

/// <summary>
/// A <see cref="PersonRecord"/> with everything the comparison needs computed once: name variants,
/// phonetic keys, canonical date, normalised strong keys, locality and address tokens.
/// </summary>
public sealed class PreparedRecord
{
    private PreparedRecord(PersonRecord record, string? department)
    {
        Record = record;
        LastNames = FrenchNames.LastNameVariants(record.LastName, record.BirthName);
        FirstNames = FrenchNames.FirstNameVariants(record.FirstName);
        LastPhonetics = LastNames.Where(v => v.Weight >= 1.0).Select(v => FrenchPhonetic.Key(v.Key, 8)).Where(k => k.Length > 0).Distinct().ToArray();
        var firstTokens = FrenchNames.Tokens(record.FirstName);
        FirstPhonetic = firstTokens.Length == 0 ? "" : FrenchPhonetic.Key(firstTokens[0], 8);
        BirthDate = BirthDates.IsCanonical(record.BirthDate) ? record.BirthDate : null;
        Mdph = StrongKeys.NormaliseMdph(record.MdphNumber, department);
        NirHash = string.IsNullOrWhiteSpace(record.NirHash) ? null : record.NirHash.Trim();
        Postcode = string.IsNullOrWhiteSpace(record.Postcode) ? null : record.Postcode.Trim().Replace(" ", "", StringComparison.Ordinal);
        var commune = FrenchNames.Fold(record.Commune).Replace(" ", "", StringComparison.Ordinal);
        Commune = commune.Length == 0 ? null : commune;
        AddressTokens = AddressWords(record.Address);
    }

    public PersonRecord Record { get; }
    public NameVariant[] LastNames { get; }
    public NameVariant[] FirstNames { get; }
    /// <summary>Phonetic keys (8 characters at most) of the full last-name variants (usage and birth).</summary>
    public string[] LastPhonetics { get; }
    /// <summary>Phonetic key of the first given name.</summary>
    public string FirstPhonetic { get; }
    public string? BirthDate { get; }
    /// <summary>MDPH file number, canonical (<see cref="Persons.MdphFileNumber.Normalize"/>: « 61-12345 » or « 12345 »).</summary>
    public string? Mdph { get; }
    public string? NirHash { get; }
    public string? Postcode { get; }
    public string? Commune { get; }
    public string[] AddressTokens { get; }

    // Name counts cached by the NameFrequencies that computed them (one lookup per record, not per pair).
    internal NameFrequencies? FrequencySource { get; set; }
    internal (int Last, int First) FrequencyCounts { get; set; }

    public static PreparedRecord From(PersonRecord record) => From(record, null);

    /// <param name="record">The record.</param>
    /// <param name="department">The département whose lists the record comes from (« 61 »), when known: it
    /// reads an MDPH number written with the département glued (« 61012345 »), see <see cref="Persons.MdphFileNumber"/>.</param>
    public static PreparedRecord From(PersonRecord record, string? department)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new PreparedRecord(record, department);
    }

    /// <summary>Address words: numbers, then folded words of two letters or more (« 12 bis, rue de l'Église » → 12 bis rue de eglise).</summary>
    private static string[] AddressWords(string? address)
    {
        if (string.IsNullOrWhiteSpace(address)) return [];
        var numbers = new List<string>();
        var current = new System.Text.StringBuilder();
        foreach (var c in address)
        {
            if (char.IsAsciiDigit(c))
            {
                current.Append(c);
            }
            else if (current.Length > 0)
            {
                numbers.Add(current.ToString());
                current.Clear();
            }
        }
        if (current.Length > 0) numbers.Add(current.ToString());
        // Fold drops digits: the numbers are read above.
        var words = FrenchNames.Fold(address).Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(w => w.Length > 1);
        return numbers.Concat(words).ToArray();
    }
}
