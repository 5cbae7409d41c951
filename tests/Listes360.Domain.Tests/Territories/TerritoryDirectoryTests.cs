using Listes360.Domain.Registry;
using Listes360.Domain.Territories;
using Xunit.Abstractions;

namespace Listes360.Domain.Tests.Territories;

public class TerritoryDirectoryTests(ITestOutputHelper output)
{
    private static readonly TerritoryDirectory Orne = TerritoryDirectory.FromEmbedded("61");

    [Fact]
    public void Loads_the_orne_territories_and_communes()
    {
        Assert.Equal(16, Orne.Territories.Count);
        Assert.Equal(381, Orne.Communes.Count(c => !c.IsDelegated));
        Assert.Equal(144, Orne.Communes.Count(c => c.IsDelegated));
        Assert.All(Orne.Communes, c => Assert.NotNull(Orne.TerritoryByCode(c.TerritoryCode)));
        Assert.Equal("CU d'Alençon", Orne.TerritoryOfCommune("61001")!.Name);
        Assert.Same(Orne, TerritoryDirectory.FromEmbedded("61"));
    }

    [Fact]
    public void Every_orne_esms_maps_to_a_territory()
    {
        var misses = new List<string>();
        var byRule = new Dictionary<LocationMatch, int>();
        foreach (var e in OrneReferenceData.Esms)
        {
            var location = Orne.Locate(e.Postcode, e.Commune);
            if (location is null) misses.Add($"{e.Finess} {e.Postcode} {e.Commune}");
            else byRule[location.Match] = byRule.GetValueOrDefault(location.Match) + 1;
        }
        output.WriteLine($"rules: {string.Join(", ", byRule.Select(kv => $"{kv.Key}={kv.Value}"))}; misses: {string.Join(" | ", misses)}");
        Assert.Empty(misses);
        // CEDEX postcodes are the only ones located by name alone.
        Assert.Equal(OrneReferenceData.Esms.Count(e => e.Commune.Contains("CEDEX")), byRule.GetValueOrDefault(LocationMatch.NameOnly));
    }

    [Theory]
    [InlineData("61300", "L AIGLE CEDEX", "L'Aigle")]
    [InlineData("61000", "ALENCON", "Alençon")]
    [InlineData("61400", "MORTAGNE AU PERCHE", "Mortagne-au-Perche")]
    public void Locates_by_postcode_and_normalised_name(string postcode, string name, string expected) =>
        Assert.Equal(expected, Orne.Locate(postcode, name)!.Commune.Name);

    [Fact]
    public void Unknown_address_is_not_located() => Assert.Null(Orne.Locate("75001", "PARIS"));

    [Theory]
    [InlineData("Saint-Germain-du-Corbéis", "ST GERMAIN DU CORBEIS")]
    [InlineData("L'Aigle", "L AIGLE")]
    [InlineData("ALENCON CEDEX 3", "ALENCON")]
    [InlineData("Sainte-Scolasse-sur-Sarthe", "STE SCOLASSE SUR SARTHE")]
    public void Normalises_names(string input, string expected) => Assert.Equal(expected, TerritoryDirectory.NormaliseName(input));

    [Fact]
    public void Other_departments_are_refused_in_french()
    {
        var ex = Assert.Throws<DomainException>(() => TerritoryDirectory.FromEmbedded("59"));
        Assert.Equal("TERRITORIES_NOT_AVAILABLE", ex.Code);
        Assert.Contains("« 59 »", ex.Message);
    }
}
