using Listes360.Domain;
using Listes360.Domain.Registry;

namespace Listes360.Domain.Tests.Registry;

public sealed class FinessNumberTests
{
    [Theory]
    [InlineData("610002438", "61")]
    [InlineData("2A0000014", "2A")]
    [InlineData("2b0000012", "2B")]
    [InlineData("010000016", "01")]
    [InlineData("971000013", "971")]
    [InlineData("974000010", "974")]
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
    [InlineData("610000011", "clé de contrôle")]
    [InlineData("610002439", "clé de contrôle")]
    [InlineData("2A0000019", "clé de contrôle")]
    public void Invalid_numbers_are_refused_with_a_french_reason(string? input, string reason)
    {
        var error = Assert.Throws<DomainException>(() => FinessNumber.Parse(input));

        Assert.Equal("INVALID_FINESS", error.Code);
        Assert.Equal("finess", error.Field);
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void A_wrong_key_names_the_expected_one()
    {
        var error = Assert.Throws<DomainException>(() => FinessNumber.Parse("610000011"));

        Assert.Contains("la clé attendue est « 0 »", error.Message);
    }

    [Theory]
    [InlineData("61000001", "610000010")]
    [InlineData("61000243", "610002438")]
    [InlineData("2A000001", "2A0000014")]
    [InlineData("97400001", "974000010")]
    public void WithKey_completes_eight_characters_with_their_key(string firstEight, string expected)
    {
        Assert.Equal(expected, FinessNumber.WithKey(firstEight).Value);
    }

    [Fact]
    public void Every_number_of_the_embedded_extract_has_a_valid_key()
    {
        // The extract is parsed with FinessNumber.Parse: a single wrong key would throw here.
        Assert.Equal(72, OrneReferenceData.Esms.Count);
    }
}
