using System.Collections.Concurrent;
using System.Collections.Immutable;
using Listes360.Domain;
using Listes360.Domain.Risk;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Listes360.Risk.Model;

/// <summary>
/// The loaded model, scoring live snapshots. ML.NET's PredictionEngine is not thread-safe: engines
/// are pooled (taken for one prediction, returned after), so concurrent grains never share one and
/// the pool never holds more engines than the highest concurrency seen.
/// </summary>
public sealed class RiskModel : IRiskScorer
{
    private readonly MLContext ml;
    private readonly ITransformer transformer;
    private readonly ConcurrentBag<PredictionEngine<RiskModelInput, RiskModelOutput>> pool = [];

    private RiskModel(MLContext ml, ITransformer transformer, ModelProvenance provenance)
    {
        this.ml = ml;
        this.transformer = transformer;
        Provenance = provenance;
    }

    public ModelProvenance Provenance { get; }

    public static RiskModel Load(string modelPath)
    {
        var provenance = RiskTrainer.ReadProvenance(modelPath);
        var ml = new MLContext(provenance.Seed);
        var transformer = ml.Model.Load(modelPath, out var schema);
        var features = schema.GetColumnOrNull(nameof(RiskModelInput.Features));
        if (features is null || features.Value.Type is not VectorDataViewType { Size: var size } || size != RiskFeatures.Count)
            throw new DomainException("INVALID_MODEL", $"Le modèle {modelPath} n'a pas été entraîné sur les {RiskFeatures.Count} variables de cette version : réentraînez-le.", "model");
        return new RiskModel(ml, transformer, provenance);
    }

    public RiskScore Score(RiskSnapshot snapshot, int topFactors = 3)
    {
        var engine = pool.TryTake(out var e)
            ? e
            : ml.Model.CreatePredictionEngine<RiskModelInput, RiskModelOutput>(transformer, ignoreMissingColumns: true,
                RiskTrainer.InputSchema(), RiskTrainer.OutputSchema());
        try
        {
            var output = engine.Predict(new RiskModelInput { Features = RiskFeatures.Vector(snapshot) });
            var top = output.FeatureContributions
                .Select((c, i) => new FactorContribution(i, c))
                .Where(f => f.Contribution > 0)
                .OrderByDescending(f => f.Contribution).ThenBy(f => f.Feature)
                .Take(topFactors)
                .ToImmutableArray();
            return new RiskScore(Math.Round(output.Probability, 6), top);
        }
        finally
        {
            pool.Add(engine);
        }
    }
}
