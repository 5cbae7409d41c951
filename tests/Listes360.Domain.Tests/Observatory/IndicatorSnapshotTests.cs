using System.Collections.Immutable;
using Listes360.Domain.Candidatures;
using Listes360.Domain.Observatory;
using Listes360.Domain.Projections;
using Listes360.Domain.Registry;
using Listes360.Domain.Risk;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace Listes360.Domain.Tests.Observatory;

public sealed class IndicatorSnapshotTests
{
    private static readonly DateOnly On = new(2026, 11, 23);
    private static readonly DateTimeOffset At = new(2026, 11, 23, 3, 10, 0, TimeSpan.Zero);

    private static WaitingCounts Counts() => WaitingCounts.Of(
    [
        new(new WaitingKey(KindOfSupport.Mas, "200000001"), new WaitingCell { Persons = 3, Entries = 7, PersonsWithoutSolution = 2 }),
        new(new WaitingKey(KindOfSupport.Fam, "200000001"), new WaitingCell { Persons = 2, Entries = 2 }),
        new(new WaitingKey(null, "200000001"), new WaitingCell { Persons = 4, Entries = 9, PersonsWithoutSolution = 2 }),
        new(new WaitingKey(KindOfSupport.Mas, WaitingKey.UnknownTerritory), new WaitingCell { Persons = 1, Entries = 1 }),
        new(new WaitingKey(null, WaitingKey.UnknownTerritory), new WaitingCell { Persons = 1, Entries = 1 }),
    ]);

    private static RiskIndicatorSummary Risk(DateOnly date) => new(date, 2, 1,
        [
            new WaitingTimeGroup(KindOfSupport.Mas, RiskIndicators.AllTerritories, 4, 300, 900) { Q1Days = 100, Q3Days = 600 },
            new WaitingTimeGroup(KindOfSupport.Mas, "200000001", 3, 310, 900) { Q1Days = 120, Q3Days = 620 },
        ],
        [new OutcomeCount(CandidatureStatus.Admitted, null, 5), new OutcomeCount(CandidatureStatus.RefusedByEsms, CandidatureReason.TechnicalPlatformUnsuited, 3)])
    {
        AdmissionsByMonth = [.. RiskIndicators.LastMonths(date).Select(m => new MonthCount(m, m == RiskIndicators.MonthOf(date) ? 2 : 0))],
    };

    private static IndicatorSnapshot Snapshot(DateOnly date, long persons = 5) =>
        IndicatorSnapshot.Of(At, Counts(), Risk(date)) with { Total = new SnapshotCounts(persons, 10, 2) };

    [Fact]
    public void A_snapshot_keeps_distinct_persons_and_entries_by_kind_and_territory_quartiles_and_admissions()
    {
        var s = IndicatorSnapshot.Of(At, Counts(), Risk(On));

        Assert.Equal((On, At), (s.Date, s.TakenAt));
        Assert.Equal(new SnapshotCounts(5, 10, 2), s.Total); // distinct persons over all territories, not the sum over kinds (6)
        Assert.Equal((2, 1), (s.Creton, s.TransitionAge));
        Assert.Equal((2, 5), (s.AdmissionsInMonth, s.Admissions365)); // refusals are not admissions
        Assert.Equal([KindOfSupport.Fam, KindOfSupport.Mas], s.Kinds.Select(k => k.Kind).OrderBy(k => k.ToString()));
        Assert.Equal(new SnapshotCounts(4, 8, 2), s.ForKind(KindOfSupport.Mas).Counts);
        Assert.Equal(new WaitingQuartiles(4, 100, 300, 600, 900), s.ForKind(KindOfSupport.Mas).Waiting); // the département's, not one territory's
        Assert.Null(s.ForKind(KindOfSupport.Fam).Waiting);
        Assert.Equal(["200000001", WaitingKey.UnknownTerritory], s.Territories.Select(t => t.Territory)); // the unknown territory last
        Assert.Equal(new SnapshotCounts(4, 9, 2), s.ForTerritory("200000001"));
        Assert.Equal(default, s.ForTerritory("200000099"));
    }

    [Fact]
    public void An_empty_departement_gives_a_snapshot_of_zeros()
    {
        var s = IndicatorSnapshot.Of(At, WaitingCounts.Empty, RiskIndicators.Merge(On, []));
        Assert.Equal(default, s.Total);
        Assert.Empty(s.Kinds);
        Assert.Empty(s.Territories);
        Assert.Equal((0, 0), (s.AdmissionsInMonth, s.Admissions365));
    }

    [Fact]
    public void Recording_the_same_day_again_replaces_it_and_keeps_the_days_in_order()
    {
        var history = SnapshotHistory.Empty
            .Record(Snapshot(On, 5))
            .Record(Snapshot(On.AddDays(-2), 3))
            .Record(Snapshot(On, 7));

        Assert.Equal([On.AddDays(-2), On], history.Days.Select(d => d.Date));
        Assert.Equal(7, history.Days[^1].Total.Persons);
    }

    [Fact]
    public void The_history_keeps_400_days_and_drops_the_oldest()
    {
        var history = SnapshotHistory.Empty;
        var first = On.AddDays(-SnapshotHistory.MaxDays - 9);
        for (var d = first; d <= On; d = d.AddDays(1))
            history = history.Record(Snapshot(d));

        Assert.Equal(SnapshotHistory.MaxDays, history.Days.Length);
        Assert.Equal(On.AddDays(-(SnapshotHistory.MaxDays - 1)), history.Days[0].Date);
        Assert.Equal(On, history.Days[^1].Date);
        // A day older than the window kept changes nothing.
        Assert.Equal(history.Days.Select(d => d.Date), history.Record(Snapshot(first)).Days.Select(d => d.Date));
        // A gap of days: only the days within the window are kept.
        var later = history.Record(Snapshot(On.AddDays(SnapshotHistory.MaxDays - 2)));
        Assert.Equal([On.AddDays(-1), On, On.AddDays(SnapshotHistory.MaxDays - 2)], later.Days.Select(d => d.Date));
    }

    [Fact]
    public void The_last_days_are_read_up_to_the_newest_and_a_bad_count_is_refused_in_french()
    {
        var history = SnapshotHistory.Empty.Record(Snapshot(On.AddDays(-40))).Record(Snapshot(On.AddDays(-10))).Record(Snapshot(On));

        Assert.Equal([On.AddDays(-10), On], history.Last(30).Select(d => d.Date));
        Assert.Single(history.Last(1));
        Assert.Equal(3, history.Last(SnapshotHistory.MaxDays).Count);
        Assert.Empty(SnapshotHistory.Empty.Last(30));
        var e = Assert.Throws<DomainException>(() => history.Last(0));
        Assert.Equal("INVALID_DAYS", e.Code);
        Assert.Contains("entre 1 et 400", e.Message);
        Assert.Throws<DomainException>(() => history.Last(SnapshotHistory.MaxDays + 1));
    }

    [Fact]
    public void A_full_history_of_a_wide_departement_fits_one_table_entity_through_orleans_serializer()
    {
        // 20 kinds, 40 territories, every kind with its quartiles, for 400 days: the bound stated on SnapshotHistory.
        var kinds = Enum.GetValues<KindOfSupport>().Take(20).ToList();
        var cells = kinds.SelectMany(k => Enumerable.Range(0, 40).Select(t => new KeyValuePair<WaitingKey, WaitingCell>(
                new WaitingKey(k, $"2000{t:00000}"), new WaitingCell { Persons = 1000 + t, Entries = 3000 + t, PersonsWithoutSolution = 200 + t })))
            .Concat(Enumerable.Range(0, 40).Select(t => new KeyValuePair<WaitingKey, WaitingCell>(
                new WaitingKey(null, $"2000{t:00000}"), new WaitingCell { Persons = 1500 + t, Entries = 5000 + t, PersonsWithoutSolution = 300 + t })));
        var risk = new RiskIndicatorSummary(On, 250, 120,
            [.. kinds.Select(k => new WaitingTimeGroup(k, RiskIndicators.AllTerritories, 1000, 420, 1600) { Q1Days = 200, Q3Days = 900 })], []);
        var history = SnapshotHistory.Empty;
        var wide = IndicatorSnapshot.Of(At, WaitingCounts.Of(cells), risk);
        for (var d = 0; d < SnapshotHistory.MaxDays; d++)
            history = history.Record(wide with { Date = On.AddDays(d) });
        var serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();

        var bytes = serializer.SerializeToArray(history);

        Assert.InRange(bytes.Length, 1, 900_000);
        var back = serializer.Deserialize<SnapshotHistory>(bytes)!;
        Assert.Equal(SnapshotHistory.MaxDays, back.Days.Length);
        Assert.Equal(wide.Kinds.ToArray(), back.Days[^1].Kinds.ToArray());
        Assert.Equal(wide.Territories.ToArray(), back.Days[0].Territories.ToArray());
    }
}
