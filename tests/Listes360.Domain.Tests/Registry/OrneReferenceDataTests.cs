using Listes360.Domain.Registry;

namespace Listes360.Domain.Tests.Registry;

public class OrneReferenceDataTests
{
    [Fact]
    public void Loads_the_72_esms_of_the_orne()
    {
        var esms = OrneReferenceData.Esms;
        Assert.Equal(72, esms.Count);
        Assert.All(esms, e => Assert.Equal("61", e.Finess.Department));
        Assert.All(esms, e => Assert.StartsWith("61", e.Postcode));
        Assert.Equal(72, esms.Select(e => e.Finess).Distinct().Count());
    }

    [Fact]
    public void Decodes_quoted_names_and_coordinates()
    {
        var first = OrneReferenceData.Esms[0];
        Assert.Equal("610002438", first.Finess.Value);
        Assert.Equal("FOYER OCCUPATIONNEL \"LA BEAUGEARDIERE\"", first.Name);
        Assert.Equal("382", first.Category);
        Assert.Equal(new DateOnly(2001, 12, 17), first.OpenedOn);
        Assert.Equal(48.647558, first.Latitude!.Value, 6);
        Assert.Equal(0.678230, first.Longitude!.Value, 6);
    }

    [Fact]
    public void Category_counts_match_the_provenance()
    {
        var counts = OrneReferenceData.Esms.GroupBy(e => e.Category).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(10, counts["183"]);
        Assert.Equal(8, counts["182"]);
        Assert.Equal(11, counts["382"]);
        Assert.Equal(6, counts["255"]);
        Assert.Equal(10, counts["246"]);
    }

    [Fact]
    public void Every_orne_esms_gives_a_profile()
    {
        foreach (var e in OrneReferenceData.Esms)
        {
            var profile = e.ToProfile("246100663");
            Assert.Equal(FinessCategoryMap.KindOf(e.Category), profile.Kind);
            Assert.NotEmpty(profile.Modalities);
            Assert.Equal(e.Postcode, profile.Postcode);
        }
    }

    [Fact]
    public void Esms_profile_refuses_empty_modalities_and_names()
    {
        Assert.Equal("NO_MODALITY", Assert.Throws<DomainException>(() =>
            EsmsProfile.Create(TestData.ImeFiness, "IME", "183", modalities: [])).Code);
        Assert.Equal("INVALID_ESMS_NAME", Assert.Throws<DomainException>(() =>
            EsmsProfile.Create(TestData.ImeFiness, " ", "183")).Code);
        Assert.Equal("UNKNOWN_FINESS_CATEGORY", Assert.Throws<DomainException>(() =>
            EsmsProfile.Create(TestData.ImeFiness, "EHPAD", "500")).Code);
    }
}
