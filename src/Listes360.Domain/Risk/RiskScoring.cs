using System.Collections.Immutable;

namespace Listes360.Domain.Risk;

/// <summary>One feature's weight in a person's score (ML.NET feature contribution), by index in <see cref="RiskFeatures.All"/>.</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Risk.FactorContribution")]
public readonly record struct FactorContribution([property: Id(0)] int Feature, [property: Id(1)] float Contribution);

/// <summary>A person's calibrated probability of rupture in the next 12 months and what weighs most.</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Risk.RiskScore")]
public sealed record RiskScore(
    [property: Id(0)] double Probability,
    [property: Id(1)] ImmutableArray<FactorContribution> TopFactors);

/// <summary>
/// Where a model comes from: every observatory answer carries it (DESIGN.md point 5). Simulated
/// training data is said so in <see cref="TrainingData"/> and <see cref="Simulated"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("Listes360.Risk.ModelProvenance")]
public sealed record ModelProvenance
{
    /// <summary>Short id: the first 12 hex digits of the model zip's SHA-256.</summary>
    [Id(0)] public required string ModelId { get; init; }
    /// <summary>What the model learnt from, in French (e.g. « cohorte simulée (graine 20260101) »).</summary>
    [Id(1)] public required string TrainingData { get; init; }
    [Id(2)] public required bool Simulated { get; init; }
    [Id(3)] public required DateOnly TrainedOn { get; init; }
    [Id(4)] public required int Seed { get; init; }
    [Id(5)] public required int TrainingRows { get; init; }
    [Id(6)] public required int HeldOutRows { get; init; }
    [Id(7)] public required double Auc { get; init; }
    [Id(8)] public required double PrAuc { get; init; }
    [Id(9)] public required double Brier { get; init; }
    [Id(10)] public required double BaselineAuc { get; init; }
    [Id(11)] public required double BaselinePrAuc { get; init; }
    [Id(12)] public required double BaselineBrier { get; init; }
    [Id(13)] public required string Trainer { get; init; }
    /// <summary>What the label means (the event predicted), in French.</summary>
    [Id(14)] public required string Label { get; init; }
}

/// <summary>Scores snapshots with a trained model. Implementations must be thread-safe (grains call it concurrently).</summary>
public interface IRiskScorer
{
    ModelProvenance Provenance { get; }

    /// <summary>The probability and the <paramref name="topFactors"/> features that raise it most.</summary>
    RiskScore Score(RiskSnapshot snapshot, int topFactors = 3);
}
