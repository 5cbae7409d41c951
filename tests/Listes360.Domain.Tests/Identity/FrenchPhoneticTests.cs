using Listes360.Domain.Identity;

namespace Listes360.Domain.Tests.Identity;

public class FrenchPhoneticTests
{
    [Theory]
    [InlineData("Philippe", "Filipe")]
    [InlineData("Lefebvre", "Lefèvre")]
    [InlineData("LEFEBVRE", "lefevre")]
    [InlineData("Renault", "Renaud")]
    [InlineData("Thibault", "Thibaud")]
    [InlineData("Gauthier", "Gautier")]
    [InlineData("Mathieu", "Matthieu")]
    [InlineData("Chevallier", "Chevalier")]
    [InlineData("Gérard", "Gerard")]
    [InlineData("Dupond", "Dupont")]
    [InlineData("Kathy", "Cathy")]
    [InlineData("Schmitt", "Schmidt")]
    [InlineData("Jacques", "Jaques")]
    public void Sound_alikes_share_a_key(string a, string b) =>
        Assert.Equal(FrenchPhonetic.Key(a), FrenchPhonetic.Key(b));

    [Theory]
    [InlineData("Martin", "Bernard")]
    [InlineData("Dubois", "Durand")]
    [InlineData("Lefebvre", "Leroy")]
    public void Different_names_have_different_keys(string a, string b) =>
        Assert.NotEqual(FrenchPhonetic.Key(a), FrenchPhonetic.Key(b));

    [Fact]
    public void Keys_keep_the_first_letter_and_respect_the_length()
    {
        Assert.Equal("FLP", FrenchPhonetic.Key("Philippe"));
        Assert.Equal("LFVR", FrenchPhonetic.Key("Lefebvre"));
        Assert.Equal('M', FrenchPhonetic.Key("Martin")[0]);
        Assert.True(FrenchPhonetic.Key("Desmoulins-Chevallier", 4).Length <= 4);
        Assert.Equal("", FrenchPhonetic.Key(""));
        Assert.Equal("", FrenchPhonetic.Key("--"));
    }

    [FsCheck.Xunit.Property]
    public bool Key_ignores_case_and_accents(string? input)
    {
        input ??= "";
        return FrenchPhonetic.Key(input.ToUpperInvariant()) == FrenchPhonetic.Key(FrenchNames.Fold(input));
    }
}
