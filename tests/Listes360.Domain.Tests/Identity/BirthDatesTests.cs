using Listes360.Domain.Identity;

namespace Listes360.Domain.Tests.Identity;

public class BirthDatesTests
{
    private static readonly DateOnly Today = new(2026, 11, 23);

    [Theory]
    [InlineData("1987-04-03", "19870403")]
    [InlineData("03/04/1987", "19870403")]
    [InlineData("3/4/1987", "19870403")]
    [InlineData("19870403", "19870403")]
    [InlineData("03-04-1987", "19870403")]
    [InlineData("03/04/1987 00:00:00", "19870403")]
    public void Accepted_formats_give_the_canonical_date(string text, string expected)
    {
        Assert.True(BirthDates.TryParse(text, Today, out var canonical, out _));
        Assert.Equal(expected, canonical);
    }

    [Theory]
    [InlineData("31/02/1987", "illisible")]
    [InlineData("1987/13/01", "illisible")]
    [InlineData("hier", "illisible")]
    [InlineData("01/01/1850", "hors limites")]
    [InlineData("01/01/2030", "hors limites")]
    [InlineData("", "vide")]
    public void Invalid_dates_are_refused_in_french(string text, string fragment)
    {
        Assert.False(BirthDates.TryParse(text, Today, out _, out var error));
        Assert.Contains(fragment, error);
    }

    [Theory]
    [InlineData("19870403", "19870403", DateAgreement.Exact)]
    [InlineData("19870403", "19870304", DateAgreement.DayMonthSwapped)]
    [InlineData("19870403", "19870408", DateAgreement.OneDigit)]
    [InlineData("19870403", "19970403", DateAgreement.OneDigit)]
    [InlineData("19870403", "19780403", DateAgreement.Transposed)]
    [InlineData("19870403", "19870427", DateAgreement.SameYearMonth)]
    [InlineData("19870403", "19650912", DateAgreement.Different)]
    [InlineData("19870403", null, DateAgreement.Missing)]
    [InlineData("1987", "19870403", DateAgreement.Missing)]
    public void Comparison_tolerates_entry_errors(string? a, string? b, DateAgreement expected)
    {
        Assert.Equal(expected, BirthDates.Compare(a, b));
        Assert.Equal(expected, BirthDates.Compare(b, a));
    }
}
