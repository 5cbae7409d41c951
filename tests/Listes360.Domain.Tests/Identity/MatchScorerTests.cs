using Listes360.Domain.Identity;
using static Listes360.Domain.Tests.Identity.Persons;

namespace Listes360.Domain.Tests.Identity;

public class MatchScorerTests
{
    private static readonly MatchScorer Scorer = MatchScorer.Default;

    [Fact]
    public void Calibrated_thresholds_are_loaded_and_ordered()
    {
        var thresholds = MatchThresholds.Calibrated;
        Assert.True(thresholds.Same > 0);
        Assert.True(thresholds.Possible <= thresholds.Same);
    }

    [Fact]
    public void Calibration_was_produced_for_this_scorer_version() =>
        Assert.Equal(MatchScorer.Version, MatchThresholds.CalibratedScorerVersion);

    [Fact]
    public void Same_person_written_differently_is_same()
    {
        var result = Scorer.Explain(Prepared("Lefèvre", "Jean-Pierre", "19870403"), Prepared("LEFEVRE", "Jean Pierre", "19870403"));
        Assert.Equal(MatchZone.Same, result.Zone);
        Assert.Contains(result.Reasons, r => r.Text == "même date de naissance" && r.Contribution > 0);
        Assert.Contains(result.Reasons, r => r.Text == "même nom");
        Assert.Contains(result.Reasons, r => r.Text == "même prénom");
    }

    [Fact]
    public void Married_name_with_birth_name_mention_is_same()
    {
        var a = Prepared("DUPONT épouse MARTIN", "Sophie", "19650912");
        var b = Prepared("Martin", "Sophie", "19650912", birthName: "Dupont");
        var c = Prepared("Dupont", "Sophie", "19650912");
        Assert.Equal(MatchZone.Same, Scorer.Score(a, b).Zone);
        Assert.Equal(MatchZone.Same, Scorer.Score(a, c).Zone);
        Assert.Equal(MatchZone.Same, Scorer.Score(b, c).Zone);
    }

    [Fact]
    public void Typos_and_swapped_dates_are_explained()
    {
        var result = Scorer.Explain(Prepared("Lemarchand", "Philippe", "19870403"), Prepared("Lemarchant", "Philipe", "19870304"));
        Assert.Contains(result.Reasons, r => r.Text.StartsWith("nom proche (0,", StringComparison.Ordinal));
        Assert.Contains(result.Reasons, r => r.Text == "date de naissance avec jour et mois inversés");
        Assert.NotEqual(MatchZone.Different, result.Zone);
    }

    [Fact]
    public void Twins_are_not_merged()
    {
        var result = Scorer.Explain(Prepared("Perrin", "Samuel", "19961106"), Prepared("Perrin", "Marie", "19961106"));
        Assert.Equal(MatchZone.Different, result.Zone);
        Assert.Contains(result.Reasons, r => r.Feature == "prenom" && r.Contribution < 0);
    }

    [Fact]
    public void Different_persons_are_different()
    {
        Assert.Equal(MatchZone.Different, Scorer.Score(Prepared("Martin", "Jean", "19800101"), Prepared("Bernard", "Luc", "19650912")).Zone);
        // Father and son with the same names in the same town: never merged automatically (review at most).
        Assert.NotEqual(MatchZone.Same, Scorer.Score(Prepared("Martin", "Jean", "19800101"), Prepared("Martin", "Jean", "19420715")).Zone);
    }

    [Fact]
    public void Same_mdph_number_is_same_person_whatever_the_names()
    {
        var result = Scorer.Explain(Prepared("Martin", "Sophie", "19650912", mdph: "61-2010-00042"), Prepared("Durand", "S.", "19650912", mdph: "61201000042"));
        Assert.Equal(MatchZone.Same, result.Zone);
        Assert.Contains(result.Reasons, r => r.Text == "même n° de dossier MDPH");
    }

    [Fact]
    public void Same_nir_hash_is_same_person()
    {
        Assert.Equal(MatchZone.Same, Scorer.Score(Prepared("Martin", "Sophie", "19650912", nirHash: "ab12"), Prepared("Durand", "Sophie", null, nirHash: "ab12")).Zone);
    }

    [Fact]
    public void Same_strong_key_with_incompatible_dates_and_names_goes_to_review()
    {
        var result = Scorer.Explain(Prepared("Martin", "Sophie", "19650912", mdph: "612010"), Prepared("Durand", "Kevin", "20010203", mdph: "612010"));
        Assert.Equal(MatchZone.Possible, result.Zone);
        Assert.Contains(result.Reasons, r => r.Feature == "regle" && r.Text.Contains("à vérifier", StringComparison.Ordinal));
    }

    [Fact]
    public void Same_strong_key_with_a_wrong_date_but_same_names_is_merged()
    {
        Assert.Equal(MatchZone.Same, Scorer.Score(Prepared("Martin", "Sophie", "19650912", mdph: "612010"), Prepared("Martin", "Sophie", "19561209", mdph: "612010")).Zone);
    }

    [Fact]
    public void Three_zones_follow_the_thresholds()
    {
        var scorer = new MatchScorer(new MatchThresholds(Same: 8, Possible: 4));
        var a = Prepared("Martin", "Jean", "19800101");
        var (score, _) = scorer.Score(a, Prepared("Martin", "Jean", "19800101"));
        Assert.True(score >= 8);
        Assert.Equal(MatchZone.Same, new MatchScorer(new MatchThresholds(score, score - 1)).Score(a, Prepared("Martin", "Jean", "19800101")).Zone);
        Assert.Equal(MatchZone.Possible, new MatchScorer(new MatchThresholds(score + 1, score)).Score(a, Prepared("Martin", "Jean", "19800101")).Zone);
        Assert.Equal(MatchZone.Different, new MatchScorer(new MatchThresholds(score + 2, score + 1)).Score(a, Prepared("Martin", "Jean", "19800101")).Zone);
    }

    [Fact]
    public void Score_is_symmetric_and_explain_agrees_with_score()
    {
        var a = Prepared("de La Fontaine", "Anne-Marie", "19450102", postcode: "61100");
        var b = Prepared("DELAFONTAINE", "Anne", "19450201", postcode: "61000");
        Assert.Equal(Scorer.Score(a, b), Scorer.Score(b, a));
        var explained = Scorer.Explain(a, b);
        Assert.Equal(Scorer.Score(a, b).Score, explained.Score);
        Assert.Equal(explained.Score, Math.Round(explained.Reasons.Sum(r => r.Contribution), 1), 1);
    }

    [Fact]
    public void First_and_last_names_swapped_are_recognised()
    {
        var result = Scorer.Explain(Prepared("Sophie", "Martin", "19650912"), Prepared("Martin", "Sophie", "19650912"));
        Assert.Contains(result.Reasons, r => r.Text == "nom et prénom inversés");
        Assert.Equal(MatchZone.Same, result.Zone);
    }
}
