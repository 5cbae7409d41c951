using System.Globalization;
using Listes360.Domain.ReferenceData;

namespace Listes360.Domain.Registry;

/// <summary>One row of the FINESS PH extract (columns documented in <c>data/finess/PROVENANCE.md</c>).</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Registry.FinessEsmsRecord")]
public sealed record FinessEsmsRecord
{
    [Id(0)] public required FinessNumber Finess { get; init; }
    [Id(1)] public required string LegalEntityFiness { get; init; }
    [Id(2)] public required string Name { get; init; }
    [Id(3)] public required string Address { get; init; }
    [Id(4)] public required string Postcode { get; init; }
    /// <summary>La Poste's <c>libellé d'acheminement</c>: upper case, no accents, sometimes « CEDEX ».</summary>
    [Id(5)] public required string Commune { get; init; }
    [Id(6)] public required string Category { get; init; }
    [Id(7)] public required string CategoryLabel { get; init; }
    [Id(8)] public required string AggregateCategory { get; init; }
    [Id(9)] public string? Phone { get; init; }
    [Id(10)] public DateOnly? OpenedOn { get; init; }
    [Id(11)] public DateOnly? UpdatedOn { get; init; }
    [Id(12)] public double? Latitude { get; init; }
    [Id(13)] public double? Longitude { get; init; }

    /// <summary>The ESMS profile with the kind's usual age range and modalities.</summary>
    public EsmsProfile ToProfile(string? territory = null) =>
        EsmsProfile.Create(Finess, Name, Category) with
        {
            Postcode = Postcode,
            Commune = Commune,
            Territory = territory,
            Latitude = Latitude,
            Longitude = Longitude,
        };
}

/// <summary>
/// The Orne's real ESMS for disabled people (FINESS extract of 8 January 2021), embedded in the
/// assembly: the product never reads the shared data folder at run time.
/// </summary>
public static class OrneReferenceData
{
    public const string Department = "61";
    private static readonly Lazy<IReadOnlyList<FinessEsmsRecord>> Rows = new(() => LoadFiness(EmbeddedCsv.FinessOrne));

    /// <summary>The 72 ESMS of the extract, in file order.</summary>
    public static IReadOnlyList<FinessEsmsRecord> Esms => Rows.Value;

    internal static IReadOnlyList<FinessEsmsRecord> LoadFiness(string resource) =>
        EmbeddedCsv.Read(resource).Select(r => new FinessEsmsRecord
        {
            Finess = FinessNumber.Parse(r["nofinesset"]),
            LegalEntityFiness = r["nofinessej"],
            Name = r["rs"],
            Address = r["adresse"],
            Postcode = r["codepostal"],
            Commune = r["libelle_commune_acheminement"],
            Category = r["categetab"],
            CategoryLabel = r["libcategetab"],
            AggregateCategory = r["categagretab"],
            Phone = NullIfEmpty(r["telephone"]),
            OpenedOn = Date(r["dateouv"]),
            UpdatedOn = Date(r["datemaj"]),
            Latitude = Number(r["latitude"]),
            Longitude = Number(r["longitude"]),
        }).ToArray();

    private static string? NullIfEmpty(string s) => s.Length == 0 ? null : s;
    private static DateOnly? Date(string s) => s.Length == 0 ? null : DateOnly.ParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture);
    private static double? Number(string s) => s.Length == 0 ? null : double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);
}
