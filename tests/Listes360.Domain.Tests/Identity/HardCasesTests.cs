using Listes360.Domain.Identity;
using Listes360.Domain.Identity.Records;
using MdphFileNumber = Listes360.Domain.Persons.MdphFileNumber;
using static Listes360.Domain.Tests.Identity.Persons;

namespace Listes360.Domain.Tests.Identity;

/// <summary>Issue 16: homonyms, twins, year variants, parents and children, missing birth dates, MDPH notations, name frequencies.</summary>
public class HardCasesTests
{
    private static readonly MatchScorer Scorer = MatchScorer.Default;

    // ---- MDPH numbers in any notation (one rule) ----

    [Theory]
    [InlineData("61-012345")]
    [InlineData("012345")]
    [InlineData("12345")]
    [InlineData("61 012345")]
    [InlineData("61.012345")]
    [InlineData(" 61 - 012 345 ")]
    [InlineData("61012345")]
    public void Every_notation_of_one_mdph_number_is_the_same_file(string written)
    {
        Assert.True(MdphFileNumber.SameFile(written, "61-012345", department: "61"));
        Assert.True(MdphFileNumber.SameFile(written, "12345", department: null));
        Assert.Equal("61-12345", MdphFileNumber.Normalize(written, "61"));
    }

    [Fact]
    public void Mdph_numbers_of_another_file_or_another_departement_differ()
    {
        Assert.False(MdphFileNumber.SameFile("61-012345", "61-012346", "61"));
        Assert.False(MdphFileNumber.SameFile("75-012345", "61-012345", null));
        Assert.True(MdphFileNumber.SameFile("75-012345", "12345", null)); // no département on one side: the number decides
        Assert.Equal("61-201901234", MdphFileNumber.Normalize("61-2019-01234"));
        Assert.Equal("61-201901234", MdphFileNumber.Normalize("61201901234"));
        Assert.Equal("12345", MdphFileNumber.Normalize("012345"));
        Assert.Equal("2A-123", MdphFileNumber.Normalize("2A 00123"));
        Assert.Equal("1012345", MdphFileNumber.Normalize("01012345")); // 01 glued is read as a leading zero…
        Assert.Equal("01-12345", MdphFileNumber.Normalize("01012345", "01")); // …unless the département is the Ain
        Assert.Null(MdphFileNumber.Normalize(" - . "));
        Assert.Null(MdphFileNumber.Normalize(null));
    }

    [Fact]
    public void Same_mdph_number_written_otherwise_merges_and_shares_a_block()
    {
        var a = Prepared("Vandenbroucke", "Ysaline", "20150203", mdph: "61-012345");
        var b = Prepared("VANDENBROUCKE", "Ysaline", "20150203", mdph: "12345");
        Assert.Equal(MatchZone.Same, Scorer.Explain(a, b).Zone);
        Assert.Contains(Scorer.Explain(a, b).Reasons, r => r.Text == "même n° de dossier MDPH");
        Assert.Contains("MD:12345", Blocking.Keys(a));
        Assert.Contains("MD:12345", Blocking.Keys(b));
    }

    [Fact]
    public void Two_different_mdph_numbers_block_a_merge()
    {
        var result = Scorer.Explain(Prepared("Martin", "Thomas", "19900312", mdph: "61-000227"), Prepared("Martin", "Thomas", "19900312", mdph: "61-000221"));
        Assert.Equal(MatchZone.Possible, result.Zone);
        Assert.Contains(result.Reasons, r => r.Feature == "regle" && r.Text.Contains("MDPH différents", StringComparison.Ordinal));
    }

    [Fact]
    public void Two_clusters_with_different_mdph_numbers_are_not_joined_through_a_record_without_one()
    {
        var records = new[]
        {
            Record("Dupont", "Alain", "19840702", mdph: "61-000227", id: "a"),
            Record("Dupont", "Alain", "19840702", mdph: "61-000221", id: "b"), // a homonym born the same day
            Record("DUPONT", "Alain", "19840702", id: "c"), // Same with both: joins the first, never both
        };
        var result = Deduplicator.Run(records, new MatchScorer(new MatchThresholds(Same: 5, Possible: 3)));
        Assert.NotEqual(result.ClusterIds[0], result.ClusterIds[1]);
        Assert.Equal(result.ClusterIds[0], result.ClusterIds[2]);
        Assert.Contains(result.ReviewPairs, p => p.FirstRecordId == "b" || p.SecondRecordId == "b");
    }

    // ---- A one-digit year difference is weak evidence ----

    [Fact]
    public void Homonyms_born_the_same_day_of_years_one_digit_apart_go_to_review()
    {
        var result = Scorer.Explain(Prepared("Martin", "Thomas", "19900312", postcode: "61000"), Prepared("MARTIN", "Thomas", "19970312", postcode: "61200"));
        Assert.Equal(MatchZone.Possible, result.Zone);
        Assert.Contains(result.Reasons, r => r.Feature == "regle" && r.Text.StartsWith("année de naissance différente", StringComparison.Ordinal));
        Assert.Equal(MatchZone.Possible, Scorer.Score(Prepared("Dupont", "Léa", "20220105"), Prepared("Dupont", "Léa", "20230105", postcode: "61300")).Zone);
    }

    [Fact]
    public void A_year_variant_is_merged_when_other_evidence_agrees()
    {
        // The same MDPH number.
        Assert.Equal(MatchZone.Same, Scorer.Score(Prepared("Martin", "Thomas", "19900312", mdph: "61-4242"), Prepared("Martin", "Thomas", "19970312", mdph: "4242", postcode: "61200")).Zone);
        // The same birth name given on both sides.
        Assert.Equal(MatchZone.Same, Scorer.Score(Prepared("Martin", "Sophie", "19900312", birthName: "Vandenbroucke"), Prepared("Martin", "Sophie", "19970312", birthName: "VANDENBROUCKE", postcode: "61200")).Zone);
        // A rare name pair at the same place, by the département's own frequencies.
        var frequent = Population(("Vandenbroucke", "Ysaline", 1));
        var scorer = Scorer.WithFrequencies(frequent);
        Assert.Equal(MatchZone.Same, scorer.Score(Prepared("Vandenbroucke", "Ysaline", "19900312"), Prepared("Vandenbroucke", "Ysaline", "19970312")).Zone);
        // A common name pair at the same place stays in review.
        Assert.Equal(MatchZone.Possible, scorer.Score(Prepared("Martin", "Thomas", "19900312"), Prepared("Martin", "Thomas", "19970312")).Zone);
    }

    [Fact]
    public void A_day_typo_with_everything_else_equal_is_still_merged()
    {
        Assert.Equal(MatchZone.Same, Scorer.Score(Prepared("Lefèvre", "Jean-Pierre", "19870403"), Prepared("LEFEVRE", "Jean-Pierre", "19870408")).Zone);
    }

    // ---- Twins, siblings, parent and child ----

    [Fact]
    public void Twins_with_other_first_names_are_never_merged_without_a_strong_key()
    {
        Assert.NotEqual(MatchZone.Same, Scorer.Score(Prepared("Perabou", "Élie", "19710705"), Prepared("Perabou", "Sylvie", "19710705")).Zone);
        var louis = Scorer.Explain(Prepared("Telpe", "Louis", "20130817"), Prepared("TELPE", "Louise", "20130817"));
        Assert.Equal(MatchZone.Possible, louis.Zone);
        Assert.Contains(louis.Reasons, r => r.Text.Contains("jumeaux", StringComparison.Ordinal));
        Assert.Equal(MatchZone.Possible, Scorer.Score(Prepared("Roux", "Jean", "20010101"), Prepared("Roux", "Jeanne", "20010101")).Zone);
        // A strong key says otherwise: one person (a first name mistyped as its feminine).
        Assert.Equal(MatchZone.Same, Scorer.Score(Prepared("Telpe", "Louis", "20130817", mdph: "61-3337"), Prepared("Telpe", "Louise", "20130817", mdph: "3337")).Zone);
        // A doubled letter is a typo, not a twin.
        Assert.Equal(MatchZone.Same, Scorer.Score(Prepared("Colin", "Éliane", "19921129"), Prepared("Colin", "Elianee", "19921129")).Zone);
    }

    [Fact]
    public void Parent_and_child_with_the_same_names_at_the_same_address_stay_apart()
    {
        var result = Scorer.Explain(Prepared("Martin", "Jean", "19650412"), Prepared("Martin", "Jean", "19920830"));
        Assert.Equal(MatchZone.Different, result.Zone);
        Assert.Contains(result.Reasons, r => r.Text.StartsWith("naissances à 27 ans d'écart", StringComparison.Ordinal));
    }

    [Fact]
    public void Siblings_stay_apart()
    {
        Assert.Equal(MatchZone.Different, Scorer.Score(Prepared("Giraud", "Lucas", "20080214"), Prepared("Giraud", "Emma", "20110923")).Zone);
    }

    // ---- Missing birth dates ----

    [Fact]
    public void A_record_without_birth_date_joins_by_mdph_number_else_goes_to_review_else_stays_apart()
    {
        var known = Prepared("Hanon", "Tonnin", "19820729", mdph: "61-008143");
        Assert.Equal(MatchZone.Same, Scorer.Score(known, Prepared("HANON", "Tonnin", null, mdph: "8143")).Zone);
        var byNames = Scorer.Explain(known, Prepared("Hanon", "Tonnin", null));
        Assert.Equal(MatchZone.Possible, byNames.Zone);
        Assert.Contains(byNames.Reasons, r => r.Text.StartsWith("date de naissance manquante", StringComparison.Ordinal));
        Assert.Equal(MatchZone.Different, Scorer.Score(known, Prepared("Picard", "Hugues", null)).Zone);
    }

    [Fact]
    public void A_row_without_birth_date_carrying_a_known_mdph_number_joins_that_person()
    {
        var candidates = new[]
        {
            ("61-p1", Record("Hanon", "Tonnin", "19820729", mdph: "61 008143")),
            ("61-p2", Record("Hanon", "Tonnin", "19990729")),
        };
        var joins = IdentityResolver.DecideWithoutBirthDate(Record("HANON", "Tonnin", null, mdph: "8143"), candidates, department: "61");
        Assert.True(joins.Joins);
        Assert.Equal("61-p1", joins.PersonId);
        Assert.Contains(joins.Decision.Matches[0].Result.Reasons, r => r.Text == "même n° de dossier MDPH");

        var unknownNumber = IdentityResolver.DecideWithoutBirthDate(Record("Hanon", "Tonnin", null, mdph: "61-999999"), candidates);
        Assert.False(unknownNumber.Joins);
        Assert.Contains("ne correspond à aucune personne connue", unknownNumber.Refusal, StringComparison.Ordinal);
        var noKey = IdentityResolver.DecideWithoutBirthDate(Record("Hanon", "Tonnin", null), candidates);
        Assert.False(noKey.Joins);
        Assert.Equal(IdentityOutcome.Review, noKey.Decision.Outcome); // names and place: for the referent, never merged
        Assert.Contains("sans n° de dossier MDPH ni NIR", noKey.Refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void Deduplication_gives_every_record_a_cluster_even_without_birth_date()
    {
        var records = new[]
        {
            Record("Hanon", "Tonnin", "19820729", mdph: "61-008143", id: "1"),
            Record("Hanon", "Tonnin", null, mdph: "008143", id: "2"),
            Record("Hanon", "Tonnin", null, id: "3"),
            Record("Picard", "Hugues", null, id: "4"),
        };
        var result = Deduplicator.Run(records);
        Assert.Equal(4, result.ClusterIds.Count);
        Assert.Equal(result.ClusterIds[0], result.ClusterIds[1]);
        Assert.NotEqual(result.ClusterIds[0], result.ClusterIds[2]);
        Assert.Contains(result.ReviewPairs, p => p.SecondRecordId == "3");
        Assert.Equal(3, result.Clusters);
    }

    // ---- Name frequencies (Fellegi–Sunter u-probabilities per value) ----

    [Fact]
    public void A_common_name_weighs_less_than_a_rare_one()
    {
        var frequencies = Population(("Vandenbroucke", "Ysaline", 1));
        Assert.True(frequencies.LastNameWeight(Prepared("Martin", "Thomas", null), Prepared("Martin", "Thomas", null)) < 0);
        Assert.True(frequencies.LastNameWeight(Prepared("Vandenbroucke", "Ysaline", null), Prepared("Vandenbroucke", "Ysaline", null)) > 0);
        Assert.True(frequencies.FirstNameWeight(Prepared("Martin", "Thomas", null), Prepared("Martin", "Thomas", null))
                    < frequencies.FirstNameWeight(Prepared("Vandenbroucke", "Ysaline", null), Prepared("Vandenbroucke", "Ysaline", null)));

        var scorer = Scorer.WithFrequencies(frequencies);
        var common = scorer.Explain(Prepared("Martin", "Thomas", "19900312"), Prepared("Martin", "Thomas", "19900312"));
        var rare = scorer.Explain(Prepared("Vandenbroucke", "Ysaline", "19900312"), Prepared("Vandenbroucke", "Ysaline", "19900312"));
        Assert.True(rare.Score > common.Score + 1, $"{rare.Score} vs {common.Score}");
        Assert.Contains(common.Reasons, r => r.Text == "nom fréquent dans le département" && r.Contribution < 0);
        Assert.Contains(rare.Reasons, r => r.Text == "nom peu fréquent dans le département" && r.Contribution > 0);
        // Without frequencies nothing changes.
        Assert.Equal(Scorer.Score(Prepared("Martin", "Thomas", "19900312"), Prepared("Martin", "Thomas", "19900312")).Score,
            Scorer.Score(Prepared("Vandenbroucke", "Ysaline", "19900312"), Prepared("Vandenbroucke", "Ysaline", "19900312")).Score);
    }

    [Fact]
    public void Frequencies_count_identities_not_rows()
    {
        var rows = Enumerable.Range(0, 5).Select(_ => Record("Vandenbroucke", "Ysaline", "20150203")).ToList();
        var frequencies = NameFrequencies.From(rows);
        Assert.Equal(1, frequencies.Identities);
        Assert.Equal(1, frequencies.LastNameCount(Prepared("Vandenbroucke", "Ysaline", null)));
    }

    [Fact]
    public void A_feminine_seen_once_in_the_departement_is_a_typo_not_a_twin()
    {
        var records = new List<PersonRecord>
        {
            Record("Mercier", "Alphonse", "19950416"), Record("Mercier", "Alphons", "19950416"),
            Record("Telpe", "Louis", "20130817"), Record("Telpe", "Louise", "20130817"),
            Record("Roux", "Louis", "19900101"), Record("Petit", "Louise", "19800101"),
        };
        var scorer = Scorer.WithFrequencies(NameFrequencies.From(records));
        Assert.Equal(MatchZone.Same, scorer.Score(PreparedRecord.From(records[0]), PreparedRecord.From(records[1])).Zone);
        Assert.Equal(MatchZone.Possible, scorer.Score(PreparedRecord.From(records[2]), PreparedRecord.From(records[3])).Zone);
    }

    [Fact]
    public void Calibration_does_not_count_pairs_a_rule_keeps_out_of_same()
    {
        LabelledScore[] pairs =
        [
            new(10, true), new(9, true), new(8, false, NeverSame: true), new(7, true), new(6, false), new(5, true),
        ];
        Assert.Equal(7, ThresholdCalibration.Pick(pairs, precisionFloor: 0.99, recallFloor: 0.5).SameThreshold);
        Assert.Equal(9, ThresholdCalibration.Pick(pairs.Select(p => p with { NeverSame = false }).ToArray(), precisionFloor: 0.99, recallFloor: 0.5).SameThreshold);
        // On a plateau of F1 the highest threshold is taken.
        Assert.Equal(9, ThresholdCalibration.Pick(pairs, precisionFloor: 0.99, recallFloor: 0.5, f1Tolerance: 0.2).SameThreshold);
    }

    /// <summary>A département: 40 « Martin Thomas » (other birth dates), 60 other names seen once or twice, and the given names.</summary>
    private static NameFrequencies Population(params (string Last, string First, int Count)[] extra)
    {
        var records = new List<PersonRecord>();
        for (var i = 0; i < 40; i++) records.Add(Record("Martin", "Thomas", $"19{50 + i}0101"));
        for (var i = 0; i < 60; i++) records.Add(Record($"Nom{(char)('a' + i % 26)}{(char)('a' + i / 26)}", $"Prenom{(char)('a' + i % 26)}", $"19{40 + i % 50}0202"));
        foreach (var (last, first, count) in extra)
        {
            for (var i = 0; i < count; i++) records.Add(Record(last, first, $"20{10 + i}0303"));
        }
        return NameFrequencies.From(records);
    }
}
