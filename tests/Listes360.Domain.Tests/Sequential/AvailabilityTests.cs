using FsCheck.Xunit;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;
using Listes360.Domain.Sequential;
using static Listes360.Domain.Tests.Sequential.SequentialTestData;

namespace Listes360.Domain.Tests.Sequential;

public class AvailabilityTests
{
    private static readonly EsmsProfile Fv = Esms("610000101");
    private static readonly PersonId Léa = PersonId.Parse("61-lea");
    private static readonly PersonId Hugo = PersonId.Parse("61-hugo");
    private static readonly int Monday = Days(DayOfWeek.Monday);

    private static EsmsAvailability Empty => EsmsAvailability.Empty(Fv.Finess);

    [Fact]
    public void Declarations_add_up_to_the_capacity_and_not_beyond()
    {
        var capacity = Capacity(Modality.SemiResidential, 12);
        var availability = Empty.Declare(Declaration(Modality.SemiResidential, MonToWed, 8), Fv, capacity);

        var error = Assert.Throws<DomainException>(() =>
            availability.Declare(Declaration(Modality.SemiResidential, Days(DayOfWeek.Tuesday), 5, from: Today.AddDays(7)), Fv, capacity));

        Assert.Equal("CAPACITY_EXCEEDED", error.Code);
        Assert.Contains("mardi matin", error.Message);
        Assert.Contains("13 place(s)", error.Message);
        Assert.Contains("capacité de 12", error.Message);
        // Four more places fit, and a period after the first one ends is free again.
        availability.Declare(Declaration(Modality.SemiResidential, Days(DayOfWeek.Tuesday), 4), Fv, capacity);
        var bounded = Empty.Declare(Declaration(Modality.SemiResidential, MonToWed, 8, to: Today.AddDays(30)), Fv, capacity);
        bounded.Declare(Declaration(Modality.SemiResidential, MonToWed, 12, from: Today.AddDays(31)), Fv, capacity);
    }

    [Fact]
    public void A_single_declaration_above_the_capacity_or_without_capacity_is_refused()
    {
        Assert.Equal("CAPACITY_EXCEEDED", Assert.Throws<DomainException>(() =>
            Empty.Declare(Declaration(Modality.SemiResidential, Monday, 13), Fv, Capacity(Modality.SemiResidential, 12))).Code);
        var none = Assert.Throws<DomainException>(() => Empty.Declare(Declaration(Modality.SemiResidential, Monday, 1), Fv, null));
        Assert.Equal("NO_CAPACITY_DECLARED", none.Code);
        Assert.Contains("setEsmsPlaces", none.Message);
    }

    [Fact]
    public void Wrong_declarations_say_what_is_wrong()
    {
        var capacity = Capacity(Modality.Residential, 10);
        var halfDay = Assert.Throws<DomainException>(() =>
            Empty.Declare(Declaration(Modality.Residential, WeekSlots.Mask(DayOfWeek.Monday, DayPart.Morning), 1), Fv, capacity));
        Assert.Contains("journée entière", halfDay.Message);
        Assert.Equal("INVALID_AVAILABILITY", Assert.Throws<DomainException>(() =>
            Empty.Declare(Declaration(Modality.Residential, Monday, 1, from: Today, to: Today.AddDays(-1)), Fv, capacity)).Code);
        Assert.Equal("INVALID_AVAILABILITY", Assert.Throws<DomainException>(() =>
            Empty.Declare(Declaration(Modality.Residential, 0, 1), Fv, capacity)).Code);
        Assert.Equal("MODALITY_NOT_OFFERED", Assert.Throws<DomainException>(() =>
            Empty.Declare(Declaration(Modality.InCommunity, Monday, 1), Fv, Capacity(Modality.InCommunity, 3))).Code);
    }

    [Fact]
    public void The_last_place_goes_to_the_first_hold_and_the_second_gets_a_conflict()
    {
        var availability = Offer(Fv, Modality.SemiResidential, Monday).Availability;

        var held = availability.Hold("P-1", Léa, Modality.SemiResidential, Monday, Today, Now.AddMinutes(2), Now);
        var error = Assert.Throws<DomainException>(() => held.Hold("P-2", Hugo, Modality.SemiResidential, Monday, Today, Now.AddMinutes(2), Now));

        Assert.Equal("CONFLICT", error.Code);
        Assert.Contains("lundi matin", error.Message);
        Assert.Equal(0, held.FreeMask(Modality.SemiResidential, Today, Now));
        Assert.Same(held, held.Hold("P-1", Léa, Modality.SemiResidential, Monday, Today, Now.AddMinutes(2), Now));
    }

    [Fact]
    public void A_lapsed_hold_frees_its_place_and_a_released_one_too()
    {
        var availability = Offer(Fv, Modality.SemiResidential, Monday).Availability
            .Hold("P-1", Léa, Modality.SemiResidential, Monday, Today, Now.AddMinutes(2), Now);

        Assert.Equal(Monday, availability.FreeMask(Modality.SemiResidential, Today, Now.AddMinutes(3)));
        var taken = availability.Hold("P-2", Hugo, Modality.SemiResidential, Monday, Today, Now.AddMinutes(5), Now.AddMinutes(3));
        Assert.Equal("CONFLICT", Assert.Throws<DomainException>(() => taken.Confirm("P-1", Now.AddMinutes(3))).Code);

        Assert.Equal(Monday, availability.Release("P-1").FreeMask(Modality.SemiResidential, Today, Now));
    }

    [Fact]
    public void A_committed_reservation_stays_and_keeps_its_declaration()
    {
        var availability = Offer(Fv, Modality.SemiResidential, Monday).Availability
            .Hold("P-1", Léa, Modality.SemiResidential, Monday, Today, Now.AddMinutes(2), Now)
            .Confirm("P-1", Now.AddMinutes(1));

        Assert.Equal(0, availability.FreeMask(Modality.SemiResidential, Today, Now.AddDays(30)));
        var error = Assert.Throws<DomainException>(() => availability.Withdraw(availability.Declarations[0].Id, Now));
        Assert.Equal("AVAILABILITY_IN_USE", error.Code);
        Assert.Empty(availability.Release("P-1").Withdraw(availability.Declarations[0].Id, Now).Declarations);
    }

    [Fact]
    public void A_reservation_starting_later_still_takes_the_place_for_an_earlier_start()
    {
        var availability = Offer(Fv, Modality.SemiResidential, Monday).Availability
            .Hold("P-1", Léa, Modality.SemiResidential, Monday, Today.AddDays(14), Now.AddMinutes(2), Now);

        // A placement from today would run into the one starting in two weeks.
        Assert.Equal(0, availability.Free(Modality.SemiResidential, 0, Today, Now));
    }

    /// <summary>Whatever declarations and holds are tried, no half-day ever has more reservations than declared places.</summary>
    [Property(MaxTest = 200)]
    public bool Reservations_never_exceed_declared_places(byte[] declarations, byte[] holds)
    {
        var capacity = Capacity(Modality.SemiResidential, 3);
        var availability = Empty;
        foreach (var b in declarations.Take(6))
        {
            try
            {
                availability = availability.Declare(Declaration(Modality.SemiResidential, 1 << (b % 14), 1 + b % 3, from: Today.AddDays(b % 5)), Fv, capacity);
            }
            catch (DomainException e) when (e.Code == "CAPACITY_EXCEEDED") { }
        }
        var i = 0;
        foreach (var b in holds.Take(20))
        {
            try
            {
                availability = availability.Hold($"P-{i++}", Léa, Modality.SemiResidential, 1 << (b % 14) | 1 << (b / 16 % 14), Today.AddDays(b % 7), Now.AddHours(1), Now);
            }
            catch (DomainException e) when (e.Code == "CONFLICT") { }
        }
        for (var h = 0; h < 14; h++)
            for (var day = 0; day < 12; day++)
            {
                var date = Today.AddDays(day);
                var declared = availability.Declarations.Where(d => d.Covers(Modality.SemiResidential, h) && d.IsActiveOn(date)).Sum(d => d.Places);
                var reserved = availability.Reservations.Count(r => (r.HalfDays & (1 << h)) != 0 && r.IsActiveOn(date));
                if (reserved > declared)
                    return false;
            }
        return true;
    }
}
