using System.Collections.Immutable;
using Listes360.Domain.Registry;

namespace Listes360.Domain.Sequential;

public enum NeedUnit
{
    /// <summary>Whole days: each day is spent in one ESMS.</summary>
    Days = 1,
    /// <summary>Half-days: a morning and an afternoon may be spent in two ESMS.</summary>
    HalfDays = 2,
}

/// <summary>
/// What a person needs from a sequential placement: so many days or half-days a week, in some
/// modalities, within a distance of home or in some territories, from a date.
/// </summary>
[GenerateSerializer, Immutable, Alias("Listes360.Sequential.SequentialNeeds")]
public sealed record SequentialNeeds
{
    public const double MaxDistanceLimitKm = 200;

    [Id(0)] public required int Amount { get; init; }
    [Id(1)] public required NeedUnit Unit { get; init; }
    [Id(2)] public required ImmutableArray<Modality> Modalities { get; init; }
    /// <summary>Furthest acceptable distance from home, in km (null: not limited by distance).</summary>
    [Id(3)] public double? MaxDistanceKm { get; init; }
    /// <summary>Acceptable territories (EPCI codes); empty: not limited by territory.</summary>
    [Id(4)] public ImmutableArray<string> Territories { get; init; } = [];
    [Id(5)] public required DateOnly From { get; init; }
    [Id(6)] public required string UpdatedBy { get; init; }
    [Id(7)] public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The need in half-days a week.</summary>
    public int HalfDays => Unit == NeedUnit.Days ? Amount * 2 : Amount;

    /// <summary>
    /// Checked construction; refused with <c>INVALID_NEEDS</c> and a French message: 1 to 7 days or 1 to
    /// 14 half-days, at least one modality, a distance between 1 and 200 km, territories as EPCI codes
    /// (9 digits). When neither distance nor territories are given, any ESMS of the département is
    /// within reach.
    /// </summary>
    public static SequentialNeeds Create(int amount, NeedUnit unit, IEnumerable<Modality> modalities, double? maxDistanceKm,
        IEnumerable<string>? territories, DateOnly from, string by, DateTimeOffset at)
    {
        if (!Enum.IsDefined(unit))
            throw new DomainException("INVALID_NEEDS", $"Unité inconnue ({(int)unit}) : jours ou demi-journées.", "unit");
        var max = unit == NeedUnit.Days ? 7 : WeekSlots.HalfDaysPerWeek;
        if (amount < 1 || amount > max)
            throw new DomainException("INVALID_NEEDS",
                $"Le besoin doit être de 1 à {max} {(unit == NeedUnit.Days ? "jours" : "demi-journées")} par semaine (reçu : {amount}).", "amount");
        var accepted = modalities.Distinct().Order().ToImmutableArray();
        if (accepted.IsEmpty)
            throw new DomainException("INVALID_NEEDS", "Indiquez au moins une modalité d'accueil acceptable.", "modalities");
        foreach (var m in accepted)
            _ = m.Label();
        if (maxDistanceKm is { } km && (double.IsNaN(km) || km < 1 || km > MaxDistanceLimitKm))
            throw new DomainException("INVALID_NEEDS",
                $"La distance maximale doit être comprise entre 1 et {MaxDistanceLimitKm:0} km (reçu : {km} km).", "maxDistanceKm");
        var codes = (territories ?? []).Select(t => t.Trim()).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToImmutableArray();
        if (codes.FirstOrDefault(c => c.Length != 9 || !c.All(char.IsAsciiDigit)) is { } bad)
            throw new DomainException("INVALID_NEEDS", $"« {bad} » n'est pas un code de territoire (code SIREN de l'EPCI, 9 chiffres).", "territories");
        return new SequentialNeeds
        {
            Amount = amount,
            Unit = unit,
            Modalities = accepted,
            MaxDistanceKm = maxDistanceKm,
            Territories = codes,
            From = from,
            UpdatedBy = by,
            UpdatedAt = at,
        };
    }

    /// <summary>French summary, e.g. « 5 jours par semaine ».</summary>
    public string Label => Unit == NeedUnit.Days ? $"{Amount} jour(s) par semaine" : $"{Amount} demi-journée(s) par semaine";
}
