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

    /// <summary>A model trained by <c>risk train</c>: the zip and its provenance beside it.</summary>
    public static RiskModel Load(string modelPath) =>
        Load(File.ReadAllBytes(modelPath), RiskTrainer.ReadProvenance(modelPath), modelPath);

    /// <summary>The model shipped with this version (data/risk/, trained on the SIMULATED cohort).</summary>
    public static RiskModel LoadShipped()
    {
        var assembly = typeof(RiskModel).Assembly;
        using var zip = assembly.GetManifestResourceStream("Listes360.Risk.model.zip")
            ?? throw new DomainException("MODEL_NOT_FOUND", "Le modèle livré (data/risk/model.zip) n'est pas embarqué dans cette version.", "model");
        using var json = assembly.GetManifestResourceStream("Listes360.Risk.model.provenance.json")!;
        using var buffer = new MemoryStream();
        zip.CopyTo(buffer);
        var provenance = System.Text.Json.JsonSerializer.Deserialize<ModelProvenance>(json, ReportWriter.Json)!;
        return Load(buffer.ToArray(), provenance, "data/risk/model.zip");
    }

    private static RiskModel Load(byte[] zip, ModelProvenance provenance, string source)
    {
        var id = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(zip))[..12];
        if (provenance.ModelId != id)
            throw new DomainException("INVALID_MODEL", $"La provenance du modèle {source} décrit le modèle {provenance.ModelId}, pas {id} : réentraînez avec listes360 risk train.", "model");
        var ml = new MLContext(provenance.Seed);
        using var stream = new MemoryStream(zip, writable: false);
        var transformer = ml.Model.Load(stream, out var schema);
        var features = schema.GetColumnOrNull(nameof(RiskModelInput.Features));
        if (features is null || features.Value.Type is not VectorDataViewType { Size: var size } || size != RiskFeatures.Count)
            throw new DomainException("INVALID_MODEL", $"Le modèle {source} n'a pas été entraîné sur les {RiskFeatures.Count} variables de cette version : réentraînez-le.", "model");
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
