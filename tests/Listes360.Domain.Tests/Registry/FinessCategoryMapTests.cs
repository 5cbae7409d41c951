using Listes360.Domain.Registry;

namespace Listes360.Domain.Tests.Registry;

public class FinessCategoryMapTests
{
    [Fact]
    public void Every_category_of_the_Orne_extract_is_mapped()
    {
        var missing = OrneReferenceData.Esms.Select(e => e.Category).Distinct()
            .Where(c => !FinessCategoryMap.TryGetKind(c, out _)).ToList();
        Assert.Empty(missing);
        Assert.Equal(17, OrneReferenceData.Esms.Select(e => e.Category).Distinct().Count());
    }

    [Fact]
    public void Every_category_of_the_France_extract_is_mapped()
    {
        // The nomenclature's count column is the number of establishments of the France-wide extract.
        var inFranceFile = FinessNomenclature.All.Where(c => c.InPhFilter && c.EstablishmentsInExtract > 0).Select(c => c.Code).ToList();
        Assert.Equal(32, inFranceFile.Count);
        var missing = inFranceFile.Where(c => !FinessCategoryMap.TryGetKind(c, out _)).ToList();
        Assert.Empty(missing);
    }

    [Theory]
    [InlineData("183", KindOfSupport.Ime)]
    [InlineData("182", KindOfSupport.Sessad)]
    [InlineData("186", KindOfSupport.Itep)]
    [InlineData("188", KindOfSupport.PolyhandicapChildren)]
    [InlineData("192", KindOfSupport.Iem)]
    [InlineData("195", KindOfSupport.SensoryChildren)]
    [InlineData("255", KindOfSupport.Mas)]
    [InlineData("437", KindOfSupport.Fam)]
    [InlineData("448", KindOfSupport.Fam)]
    [InlineData("382", KindOfSupport.FoyerDeVie)]
    [InlineData("449", KindOfSupport.FoyerDeVie)]
    [InlineData("252", KindOfSupport.FoyerHebergement)]
    [InlineData("246", KindOfSupport.Esat)]
    [InlineData("445", KindOfSupport.Samsah)]
    [InlineData("446", KindOfSupport.Savs)]
    [InlineData("377", KindOfSupport.ExperimentalChildren)]
    [InlineData("189", KindOfSupport.Cmpp)]
    [InlineData("190", KindOfSupport.Camsp)]
    [InlineData(" 238 ", KindOfSupport.SpecialisedFosterCare)]
    public void Maps_known_categories(string category, KindOfSupport expected) =>
        Assert.Equal(expected, FinessCategoryMap.KindOf(category));

    [Fact]
    public void Refuses_an_ehpad_saying_what_it_is()
    {
        var ex = Assert.Throws<DomainException>(() => FinessCategoryMap.KindOf("500"));
        Assert.Equal("UNKNOWN_FINESS_CATEGORY", ex.Code);
        Assert.Equal("category", ex.Field);
        Assert.Contains("« 500 »", ex.Message);
        Assert.Contains("n'est pas un établissement ou service médico-social pour personnes handicapées", ex.Message);
        Assert.Contains("183", ex.Message);
    }

    [Theory]
    [InlineData("247", "Entreprise adaptée")]
    [InlineData("354", "S.S.I.A.D")]
    public void Refuses_non_esms_categories_with_their_label(string code, string labelPart)
    {
        var ex = Assert.Throws<DomainException>(() => FinessCategoryMap.KindOf(code));
        Assert.Contains(labelPart, ex.Message);
    }

    [Theory]
    [InlineData("999", "n'existe pas dans la nomenclature")]
    [InlineData("184", "sans libellé")]
    [InlineData("", "vide")]
    [InlineData(null, "vide")]
    public void Refuses_unknown_codes_precisely(string? code, string messagePart)
    {
        var ex = Assert.Throws<DomainException>(() => FinessCategoryMap.KindOf(code));
        Assert.Equal("UNKNOWN_FINESS_CATEGORY", ex.Code);
        Assert.Contains(messagePart, ex.Message);
    }

    [Fact]
    public void Every_mapped_category_is_a_PH_category_of_the_nomenclature()
    {
        foreach (var code in FinessCategoryMap.Categories)
        {
            var c = FinessNomenclature.TryGet(code);
            Assert.NotNull(c);
            Assert.True(c.InPhFilter, code);
            Assert.NotEmpty(c.Label);
        }
    }

    [Fact]
    public void Mapped_audience_matches_the_nomenclature_family()
    {
        foreach (var code in FinessCategoryMap.Categories)
        {
            var family = FinessNomenclature.TryGet(code)!.HandicapFamily;
            var audience = FinessCategoryMap.KindOf(code).Info().Audience;
            if (family == "PH enfants" && code != "221") Assert.Equal(Audience.Children, audience);
            if (family == "PH adultes" && code != "370") Assert.Equal(Audience.Adults, audience);
        }
    }
}
