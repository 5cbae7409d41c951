using System.Collections.Immutable;
using Listes360.Domain.Territories;
using Listes360.Domain.Validation;

namespace Listes360.Domain.Registry;

/// <summary>
/// What a person or an import says about an ESMS; <see cref="ToProfile"/> applies the registry
/// rules (known FINESS category, usual age range and modalities by default, territory from the
/// postcode and commune where the département's territories are known).
/// </summary>
public sealed record EsmsRegistrationRequest(
    string Finess,
    string Name,
    string Category,
    string? Postcode = null,
    string? Commune = null,
    int? AgeFrom = null,
    int? AgeUntil = null,
    IReadOnlyList<Modality>? Modalities = null,
    double? Latitude = null,
    double? Longitude = null)
{
    public EsmsProfile ToProfile()
    {
        var finess = FinessNumber.Parse(Finess);
        var postcode = FieldRules.OptionalPostcode(Postcode);
        var commune = FieldRules.OptionalLine(Commune, "commune", "la commune", FieldLimits.EsmsNameMaxLength);
        var kind = FinessCategoryMap.KindOf(Category);
        var usual = kind.Info().UsualAgeRange;
        AgeRange? ageRange = AgeFrom is null && AgeUntil is null
            ? null
            : AgeRangeOf(AgeFrom ?? usual.From, AgeUntil ?? usual.Until);
        var profile = EsmsProfile.Create(finess, Name, Category, ageRange, Modalities is { Count: > 0 } m ? m : null);
        var location = Locate(finess.Department, postcode, commune);
        return profile with
        {
            Postcode = postcode,
            Commune = commune,
            Territory = location?.Territory.Code,
            Latitude = Latitude,
            Longitude = Longitude,
        };
    }

    private static AgeRange AgeRangeOf(int from, int? until)
    {
        if (from < 0 || from > 120)
            throw new DomainException("INVALID_AGE_RANGE", $"L'âge minimal accueilli ({from} ans) doit être compris entre 0 et 120 ans.", "ageFrom");
        if (until is { } u && u <= from)
            throw new DomainException("INVALID_AGE_RANGE", $"L'âge de fin d'accueil ({u} ans) doit dépasser l'âge minimal ({from} ans).", "ageUntil");
        return new AgeRange(from, until);
    }

    /// <summary>The territory where the département's référentiel is embedded; unknown (null) elsewhere.</summary>
    private static Location? Locate(string department, string? postcode, string? commune)
    {
        if (string.IsNullOrWhiteSpace(postcode) && string.IsNullOrWhiteSpace(commune))
            return null;
        return TerritoryDirectory.TryLocate(department, postcode, commune);
    }
}
