using System.Collections.Immutable;
using Listes360.Domain.Candidatures;
using Listes360.Domain.Projections;
using Listes360.Domain.Registry;

namespace Listes360.Domain.Risk;

/// <summary>
/// One risk shard's part of the indicators: flag counts, the waiting durations (days) of its waiting
/// persons by (kind, territory) and by kind over all territories (<see cref="RiskIndicators.AllTerritories"/>),
/// and its admissions and refusals in the 365 days up to the date. Durations are kept whole (not
/// pre-aggregated) because medians and percentiles of shards do not combine.
/// </summary>
[GenerateSerializer, Immutable, Alias("Listes360.Risk.RiskIndicatorPart")]
public sealed record RiskIndicatorPart(
    [property: Id(0)] int Creton,
    [property: Id(1)] int TransitionAge,
    [property: Id(2)] ImmutableDictionary<WaitingKey, ImmutableArray<int>> WaitingDays,
    [property: Id(3)] ImmutableDictionary<OutcomeKey, int> Outcomes)
{
    /// <summary>Admissions by month (« yyyy-MM ») over the 12 months up to the date's month, months without one left out.</summary>
    [Id(4)] public ImmutableDictionary<string, int> AdmissionsByMonth { get; init; } = ImmutableDictionary<string, int>.Empty;
}

/// <summary>Admissions of one month (« yyyy-MM »).</summary>
public sealed record MonthCount(string Month, int Count);

/// <summary>Waiting time of one (kind, territory) group: median, quartiles (nearest rank) and 90th percentile, in days.</summary>
public sealed record WaitingTimeGroup(KindOfSupport Kind, string Territory, int Persons, int MedianDays, int P90Days)
{
    /// <summary>First quartile: a quarter of the persons have waited this long or less.</summary>
    public int Q1Days { get; init; }

    /// <summary>Third quartile: three quarters of the persons have waited this long or less.</summary>
    public int Q3Days { get; init; }
}

/// <summary>Admissions or refusals with one harmonised reason, with its ANS codes.</summary>
public sealed record OutcomeCount(CandidatureStatus Status, CandidatureReason? Reason, int Count)
{
    /// <summary>JDV_J252 status code.</summary>
    public string AnsStatus => Status.Info().Ans.Code;

    /// <summary>JDV_J251 reason code, <c>null</c> for an admission or a reason without ANS code.</summary>
    public string? AnsReason => Reason?.Info().Ans?.Code;
}

/// <summary>The merged indicators of a département on a date.</summary>
public sealed record RiskIndicatorSummary(
    DateOnly Date,
    int Creton,
    int TransitionAge,
    IReadOnlyList<WaitingTimeGroup> WaitingTimes,
    IReadOnlyList<OutcomeCount> Outcomes)
{
    /// <summary>Admissions per month, the 12 months up to the date's month in order (zero included).</summary>
    public IReadOnlyList<MonthCount> AdmissionsByMonth { get; init; } = [];
}

public static class RiskIndicators
{
    /// <summary>The territory key of the "all territories" groups.</summary>
    public const string AllTerritories = "*";

    public static RiskIndicatorSummary Merge(DateOnly date, IEnumerable<RiskIndicatorPart> parts)
    {
        var creton = 0;
        var transition = 0;
        var days = new Dictionary<WaitingKey, List<int>>();
        var outcomes = new Dictionary<OutcomeKey, int>();
        var months = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var part in parts)
        {
            foreach (var (month, count) in part.AdmissionsByMonth ?? ImmutableDictionary<string, int>.Empty)
                months[month] = months.GetValueOrDefault(month) + count;
            creton += part.Creton;
            transition += part.TransitionAge;
            foreach (var (key, values) in part.WaitingDays)
            {
                if (!days.TryGetValue(key, out var list)) days[key] = list = [];
                list.AddRange(values);
            }
            foreach (var (key, count) in part.Outcomes)
                outcomes[key] = outcomes.GetValueOrDefault(key) + count;
        }
        var groups = days
            .Select(kv =>
            {
                kv.Value.Sort();
                return new WaitingTimeGroup(kv.Key.Kind!.Value, kv.Key.Territory, kv.Value.Count, Percentile(kv.Value, 0.5), Percentile(kv.Value, 0.9))
                {
                    Q1Days = Percentile(kv.Value, 0.25),
                    Q3Days = Percentile(kv.Value, 0.75),
                };
            })
            .OrderBy(g => g.Kind).ThenBy(g => g.Territory == AllTerritories ? "" : g.Territory, StringComparer.Ordinal)
            .ToList();
        var counts = outcomes.Select(kv => new OutcomeCount(kv.Key.Status, kv.Key.Reason, kv.Value))
            .OrderBy(o => o.Status).ThenBy(o => o.Reason.HasValue).ThenBy(o => o.Reason)
            .ToList();
        return new RiskIndicatorSummary(date, creton, transition, groups, counts)
        {
            AdmissionsByMonth = [.. LastMonths(date).Select(m => new MonthCount(m, months.GetValueOrDefault(m)))],
        };
    }

    /// <summary>The key of a date's month (« yyyy-MM »).</summary>
    public static string MonthOf(DateOnly date) => date.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The 12 months up to the date's month, the oldest first (« yyyy-MM »).</summary>
    public static IEnumerable<string> LastMonths(DateOnly date)
    {
        var first = new DateOnly(date.Year, date.Month, 1).AddMonths(-11);
        return Enumerable.Range(0, 12).Select(i => MonthOf(first.AddMonths(i)));
    }

    /// <summary>Nearest-rank percentile of sorted values: the smallest value with at least <paramref name="q"/> of the values at or below it.</summary>
    public static int Percentile(IReadOnlyList<int> sorted, double q)
    {
        if (sorted.Count == 0)
            throw new DomainException("EMPTY_SAMPLE", "Aucune valeur pour calculer un percentile.");
        var rank = (int)Math.Ceiling(q * sorted.Count);
        return sorted[Math.Clamp(rank, 1, sorted.Count) - 1];
    }
}
