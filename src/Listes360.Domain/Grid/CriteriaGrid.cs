using System.Collections.Immutable;
using Listes360.Domain.Candidatures;

namespace Listes360.Domain.Grid;

/// <summary>
/// The facts a criterion may read. Each is computed by <see cref="Ranking.FactReader"/> from a
/// candidate's facts, the ESMS and the ranking date, with a French sentence saying what was used.
/// Numeric values are persisted: never renumber.
/// </summary>
public enum GridFact
{
    /// <summary>Months at home without solution (situation « à domicile sans solution »); absent otherwise.</summary>
    WithoutSolutionMonths = 1,
    /// <summary>Young adult kept in a children's ESMS under the amendement Creton.</summary>
    Creton = 2,
    /// <summary>Urgency flagged by a territorial staff or a PAG (plan d'accompagnement global).</summary>
    Urgency = 3,
    /// <summary>The carer is exhausted, ill or can no longer care.</summary>
    CarerExhausted = 4,
    /// <summary>Age of the oldest carer, in years.</summary>
    CarerAge = 5,
    /// <summary>Placed in Belgium or out of the département, asking to come back.</summary>
    PlacedAwayWantingBack = 6,
    /// <summary>Months since the request date.</summary>
    RequestMonths = 7,
    /// <summary>Distance from the person's commune to the ESMS, in kilometres.</summary>
    DistanceKm = 8,
    /// <summary>Suitable offers the person refused (reasons listed in the grid's offer rules).</summary>
    RefusedSuitableOffers = 9,
}

/// <summary>One band of a numeric fact: <see cref="From"/> included, <see cref="To"/> excluded (null: no end).</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Grid.GridBand")]
public sealed record GridBand(
    [property: Id(0)] int From,
    [property: Id(1)] int? To,
    [property: Id(2)] int Points)
{
    public bool Contains(int value) => value >= From && (To is not { } to || value < to);
}

/// <summary>
/// One criterion of the grid. A yes/no fact gives <see cref="Points"/>; a numeric fact gives either
/// <see cref="Base"/> + <see cref="PerUnit"/> for each full <see cref="Every"/> units, or the points of
/// the band it falls in. <see cref="Cap"/> bounds the absolute value of the result.
/// </summary>
[GenerateSerializer, Immutable, Alias("Listes360.Grid.GridCriterion")]
public sealed record GridCriterion
{
    /// <summary>Stable id (upper case, e.g. <c>CRETON</c>), shown in every breakdown.</summary>
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required string Label { get; init; }
    [Id(2)] public required GridFact Fact { get; init; }
    [Id(3)] public int? Points { get; init; }
    [Id(4)] public int? Base { get; init; }
    [Id(5)] public int? PerUnit { get; init; }
    [Id(6)] public int Every { get; init; } = 1;
    [Id(7)] public ImmutableArray<GridBand> Bands { get; init; } = [];
    [Id(8)] public int? Cap { get; init; }
    /// <summary>Why the département gives these points (shown to families and commissions).</summary>
    [Id(9)] public string? Rationale { get; init; }
}

/// <summary>What happens around an offer of a place.</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Grid.OfferRules")]
public sealed record OfferRules
{
    /// <summary>Days the person has to answer an offer (OFFERED); past it, the ranking flags the offer, nobody is declined automatically.</summary>
    [Id(0)] public required int AnswerDeadlineDays { get; init; }
    /// <summary>Reasons of a DECLINED_BY_PERSON after an offer that count as refusing a suitable offer.</summary>
    [Id(1)] public required ImmutableArray<CandidatureReason> SuitableRefusalReasons { get; init; }
    /// <summary>From this many refused suitable offers, the ranking asks for a review by the territorial staff (null: never).</summary>
    [Id(2)] public int? ReviewAfterRefusals { get; init; }
    /// <summary>For a freed place, the candidates with an urgency or under the amendement Creton are proposed first (then the ranking's order).</summary>
    [Id(3)] public bool PriorityFirst { get; init; }
}

/// <summary>Who may be ranked (eligibility by orientation, age and modality always applies, see <see cref="Eligibility"/>).</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Grid.EligibilityRules")]
public sealed record EligibilityRules
{
    /// <summary>The open statuses that are ranked (e.g. an incomplete file may wait out of the ranking).</summary>
    [Id(0)] public required ImmutableArray<CandidatureStatus> RankedStatuses { get; init; }
}

/// <summary>
/// The département's admission criteria grid, as published: data, not code. <see cref="Version"/> is
/// given by the publication (1, 2, …) and never reused; <see cref="EffectiveFrom"/> is the first day it
/// ranks (never before its publication, so that no past ranking changes).
/// </summary>
[GenerateSerializer, Immutable, Alias("Listes360.Grid.CriteriaGrid")]
public sealed record CriteriaGrid
{
    [Id(0)] public required string Department { get; init; }
    [Id(1)] public required int Version { get; init; }
    [Id(2)] public required DateOnly EffectiveFrom { get; init; }
    [Id(3)] public required string Label { get; init; }
    [Id(4)] public required ImmutableArray<GridCriterion> Criteria { get; init; }
    [Id(5)] public required EligibilityRules Eligibility { get; init; }
    [Id(6)] public required OfferRules Offers { get; init; }
    /// <summary>The JSON document as published (what an administrator reads back).</summary>
    [Id(7)] public required string Json { get; init; }
    [Id(8)] public DateTimeOffset PublishedAt { get; init; }
    [Id(9)] public string? PublishedBy { get; init; }
}

/// <summary>One fault of a grid document: the JSON path of the field and a French message.</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Grid.GridError")]
public sealed record GridError(
    [property: Id(0)] string Path,
    [property: Id(1)] string Message);

/// <summary>A grid document was refused: every fault found, each with its JSON path (code <c>INVALID_GRID</c>).</summary>
[GenerateSerializer, Alias("Listes360.Grid.GridValidationException")]
public sealed class GridValidationException : Exception
{
    public const string Code = "INVALID_GRID";

    public GridValidationException(IReadOnlyList<GridError> errors)
        : base($"La grille est refusée ({errors.Count} erreur{(errors.Count > 1 ? "s" : "")}) : {string.Join(" ; ", errors.Select(e => $"{e.Path} : {e.Message}"))}")
    {
        Errors = [.. errors];
    }

    [Id(0)] public ImmutableArray<GridError> Errors { get; }
}

public static class GridFacts
{
    /// <summary>The name of the fact in grid documents (<c>withoutSolutionMonths</c>…).</summary>
    public static string Name(this GridFact fact) => fact switch
    {
        GridFact.WithoutSolutionMonths => "withoutSolutionMonths",
        GridFact.Creton => "creton",
        GridFact.Urgency => "urgency",
        GridFact.CarerExhausted => "carerExhausted",
        GridFact.CarerAge => "carerAge",
        GridFact.PlacedAwayWantingBack => "placedAwayWantingBack",
        GridFact.RequestMonths => "requestMonths",
        GridFact.DistanceKm => "distanceKm",
        GridFact.RefusedSuitableOffers => "refusedSuitableOffers",
        _ => throw new DomainException("UNKNOWN_FACT", $"Fait inconnu ({(int)fact}).", "fact"),
    };

    /// <summary>Whether the fact is a number (bands, points per unit) rather than yes/no (points).</summary>
    public static bool IsNumeric(this GridFact fact) =>
        fact is GridFact.WithoutSolutionMonths or GridFact.CarerAge or GridFact.RequestMonths or GridFact.DistanceKm or GridFact.RefusedSuitableOffers;

    public static readonly IReadOnlyDictionary<string, GridFact> ByName =
        Enum.GetValues<GridFact>().ToDictionary(f => f.Name(), StringComparer.Ordinal);
}
