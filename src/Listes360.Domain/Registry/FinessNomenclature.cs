using System.Collections.Frozen;
using Listes360.Domain.ReferenceData;

namespace Listes360.Domain.Registry;

/// <summary>One FINESS category of the nomenclature shipped in <c>data/finess/finess_categories_nomenclature.csv</c>.</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Registry.FinessCategory")]
public sealed record FinessCategory(
    [property: Id(0)] string Code,
    [property: Id(1)] string Label,
    [property: Id(2)] string AggregateCode,
    [property: Id(3)] string AggregateLabel,
    [property: Id(4)] string HandicapFamily,
    [property: Id(5)] bool InPhFilter,
    [property: Id(6)] int EstablishmentsInExtract);

/// <summary>The FINESS category nomenclature (embedded copy, see <c>data/finess/PROVENANCE.md</c>).</summary>
public static class FinessNomenclature
{
    private static readonly Lazy<FrozenDictionary<string, FinessCategory>> Categories = new(Load);

    public static IReadOnlyCollection<FinessCategory> All => Categories.Value.Values;

    public static FinessCategory? TryGet(string code) => Categories.Value.GetValueOrDefault(code);

    private static FrozenDictionary<string, FinessCategory> Load()
    {
        var rows = EmbeddedCsv.Read(EmbeddedCsv.FinessCategories);
        return rows.Select(r => new FinessCategory(
                r["categetab"], r["libcategetab"], r["categagretab"], r["libcategagretab"], r["famille_handicap"],
                r["dans_filtre_ph"] == "oui", int.Parse(r["nb_etab_extrait_20210108"], System.Globalization.CultureInfo.InvariantCulture)))
            .ToFrozenDictionary(c => c.Code, StringComparer.Ordinal);
    }
}
