using Listes360.Domain.Identity.Records;

namespace Listes360.Domain.Identity;

/// <summary>
/// How frequent each last name and first name is among a département's own persons: the per-value
/// u-probabilities of Fellegi–Sunter (the chance that two different persons agree on that value). An
/// agreement on « Martin Thomas » is weaker evidence than one on « Vandenbroucke Ysaline »:
/// <see cref="Weight"/> gives the log-ratio of a value's frequency to the typical one, which
/// <see cref="MatchScorer"/> adds (bounded) to a name's agreement. Counted on distinct identities
/// (same folded last name, first name and birth date count once: the lists of one person do not make
/// their name common). <see cref="None"/> (no counts) changes nothing.
/// </summary>
public sealed class NameFrequencies
{
    private readonly Dictionary<string, int> _last;
    private readonly Dictionary<string, int> _first;

    private NameFrequencies(Dictionary<string, int> last, Dictionary<string, int> first, int identities)
    {
        _last = last;
        _first = first;
        Identities = identities;
        TypicalLast = Typical(last, identities);
        TypicalFirst = Typical(first, identities);
    }

    /// <summary>No counts: every weight is 0 (the scorer without frequencies).</summary>
    public static NameFrequencies None { get; } = new([], [], 0);

    /// <summary>Distinct identities counted.</summary>
    public int Identities { get; }

    /// <summary>Frequency of the value a random identity has (Σ f²): the u-probability of an average agreement.</summary>
    public double TypicalLast { get; }

    /// <summary>Same for first names.</summary>
    public double TypicalFirst { get; }

    /// <summary>Counts the names of <paramref name="records"/> (a département's persons, or the file being deduplicated).</summary>
    public static NameFrequencies From(IEnumerable<PersonRecord> records) => From(records.Select(PreparedRecord.From));

    /// <summary>Counts the names of prepared records.</summary>
    public static NameFrequencies From(IEnumerable<PreparedRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var last = new Dictionary<string, int>(StringComparer.Ordinal);
        var first = new Dictionary<string, int>(StringComparer.Ordinal);
        var seen = new HashSet<(string, string, string?)>();
        foreach (var record in records)
        {
            var lastKey = LastKey(record);
            var firstKey = FirstKey(record);
            if (lastKey is null && firstKey is null) continue;
            if (!seen.Add((lastKey ?? "", firstKey ?? "", record.BirthDate))) continue;
            if (lastKey is not null) last[lastKey] = last.GetValueOrDefault(lastKey) + 1;
            if (firstKey is not null) first[firstKey] = first.GetValueOrDefault(firstKey) + 1;
        }
        return new NameFrequencies(last, first, seen.Count);
    }

    /// <summary>Frequencies from counts kept elsewhere (<see cref="NameCounts"/>: the identity grain's, by folded name).</summary>
    public static NameFrequencies FromCounts(IReadOnlyDictionary<string, int> last, IReadOnlyDictionary<string, int> first, int identities) =>
        new(new Dictionary<string, int>(last, StringComparer.Ordinal), new Dictionary<string, int>(first, StringComparer.Ordinal), identities);

    /// <summary>The keys a record's names are counted under (folded last name, first name; null when absent).</summary>
    public static (string? Last, string? First) KeysOf(PreparedRecord record) => (LastKey(record), FirstKey(record));

    /// <summary>
    /// Fellegi–Sunter frequency weight of an agreement on the last names of <paramref name="a"/> and
    /// <paramref name="b"/>: ln(typical frequency / frequency of the value), the frequency taken as the
    /// larger of the two sides' (a typo of a common name counts as the common name). Positive for a rare
    /// name, negative for a common one, 0 without counts.
    /// </summary>
    public double LastNameWeight(PreparedRecord a, PreparedRecord b) =>
        a.LastNames.Length == 0 || b.LastNames.Length == 0 ? 0 : Weight(TypicalLast, Math.Max(Counts(a).Last, Counts(b).Last));

    /// <summary>Same for first names.</summary>
    public double FirstNameWeight(PreparedRecord a, PreparedRecord b) =>
        a.FirstNames.Length == 0 || b.FirstNames.Length == 0 ? 0 : Weight(TypicalFirst, Math.Max(Counts(a).First, Counts(b).First));

    /// <summary>How many identities have this record's last name (folded), 0 when unknown.</summary>
    public int LastNameCount(PreparedRecord record) => LastKey(record) is { } key ? _last.GetValueOrDefault(key) : 0;

    /// <summary>How many identities have this record's first name (folded), 0 when unknown.</summary>
    public int FirstNameCount(PreparedRecord record) => FirstKey(record) is { } key ? _first.GetValueOrDefault(key) : 0;

    /// <summary>
    /// Expected number of other identities sharing both names of the pair by chance (frequency of the last
    /// name × frequency of the first name × identities): below 0.05 the name pair is « rare ».
    /// Infinity without counts (nothing is known to be rare).
    /// </summary>
    public double ExpectedHomonyms(PreparedRecord a, PreparedRecord b)
    {
        if (Identities == 0) return double.PositiveInfinity;
        var (ca, cb) = (Counts(a), Counts(b));
        return (double)Math.Max(ca.Last, cb.Last) * Math.Max(ca.First, cb.First) / Identities;
    }

    private double Weight(double typical, int count) => Identities == 0 ? 0 : Math.Log(typical * Identities / count);

    private static int Count(Dictionary<string, int> counts, string? key) => key is null ? 1 : Math.Max(1, counts.GetValueOrDefault(key));

    /// <summary>The record's counts (last name, first name; at least 1), cached on the record for these frequencies.</summary>
    private (int Last, int First) Counts(PreparedRecord record)
    {
        if (ReferenceEquals(record.FrequencySource, this)) return record.FrequencyCounts;
        var counts = (Count(_last, LastKey(record)), Count(_first, FirstKey(record)));
        record.FrequencyCounts = counts;
        record.FrequencySource = this;
        return counts;
    }

    private static double Typical(Dictionary<string, int> counts, int identities)
    {
        if (identities == 0) return 0;
        var sum = 0.0;
        foreach (var count in counts.Values) sum += (double)count * count;
        return sum / ((double)identities * identities);
    }

    private static string? LastKey(PreparedRecord record) => record.LastNames.Length == 0 ? null : record.LastNames[0].Key;

    private static string? FirstKey(PreparedRecord record) => record.FirstNames.Length == 0 ? null : record.FirstNames[0].Key;
}
