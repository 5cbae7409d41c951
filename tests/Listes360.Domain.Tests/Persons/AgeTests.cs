using FsCheck;
using FsCheck.Xunit;
using Listes360.Domain.Persons;

namespace Listes360.Domain.Tests.Persons;

public class AgeTests
{
    [Theory]
    [InlineData("2006-11-23", "2026-11-23", 20)]
    [InlineData("2006-11-24", "2026-11-23", 19)]
    [InlineData("2006-11-22", "2026-11-23", 20)]
    [InlineData("2026-11-23", "2026-11-23", 0)]
    // Born on 29 February: the birthday of a common year is 28 February.
    [InlineData("2004-02-29", "2005-02-27", 0)]
    [InlineData("2004-02-29", "2005-02-28", 1)]
    [InlineData("2004-02-29", "2024-02-28", 19)]
    [InlineData("2004-02-29", "2024-02-29", 20)]
    [InlineData("2004-02-29", "2025-02-28", 21)]
    [InlineData("2004-03-01", "2005-02-28", 0)]
    public void Completed_years(string birth, string on, int expected) =>
        Assert.Equal(expected, Age.InYears(DateOnly.Parse(birth), DateOnly.Parse(on)));

    [Fact]
    public void Date_before_birth_is_refused()
    {
        var ex = Assert.Throws<DomainException>(() => Age.InYears(new DateOnly(2020, 1, 2), new DateOnly(2020, 1, 1)));
        Assert.Equal("DATE_BEFORE_BIRTH", ex.Code);
        Assert.Contains("01/01/2020", ex.Message);
    }

    private static DateOnly Birth(int days) => new DateOnly(1920, 1, 1).AddDays(Math.Abs(days % 36_000));

    [Property(MaxTest = 500)]
    public bool Age_is_n_on_the_nth_birthday_and_n_minus_1_the_day_before(int days, NonNegativeInt years)
    {
        var b = Birth(days);
        var n = 1 + years.Get % 100;
        var birthday = Age.Birthday(b, n);
        return Age.InYears(b, birthday) == n && Age.InYears(b, birthday.AddDays(-1)) == n - 1;
    }

    [Property(MaxTest = 500)]
    public bool Age_never_decreases(int days, NonNegativeInt a, NonNegativeInt b)
    {
        var birth = Birth(days);
        var d1 = birth.AddDays(a.Get % 40_000);
        var d2 = d1.AddDays(b.Get % 40_000);
        return Age.InYears(birth, d1) <= Age.InYears(birth, d2);
    }
}
