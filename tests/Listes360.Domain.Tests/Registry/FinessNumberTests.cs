using Listes360.Domain;
using Listes360.Domain.Registry;

namespace Listes360.Domain.Tests.Registry;

public sealed class FinessNumberTests
{
    [Theory]
    [InlineData("610002438", "61")]
    [InlineData("2A0000019", "2A")]
    [InlineData("2b0000019", "2B")]
    [InlineData("010000010", "01")]
    [InlineData("971000014", "971")]
    [InlineData("974000011", "974")]
    [InlineData(" 610002438 ", "61")]
    public void Valid_numbers_parse_with_their_departement(string input, string department)
    {
        var finess = FinessNumber.Parse(input);

        Assert.Equal(department, finess.Department);
        Assert.Equal(9, finess.Value.Length);
    }

    [Theory]
    [InlineData(null, "9 caractères")]
    [InlineData("", "9 caractères")]
    [InlineData("61000243", "9 caractères")]
    [InlineData("6100024381", "9 caractères")]
    [InlineData("61000243X", "position 9")]
    [InlineData("2C0000019", "position 2")]
    [InlineData("000000001", "département")]
    [InlineData("200000001", "département")]
    [InlineData("960000001", "département")]
    [InlineData("979000001", "département")]
    public void Invalid_numbers_are_refused_with_a_french_reason(string? input, string reason)
    {
        var error = Assert.Throws<DomainException>(() => FinessNumber.Parse(input));

        Assert.Equal("INVALID_FINESS", error.Code);
        Assert.Equal("finess", error.Field);
        Assert.Contains(reason, error.Message);
    }
}
