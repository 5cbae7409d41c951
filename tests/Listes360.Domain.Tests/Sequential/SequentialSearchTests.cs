using FsCheck.Xunit;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;
using Listes360.Domain.Sequential;
using static Listes360.Domain.Tests.Sequential.SequentialTestData;

namespace Listes360.Domain.Tests.Sequential;

public class SequentialSearchTests
{
    private static readonly EsmsProfile FvA = Esms("610000200");
    private static readonly EsmsProfile FvB = Esms("610000218");
    /// <summary>A MAS: a foyer de vie orientation does not open it.</summary>
    private static readonly EsmsProfile Mas = Esms("610000226", category: "255");

    [Fact]
    public void Five_days_are_covered_by_three_and_two_days_in_two_eligible_esms_and_not_by_an_ineligible_one()
    {
        var candidate = Candidate("61-camille");
        var offers = new[] { Offer(FvA, Modality.SemiResidential, MonToWed), Offer(FvB, Modality.SemiResidential, ThuFri), Offer(Mas, Modality.SemiResidential, Weekdays) };

        var result = SequentialSearch.Search(Query(), [candidate], offers);

        var best = result.Combinations.First();
        Assert.Equal(2, best.Structures);
        Assert.Equal(MonToWed, best.Parts.Single(p => p.Finess == FvA.Finess).HalfDays);
        Assert.Equal(ThuFri, best.Parts.Single(p => p.Finess == FvB.Finess).HalfDays);
        Assert.DoesNotContain(result.Combinations, c => c.Parts.Any(p => p.Finess == Mas.Finess));
        // The MAS alone has the five days but the person's orientation does not open it.
        Assert.Empty(SequentialSearch.Search(Query(), [candidate], [Offer(Mas, Modality.SemiResidential, Weekdays)]).Combinations);
    }

    [Fact]
    public void An_esms_outside_the_age_range_is_not_used()
    {
        var child = Candidate("61-enzo", orientation: KindOfSupport.Ime, birthDate: new DateOnly(2000, 1, 1));
        var ime = Esms("610000234", category: "183");

        Assert.Empty(SequentialSearch.Search(Query(), [child], [Offer(ime, Modality.SemiResidential, Weekdays)]).Combinations);
        Assert.Single(SequentialSearch.Search(Query(), [child with { BirthDate = new DateOnly(2012, 1, 1) }], [Offer(ime, Modality.SemiResidential, Weekdays)]).Combinations);
    }

    [Fact]
    public void At_most_k_structures()
    {
        var candidate = Candidate("61-noa", amount: 4);
        var offers = WeekSlots.Week.Take(4).Select((day, i) => Offer(Esms(FinessNumber.WithKey($"6100003{i}").Value), Modality.SemiResidential, Days(day))).ToArray();

        Assert.Empty(SequentialSearch.Search(Query(maxStructures: 3), [candidate], offers).Combinations);
        var four = SequentialSearch.Search(Query(maxStructures: 4), [candidate], offers);
        Assert.Equal(4, Assert.Single(four.Combinations).Structures);
        Assert.Equal("INVALID_SEARCH", Assert.Throws<DomainException>(() => SequentialSearch.Search(Query(maxStructures: 6), [candidate], offers)).Code);
    }

    [Fact]
    public void The_reverse_query_finds_the_same_candidate_from_either_esms()
    {
        var candidate = Candidate("61-camille");
        var offers = new[] { Offer(FvA, Modality.SemiResidential, MonToWed), Offer(FvB, Modality.SemiResidential, ThuFri) };

        var fromA = SequentialSearch.Search(Query(required: FvA.Finess), [candidate], offers);
        var fromB = SequentialSearch.Search(Query(required: FvB.Finess), [candidate], offers);

        Assert.Equal(candidate.Person, Assert.Single(fromA.Combinations).Person);
        Assert.Equal(fromA.Combinations[0].Parts.Select(p => (p.Finess.Value, p.HalfDays)), fromB.Combinations[0].Parts.Select(p => (p.Finess.Value, p.HalfDays)));
        Assert.Empty(SequentialSearch.Search(Query(required: Mas.Finess), [candidate], offers).Combinations);
    }

    [Fact]
    public void Ranking_is_by_score_then_fewer_structures_then_shorter_trips()
    {
        var older = Candidate("61-older", waitingSince: Today.AddYears(-2));
        var newer = Candidate("61-newer", waitingSince: Today.AddMonths(-1));
        var whole = Esms("610000242", territory: OtherTerritory);
        var offers = new[] { Offer(FvA, Modality.SemiResidential, MonToWed, places: 2), Offer(FvB, Modality.SemiResidential, ThuFri, places: 2), Offer(whole, Modality.SemiResidential, Weekdays, places: 2) };

        var result = SequentialSearch.Search(Query(), [newer, older], offers);

        Assert.Equal(["61-older", "61-older", "61-newer", "61-newer"], result.Combinations.Select(c => c.Person.Value));
        // One structure 35 km away beats two structures close by: fewer structures first.
        Assert.Equal(1, result.Combinations[0].Structures);
        Assert.Equal(2, result.Combinations[1].Structures);
        Assert.True(Proximity.Default(older.Home, whole).Estimated);
    }

    [Fact]
    public void A_pluggable_score_orders_the_candidates()
    {
        var a = Candidate("61-a", waitingSince: Today.AddYears(-2));
        var b = Candidate("61-b", waitingSince: Today.AddMonths(-1));
        var offers = new[] { Offer(FvA, Modality.SemiResidential, Weekdays, places: 2) };

        var result = SequentialSearch.Search(Query(), [a, b], offers, score: (c, _, _) => c.Person.Value == "61-b" ? 100 : 1);

        Assert.Equal("61-b", result.Combinations[0].Person.Value);
        Assert.Equal(100, result.Combinations[0].Score);
    }

    [Fact]
    public void Reach_territory_and_waiting_filter_the_candidates()
    {
        var far = Esms("610000259", territory: OtherTerritory);
        var offers = new[] { Offer(far, Modality.SemiResidential, Weekdays) };

        Assert.Empty(SequentialSearch.Search(Query(), [Candidate("61-near", maxKm: 20)], offers).Combinations);
        Assert.Single(SequentialSearch.Search(Query(), [Candidate("61-near", maxKm: 40)], offers).Combinations);
        Assert.Empty(SequentialSearch.Search(Query(), [Candidate("61-idle") with { Waiting = false }], offers).Combinations);
        Assert.Empty(SequentialSearch.Search(Query(territory: OtherTerritory), [Candidate("61-elsewhere")], offers).Combinations);
        Assert.Equal(1, SequentialSearch.Search(Query(territory: Territory), [Candidate("61-here"), Candidate("61-there", territory: OtherTerritory)], offers).CandidatesConsidered);
    }

    [Fact]
    public void Half_days_combine_a_morning_here_and_an_afternoon_there_but_days_stay_whole()
    {
        var mornings = WeekSlots.Mask(DayOfWeek.Monday, DayPart.Morning) | WeekSlots.Mask(DayOfWeek.Tuesday, DayPart.Morning);
        var afternoons = WeekSlots.Mask(DayOfWeek.Monday, DayPart.Afternoon) | WeekSlots.Mask(DayOfWeek.Tuesday, DayPart.Afternoon);
        var offers = new[] { Offer(FvA, Modality.SemiResidential, mornings), Offer(FvB, Modality.SemiResidential, afternoons) };

        var halfDays = SequentialSearch.Search(Query(), [Candidate("61-h", amount: 4, unit: NeedUnit.HalfDays)], offers);
        Assert.Equal(2, Assert.Single(halfDays.Combinations).Structures);
        Assert.Empty(SequentialSearch.Search(Query(), [Candidate("61-d", amount: 2)], offers).Combinations);
    }

    /// <summary>
    /// Whatever the offers and the need: every combination has at most K structures, distinct ESMS,
    /// half-days free in each ESMS and never twice the same half-day, exactly the need.
    /// </summary>
    [Property(MaxTest = 200)]
    public bool A_combination_never_exceeds_declared_availability(ushort[] masks, byte need, byte k, bool halfDays)
    {
        var unit = halfDays ? NeedUnit.HalfDays : NeedUnit.Days;
        var amount = 1 + need % (halfDays ? 14 : 7);
        var maxStructures = 1 + k % 4;
        var offers = masks.Take(8).Select((m, i) => Offer(Esms(FinessNumber.WithKey($"6100004{i}").Value), Modality.SemiResidential, (m & WeekSlots.FullWeek) == 0 ? 1 : m & WeekSlots.FullWeek)).ToArray();
        var candidate = Candidate("61-p", amount: amount, unit: unit);

        var result = SequentialSearch.Search(Query(maxStructures), [candidate], offers);

        foreach (var c in result.Combinations)
        {
            if (c.Structures > maxStructures || c.Parts.Select(p => p.Finess).Distinct().Count() != c.Structures)
                return false;
            var seen = 0;
            foreach (var part in c.Parts)
            {
                var free = offers.Single(o => o.Profile.Finess == part.Finess).Availability.FreeMask(part.Modality, Today, Now);
                if ((part.HalfDays & ~free) != 0 || (part.HalfDays & seen) != 0 || part.HalfDays == 0)
                    return false;
                if (unit == NeedUnit.Days && WeekSlots.FromDays(WeekSlots.WholeDays(part.HalfDays)) != part.HalfDays)
                    return false;
                seen |= part.HalfDays;
            }
            if (WeekSlots.Count(seen) != candidate.Needs.HalfDays)
                return false;
        }
        return true;
    }
}
