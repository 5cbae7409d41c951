using System.Collections.Immutable;
using Listes360.Domain.Candidatures;
using Listes360.Domain.Projections;
using Listes360.Domain.Registry;
using Listes360.Domain.Risk;

namespace Listes360.Domain.Observatory;

/// <summary>Distinct persons waiting, the sum of list entries and the persons at home without solution, of one row of a snapshot.</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Observatory.SnapshotCounts")]
public readonly record struct SnapshotCounts(
    [property: Id(0)] long Persons,
    [property: Id(1)] long Entries,
    [property: Id(2)] long WithoutSolution)
{
    public static SnapshotCounts Of(WaitingCell cell) => new(cell.Persons, cell.Entries, cell.PersonsWithoutSolution);
}

/// <summary>Waiting time of the persons waiting for one kind, in days: first quartile, median, third quartile, 90th centile (nearest rank).</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Observatory.WaitingQuartiles")]
public readonly record struct WaitingQuartiles(
    [property: Id(0)] int Persons,
    [property: Id(1)] int Q1Days,
    [property: Id(2)] int MedianDays,
    [property: Id(3)] int Q3Days,
    [property: Id(4)] int P90Days);

/// <summary>One kind of support in a snapshot: its counts, and its waiting time (null when no one waits for it with a dated request).</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Observatory.KindSnapshot")]
public sealed record KindSnapshot(
    [property: Id(0)] KindOfSupport Kind,
    [property: Id(1)] SnapshotCounts Counts,
    [property: Id(2)] WaitingQuartiles? Waiting);

/// <summary>One territory (EPCI code, or <see cref="WaitingKey.UnknownTerritory"/>) in a snapshot: distinct persons over all kinds.</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Observatory.TerritorySnapshot")]
public sealed record TerritorySnapshot(
    [property: Id(0)] string Territory,
    [property: Id(1)] SnapshotCounts Counts);

/// <summary>
/// The observatory's indicators of a département on one day, as the daily pass leaves them: counts and
/// waiting times only — never a name, a birth date or an identifier. Bounded: one row per kind of
/// support and per territory of the département.
/// </summary>
/// <param name="AdmissionsInMonth">Admissions recorded in the snapshot's calendar month up to its date.</param>
/// <param name="Admissions365">Admissions over the 365 days up to the date.</param>
[GenerateSerializer, Immutable, Alias("Listes360.Observatory.IndicatorSnapshot")]
public sealed record IndicatorSnapshot(
    [property: Id(0)] DateOnly Date,
    [property: Id(1)] DateTimeOffset TakenAt,
    [property: Id(2)] SnapshotCounts Total,
    [property: Id(3)] int Creton,
    [property: Id(4)] int TransitionAge,
    [property: Id(5)] int AdmissionsInMonth,
    [property: Id(6)] int Admissions365,
    [property: Id(7)] ImmutableArray<KindSnapshot> Kinds,
    [property: Id(8)] ImmutableArray<TerritorySnapshot> Territories)
{
    /// <summary>The snapshot of the merged counts and indicators of a département (<paramref name="risk"/>'s date is the snapshot's).</summary>
    public static IndicatorSnapshot Of(DateTimeOffset takenAt, WaitingCounts counts, RiskIndicatorSummary risk)
    {
        var waiting = risk.WaitingTimes.Where(g => g.Territory == RiskIndicators.AllTerritories)
            .ToDictionary(g => g.Kind, g => new WaitingQuartiles(g.Persons, g.Q1Days, g.MedianDays, g.Q3Days, g.P90Days));
        var kinds = counts.Cells.Keys.Where(k => k.Kind is not null).Select(k => k.Kind!.Value)
            .Concat(waiting.Keys).Distinct().Order()
            .Select(k => new KindSnapshot(k, SnapshotCounts.Of(counts.ForKind(k)), waiting.TryGetValue(k, out var w) ? w : null));
        var territories = counts.Cells.Keys.Where(k => k.Kind is null).Select(k => k.Territory).Distinct()
            .OrderBy(t => t == WaitingKey.UnknownTerritory ? "~" : t, StringComparer.Ordinal)
            .Select(t => new TerritorySnapshot(t, SnapshotCounts.Of(counts.ForTerritory(t))));
        var month = RiskIndicators.MonthOf(risk.Date);
        return new IndicatorSnapshot(risk.Date, takenAt, SnapshotCounts.Of(counts.Total()), risk.Creton, risk.TransitionAge,
            risk.AdmissionsByMonth.Where(m => m.Month == month).Sum(m => m.Count),
            risk.Outcomes.Where(o => o.Status == CandidatureStatus.Admitted).Sum(o => o.Count),
            [.. kinds], [.. territories]);
    }

    /// <summary>One kind's row (zero counts and no waiting time when the kind is absent that day).</summary>
    public KindSnapshot ForKind(KindOfSupport kind) =>
        Kinds.FirstOrDefault(k => k.Kind == kind) ?? new KindSnapshot(kind, default, null);

    /// <summary>One territory's counts (zero when absent that day).</summary>
    public SnapshotCounts ForTerritory(string territory) =>
        Territories.FirstOrDefault(t => t.Territory == territory)?.Counts ?? default;
}

/// <summary>
/// A département's daily snapshots, oldest first, one per date: recording a date already kept replaces
/// it (a pass run twice the same day leaves the later one). Bounded to <see cref="MaxDays"/> days: a
/// snapshot more than <see cref="MaxDays"/> days older than the newest is dropped, so at most
/// <see cref="MaxDays"/> snapshots are kept: for 20 kinds and 40 territories, under 900 KB in Orleans'
/// binary serializer (one Azure Table entity; a domain test checks it).
/// </summary>
[GenerateSerializer, Immutable, Alias("Listes360.Observatory.SnapshotHistory")]
public sealed record SnapshotHistory([property: Id(0)] ImmutableArray<IndicatorSnapshot> Days)
{
    /// <summary>How many days of snapshots are kept: 13 months and a bit, so a month is comparable with the same month a year before.</summary>
    public const int MaxDays = 400;

    public static readonly SnapshotHistory Empty = new(ImmutableArray<IndicatorSnapshot>.Empty);

    /// <summary>The first date kept beside a newest snapshot on <paramref name="newest"/>.</summary>
    public static DateOnly FirstKept(DateOnly newest) => newest.AddDays(-(MaxDays - 1));

    /// <summary>
    /// The history with <paramref name="snapshot"/> in place: the same date replaced, the dates in order, those
    /// before <see cref="FirstKept"/> of the newest dropped (a snapshot older than that changes nothing).
    /// </summary>
    public SnapshotHistory Record(IndicatorSnapshot snapshot)
    {
        var days = Days.IsDefault ? [] : Days;
        var merged = days.Where(d => d.Date != snapshot.Date).Append(snapshot).OrderBy(d => d.Date).ToList();
        var first = FirstKept(merged[^1].Date);
        return new SnapshotHistory([.. merged.Where(d => d.Date >= first)]);
    }

    /// <summary>The snapshots of the last <paramref name="days"/> days up to the newest (1 to <see cref="MaxDays"/>; else a French error).</summary>
    public IReadOnlyList<IndicatorSnapshot> Last(int days)
    {
        RequireDays(days);
        if (Days.IsDefaultOrEmpty)
            return [];
        var first = Days[^1].Date.AddDays(-(days - 1));
        return [.. Days.Where(d => d.Date >= first)];
    }

    public static void RequireDays(int days)
    {
        if (days is < 1 or > MaxDays)
            throw new DomainException("INVALID_DAYS", $"Le nombre de jours de l'historique doit être compris entre 1 et {MaxDays} (reçu : {days}) : seuls {MaxDays} jours sont conservés.", "days");
    }
}
