using Listes360.Domain.Candidatures;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;
using Listes360.Domain.Risk;

namespace Listes360.Domain.Tests.Risk;

public sealed class RiskFlagRulesTests
{
    private static readonly DateOnly Birth = new(2008, 3, 15);
    private static readonly DateOnly Sixteenth = new(2024, 3, 15);
    private static readonly DateOnly Twentieth = new(2028, 3, 15);

    private static PersonRecord Young(SituationKind? situation, params Orientation[] orientations) => new()
    {
        Id = PersonId.Parse("61-young"),
        Identity = new PersonIdentity { BirthName = "TEST", FirstNames = ["Jeune"], BirthDate = Birth, Sex = Sex.Male },
        Situation = situation is { } k ? new Situation { Kind = k, Since = new DateOnly(2020, 1, 1) } : null,
        Orientations = [.. orientations],
    };

    private static Orientation Adult(DateOnly from, DateOnly? to, string reference = "CDAPH-A") =>
        Orientation.Create(reference, KindOfSupport.Fam, from, to);

    private static Candidature AdultCandidature(string id = "C-adult") =>
        Candidature.Create(CandidatureId.Parse(id), PersonId.Parse("61-young"), FinessNumber.Parse("610000119"), Modality.Residential,
            KindOfSupport.Fam, new DateOnly(2024, 1, 1), new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero), "staff");

    private static FlagAssessment Flags(PersonRecord p, DateOnly on, RankOutlook? outlook = null, params Candidature[] candidatures) =>
        RiskFlagRules.Evaluate(p, candidatures, on, outlook);

    [Fact]
    public void Transition_age_starts_on_the_16th_birthday_not_the_day_before()
    {
        var person = Young(SituationKind.InChildrenEsms);
        Assert.False(Flags(person, Sixteenth.AddDays(-1)).Has(RiskFlag.TransitionAge));
        var onBirthday = Flags(person, Sixteenth);
        Assert.True(onBirthday.Has(RiskFlag.TransitionAge));
        Assert.Equal(AdultPathGap.NoValidAdultOrientation, onBirthday.AdultPathGap);
    }

    [Fact]
    public void On_the_20th_birthday_transition_age_gives_way_to_creton()
    {
        var person = Young(SituationKind.InChildrenEsms);
        var dayBefore = Flags(person, Twentieth.AddDays(-1));
        Assert.True(dayBefore.Has(RiskFlag.TransitionAge));
        Assert.False(dayBefore.Has(RiskFlag.Creton));
        var onBirthday = Flags(person, Twentieth);
        Assert.False(onBirthday.Has(RiskFlag.TransitionAge));
        Assert.True(onBirthday.Has(RiskFlag.Creton));
    }

    [Fact]
    public void A_situation_recorded_as_creton_is_creton_whatever_the_age()
    {
        Assert.True(Flags(Young(SituationKind.InChildrenEsmsUnderCreton), Twentieth.AddDays(-1)).Has(RiskFlag.Creton));
        Assert.False(Flags(Young(SituationKind.InAdultEsms), Twentieth.AddYears(1)).Has(RiskFlag.Creton));
    }

    [Fact]
    public void A_valid_adult_orientation_with_an_open_adult_candidature_secures_the_path_until_the_orientation_ends()
    {
        var end = new DateOnly(2026, 6, 30);
        var person = Young(SituationKind.InChildrenEsms, Adult(new DateOnly(2025, 1, 1), end));
        var candidature = AdultCandidature();
        Assert.False(Flags(person, end, null, candidature).Has(RiskFlag.TransitionAge));
        var after = Flags(person, end.AddDays(1), null, candidature);
        Assert.True(after.Has(RiskFlag.TransitionAge));
        Assert.Equal(AdultPathGap.NoValidAdultOrientation, after.AdultPathGap);
    }

    [Fact]
    public void An_adult_orientation_without_open_adult_candidature_is_not_a_secured_path()
    {
        var person = Young(SituationKind.InChildrenEsms, Adult(new DateOnly(2025, 1, 1), null));
        var closed = CandidatureStateMachine.Transition(AdultCandidature(), CandidatureStatus.Withdrawn, CandidatureReason.Moved,
            new DateTimeOffset(2025, 2, 1, 0, 0, 0, TimeSpan.Zero), "staff");
        var flags = Flags(person, new DateOnly(2026, 1, 1), null, closed);
        Assert.True(flags.Has(RiskFlag.TransitionAge));
        Assert.Equal(AdultPathGap.NoOpenAdultCandidature, flags.AdultPathGap);
    }

    [Fact]
    public void Candidatures_ranked_far_beyond_the_places_likely_to_free_up_do_not_secure_the_path()
    {
        var person = Young(SituationKind.InChildrenEsms, Adult(new DateOnly(2025, 1, 1), null));
        var c = AdultCandidature();
        var on = new DateOnly(2026, 1, 1);
        // 2 places expected: rank 4 is at the limit (2 × 2), rank 5 is far beyond.
        Assert.False(Flags(person, on, RankOutlook.From(new Dictionary<CandidatureId, RankPosition> { [c.Id] = new(4, 2) }), c).Has(RiskFlag.TransitionAge));
        var far = Flags(person, on, RankOutlook.From(new Dictionary<CandidatureId, RankPosition> { [c.Id] = new(5, 2) }), c);
        Assert.True(far.Has(RiskFlag.TransitionAge));
        Assert.Equal(AdultPathGap.OnlyFarRankedCandidatures, far.AdultPathGap);
        // Without ranking, an open adult candidature counts as a path.
        Assert.False(Flags(person, on, RankOutlook.Unknown, c).Has(RiskFlag.TransitionAge));
    }

    [Fact]
    public void The_risk_input_asks_the_rankings_only_when_they_decide_transition_age_and_the_shards_answer_gives_the_same_flag()
    {
        var person = Young(SituationKind.InChildrenEsms, Adult(new DateOnly(2025, 1, 1), null));
        var c = AdultCandidature();
        var on = new DateOnly(2026, 1, 1);
        var input = RiskProjection.InputOf(person, [c], null, on);
        Assert.Equal(new RankQuestion(c.Id, c.Finess, c.Modality), Assert.Single(input.RankQuestions));
        Assert.False(input.Snapshot.TransitionAge);

        var far = RankOutlook.From(new Dictionary<CandidatureId, RankPosition> { [c.Id] = new(5, 2) });
        var scored = RiskProjection.WithOutlook(input, far);
        Assert.Equal(RiskSnapshot.From(person, [c], on, far), scored.Snapshot);
        Assert.True(scored.IsInScope);
        var near = RankOutlook.From(new Dictionary<CandidatureId, RankPosition> { [c.Id] = new(4, 2) });
        Assert.Same(input, RiskProjection.WithOutlook(input, near));

        // Adults, or a young person without an adult orientation: the ranking cannot change the flag, nothing is asked.
        Assert.Empty(RiskProjection.InputOf(person, [c], null, Twentieth).RankQuestions);
        Assert.Empty(RiskProjection.InputOf(Young(SituationKind.InChildrenEsms), [c], null, on).RankQuestions);
    }

    [Fact]
    public void One_candidature_within_reach_is_enough()
    {
        var person = Young(SituationKind.InChildrenEsms, Adult(new DateOnly(2025, 1, 1), null));
        var far = AdultCandidature("C-far");
        var near = AdultCandidature("C-near");
        var outlook = RankOutlook.From(new Dictionary<CandidatureId, RankPosition> { [far.Id] = new(40, 1), [near.Id] = new(1, 1) });
        Assert.False(Flags(person, new DateOnly(2026, 1, 1), outlook, far, near).Has(RiskFlag.TransitionAge));
    }

    [Theory]
    [InlineData(SituationKind.InAdultEsms, false)]
    [InlineData(SituationKind.InHospital, false)]
    [InlineData(SituationKind.ChildWelfare, true)]
    [InlineData(SituationKind.SchoolWithPartialSupport, true)]
    public void Only_a_childrens_setting_counts_for_transition_age(SituationKind situation, bool flagged) =>
        Assert.Equal(flagged, Flags(Young(situation), new DateOnly(2026, 1, 1)).Has(RiskFlag.TransitionAge));

    [Fact]
    public void At_home_the_childrens_setting_comes_from_a_valid_childrens_orientation()
    {
        var on = new DateOnly(2026, 1, 1);
        Assert.False(Flags(Young(SituationKind.AtHomeWithoutSolution), on).Has(RiskFlag.TransitionAge));
        var ime = Orientation.Create("CDAPH-E", KindOfSupport.Ime, new DateOnly(2020, 1, 1), new DateOnly(2028, 3, 14));
        Assert.True(Flags(Young(SituationKind.AtHomeWithoutSolution, ime), on).Has(RiskFlag.TransitionAge));
    }

    [Fact]
    public void A_far_beyond_factor_must_be_positive() =>
        Assert.Equal("INVALID_RANK_OUTLOOK", Assert.Throws<DomainException>(() => RankOutlook.From(new Dictionary<CandidatureId, RankPosition>(), 0)).Code);

    [Theory]
    [InlineData(10, 10, 1.0)]   // full: only the yearly turnover of the occupied places
    [InlineData(10, 5, 5.5)]    // five vacancies plus half a place of turnover
    [InlineData(10, 0, 10.0)]
    [InlineData(10, 12, 1.2)]   // over-occupied: no vacancy counted below zero
    public void Places_likely_to_free_up_within_a_year_are_vacancies_plus_turnover(int capacity, int occupied, double expected)
    {
        Assert.Equal(expected, RankPosition.PlacesLikelyToFreeWithinAYear(capacity, occupied), precision: 9);
    }
}
