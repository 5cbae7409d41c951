using Listes360.Domain.Candidatures;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;
using Listes360.Domain.Risk;

namespace Listes360.Domain.Tests.Risk;

public sealed class RiskProjectionTests
{
    private static readonly DateOnly On = new(2026, 11, 23);
    private static readonly ObservatoryPseudonyms Keys = new(new byte[32]);
    private static readonly PseudonymPeriod Quarter = PseudonymPeriod.Of(On);

    private static PersonRecord Person(string id = "61-p1") => new()
    {
        Id = PersonId.Parse(id),
        Identity = PersonIdentity.Create("DUPONT", ["Marie"], new DateOnly(1990, 5, 1), Sex.Female, On, mdphFileNumber: "MDPH-61-123"),
        Situation = new Situation { Kind = SituationKind.AtHomeWithoutSolution, Since = new DateOnly(2024, 11, 23) },
        Carers = [new Carer { Relationship = CarerRelationship.Parent, BirthYear = 1950, Status = CarerStatus.Exhausted }],
        Orientations = [Orientation.Create("CDAPH-1", KindOfSupport.Mas, new DateOnly(2024, 1, 1), new DateOnly(2027, 5, 31))],
    };

    private static Candidature Mas(string id, DateOnly requested, string person = "61-p1") =>
        CandidatureStateMachine.Transition(
            Candidature.Create(CandidatureId.Parse(id), PersonId.Parse(person), FinessNumber.Parse("610000127"), Modality.Residential, KindOfSupport.Mas,
                requested, new DateTimeOffset(requested.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), "staff"),
            CandidatureStatus.UnderReview, null, new DateTimeOffset(requested.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), "staff");

    [Fact]
    public void The_snapshot_counts_months_candidatures_refusals_and_the_carer()
    {
        var refused = CandidatureStateMachine.Transition(Mas("C-2", new DateOnly(2025, 1, 10)), CandidatureStatus.RefusedByEsms,
            CandidatureReason.TechnicalPlatformUnsuited, new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero), "staff");
        var s = RiskSnapshot.From(Person(), [Mas("C-1", new DateOnly(2024, 2, 23)), refused], On);
        Assert.Equal(36, s.AgeYears);
        Assert.Equal(24, s.MonthsInSituation);
        Assert.Equal(33, s.MonthsWaiting);
        Assert.Equal(6, s.MonthsToOrientationEnd);
        Assert.Equal(1, s.OpenCandidatures);
        Assert.Equal(1, s.OpenAdultCandidatures);
        Assert.Equal(1, s.RefusalsLast12Months);
        Assert.Equal(76, s.CarerAge);
        Assert.True(s.MedicalisedAdultNeed);
        Assert.Equal(RiskFeatures.Count, RiskFeatures.Vector(s).Length);
    }

    [Fact]
    public void Every_feature_has_a_french_phrase_for_any_snapshot()
    {
        var s = RiskSnapshot.From(Person(), [], On);
        foreach (var feature in RiskFeatures.All)
            Assert.False(string.IsNullOrWhiteSpace(feature.Describe(s)));
        Assert.Equal(RiskFeatures.All.Count, RiskFeatures.All.Select(f => f.Code).Distinct().Count());
    }

    [Fact]
    public void The_observatory_item_carries_no_identity()
    {
        var person = Person();
        var input = RiskProjection.InputOf(person, [Mas("C-1", new DateOnly(2024, 2, 23))], "246100663", On);
        var item = RiskShard.ItemOf("P-0123456789abcdef", new RiskEntry(1, input, new RiskScore(0.42, [new FactorContribution(14, 0.3f)]), "m1"));
        var text = System.Text.Json.JsonSerializer.Serialize(item);
        Assert.DoesNotContain("DUPONT", text);
        Assert.DoesNotContain("Marie", text);
        Assert.DoesNotContain("1990", text);
        Assert.DoesNotContain("MDPH-61-123", text);
        Assert.DoesNotContain(person.Id.Value, text);
        Assert.Equal("25-39", item.AgeBand);
        Assert.Equal("Aidant de la tranche d'âge 60+ ans", item.TopFactors.Single().Text);
        Assert.DoesNotMatch(@"\b76\b", text);
    }

    [Fact]
    public void Shards_page_by_probability_and_ignore_older_versions()
    {
        var shard = RiskShard.Create(0, 1);
        for (var i = 0; i < 5; i++)
        {
            var id = PersonId.Parse($"61-p{i}");
            var input = RiskProjection.InputOf(Person(id.Value), [Mas($"C-{i}", new DateOnly(2024, 2, 23), id.Value)], null, On);
            shard = shard.Apply(id, new RiskEntry(2, input, new RiskScore(i / 10.0, []), "m1"));
        }
        var older = shard.Apply(PersonId.Parse("61-p0"), new RiskEntry(1, null, null, null));
        Assert.Same(shard, older);

        var first = shard.Select(RiskFilter.All with { MinProbability = 0.1 }, null, 2, Keys, Quarter);
        Assert.Equal(4, first.TotalCount);
        Assert.Equal([0.4, 0.3], first.Items.Select(i => i.Probability!.Value));
        var next = shard.Select(RiskFilter.All with { MinProbability = 0.1 }, first.Items[^1].SortKey, 2, Keys, Quarter);
        Assert.Equal([0.2, 0.1], next.Items.Select(i => i.Probability!.Value));
    }

    [Fact]
    public void Indicators_merge_waiting_times_and_outcomes_across_shards()
    {
        var parts = new[] { 10, 20, 30, 40, 50, 60, 70, 80, 90, 100 }.Select(days =>
        {
            var shard = RiskShard.Create(0, 1);
            var id = PersonId.Parse($"61-d{days}");
            var input = RiskProjection.InputOf(Person(id.Value), [Mas($"C-{days}", On.AddDays(-days), id.Value)], "T1", On);
            return shard.Apply(id, new RiskEntry(1, input, null, null)).IndicatorsOn(On);
        });
        var summary = RiskIndicators.Merge(On, parts);
        var all = summary.WaitingTimes.Single(g => g.Territory == RiskIndicators.AllTerritories);
        Assert.Equal((10, 50, 90), (all.Persons, all.MedianDays, all.P90Days));
        // Quartiles by nearest rank: the 3rd and 8th of ten sorted values.
        Assert.Equal((30, 80), (all.Q1Days, all.Q3Days));
        Assert.Contains(summary.WaitingTimes, g => g.Territory == "T1" && g.Persons == 10);
    }

    [Fact]
    public void Admissions_are_counted_per_month_over_the_twelve_months_up_to_the_date_across_shards()
    {
        var date = new DateOnly(2026, 11, 15);
        OutcomeEvent Admitted(DateOnly on) => new(on, KindOfSupport.Mas, CandidatureStatus.Admitted, null);
        var outcomes = new[]
        {
            new[] { Admitted(new DateOnly(2026, 11, 2)), Admitted(new DateOnly(2026, 3, 31)), new OutcomeEvent(new DateOnly(2026, 11, 3), KindOfSupport.Mas, CandidatureStatus.RefusedByEsms, null) },
            new[] { Admitted(new DateOnly(2026, 11, 10)), Admitted(new DateOnly(2025, 12, 1)), Admitted(new DateOnly(2025, 11, 30)), Admitted(new DateOnly(2026, 11, 16)) },
        };
        var parts = outcomes.Select((events, i) =>
        {
            var shard = RiskShard.Create(0, 1);
            var id = PersonId.Parse($"61-m{i}");
            var input = RiskProjection.InputOf(Person(id.Value), [], "T1", date) with { Outcomes = [.. events] };
            return shard.Apply(id, new RiskEntry(1, input, null, null)).IndicatorsOn(date);
        });
        var months = RiskIndicators.Merge(date, parts).AdmissionsByMonth;
        // Twelve months, the oldest first, zero included; a refusal, an admission before December 2025 or after the date are not counted.
        Assert.Equal(12, months.Count);
        Assert.Equal(("2025-12", 1), (months[0].Month, months[0].Count));
        Assert.Equal(("2026-11", 2), (months[^1].Month, months[^1].Count));
        Assert.Equal(1, months.Single(m => m.Month == "2026-03").Count);
        Assert.Equal(4, months.Sum(m => m.Count));
    }

    [Fact]
    public void A_territorial_staff_with_a_territory_sees_only_that_territory()
    {
        var staff = new Listes360.Domain.Security.Caller("conseiller", Listes360.Domain.Security.Role.TerritorialStaff, [], "61", "T1");
        Assert.Equal("T1", RiskFilter.All.For(staff).Territory);
        Assert.Equal("FORBIDDEN", Assert.Throws<DomainException>(() => (RiskFilter.All with { Territory = "T2" }).For(staff)).Code);
        var observatory = new Listes360.Domain.Security.Caller("obs", Listes360.Domain.Security.Role.Observatory, [], "61", null);
        Assert.Null(RiskFilter.All.For(observatory).Territory);
    }
}
