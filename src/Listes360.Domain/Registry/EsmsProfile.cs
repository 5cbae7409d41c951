using System.Collections.Immutable;
using Listes360.Domain.Validation;

namespace Listes360.Domain.Registry;

/// <summary>
/// What the domain rules need to know of an ESMS: identity, kind, age range and the modalities it
/// offers (places by modality are the ESMS grain's business; a modality is offered when it has places).
/// </summary>
[GenerateSerializer, Immutable, Alias("Listes360.Registry.EsmsProfile")]
public sealed record EsmsProfile
{
    [Id(0)] public required FinessNumber Finess { get; init; }
    [Id(1)] public required string Name { get; init; }
    /// <summary>FINESS category code (<c>categetab</c>).</summary>
    [Id(2)] public required string Category { get; init; }
    [Id(3)] public required KindOfSupport Kind { get; init; }
    [Id(4)] public required AgeRange AgeRange { get; init; }
    [Id(5)] public required ImmutableArray<Modality> Modalities { get; init; }
    [Id(6)] public string? Postcode { get; init; }
    [Id(7)] public string? Commune { get; init; }
    /// <summary>Territory (EPCI code) when known, see <see cref="Territories.TerritoryDirectory"/>.</summary>
    [Id(8)] public string? Territory { get; init; }
    [Id(9)] public double? Latitude { get; init; }
    [Id(10)] public double? Longitude { get; init; }

    /// <summary>
    /// A profile for an ESMS of a FINESS category, with the kind's usual age range and modalities unless
    /// given. Refuses unknown categories (<c>UNKNOWN_FINESS_CATEGORY</c>) and an empty modality list.
    /// </summary>
    public static EsmsProfile Create(FinessNumber finess, string name, string category,
        AgeRange? ageRange = null, IEnumerable<Modality>? modalities = null)
    {
        var kind = FinessCategoryMap.KindOf(category);
        var info = kind.Info();
        if (string.IsNullOrWhiteSpace(name))
            throw new DomainException("INVALID_ESMS_NAME", $"Le nom de l'ESMS {finess} est vide.", "name");
        name = FieldRules.RequiredLine(name, "name", $"le nom de l'ESMS {finess}", FieldLimits.EsmsNameMaxLength, "INVALID_ESMS_NAME");
        var offered = (modalities ?? info.UsualModalities).Distinct().Order().ToImmutableArray();
        if (offered.IsEmpty)
            throw new DomainException("NO_MODALITY", $"L'ESMS {finess} doit proposer au moins une modalité d'accueil.", "modalities");
        return new EsmsProfile
        {
            Finess = finess,
            Name = name.Trim(),
            Category = category.Trim(),
            Kind = kind,
            AgeRange = ageRange ?? info.UsualAgeRange,
            Modalities = offered,
        };
    }

    /// <summary>
    /// Value equality, modalities included (an <see cref="ImmutableArray{T}"/> compares by reference):
    /// a re-import of the same registry must find every profile unchanged.
    /// </summary>
    public bool Equals(EsmsProfile? other) =>
        other is not null
        && Finess == other.Finess && Name == other.Name && Category == other.Category && Kind == other.Kind
        && AgeRange == other.AgeRange && Modalities.SequenceEqual(other.Modalities)
        && Postcode == other.Postcode && Commune == other.Commune && Territory == other.Territory
        && Latitude == other.Latitude && Longitude == other.Longitude;

    public override int GetHashCode() => HashCode.Combine(Finess, Name, Category, Kind, AgeRange, Territory);
}
