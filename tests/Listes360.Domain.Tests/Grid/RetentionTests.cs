using Listes360.Domain.Candidatures;
using Listes360.Domain.Grid;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;
using static Listes360.Domain.Tests.Grid.GridTestData;

namespace Listes360.Domain.Tests.Grid;

/// <summary>The bounds of persisted histories: a ranking's facts (<see cref="FactsRetention"/>) and the admission medians (<see cref="AdmissionWindow"/>).</summary>
public class RetentionTests
{
    [Fact]
    public void A_year_of_daily_changes_keeps_at_most_the_current_facts_and_the_bound_and_every_day_of_the_window_ranks_as_with_the_whole_history()
    {
        const int candidatures = 40;
        var start = Today.AddDays(-FactsRetention.WindowDays - 30);
        var kept = new Dictionary<string, List<TimedFacts>>();
        var pool = new List<SupersededFacts>();
        var markers = new Dictionary<string, ClosedCandidature>();
        var whole = new Dictionary<string, List<TimedFacts>>();
        var archive = new List<SupersededFacts>();
        var random = new Random(14);
        var maxInState = 0;
        var closed = new HashSet<string>();
        for (var day = start; day <= Today; day = day.AddDays(1))
        {
            // Every day, a quarter of the candidatures change (situation since that day, or a status).
            for (var i = 0; i < candidatures; i++)
            {
                if (random.Next(4) != 0 && day != start) continue;
                var id = $"C-K{i:D3}";
                if (closed.Contains(id)) continue;
                var facts = Candidate(id, requestDate: start.AddDays(-i), situation: new Situation { Kind = (SituationKind)random.Next(1, 5), Since = day }) with
                {
                    Status = random.Next(60) == 0 ? CandidatureStatus.Withdrawn : CandidatureStatus.Waiting,
                };
                if (facts.Status == CandidatureStatus.Withdrawn) closed.Add(id);
                Assert.True(FactsRetention.Record(kept, pool, markers, facts, day).Changed);
                if (!whole.TryGetValue(id, out var versions)) whole[id] = versions = [];
                if (versions.Count > 0 && versions[^1].RecordedOn == day) versions[^1] = new(day, facts);
                else versions.Add(new(day, facts));
                // As the ranking grain does after each recording.
                if (FactsRetention.SupersededCount(kept, pool) >= FactsRetention.SupersededKept)
                {
                    var moved = FactsRetention.Superseded(kept, pool);
                    Assert.True(moved.Count <= FactsRetention.SupersededKept);
                    var page = FactsRetention.PageOf(1, moved);
                    Assert.All(moved, m => Assert.True(m.RecordedOn >= page.FirstRecordedOn && m.SupersededOn <= page.LastSupersededOn && m.RecordedOn < m.SupersededOn));
                    archive.AddRange(moved);
                    FactsRetention.KeepCurrentOnly(kept, pool);
                }
                maxInState = Math.Max(maxInState, kept.Values.Sum(v => v.Count) + pool.Count);
            }
            FactsRetention.DropClosedBeforeWindow(markers, day);
        }

        Assert.True(maxInState <= candidatures + FactsRetention.SupersededKept, $"{maxInState} versions in the state");
        Assert.NotEmpty(archive);
        Assert.All(kept.Values, v => Assert.True(v.Count >= 1 && v[^1].Facts.Status.IsOpen()));
        Assert.NotEmpty(markers);
        Assert.All(markers.Values, m => Assert.True(m.ClosedOn >= FactsRetention.WindowStart(Today)));
        var grid = Orne(1, new DateOnly(2020, 1, 1));
        for (var day = FactsRetention.WindowStart(Today); day <= Today; day = day.AddDays(7))
        {
            var expected = Ranking.Rank(grid, Fam, Modality.Residential, whole.Values.Select(v => FactsHistory.AsOf(v, day)).OfType<CandidateFacts>(), day);
            var actual = Ranking.Rank(grid, Fam, Modality.Residential, FactsRetention.AsOf(kept, archive.Concat(pool), day), day);
            Assert.Equal(Describe(expected), Describe(actual));
        }
    }

    [Fact]
    public void A_closing_moves_the_versions_to_the_pool_and_leaves_a_marker_dropped_after_the_window_a_reopening_starts_again()
    {
        var history = new Dictionary<string, List<TimedFacts>>();
        var pool = new List<SupersededFacts>();
        var markers = new Dictionary<string, ClosedCandidature>();
        var d0 = Today.AddDays(-30);
        Assert.Equal((true, (CandidatureStatus?)null), FactsRetention.Record(history, pool, markers, Candidate("C-D1"), d0));
        Assert.Equal((false, (CandidatureStatus?)CandidatureStatus.Waiting), FactsRetention.Record(history, pool, markers, Candidate("C-D1"), d0.AddDays(1)));
        FactsRetention.Record(history, pool, markers, Candidate("C-D1", commune: "61002"), d0.AddDays(5));
        Assert.Equal((true, (CandidatureStatus?)CandidatureStatus.Waiting), FactsRetention.Record(history, pool, markers, Candidate("C-D1", status: CandidatureStatus.Admitted), d0.AddDays(9)));

        Assert.Empty(history);
        Assert.Equal(new ClosedCandidature(d0.AddDays(9), CandidatureStatus.Admitted, KindOfSupport.Fam), markers["C-D1"]);
        Assert.Equal([(d0, d0.AddDays(5)), (d0.AddDays(5), d0.AddDays(9))], pool.Select(p => (p.RecordedOn, p.SupersededOn)));
        Assert.Equal("61002", Assert.Single(FactsRetention.AsOf(history, pool, d0.AddDays(8))).ResidenceCommune);
        Assert.Empty(FactsRetention.AsOf(history, pool, d0.AddDays(9)));
        Assert.False(FactsRetention.Record(history, pool, markers, Candidate("C-D1", status: CandidatureStatus.Admitted), d0.AddDays(10)).Changed);

        // The admission undone: open again from that day, closed in between.
        Assert.Equal((true, (CandidatureStatus?)CandidatureStatus.Admitted), FactsRetention.Record(history, pool, markers, Candidate("C-D1"), d0.AddDays(20)));
        Assert.Empty(markers);
        Assert.Empty(FactsRetention.AsOf(history, pool, d0.AddDays(15)));
        Assert.Single(FactsRetention.AsOf(history, pool, d0.AddDays(20)));

        markers["C-D2"] = new ClosedCandidature(FactsRetention.WindowStart(Today).AddDays(-1), CandidatureStatus.Withdrawn, KindOfSupport.Fam);
        markers["C-D3"] = new ClosedCandidature(FactsRetention.WindowStart(Today), CandidatureStatus.Withdrawn, KindOfSupport.Fam);
        Assert.Equal(["C-D2"], FactsRetention.DropClosedBeforeWindow(markers, Today));
        Assert.Equal(["C-D3"], markers.Keys);
    }

    [Fact]
    public void A_history_written_before_the_markers_takes_them_and_ranks_every_day_the_same()
    {
        var d0 = Today.AddDays(-20);
        var old = new Dictionary<string, List<TimedFacts>>
        {
            ["C-M1"] = [new(d0, Candidate("C-M1")), new(d0.AddDays(4), Candidate("C-M1", commune: "61002")), new(d0.AddDays(9), Candidate("C-M1", status: CandidatureStatus.Withdrawn))],
            ["C-M2"] = [new(d0, Candidate("C-M2"))],
        };
        var history = old.ToDictionary(h => h.Key, h => h.Value.ToList());
        var pool = new List<SupersededFacts>();
        var markers = new Dictionary<string, ClosedCandidature>();

        Assert.Equal(1, FactsRetention.MarkClosed(history, pool, markers));
        Assert.Equal(["C-M2"], history.Keys);
        Assert.Equal(new ClosedCandidature(d0.AddDays(9), CandidatureStatus.Withdrawn, KindOfSupport.Fam), markers["C-M1"]);
        var grid = Orne(1, new DateOnly(2020, 1, 1));
        for (var day = d0; day <= Today; day = day.AddDays(1))
            Assert.Equal(
                Describe(Ranking.Rank(grid, Fam, Modality.Residential, old.Values.Select(v => FactsHistory.AsOf(v, day)).OfType<CandidateFacts>(), day)),
                Describe(Ranking.Rank(grid, Fam, Modality.Residential, FactsRetention.AsOf(history, pool, day), day)));
    }

    [Fact]
    public void Archive_pages_are_dropped_once_every_version_on_them_was_superseded_before_the_window()
    {
        var start = FactsRetention.WindowStart(Today);
        var pages = new[] { new FactsPage(1, start.AddDays(-90), start, 512), new FactsPage(2, start.AddDays(-90), start.AddDays(1), 512) };
        Assert.Equal([1], FactsRetention.PagesBeforeWindow(pages, Today).Select(p => p.Number));
        Assert.False(pages[0].MayHold(start));
        Assert.True(pages[1].MayHold(start));
    }

    [Fact]
    public void A_ranking_before_the_window_is_refused_with_what_and_why()
    {
        var start = FactsRetention.WindowStart(Today);
        FactsRetention.RequireInWindow(start, Today);
        var refused = Assert.Throws<DomainException>(() => FactsRetention.RequireInWindow(start.AddDays(-1), Today));
        Assert.Equal("RANKING_HISTORY_EXPIRED", refused.Code);
        Assert.Equal($"Le classement du {start.AddDays(-1):dd/MM/yyyy} ne peut plus être recalculé : les faits des candidatures ne sont conservés que sur les 366 derniers jours (classements recalculables depuis le {start:dd/MM/yyyy}).", refused.Message);
    }

    [Fact]
    public void Admission_samples_keep_the_most_recent_admissions_of_each_kind_and_territory_and_their_exact_median()
    {
        var samples = new Dictionary<string, List<AdmissionSample>>();
        var random = new Random(7);
        var all = Enumerable.Range(0, 1_000).Select(i =>
        {
            var admitted = new DateOnly(2024, 1, 1).AddDays(random.Next(0, 700));
            return new AdmissionRecord($"C-A{i:D4}", KindOfSupport.Fam, "T1", admitted.AddDays(-random.Next(0, 900)), admitted);
        }).ToList();
        foreach (var a in all)
            AdmissionWindow.Record(samples, a);
        AdmissionWindow.Record(samples, new AdmissionRecord("C-M1", KindOfSupport.Mas, "T1", new DateOnly(2024, 1, 1), new DateOnly(2024, 3, 1)));

        Assert.Equal(AdmissionWindow.Kept, samples[AdmissionWindow.KeyOf(KindOfSupport.Fam, "T1")].Count);
        var recent = all.OrderByDescending(a => a.AdmittedOn).Take(AdmissionWindow.Kept).ToList();
        var cut = recent[^1].AdmittedOn;
        // Same admission date at the cut: which of them are kept depends on arrival; the median must be over dates ≥ the cut.
        var kept = samples[AdmissionWindow.KeyOf(KindOfSupport.Fam, "T1")];
        Assert.All(kept, s => Assert.True(s.AdmittedOn >= cut));
        Assert.Equal(all.Count(a => a.AdmittedOn > cut), kept.Count(s => s.AdmittedOn > cut));
        var median = AdmissionWindow.Median(samples, KindOfSupport.Fam, "T1");
        Assert.Equal(kept.Select(s => s.WaitedDays).Order().ElementAt(AdmissionWindow.Kept / 2), median.MedianDays);
        Assert.Equal(AdmissionWindow.Kept, median.Admissions);
        Assert.Equal(new WaitingTime(KindOfSupport.Mas, "T1", 1, 60), AdmissionWindow.Median(samples, KindOfSupport.Mas, "T1"));

        // An admission older than every kept one changes nothing; one undone leaves the sample; a record under another territory moves it.
        Assert.False(AdmissionWindow.Record(samples, new AdmissionRecord("C-OLD", KindOfSupport.Fam, "T1", new DateOnly(2020, 1, 1), new DateOnly(2020, 2, 1))));
        Assert.True(AdmissionWindow.Remove(samples, kept[0].CandidatureId));
        Assert.Equal(AdmissionWindow.Kept - 1, AdmissionWindow.Median(samples, KindOfSupport.Fam, "T1").Admissions);
        Assert.True(AdmissionWindow.Record(samples, new AdmissionRecord("C-M1", KindOfSupport.Mas, "T2", new DateOnly(2024, 1, 1), new DateOnly(2024, 3, 1))));
        Assert.Equal(0, AdmissionWindow.Median(samples, KindOfSupport.Mas, "T1").Admissions);
        Assert.Equal(60, AdmissionWindow.Median(samples, KindOfSupport.Mas, "T2").MedianDays);
        Assert.False(AdmissionWindow.Record(samples, new AdmissionRecord("C-M1", KindOfSupport.Mas, "T2", new DateOnly(2024, 1, 1), new DateOnly(2024, 3, 1))));
        Assert.All(samples.Values, s => Assert.True(s.Count <= AdmissionWindow.Kept));
    }

    private static string Describe(RankingResult r) => string.Join("\n", r.Entries.Select(e => $"{e.Position} {e.CandidatureId} {e.Score.Total}"))
        + " | " + string.Join(",", r.Excluded.Select(x => x.CandidatureId.Value));
}
