using System.Collections.Frozen;
using System.Globalization;
using Listes360.Domain.Geography;
using Listes360.Domain.ReferenceData;

namespace Listes360.Domain.Territories;

/// <summary>A point in WGS 84 decimal degrees.</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Territories.GeoPoint")]
public readonly record struct GeoPoint([property: Id(0)] double Latitude, [property: Id(1)] double Longitude)
{
    private const double EarthRadiusKm = 6371.0088;

    /// <summary>Great-circle (haversine) distance in kilometres: as the crow flies, not by road.</summary>
    public double DistanceKmTo(GeoPoint other)
    {
        static double Rad(double deg) => deg * Math.PI / 180;
        var dLat = Rad(other.Latitude - Latitude);
        var dLon = Rad(other.Longitude - Longitude);
        var a = Math.Sin(dLat / 2) * Math.Sin(dLat / 2)
                + Math.Cos(Rad(Latitude)) * Math.Cos(Rad(other.Latitude)) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2);
        return 2 * EarthRadiusKm * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }
}

/// <summary>
/// The approximate centre of each commune in force of the départements shipped in
/// <c>data/geography/</c> (bounding-box centres from <c>@etalab/fr-bounding-boxes</c>, see PROVENANCE.md).
/// </summary>
public static class CommuneCentres
{
    private static readonly Dictionary<string, FrozenDictionary<string, (string Name, GeoPoint Point)>> Cache = new(StringComparer.Ordinal);

    /// <summary>The centre of a commune (INSEE code), or <c>null</c> when its département is not shipped or the code unknown.</summary>
    public static GeoPoint? Of(string? inseeCode) => Find(inseeCode)?.Point;

    /// <summary>The commune's name and centre, or <c>null</c>.</summary>
    public static (string Name, GeoPoint Point)? Find(string? inseeCode)
    {
        if (inseeCode is null || inseeCode.Length != 5 || DepartmentCodes.OfCode(inseeCode) is not { } dep) return null;
        return Department(dep).TryGetValue(inseeCode, out var c) ? c : null;
    }

    private static FrozenDictionary<string, (string Name, GeoPoint Point)> Department(string dep)
    {
        lock (Cache)
        {
            if (Cache.TryGetValue(dep, out var known)) return known;
            var resource = $"Listes360.Data.geography.commune-centres-{dep}.csv";
            var map = EmbeddedCsv.Exists(resource)
                ? EmbeddedCsv.Read(resource).ToFrozenDictionary(
                    r => r["insee_code"],
                    r => (r["name"], new GeoPoint(
                        double.Parse(r["latitude"], CultureInfo.InvariantCulture),
                        double.Parse(r["longitude"], CultureInfo.InvariantCulture))),
                    StringComparer.Ordinal)
                : FrozenDictionary<string, (string, GeoPoint)>.Empty;
            Cache[dep] = map;
            return map;
        }
    }
}
