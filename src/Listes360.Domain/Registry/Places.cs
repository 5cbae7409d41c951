using Listes360.Domain.Validation;

namespace Listes360.Domain.Registry;

/// <summary>The places an ESMS declares for one modality, as of <see cref="EffectiveDate"/>.</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Registry.Places")]
public sealed record Places(
    [property: Id(0)] Modality Modality,
    [property: Id(1)] int Capacity,
    [property: Id(2)] int Occupied,
    [property: Id(3)] DateOnly EffectiveDate)
{
    public int Vacancies => Capacity - Occupied;

    /// <summary>
    /// Checks a declaration; a refused one throws with a French message and changes nothing. The
    /// current places are what the ESMS has today: with <paramref name="today"/>, an effective date
    /// ahead is refused (declared when it comes, never applied early), as is one before 1900.
    /// </summary>
    public static Places Declare(Modality modality, int capacity, int occupied, DateOnly effectiveDate, DateOnly? today = null)
    {
        if (today is { } t)
            FieldRules.PastDate(effectiveDate, t, "effectiveDate", "la date d'effet des places");
        if (capacity < 0)
            throw new DomainException("INVALID_PLACES", $"La capacité en {modality.Label().ToLowerInvariant()} ne peut pas être négative (reçu : {capacity}).", "capacity");
        if (capacity > 10_000)
            throw new DomainException("INVALID_PLACES", $"La capacité en {modality.Label().ToLowerInvariant()} ({capacity}) dépasse 10 000 places : vérifiez la saisie.", "capacity");
        if (occupied < 0)
            throw new DomainException("INVALID_PLACES", $"Le nombre de places occupées en {modality.Label().ToLowerInvariant()} ne peut pas être négatif (reçu : {occupied}).", "occupied");
        if (occupied > capacity)
            throw new DomainException("INVALID_PLACES", $"Les places occupées en {modality.Label().ToLowerInvariant()} ({occupied}) dépassent la capacité déclarée ({capacity}).", "occupied");
        return new Places(modality, capacity, occupied, effectiveDate);
    }
}

/// <summary>One change of an ESMS's places: who, when, before and after.</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Registry.PlacesChange")]
public sealed record PlacesChange(
    [property: Id(0)] Modality Modality,
    [property: Id(1)] Places? Before,
    [property: Id(2)] Places After,
    [property: Id(3)] string ChangedBy,
    [property: Id(4)] DateTimeOffset ChangedAt);
