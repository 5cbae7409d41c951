using Listes360.Domain.Geography;

namespace Listes360.Domain.Tests.Geography;

public sealed class DepartmentCodesTests
{
    [Theory]
    [InlineData("61", "61")]
    [InlineData(" 01 ", "01")]
    [InlineData("95", "95")]
    [InlineData("2a", "2A")]
    [InlineData("2B", "2B")]
    [InlineData("971", "971")]
    [InlineData("976", "976")]
    [InlineData("975", "975")]
    [InlineData("978", "978")]
    [InlineData("984", "984")]
    [InlineData("988", "988")]
    [InlineData("00", null)]
    [InlineData("20", null)]
    [InlineData("96", null)]
    [InlineData("97", null)]
    [InlineData("970", null)]
    [InlineData("979", null)]
    [InlineData("983", null)]
    [InlineData("610", null)]
    [InlineData("2C", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void A_typed_code_is_a_departement_or_refused(string? code, string? expected) =>
        Assert.Equal(expected, DepartmentCodes.Normalize(code));

    [Theory]
    [InlineData("61001", "61")]
    [InlineData("2A004", "2A")]
    [InlineData("2b033", "2B")]
    [InlineData("97411", "974")]
    [InlineData("97611", "976")]
    [InlineData("97701", "977")]
    [InlineData("98735", "987")]
    [InlineData("610000010", "61")]
    [InlineData("61-4f0c9a", "61")]
    [InlineData("20004", null)]
    [InlineData("00123", null)]
    [InlineData("97011", null)]
    [InlineData("98012", null)]
    [InlineData("9", null)]
    [InlineData(null, null)]
    public void A_code_starting_with_a_departement_gives_it(string? code, string? expected) =>
        Assert.Equal(expected, DepartmentCodes.OfCode(code));

    [Theory]
    [InlineData("61000", "61")]
    [InlineData("01000", "01")]
    [InlineData("20000", "2A")]
    [InlineData("20190", "2A")]
    [InlineData("20200", "2B")]
    [InlineData("20620", "2B")]
    [InlineData("20700", null)]
    [InlineData("97400", "974")]
    [InlineData("97133", "971")]
    [InlineData("97600", "976")]
    [InlineData("98800", "988")]
    [InlineData("98000", null)]
    [InlineData("00100", null)]
    [InlineData("6100", null)]
    [InlineData("2A004", null)]
    [InlineData(null, null)]
    public void A_postcode_gives_its_departement_Corsica_split_at_202xx(string? postcode, string? expected) =>
        Assert.Equal(expected, DepartmentCodes.OfPostcode(postcode));

    [Fact]
    public void A_departement_a_user_gives_is_normalised_or_refused_in_french()
    {
        Assert.Equal("2A", DepartmentCodes.Parse(" 2a "));

        var refused = Assert.Throws<DomainException>(() => DepartmentCodes.Parse("20"));

        Assert.Equal(("INVALID_DEPARTMENT", "department", "« 20 » n'est pas un code de département (01 à 95, 2A, 2B, 971 à 978, 984 à 988)."),
            (refused.Code, refused.Field, refused.Message));
    }
}
