using Listes360.Domain.Identity.Records;

namespace Listes360.Domain.Identity;

/// <summary>
/// The name counts (about 30 bytes a name: at most ~500 KB of state with both sides full) a département's identity resolution keeps of its own persons (one count per person
/// created, by folded last name and first name), for <see cref="NameFrequencies"/>. Bounded: past
/// <see cref="MaxNames"/> distinct values on a side, the values seen once are dropped first (an unknown
/// value counts as seen once, so dropping them changes no weight), then the least frequent.
/// </summary>
[GenerateSerializer, Alias("Listes360.Identity.NameCounts")]
public sealed class NameCounts
{
    public const int MaxNames = 8_000;

    [Id(0)] public Dictionary<string, int> Last { get; set; } = new(StringComparer.Ordinal);
    [Id(1)] public Dictionary<string, int> First { get; set; } = new(StringComparer.Ordinal);
    [Id(2)] public int Identities { get; set; }

    /// <summary>Counts one more person with the names of <paramref name="record"/>.</summary>
    public void Add(PersonRecord record, string? department = null)
    {
        var (last, first) = NameFrequencies.KeysOf(PreparedRecord.From(record, department));
        if (last is null && first is null) return;
        Identities++;
        if (last is not null) Bump(Last, last);
        if (first is not null) Bump(First, first);
    }

    public NameFrequencies Frequencies() => NameFrequencies.FromCounts(Last, First, Identities);

    private static void Bump(Dictionary<string, int> counts, string key)
    {
        counts[key] = counts.GetValueOrDefault(key) + 1;
        if (counts.Count <= MaxNames) return;
        foreach (var once in counts.Where(c => c.Value == 1 && c.Key != key).Select(c => c.Key).ToList())
            counts.Remove(once);
        if (counts.Count <= MaxNames) return;
        foreach (var rare in counts.OrderBy(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).Take(counts.Count - MaxNames).Select(c => c.Key).ToList())
            counts.Remove(rare);
    }
}
