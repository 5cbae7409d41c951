using Listes360.Domain.Candidatures;
using Listes360.Domain.Grid;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;
using static Listes360.Domain.Tests.Grid.GridTestData;

namespace Listes360.Domain.Tests.Grid;

public class RankingTests
{
    private static readonly Situation Creton = new() { Kind = SituationKind.InChildrenEsmsUnderCreton, Since = new DateOnly(2025, 3, 1) };
    private static readonly Situation InIme = new() { Kind = SituationKind.InChildrenEsms, Since = new DateOnly(2015, 9, 1) };

    [Fact]
    public void Two_candidates_equal_but_for_Creton_the_Creton_one_ranks_first_and_a_grid_without_Creton_points_reverses_it()
    {
        // Same request date; « B » has the smaller id, so without Creton points B comes first.
        var creton = Candidate("C-B2", situation: Creton, birthDate: new DateOnly(2004, 1, 10));
        var other = Candidate("C-B1", situation: InIme, birthDate: new DateOnly(2007, 1, 10));

        var ranking = Ranking.Rank(Orne(), Fam, Fam.Modalities[0], [other, creton], Today);
        Assert.Equal(["C-B2", "C-B1"], ranking.Entries.Select(e => e.CandidatureId.Value));
        var line = ranking.Entries[0].Score.Lines.Single(l => l.CriterionId == "CRETON");
        Assert.Equal(25, line.Points);
        Assert.Equal("maintenu·e en ESMS pour enfants au titre de l'amendement Creton (22 ans)", line.Fact);

        var noCreton = OrneWith("CRETON", 0, version: 2, from: Today);
        var reversed = Ranking.Rank(noCreton, Fam, Fam.Modalities[0], [other, creton], Today);
        Assert.Equal(["C-B1", "C-B2"], reversed.Entries.Select(e => e.CandidatureId.Value));
        Assert.Equal(2, reversed.GridVersion);
    }

    [Fact]
    public void An_earlier_ranking_is_reproduced_exactly_after_a_grid_change_and_later_facts()
    {
        var v1 = Orne(1, new DateOnly(2025, 1, 1));
        var changeDay = new DateOnly(2026, 10, 1);
        var v2 = OrneWith("CRETON", 0, 2, changeDay);
        var creton = Candidate("C-R1", situation: Creton, birthDate: new DateOnly(2004, 1, 10));
        var other = Candidate("C-R0", situation: InIme, birthDate: new DateOnly(2007, 1, 10));
        var history = new Dictionary<string, List<TimedFacts>>
        {
            ["C-R1"] = [new(new DateOnly(2026, 2, 1), creton)],
            ["C-R0"] = [new(new DateOnly(2026, 2, 1), other)],
        };
        var earlier = new DateOnly(2026, 9, 15);
        RankingResult RankOn(DateOnly d) => Ranking.Rank(GridHistory.InForce([v1, v2], d)!, Fam, Fam.Modalities[0],
            history.Values.Select(h => FactsHistory.AsOf(h, d)).OfType<CandidateFacts>(), d);

        var before = RankOn(earlier);
        // After: a new grid, and the other candidate's situation became « sans solution » in October.
        history["C-R0"].Add(new(new DateOnly(2026, 10, 20), other with { Situation = new Situation { Kind = SituationKind.AtHomeWithoutSolution, Since = new DateOnly(2026, 10, 20) } }));
        var again = RankOn(earlier);

        Assert.Equal(1, again.GridVersion);
        Assert.Equal(Describe(before), Describe(again));
        Assert.Equal("C-R0", RankOn(Today).Entries[0].CandidatureId.Value);
        Assert.Equal(2, RankOn(Today).GridVersion);
    }

    private static string Describe(RankingResult r) => string.Join("\n", r.Entries.Select(e =>
        $"{e.Position} {e.CandidatureId} {e.Score.Total} v{e.Score.GridVersion} " + string.Join("|", e.Score.Lines.Select(l => $"{l.CriterionId}:{l.Points}:{l.Fact}"))));

    [Fact]
    public void The_breakdown_says_in_French_which_fact_gave_each_point()
    {
        var person = Candidate("C-F1", requestDate: new DateOnly(2025, 1, 15),
            situation: new Situation { Kind = SituationKind.AtHomeWithoutSolution, Since = new DateOnly(2025, 9, 10) },
            birthDate: new DateOnly(1990, 5, 5), commune: "61006",
            carers: Carer.FromDeclaredAge(CarerRelationship.Parent, 78, Today, CarerStatus.Exhausted));
        var lines = Ranking.Score(Orne(), person, Fam, Today).Lines.ToDictionary(l => l.CriterionId);

        Assert.Equal("sans solution depuis 14 mois", lines["SANS_SOLUTION"].Fact);
        Assert.Equal(44, lines["SANS_SOLUTION"].Points);
        Assert.Equal("aidant de 78 ans", lines["AIDANT_AGE"].Fact);
        Assert.Equal(8, lines["AIDANT_AGE"].Points);
        Assert.Equal(15, lines["AIDANT_EPUISE"].Points);
        Assert.Equal("demande du 15/01/2025, 22 mois d'ancienneté", lines["ANCIENNETE"].Fact);
        Assert.Equal(11, lines["ANCIENNETE"].Points);
        Assert.Equal(0, lines["CRETON"].Points);
        Assert.Equal("pas concerné·e par l'amendement Creton", lines["CRETON"].Fact);
    }

    [Fact]
    public void Proximity_comes_from_the_communes_centres()
    {
        // Alençon (61001) to the FAM in Alençon: 0 km; Argentan (61006) is about 40 km north.
        var near = Ranking.Score(Orne(), Candidate("C-P1", commune: "61001"), Fam, Today).Lines.Single(l => l.CriterionId == "PROXIMITE");
        var far = Ranking.Score(Orne(), Candidate("C-P2", commune: "61006"), Fam, Today).Lines.Single(l => l.CriterionId == "PROXIMITE");
        var unknown = Ranking.Score(Orne(), Candidate("C-P3", commune: null), Fam, Today).Lines.Single(l => l.CriterionId == "PROXIMITE");
        Assert.Equal(10, near.Points);
        Assert.StartsWith("domicile à 0 km de l'ESMS (Alençon → ALENCON", near.Fact);
        Assert.Equal(3, far.Points);
        Assert.Matches(@"^domicile à (3\d|4\d) km de l'ESMS \(Argentan → ALENCON", far.Fact);
        Assert.Equal((0, "commune de résidence non renseignée : distance non calculée"), (unknown.Points, unknown.Fact));
    }

    [Fact]
    public void Ineligible_and_unranked_candidatures_are_listed_apart_with_why()
    {
        var tooYoung = Candidate("C-E1", birthDate: Today.AddYears(-15));
        var noOrientation = Candidate("C-E2") with { Orientations = [] };
        var incomplete = Candidate("C-E3", status: CandidatureStatus.Incomplete);
        var ok = Candidate("C-E4");
        var ranking = Ranking.Rank(Orne(), Fam, Fam.Modalities[0], [tooYoung, noOrientation, incomplete, ok], Today);
        Assert.Equal(["C-E4"], ranking.Entries.Select(e => e.CandidatureId.Value));
        Assert.Equal(
            [("C-E1", Eligibility.AgeOutOfRange), ("C-E2", Eligibility.OrientationMismatch), ("C-E3", Ranking.StatusNotRanked)],
            ranking.Excluded.Select(x => (x.CandidatureId.Value, x.Reasons[0].Code)));
    }

    [Fact]
    public void An_offer_has_a_deadline_from_the_grid_and_is_flagged_not_declined_when_it_passes()
    {
        var offered = Candidate("C-O1", status: CandidatureStatus.Offered) with { StatusSince = Today.AddDays(-12) };
        var entry = Assert.Single(Ranking.Rank(Orne(), Fam, Fam.Modalities[0], [offered], Today).Entries);
        Assert.Equal(Today.AddDays(-2), entry.OfferDeadline);
        Assert.True(entry.OfferOverdue);
        Assert.Equal(CandidatureStatus.Offered, entry.Status);
        Assert.Contains("aucun refus n'est déduit automatiquement", Assert.Single(entry.Notices));
    }

    [Fact]
    public void Refused_suitable_offers_cost_points_and_ask_for_a_review_from_the_second()
    {
        DeclinedOffer Declined(string id, CandidatureReason reason) => new(CandidatureId.Parse(id), Fam.Finess, Today.AddMonths(-2), reason);
        var once = Candidate("C-D1") with { DeclinedOffers = [Declined("C-X1", CandidatureReason.PersonRefusesToRegister), Declined("C-X2", CandidatureReason.GeographicDistance)] };
        var twice = Candidate("C-D2") with { DeclinedOffers = [Declined("C-X3", CandidatureReason.PersonRefusesToRegister), Declined("C-X4", CandidatureReason.PersonRefusesEsmsProject)] };
        var ranking = Ranking.Rank(Orne(), Fam, Fam.Modalities[0], [once, twice], Today);
        var byId = ranking.Entries.ToDictionary(e => e.CandidatureId.Value);
        Assert.Equal(-5, byId["C-D1"].Score.Lines.Single(l => l.CriterionId == "REFUS_OFFRE").Points);
        Assert.False(byId["C-D1"].ReviewRequired);
        Assert.Equal(("2 offres adaptées refusées", -10), byId["C-D2"].Score.Lines.Where(l => l.CriterionId == "REFUS_OFFRE").Select(l => (l.Fact, l.Points)).Single());
        Assert.True(byId["C-D2"].ReviewRequired);
        Assert.Contains("revue de la situation par le staff territorial", byId["C-D2"].Notices.Single());
    }

    [Fact]
    public void The_median_wait_counts_admitted_requests_of_the_same_kind_and_territory()
    {
        var t = "200071843";
        var admissions = new[]
        {
            new AdmissionRecord("A1", KindOfSupport.Fam, t, new DateOnly(2024, 1, 1), new DateOnly(2024, 1, 31)),
            new AdmissionRecord("A2", KindOfSupport.Fam, t, new DateOnly(2024, 1, 1), new DateOnly(2024, 4, 10)),
            new AdmissionRecord("A3", KindOfSupport.Fam, t, new DateOnly(2024, 1, 1), new DateOnly(2025, 1, 1)),
            new AdmissionRecord("A4", KindOfSupport.Mas, t, new DateOnly(2024, 1, 1), new DateOnly(2024, 1, 2)),
        };
        Assert.Equal(new WaitingTime(KindOfSupport.Fam, t, 3, 100), WaitingTimes.Median(admissions, KindOfSupport.Fam, t));
        Assert.Equal(new WaitingTime(KindOfSupport.Fam, "other", 0, null), WaitingTimes.Median(admissions, KindOfSupport.Fam, "other"));
    }
}
