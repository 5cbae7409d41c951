using System.Collections.Immutable;
using Listes360.Domain.Candidatures;
using Listes360.Domain.Persons;
using Listes360.Domain.Projections;
using Listes360.Domain.Registry;
using Listes360.Domain.Risk;
using Listes360.Domain.WaitingList;
using static Listes360.Domain.Tests.TestData;

namespace Listes360.Domain.Tests.WaitingList;

public class WaitingListTests
{
    private static PersonRecord AtHome(params Orientation[] orientations) =>
        Person(Today.AddYears(-12), orientations) with { Situation = Situation.Create(SituationKind.AtHomeWithoutSolution, Today.AddYears(-1), null, null, Today) };

    [Fact]
    public void Who_is_on_the_list_open_candidature_preferred_only_or_oriented_at_home_without_any()
    {
        var person = AtHome(Orientation(KindOfSupport.Ime));
        var open = Candidature();
        Assert.Equal(WaitingReason.OpenCandidature, WaitingListRows.ReasonOf(person, [open], Today));
        var preferred = CandidatureStateMachine.SetWaitingForPreferred(open, true, Now, Staff);
        Assert.Equal(WaitingReason.PreferredEsmsOnly, WaitingListRows.ReasonOf(person, [preferred], Today));
        Assert.Equal(WaitingReason.OpenCandidature, WaitingListRows.ReasonOf(person, [preferred, Candidature()], Today));
        Assert.Equal(WaitingReason.OrientedWithoutCandidature, WaitingListRows.ReasonOf(person, [], Today));
        Assert.Equal(WaitingReason.None, WaitingListRows.ReasonOf(AtHome(Orientation(KindOfSupport.Ime, from: Today.AddYears(-3), to: Today.AddDays(-1))), [], Today));
        Assert.Equal(WaitingReason.None, WaitingListRows.ReasonOf(Person(Today.AddYears(-12), Orientation(KindOfSupport.Ime)), [], Today));
        Assert.Equal(WaitingReason.None, WaitingListRows.ReasonOf(person, [open.At(CandidatureStatus.Admitted)], Today));
    }

    [Fact]
    public void The_counts_and_the_list_follow_one_rule_of_who_waits_oriented_persons_without_candidature_included()
    {
        var oriented = AtHome(Orientation(KindOfSupport.Ime), Orientation(KindOfSupport.Sessad));
        var open = Candidature();
        var preferred = CandidatureStateMachine.SetWaitingForPreferred(Candidature(), true, Now, Staff);
        var cases = new (PersonRecord Person, Candidature[] Candidatures)[]
        {
            (oriented, []),
            (oriented, [open]),
            (oriented, [preferred]),
            (oriented, [open.At(CandidatureStatus.Admitted)]),
            (AtHome(Orientation(KindOfSupport.Ime, from: Today.AddYears(-3), to: Today.AddDays(-1))), []),
            (Person(Today.AddYears(-12), Orientation(KindOfSupport.Ime)), []),
            (Person(Today.AddYears(-12), Orientation(KindOfSupport.Ime)), [open]),
        };
        foreach (var (person, candidatures) in cases)
        {
            var listed = WaitingListFilter.All.Matches(WaitingListRows.Of(person, candidatures, 1, "T1", null, simulated: false, Today));
            var counts = WaitingProjection.ContributionOf(person, "T1", candidatures, Today);
            Assert.Equal(listed ? 1 : 0, counts.Total().Persons);
        }
        var alone = WaitingProjection.ContributionOf(oriented, "T1", [], Today);
        Assert.Equal(1, alone.ForKind(KindOfSupport.Ime).Persons);
        Assert.Equal(1, alone.ForKind(KindOfSupport.Sessad).Persons);
        Assert.Equal(1, alone.Total().PersonsWithoutSolution);
        Assert.Equal(0, alone.Total().Entries);
    }

    [Fact]
    public void The_probability_order_is_for_the_roles_that_see_it_and_the_grid_score_order_needs_its_kind()
    {
        foreach (var role in new[] { Listes360.Domain.Security.Role.TerritorialStaff, Listes360.Domain.Security.Role.MdphReferent, Listes360.Domain.Security.Role.Admin, Listes360.Domain.Security.Role.Observatory })
            WaitingListOrdering.Check(WaitingListOrder.RiskProbability, null, new Listes360.Domain.Security.Caller("x", role, [], "61", null));
        var director = new Listes360.Domain.Security.Caller("d", Listes360.Domain.Security.Role.EsmsDirector, ["610000010"], "61", null);
        Assert.Equal("FORBIDDEN", Assert.Throws<DomainException>(() => WaitingListOrdering.Check(WaitingListOrder.RiskProbability, null, director)).Code);
        Assert.Contains("scoreKind", Assert.Throws<DomainException>(() => WaitingListOrdering.Check(WaitingListOrder.GridScore, null, null)).Message);
        Assert.Equal("INVALID_ORDER", Assert.Throws<DomainException>(() => WaitingListOrdering.Check(WaitingListOrder.Name, KindOfSupport.Mas, null)).Code);
        WaitingListOrdering.Check(WaitingListOrder.GridScore, KindOfSupport.Mas, director);
    }

    [Fact]
    public void A_row_carries_open_candidatures_oldest_request_flags_and_worklist_of_the_file()
    {
        var person = Person(Today.AddYears(-21), Orientation(KindOfSupport.Ime, to: Today.AddMonths(1)), Orientation(KindOfSupport.Mas)) with
        {
            Situation = Situation.Create(SituationKind.InChildrenEsmsUnderCreton, Today.AddYears(-1), null, null, Today),
        };
        var c1 = Candidature(KindOfSupport.Ime);
        var closed = Candidature(KindOfSupport.Ime).At(CandidatureStatus.Admitted);
        var row = WaitingListRows.Of(person, [c1, closed], 7, "200035418", null, simulated: true, Today);
        Assert.Equal(WaitingReason.OpenCandidature, row.Reason);
        Assert.Equal(7, row.Version);
        Assert.Equal([c1.Id], row.Candidatures.Select(c => c.Id));
        Assert.Equal(c1.RequestDate, row.OldestRequest);
        Assert.Equal([RiskFlag.Creton], row.Flags.ToArray());
        Assert.Contains(row.Worklist, i => i.Kind == WorklistItemKind.CretonWithoutAdultCandidature);
        Assert.True(row.Simulated);
        Assert.Equal("MARTIN", row.BirthName);
    }

    private static WaitingListEntry Row(string id, string name, DateOnly? oldest, WaitingReason reason = WaitingReason.OpenCandidature, long version = 1,
        KindOfSupport kind = KindOfSupport.Ime, string? territory = "T1", SituationKind? situation = null, UrgencyFlag? urgency = null) => new()
    {
        Person = PersonId.Parse(id),
        Version = version,
        Reason = reason,
        BirthName = name,
        FirstNames = ["Léa"],
        BirthDate = new DateOnly(2010, 1, 1),
        Territory = territory,
        Situation = situation is { } k ? Situation.Create(k, Today.AddYears(-1), null, null, Today) : null,
        Candidatures = oldest is { } d ? [new ListedCandidature(CandidatureId.Parse($"C-{id}"), ImeFiness, Modality.Residential, kind, CandidatureStatus.Waiting, d, false)] : [],
        OldestRequest = oldest,
        Urgency = urgency,
    };

    [Fact]
    public void A_shard_keeps_the_newest_row_and_a_tombstone_for_a_person_who_left_the_list()
    {
        var id = "61-a";
        var shard = WaitingListShard.Create(WaitingSharding.ShardOf(PersonId.Parse(id), 4), 4);
        shard = shard.Apply(Row(id, "Dupont", Today.AddYears(-1), version: 2));
        Assert.Same(shard, shard.Apply(Row(id, "Ancien", Today.AddYears(-2), version: 1)));
        shard = shard.Apply(Row(id, "Dupont", null, WaitingReason.None, version: 3));
        Assert.Empty(shard.Entries);
        Assert.Equal(3, shard.VersionOf(PersonId.Parse(id)));
        Assert.Same(shard, shard.Apply(Row(id, "Dupont", Today.AddYears(-1), version: 2))); // late, older: ignored
        shard = shard.Apply(Row(id, "Dupont", Today, version: 4));
        Assert.Single(shard.Entries);
        Assert.Empty(shard.Tombstones);
        var wrong = (WaitingSharding.ShardOf(PersonId.Parse(id), 4) + 1) % 4;
        Assert.Equal("WRONG_SHARD", Assert.Throws<DomainException>(() => WaitingListShard.Create(wrong, 4).Apply(Row(id, "Dupont", Today))).Code);
    }

    [Fact]
    public void Filters_narrow_by_each_criterion_and_persons_waiting_only_for_a_preferred_esms_come_only_when_asked()
    {
        var urgent = UrgencyFlag.Create(UrgencySource.TerritorialStaff, Today.AddDays(-3), "Aidant hospitalisé", "conseillere-1", Today);
        WaitingListEntry[] rows =
        [
            Row("61-a", "A", Today.AddYears(-3), situation: SituationKind.AtHomeWithoutSolution, urgency: urgent),
            Row("61-b", "B", Today.AddYears(-1), kind: KindOfSupport.Sessad, territory: "T2"),
            Row("61-c", "C", Today.AddMonths(-1), WaitingReason.PreferredEsmsOnly),
            Row("61-d", "D", null, WaitingReason.None),
        ];
        string[] Ids(WaitingListFilter f) => rows.Where(f.Matches).Select(r => r.Person.Value).ToArray();
        Assert.Equal(["61-a", "61-b"], Ids(WaitingListFilter.All));
        Assert.Equal(["61-a", "61-b", "61-c"], Ids(new() { IncludePreferredEsmsOnly = true }));
        Assert.Equal(["61-b"], Ids(new() { Territory = "T2" }));
        Assert.Equal(["61-b"], Ids(new() { Kinds = [KindOfSupport.Sessad, KindOfSupport.Mas] }));
        Assert.Equal(["61-a"], Ids(new() { Urgent = true }));
        Assert.Equal(["61-a"], Ids(new() { WithoutSolution = true }));
        Assert.Equal(["61-a"], Ids(new() { WaitingSinceTo = Today.AddYears(-2) }));
        Assert.Equal(["61-b"], Ids(new() { WaitingSinceFrom = Today.AddYears(-2) }));
        Assert.Empty(Ids(new() { Statuses = [CandidatureStatus.Offered] }));
        Assert.Equal(["61-a", "61-b"], Ids(new() { Esms = ImeFiness }));
    }

    [Fact]
    public void A_filter_that_cannot_match_is_refused_in_french_before_any_read()
    {
        var error = Assert.Throws<DomainException>(() => new WaitingListFilter { WaitingSinceFrom = Today, WaitingSinceTo = Today.AddDays(-1) }.Validated());
        Assert.Equal("INVALID_FILTER", error.Code);
        Assert.Contains("inversée", error.Message);
        Assert.Equal("filter.waitingSinceFrom", error.Field);
        Assert.Contains("40 au plus", Assert.Throws<DomainException>(() => new WaitingListFilter { Kinds = [.. Enumerable.Repeat(KindOfSupport.Ime, 41)] }.Validated()).Message);
    }

    [Theory]
    [InlineData(WaitingListOrder.OldestRequest)]
    [InlineData(WaitingListOrder.Name)]
    [InlineData(WaitingListOrder.ScoreDescending)]
    public void Paging_through_merged_shards_gives_every_row_once_in_the_order_of_the_whole_list(WaitingListOrder order)
    {
        var random = new Random(7);
        const int shardCount = 4;
        var shards = Enumerable.Range(0, shardCount).Select(i => WaitingListShard.Create(i, shardCount)).ToArray();
        var all = new List<WaitingListEntry>();
        string[] names = ["Dupont", "Martin", "Bernard", "Petit", "Durand"];
        for (var i = 0; i < 137; i++)
        {
            var row = Row($"61-p{i}", names[random.Next(names.Length)], Today.AddDays(-random.Next(2000)));
            all.Add(row);
            var s = WaitingSharding.ShardOf(row.Person, shardCount);
            shards[s] = shards[s].Apply(row);
        }
        double? Score(WaitingListEntry e) => e.Person.Value.Length % 3 == 0 ? null : e.Person.Value.GetHashCode(StringComparison.Ordinal) % 1000 / 10.0;
        var expected = all.OrderBy(e => WaitingListOrdering.KeyOf(e, order, order == WaitingListOrder.ScoreDescending ? Score(e) : null), StringComparer.Ordinal)
            .Select(e => e.Person.Value).ToList();
        var seen = new List<string>();
        string? after = null;
        while (true)
        {
            var page = WaitingListShard.Merge(shards.Select(s => s.Page(WaitingListFilter.All, order, 10, after, scoreOf: Score)), 10);
            Assert.Equal(137, page.TotalCount);
            if (page.Rows.IsEmpty) break;
            seen.AddRange(page.Rows.Select(r => r.Entry.Person.Value));
            after = page.Rows[^1].SortKey;
        }
        Assert.Equal(expected, seen);
        if (order == WaitingListOrder.OldestRequest)
            Assert.Equal(seen, all.OrderBy(e => e.OldestRequest).ThenBy(e => e.BirthName, StringComparer.Ordinal).ThenBy(e => e.Person.Value, StringComparer.Ordinal).Select(e => e.Person.Value));
    }

    [Theory]
    [InlineData(WaitingListOrder.OldestRequest)]
    [InlineData(WaitingListOrder.Name)]
    public void A_page_walked_from_the_kept_sorted_rows_is_the_page_sorted_anew_whatever_the_filter_and_cursor(WaitingListOrder order)
    {
        var random = new Random(11);
        var shard = WaitingListShard.Create(0, 1);
        string[] names = ["Dupont", "Martin", "Bernard", "Petit", "Durand"];
        for (var i = 0; i < 90; i++)
            shard = shard.Apply(Row($"61-s{i}", names[random.Next(names.Length)], i % 7 == 0 ? null : Today.AddDays(-random.Next(2000)),
                i % 7 == 0 ? WaitingReason.OrientedWithoutCandidature : i % 11 == 0 ? WaitingReason.PreferredEsmsOnly : WaitingReason.OpenCandidature,
                territory: i % 3 == 0 ? "T2" : "T1", situation: i % 2 == 0 ? SituationKind.AtHomeWithoutSolution : null));
        var sorted = shard.Sorted(order);
        WaitingListFilter[] filters =
        [
            WaitingListFilter.All,
            new WaitingListFilter { Territory = "T2" },
            new WaitingListFilter { Situations = [SituationKind.AtHomeWithoutSolution], IncludePreferredEsmsOnly = true },
            new WaitingListFilter { Territory = "T9" },
        ];
        foreach (var filter in filters)
        {
            var all = shard.Page(filter, order, 1000, null).Rows;
            foreach (var after in new string?[] { null, all.FirstOrDefault()?.SortKey, all.ElementAtOrDefault(all.Length / 2)?.SortKey, all.LastOrDefault()?.SortKey, "0", "~" })
                foreach (var first in new[] { 1, 7, 21, 1000 })
                {
                    var expected = shard.Page(filter, order, first, after);
                    var walked = WaitingListShard.PageOfSorted(sorted, filter, first, after);
                    Assert.Equal(expected.TotalCount, walked.TotalCount);
                    Assert.Equal(expected.Rows.Select(r => r.SortKey), walked.Rows.Select(r => r.SortKey));
                }
        }
        Assert.Equal("INVALID_ORDER", Assert.Throws<DomainException>(() => shard.Sorted(WaitingListOrder.RiskProbability)).Code);
    }

    [Fact]
    public void A_search_inside_the_list_keeps_the_filter_and_the_callers_scope()
    {
        var shard = WaitingListShard.Create(0, 1)
            .Apply(Row("61-a", "Dupont", Today.AddYears(-1), territory: "T1"))
            .Apply(Row("61-b", "Dupont", Today.AddYears(-1), territory: "T2"))
            .Apply(Row("61-c", "Martin", Today.AddYears(-1), territory: "T1"));
        var page = shard.Page(new WaitingListFilter { Territory = "T1" }, WaitingListOrder.OldestRequest, 10, null, search: SearchText.Parse("dupnot"));
        Assert.Equal(["61-a"], page.Rows.Select(r => r.Entry.Person.Value));
        var scoped = shard.Page(WaitingListFilter.All, WaitingListOrder.Name, 10, null, visible: e => e.Territory == "T2", search: SearchText.Parse("dupont"));
        Assert.Equal(["61-b"], scoped.Rows.Select(r => r.Entry.Person.Value));
    }
}

public class WaitingListCsvTests
{
    [Fact]
    public void The_export_is_utf8_with_bom_semicolons_french_headers_one_line_a_person_and_formula_safe()
    {
        var entry = new WaitingListEntry
        {
            Person = Listes360.Domain.Persons.PersonId.Parse("61-a"),
            Version = 1,
            Reason = WaitingReason.OpenCandidature,
            BirthName = "=HYPERLINK(\"http://x\")",
            FirstNames = ["Léa", "Marie"],
            BirthDate = new DateOnly(2010, 3, 12),
            OldestRequest = new DateOnly(2024, 1, 5),
            Simulated = true,
        };
        var bytes = WaitingListCsv.Write([entry]);
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        var lines = System.Text.Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("identifiant;nom_de_naissance;nom_d_usage;prenoms;date_de_naissance", lines[0]);
        Assert.Contains(";\"'=HYPERLINK(\"\"http://x\"\")\";", lines[1]);
        Assert.Contains(";Léa Marie;12/03/2010;", lines[1]);
        Assert.Contains(";05/01/2024;", lines[1]);
        Assert.EndsWith(";oui", lines[1]);
        Assert.Equal(WaitingListCsv.Headers.Count, lines[0].Split(';').Length);
    }
}

public class WaitingListScopeTests
{
    private static readonly Listes360.Domain.Security.Caller Staff = new("conseillere-1", Listes360.Domain.Security.Role.TerritorialStaff, [], "61", "200035418");

    [Fact]
    public void A_territorial_staff_with_a_territory_reads_that_territory_only_and_is_refused_another()
    {
        Assert.Equal("200035418", WaitingListFilter.All.For(Staff).Territory);
        Assert.Equal("200035418", new WaitingListFilter { Territory = "200035418" }.For(Staff).Territory);
        var error = Assert.Throws<DomainException>(() => new WaitingListFilter { Territory = "246100663" }.For(Staff));
        Assert.Equal("FORBIDDEN", error.Code);
        Assert.Contains("200035418", error.Message);
    }

    [Fact]
    public void Other_roles_read_what_they_asked()
    {
        var referent = new Listes360.Domain.Security.Caller("mdph-1", Listes360.Domain.Security.Role.MdphReferent, [], "61", null);
        Assert.Null(WaitingListFilter.All.For(referent).Territory);
        Assert.Equal("246100663", new WaitingListFilter { Territory = "246100663" }.For(referent).Territory);
        Assert.Null(WaitingListFilter.All.For(Staff with { Territory = null }).Territory);
    }
}
