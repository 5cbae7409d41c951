using Listes360.Domain.Identity;

namespace Listes360.Domain.Tests.Identity;

public class FrenchNamesTests
{
    [Theory]
    [InlineData("Élodie", "elodie")]
    [InlineData("  JEAN-PIERRE  ", "jean pierre")]
    [InlineData("D'Harcourt", "d harcourt")]
    [InlineData("Lætitia", "laetitia")]
    [InlineData("Œuvrard", "oeuvrard")]
    [InlineData("François", "francois")]
    [InlineData("N’Diaye", "n diaye")]
    [InlineData("Le  Goff", "le goff")]
    [InlineData("Müller", "muller")]
    [InlineData("O'Neil-Smith 2", "o neil smith")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void Fold_lowers_strips_accents_and_separators(string? input, string expected) =>
        Assert.Equal(expected, FrenchNames.Fold(input));

    [Fact]
    public void Particles_give_a_variant_without_them()
    {
        var keys = FrenchNames.LastNameVariants("de La Fontaine").Select(v => v.Key).ToArray();
        Assert.Contains("delafontaine", keys);
        Assert.Contains("fontaine", keys);
        Assert.Contains("legoff", FrenchNames.LastNameVariants("Le Goff").Select(v => v.Key));
        Assert.Contains("legoff", FrenchNames.LastNameVariants("LEGOFF").Select(v => v.Key));
    }

    [Theory]
    [InlineData("DUPONT épouse MARTIN", "martin", "dupont")]
    [InlineData("Dupont ép. Martin", "martin", "dupont")]
    [InlineData("DUPONT EP MARTIN", "martin", "dupont")]
    [InlineData("MARTIN née DUPONT", "martin", "dupont")]
    [InlineData("Martin nee Dupont", "martin", "dupont")]
    [InlineData("Mme MARTIN", "martin", "")]
    [InlineData("veuve MARTIN", "martin", "")]
    [InlineData("DUPONT veuve MARTIN", "martin", "dupont")]
    public void Marital_mentions_split_usage_and_birth_names(string lastName, string usage, string birth)
    {
        var (usageTokens, birthTokens) = FrenchNames.SplitMaritalMentions(lastName);
        Assert.Equal(usage, string.Concat(usageTokens));
        Assert.Equal(birth, string.Concat(birthTokens));
    }

    [Fact]
    public void Birth_name_field_and_mentions_are_all_variants()
    {
        var keys = FrenchNames.LastNameVariants("MARTIN", "Dupont").Select(v => v.Key).ToArray();
        Assert.Equal(["martin", "dupont"], keys);
        Assert.Contains("dupont", FrenchNames.LastNameVariants("DUPONT épouse MARTIN").Select(v => v.Key));
    }

    [Fact]
    public void Compound_first_names_match_however_written()
    {
        var hyphen = FrenchNames.FirstNameVariants("Jean-Pierre");
        var space = FrenchNames.FirstNameVariants("JEAN PIERRE");
        Assert.Equal(hyphen, space);
        Assert.Equal("jeanpierre", hyphen[0].Key);
        Assert.Equal(1.0, hyphen[0].Weight);
        var first = Assert.Single(hyphen, v => v.Kind == "premier-prenom");
        Assert.Equal("jean", first.Key);
        Assert.True(first.Weight < 1.0);
        Assert.Single(FrenchNames.FirstNameVariants("Jean"));
    }

    [Fact]
    public void Compound_last_names_give_their_parts_at_a_lower_weight()
    {
        var variants = FrenchNames.LastNameVariants("Martin-Durand");
        Assert.Contains(variants, v => v.Key == "martindurand" && v.Weight == 1.0);
        Assert.Contains(variants, v => v.Key == "durand" && v.Weight < 1.0);
    }
}
