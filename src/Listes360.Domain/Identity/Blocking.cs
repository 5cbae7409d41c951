namespace Listes360.Domain.Identity;

/// <summary>Blocking settings.</summary>
/// <param name="MaxBlockSize">A block that already holds this many records takes no more comparisons
/// nor members (it is « saturé » and reported): the other keys still bring the true matches together,
/// and the cost stays linear even for a very common name.</param>
public sealed record BlockingOptions(int MaxBlockSize = 100)
{
    public static BlockingOptions Default { get; } = new();
}

/// <summary>
/// Blocking keys: only records sharing at least one key are compared. Several keys, each tolerant of
/// a different kind of error, so that one error does not separate two records of the same person:
/// <list type="bullet">
/// <item><c>NA</c> phonetic last name (usage and birth) + birth year — first-name or day/month errors;</item>
/// <item><c>PD</c> phonetic first given name + full birth date — last-name changes (marriage, typos);</item>
/// <item><c>NP</c> the two phonetic names, sorted — date errors, first and last name swapped;</item>
/// <item><c>CI</c> postcode + sorted initials — several errors at once, same place;</item>
/// <item><c>DI</c> birth date with day and month sorted + initial of the last name — name typos with swapped dates;</item>
/// <item><c>NJ</c> phonetic last name + day and month of birth — a typo in the year with a first-name error;</item>
/// <item><c>FY</c> phonetic first given name + birth year + initial of the last name — last-name typo with a day typo;</item>
/// <item><c>MD</c> MDPH number, <c>NH</c> NIR hash — strong keys, whatever the names.</item>
/// </list>
/// </summary>
public static class Blocking
{
    /// <summary>The blocking keys of a record, distinct (what a grain indexes its persons by).</summary>
    public static string[] Keys(Records.PersonRecord record) => Keys(PreparedRecord.From(record));

    /// <summary>The blocking keys of a record, distinct.</summary>
    public static string[] Keys(PreparedRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var keys = new List<string>(10);
        var year = record.BirthDate?[..4];
        var firstKey = Truncate(record.FirstPhonetic, 4);
        foreach (var last in record.LastPhonetics)
        {
            var lastKey = Truncate(last, 4);
            if (year is not null) keys.Add($"NA:{lastKey}:{year}");
            if (firstKey.Length > 0)
            {
                keys.Add(string.CompareOrdinal(lastKey, firstKey) <= 0 ? $"NP:{lastKey}:{firstKey}" : $"NP:{firstKey}:{lastKey}");
            }
        }
        if (firstKey.Length > 0 && record.BirthDate is not null) keys.Add($"PD:{firstKey}:{record.BirthDate}");
        if (record.BirthDate is { } birth)
        {
            foreach (var last in record.LastPhonetics) keys.Add($"NJ:{Truncate(last, 4)}:{birth[4..]}");
            if (firstKey.Length > 0)
            {
                foreach (var last in record.LastPhonetics) keys.Add($"FY:{firstKey}:{birth[..4]}:{last[0]}");
            }
        }
        if (record.BirthDate is { } date && record.LastPhonetics.Length > 0)
        {
            var month = date.Substring(4, 2);
            var day = date.Substring(6, 2);
            var (low, high) = string.CompareOrdinal(month, day) <= 0 ? (month, day) : (day, month);
            foreach (var last in record.LastPhonetics) keys.Add($"DI:{date[..4]}{low}{high}:{last[0]}");
        }
        if (record.Postcode is not null)
        {
            var lastInitial = record.LastNames.Length > 0 ? record.LastNames[0].Key[0] : '_';
            var firstInitial = record.FirstNames.Length > 0 ? record.FirstNames[0].Key[0] : '_';
            var (x, y) = lastInitial <= firstInitial ? (lastInitial, firstInitial) : (firstInitial, lastInitial);
            keys.Add($"CI:{record.Postcode}:{x}{y}");
        }
        // The number without its département: « 61-012345 » and « 12345 » share the block.
        if (record.Mdph is not null) keys.Add($"MD:{Persons.MdphFileNumber.NumberPart(record.Mdph)}");
        if (record.NirHash is not null) keys.Add($"NH:{record.NirHash}");
        return keys.Distinct(StringComparer.Ordinal).ToArray();
    }

    /// <summary>
    /// Whether a key seldom holds two persons: first given name with the full birth date (<c>PD</c>), birth date with the
    /// last-name initial (<c>DI</c>), MDPH number (<c>MD</c>), NIR (<c>NH</c>). Records sharing one are most likely one
    /// person (an import sends them together); the other keys gather many persons each.
    /// </summary>
    public static bool IsNarrow(string key) =>
        key.StartsWith("PD:", StringComparison.Ordinal) || key.StartsWith("DI:", StringComparison.Ordinal)
        || key.StartsWith("MD:", StringComparison.Ordinal) || key.StartsWith("NH:", StringComparison.Ordinal);

    private static string Truncate(string key, int length) => key.Length > length ? key[..length] : key;
}
