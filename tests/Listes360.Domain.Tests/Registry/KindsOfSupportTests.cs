using Listes360.Domain.Registry;

namespace Listes360.Domain.Tests.Registry;

public class KindsOfSupportTests
{
    [Fact]
    public void Every_kind_has_info_code_label_and_modalities()
    {
        foreach (var kind in Enum.GetValues<KindOfSupport>())
        {
            var info = kind.Info();
            Assert.Equal(kind, info.Kind);
            Assert.NotEmpty(info.Code);
            Assert.NotEmpty(info.Label);
            Assert.NotEmpty(info.UsualModalities);
            Assert.Contains(kind, info.AcceptedOrientations);
            Assert.Equal(kind, KindsOfSupport.FromCode(info.Code.ToLowerInvariant()));
        }
        Assert.Equal(Enum.GetValues<KindOfSupport>().Length, KindsOfSupport.All.Select(k => k.Code).Distinct().Count());
    }

    [Fact]
    public void Every_kind_is_reachable_from_some_category() =>
        Assert.All(Enum.GetValues<KindOfSupport>(), k => Assert.NotEmpty(FinessCategoryMap.CategoriesOf(k)));

    [Fact]
    public void Children_range_ends_on_the_20th_birthday()
    {
        var range = KindOfSupport.Ime.Info().UsualAgeRange;
        Assert.True(range.Contains(0));
        Assert.True(range.Contains(19));
        Assert.False(range.Contains(20));
        Assert.Equal("de 0 à 20 ans", range.Label);
        Assert.Equal("à partir de 18 ans", KindOfSupport.Mas.Info().UsualAgeRange.Label);
    }

    [Fact]
    public void Ambulatory_children_services_are_out_of_the_waiting_list_scope()
    {
        Assert.False(KindOfSupport.Camsp.Info().InWaitingListScope);
        Assert.False(KindOfSupport.Cmpp.Info().InWaitingListScope);
        Assert.True(KindOfSupport.Ime.Info().InWaitingListScope);
    }

    [Fact]
    public void Same_kind_is_the_family()
    {
        Assert.True(KindOfSupport.Mas.IsSameKindAs(KindOfSupport.Fam));
        Assert.True(KindOfSupport.Ime.IsSameKindAs(KindOfSupport.Itep));
        Assert.False(KindOfSupport.Ime.IsSameKindAs(KindOfSupport.Sessad));
        Assert.False(KindOfSupport.Ime.IsSameKindAs(KindOfSupport.Mas));
        Assert.False(KindOfSupport.Esat.IsSameKindAs(KindOfSupport.FoyerHebergement));
        Assert.False(KindOfSupport.AdultTemporary.IsSameKindAs(KindOfSupport.AdultTemporary));
        Assert.False(KindOfSupport.ExperimentalAdults.IsSameKindAs(KindOfSupport.Mas));
    }

    [Fact]
    public void Same_kind_never_mixes_children_and_adults()
    {
        foreach (var a in Enum.GetValues<KindOfSupport>())
            foreach (var b in Enum.GetValues<KindOfSupport>())
                if (a.IsSameKindAs(b)) Assert.Equal(a.Info().Audience, b.Info().Audience);
        Assert.False(KindOfSupport.ChildrenTemporary.IsSameKindAs(KindOfSupport.AdultTemporary));
    }

    [Fact]
    public void Unknown_code_is_refused_in_french()
    {
        var ex = Assert.Throws<DomainException>(() => KindsOfSupport.FromCode("EHPAD"));
        Assert.Equal("UNKNOWN_KIND_OF_SUPPORT", ex.Code);
        Assert.Contains("Codes admis", ex.Message);
    }

    [Fact]
    public void Modalities_have_french_labels()
    {
        Assert.Equal("Internat", Modality.Residential.Label());
        Assert.Equal("Accueil séquentiel", Modality.Sequential.Label());
        Assert.All(Modalities.All, m => Assert.NotEmpty(m.Label()));
        Assert.False(Modality.Temporary.IsLasting());
        Assert.True(Modality.Residential.IsLasting());
    }

    [Fact]
    public void Age_range_validates()
    {
        Assert.Equal("INVALID_AGE_RANGE", Assert.Throws<DomainException>(() => new AgeRange(20, 20)).Code);
        Assert.Equal("INVALID_AGE_RANGE", Assert.Throws<DomainException>(() => new AgeRange(-1, null)).Code);
    }
}
