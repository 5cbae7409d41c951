using System.Text.Json.Nodes;
using FsCheck.Xunit;
using Listes360.Domain.Candidatures;
using Listes360.Domain.Grid;
using Listes360.Domain.Persons;
using static Listes360.Domain.Tests.Grid.GridTestData;

namespace Listes360.Domain.Tests.Grid;

/// <summary>The preview of a draft grid on one ranking (issue 18): tops under both grids and the change per candidature.</summary>
public class RankingPreviewTests
{
    private static readonly Situation Creton = new() { Kind = SituationKind.InChildrenEsmsUnderCreton, Since = new DateOnly(2025, 3, 1) };
    private static readonly Situation InIme = new() { Kind = SituationKind.InChildrenEsms, Since = new DateOnly(2015, 9, 1) };

    private static RankingPreview Preview(CriteriaGrid current, CriteriaGrid draft, IEnumerable<CandidateFacts> candidates, int top) =>
        RankingPreviews.Of(current, draft, Fam, Fam.Modalities[0], candidates, Today, top);

    [Fact]
    public void Removing_the_Creton_points_moves_the_Creton_candidate_down_and_the_other_up_with_the_points_of_each_criterion()
    {
        var creton = Candidate("C-P2", situation: Creton, birthDate: new DateOnly(2004, 1, 10));
        var other = Candidate("C-P1", situation: InIme, birthDate: new DateOnly(2007, 1, 10));

        var preview = Preview(Orne(), OrneWith("CRETON", 0, version: 2, from: Today), [other, creton], top: 5);

        Assert.Equal((1, 2), (preview.CurrentVersion, preview.DraftVersion));
        Assert.Equal(["C-P2", "C-P1"], preview.CurrentTop.Select(e => e.CandidatureId.Value));
        Assert.Equal(["C-P1", "C-P2"], preview.DraftTop.Select(e => e.CandidatureId.Value));
        var up = preview.Lines[0];
        Assert.Equal(("C-P1", 2, 1, RankChange.Up), (up.CandidatureId.Value, up.RankBefore, up.RankAfter, up.Change));
        var down = preview.Lines[1];
        Assert.Equal(("C-P2", 1, 2, RankChange.Down), (down.CandidatureId.Value, down.RankBefore, down.RankAfter, down.Change));
        var cretonPoints = down.Criteria.Single(c => c.CriterionId == "CRETON");
        Assert.Equal((25, 0), (cretonPoints.Before, cretonPoints.After));
        Assert.Equal(down.TotalBefore - 25, down.TotalAfter);
        Assert.Equal("monte de 1 rang", RankingPreviews.French(up, 5));
        Assert.Equal("descend de 1 rang", RankingPreviews.French(down, 5));
    }

    [Fact]
    public void A_top_of_one_shows_who_enters_and_who_leaves_it()
    {
        var creton = Candidate("C-T2", situation: Creton, birthDate: new DateOnly(2004, 1, 10));
        var other = Candidate("C-T1", situation: InIme, birthDate: new DateOnly(2007, 1, 10));

        var preview = Preview(Orne(), OrneWith("CRETON", 0, 2, Today), [creton, other], top: 1);

        Assert.Equal([RankChange.EntersTop, RankChange.LeavesTop], preview.Lines.Select(l => l.Change));
        Assert.Equal((2, 1), (preview.Lines[0].RankBefore, preview.Lines[0].RankAfter));
        Assert.Equal((1, 2), (preview.Lines[1].RankBefore, preview.Lines[1].RankAfter));
        Assert.Equal("entre dans les 1 premiers", RankingPreviews.French(preview.Lines[0], 1));
        Assert.Equal((2, 2), (preview.CurrentRanked, preview.DraftRanked));
    }

    [Fact]
    public void A_draft_that_no_longer_ranks_a_status_takes_the_candidature_out_with_the_reason_and_a_removed_criterion_is_listed()
    {
        var offered = Candidate("C-S1", situation: Creton, birthDate: new DateOnly(2004, 1, 10), status: CandidatureStatus.Offered);
        var waiting = Candidate("C-S2", situation: InIme, birthDate: new DateOnly(2007, 1, 10));
        var doc = JsonNode.Parse(GridDocument.DefaultJson("61"))!;
        doc["eligibility"]!["rankedStatuses"] = new JsonArray("WAITING");
        var criteria = doc["criteria"]!.AsArray();
        criteria.Remove(criteria.Single(c => (string?)c!["id"] == "RETOUR"));
        var draft = GridDocument.Parse(doc.ToJsonString(), 2, Today);

        var preview = Preview(Orne(), draft, [offered, waiting], top: 10);

        var gone = preview.Lines.Single(l => l.CandidatureId.Value == "C-S1");
        Assert.Equal((1, (int?)null, RankChange.LeavesTop), (gone.RankBefore, gone.RankAfter, gone.Change));
        Assert.Contains("Non classée par la grille préparée v2", Assert.Single(gone.NotRankedBecause));
        Assert.Equal("sort des 10 premiers (plus classé)", RankingPreviews.French(gone, 10));
        var retour = gone.Criteria.Single(c => c.CriterionId == "RETOUR");
        Assert.Equal((0, (int?)null), (retour.Before, retour.After));
        Assert.Equal(RankChange.Up, preview.Lines.Single(l => l.CandidatureId.Value == "C-S2").Change);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(101)]
    public void A_top_out_of_1_to_100_is_refused_in_French(int top)
    {
        var e = Assert.Throws<DomainException>(() => Preview(Orne(), Orne(2, Today), [], top));
        Assert.Equal(("INVALID_TOP", "top"), (e.Code, e.Field));
        Assert.Contains($"demandé : {top}", e.Message);
    }

    // ---- Properties over generated candidates (the generator of RankingPropertyTests' kind). ----

    private static readonly SituationKind[] Situations = Enum.GetValues<SituationKind>();
    private static readonly CandidatureStatus[] Statuses = [CandidatureStatus.Received, CandidatureStatus.UnderReview, CandidatureStatus.Waiting, CandidatureStatus.Offered];

    private static List<CandidateFacts> Candidates((int Seed, byte Situation, byte Status, ushort Days)[] gen) =>
        gen.Take(40).Select((g, i) => Candidate($"C-Q{i:D3}",
            requestDate: Today.AddDays(-(g.Days % 1500)),
            situation: new Situation { Kind = Situations[g.Situation % Situations.Length], Since = Today.AddDays(-(g.Days % 700)) },
            birthDate: Today.AddDays(-(7000 + g.Days)),
            status: Statuses[g.Status % Statuses.Length],
            carers: g.Seed % 3 == 0 ? [] : [Carer.FromDeclaredAge(CarerRelationship.Parent, 40 + (g.Seed & 0x3F), Today, (CarerStatus)(1 + (g.Seed >> 6 & 3)))])).ToList();

    [Property]
    public bool The_same_grid_moves_nobody((int, byte, byte, ushort)[] gen, byte top)
    {
        var n = 1 + top % 20;
        var preview = Preview(Orne(), Orne(2, Today), Candidates(gen), n);
        return preview.Lines.All(l => l.Change == RankChange.Same && l.RankBefore == l.RankAfter && l.TotalBefore == l.TotalAfter
                && l.Criteria.All(c => c.Before == c.After))
            && preview.Lines.Length == preview.CurrentTop.Length
            && preview.CurrentTop.Select(e => e.CandidatureId).SequenceEqual(preview.DraftTop.Select(e => e.CandidatureId));
    }

    [Property]
    public bool Every_line_is_consistent_with_both_rankings((int, byte, byte, ushort)[] gen, byte top, sbyte cretonPoints, sbyte urgencyPoints)
    {
        var n = 1 + top % 20;
        var doc = JsonNode.Parse(GridDocument.DefaultJson("61"))!;
        foreach (var c in doc["criteria"]!.AsArray())
        {
            if ((string?)c!["id"] == "CRETON") c["points"] = (int)cretonPoints;
            if ((string?)c!["id"] == "URGENCE") c["points"] = (int)urgencyPoints;
        }
        var draft = GridDocument.Parse(doc.ToJsonString(), 2, Today);
        var candidates = Candidates(gen);
        var preview = Preview(Orne(), draft, candidates, n);
        var before = Ranking.Rank(Orne(), Fam, Fam.Modalities[0], candidates, Today).Entries;
        var after = Ranking.Rank(draft, Fam, Fam.Modalities[0], candidates, Today).Entries;
        var union = before.Take(n).Select(e => e.CandidatureId).Union(after.Take(n).Select(e => e.CandidatureId)).ToHashSet();
        return preview.Lines.Length == union.Count
            && preview.Lines.All(l =>
                union.Contains(l.CandidatureId)
                && l.RankBefore == before.FirstOrDefault(e => e.CandidatureId == l.CandidatureId)?.Position
                && l.RankAfter == after.FirstOrDefault(e => e.CandidatureId == l.CandidatureId)?.Position
                && l.Change == RankingPreviews.ChangeOf(l.RankBefore, l.RankAfter, n)
                && (l.TotalAfter is null || l.TotalAfter == l.Criteria.Sum(c => c.After ?? 0))
                && (l.TotalBefore is null || l.TotalBefore == l.Criteria.Sum(c => c.Before ?? 0)))
            && preview.Lines.Count(l => l.Change == RankChange.EntersTop) == preview.Lines.Count(l => l.Change == RankChange.LeavesTop)
                + (preview.DraftTop.Length - preview.CurrentTop.Length);
    }
}
