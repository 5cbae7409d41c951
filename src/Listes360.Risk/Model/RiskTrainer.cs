using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Listes360.Domain;
using Listes360.Domain.Risk;
using Listes360.Risk.History;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;

namespace Listes360.Risk.Model;

/// <summary>A row as ML.NET reads it: the feature vector of <see cref="RiskFeatures.Vector"/> and the label.</summary>
public sealed class RiskModelInput
{
    public float[] Features { get; set; } = [];
    public bool Label { get; set; }
}

/// <summary>What the model answers for a row.</summary>
public sealed class RiskModelOutput
{
    public float Probability { get; set; }
    public float Score { get; set; }
    public bool PredictedLabel { get; set; }
    public float[] FeatureContributions { get; set; } = [];
}

/// <summary>Training settings; defaults are those of the shipped model.</summary>
public sealed record TrainingSettings(int Seed = 20260101, int Trees = 150, int Leaves = 16, int MinimumExamplesPerLeaf = 30, double LearningRate = 0.08);

/// <summary>
/// Trains the FastTree binary classifier (Platt-calibrated probabilities) on the training part of a
/// history, with ML.NET's feature contributions appended so that live scoring explains each score.
/// The held-out part is a quarter of the <b>persons</b> (all observations of a person on one side),
/// chosen by a hash of the seed and the person id, so <c>risk evaluate</c> finds the same split again.
/// One thread and a fixed seed: the same history and seed give the same model and metrics.
/// </summary>
public static class RiskTrainer
{
    public const string TrainerName = "ML.NET FastTree (arbres de décision boostés), probabilités calibrées par Platt";

    public const string LabelDescription =
        "Rupture dans les 12 mois suivant l'observation : devenir « Creton », perdre une solution (fin d'accueil, aidant qui ne peut plus aider → hôpital, Belgique ou accueils temporaires successifs), ou atteindre 36 mois à domicile sans solution.";

    public static bool IsHeldOut(string person, int seed)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{seed}/{person}"));
        return hash[0] % 4 == 0;
    }

    public static (List<HistoryRow> Train, List<HistoryRow> HeldOut) Split(IReadOnlyList<HistoryRow> rows, int seed)
    {
        var train = new List<HistoryRow>();
        var held = new List<HistoryRow>();
        foreach (var row in rows)
            (IsHeldOut(row.Person, seed) ? held : train).Add(row);
        if (train.Count == 0 || held.Count == 0 || train.All(r => r.Rupture) || train.All(r => !r.Rupture))
            throw new DomainException("HISTORY_TOO_SMALL",
                "L'historique ne permet pas d'apprendre : il faut des personnes des deux côtés de la partition et des observations avec et sans rupture.", "input");
        return (train, held);
    }

    internal static SchemaDefinition InputSchema()
    {
        var schema = SchemaDefinition.Create(typeof(RiskModelInput));
        schema[nameof(RiskModelInput.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, RiskFeatures.Count);
        return schema;
    }

    internal static SchemaDefinition OutputSchema()
    {
        var schema = SchemaDefinition.Create(typeof(RiskModelOutput));
        schema[nameof(RiskModelOutput.FeatureContributions)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, RiskFeatures.Count);
        return schema;
    }

    internal static IDataView Load(MLContext ml, IEnumerable<HistoryRow> rows) =>
        ml.Data.LoadFromEnumerable(rows.Select(r => new RiskModelInput { Features = RiskFeatures.Vector(r.Snapshot), Label = r.Rupture }), InputSchema());

    /// <summary>Trains on the training part; writes <paramref name="modelPath"/> and its provenance beside it; returns the evaluation.</summary>
    public static RiskEvaluation Train(IReadOnlyList<HistoryRow> rows, string modelPath, TrainingSettings settings, DateOnly trainedOn)
    {
        var (train, _) = Split(rows, settings.Seed);
        var ml = new MLContext(settings.Seed);
        var data = Load(ml, train);
        var trainer = ml.BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options
        {
            NumberOfTrees = settings.Trees,
            NumberOfLeaves = settings.Leaves,
            MinimumExampleCountPerLeaf = settings.MinimumExamplesPerLeaf,
            LearningRate = settings.LearningRate,
            NumberOfThreads = 1,
            Seed = settings.Seed,
            FeatureColumnName = nameof(RiskModelInput.Features),
            LabelColumnName = nameof(RiskModelInput.Label),
        });
        var model = trainer.Fit(data);
        var contributions = ml.Transforms.CalculateFeatureContribution(model, numberOfPositiveContributions: RiskFeatures.Count,
            numberOfNegativeContributions: RiskFeatures.Count, normalize: false).Fit(model.Transform(data));
        var full = model.Append(contributions);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(modelPath))!);
        ml.Model.Save(full, data.Schema, modelPath);

        var evaluation = RiskEvaluator.Evaluate(full, rows, settings.Seed);
        var provenance = new ModelProvenance
        {
            ModelId = ModelIdOf(modelPath),
            TrainingData = rows.All(r => r.Simulated)
                ? $"cohorte SIMULÉE (aucune personne réelle), graine {settings.Seed}, {rows.Select(r => r.Person).Distinct().Count()} personnes, {rows.Count} observations"
                : $"historique pseudonymisé du département ({rows.Count(r => r.Simulated)} observations simulées sur {rows.Count})",
            Simulated = rows.Any(r => r.Simulated),
            TrainedOn = trainedOn,
            Seed = settings.Seed,
            TrainingRows = train.Count,
            HeldOutRows = evaluation.Model.Rows,
            Auc = evaluation.Model.Auc,
            PrAuc = evaluation.Model.PrAuc,
            Brier = evaluation.Model.Brier,
            BaselineAuc = evaluation.Baseline.Auc,
            BaselinePrAuc = evaluation.Baseline.PrAuc,
            BaselineBrier = evaluation.Baseline.Brier,
            Trainer = TrainerName,
            Label = LabelDescription,
        };
        File.WriteAllText(ProvenancePath(modelPath), JsonSerializer.Serialize(provenance, ReportWriter.Json));
        return evaluation with { Provenance = provenance };
    }

    /// <summary><c>model.zip</c> → <c>model.provenance.json</c>.</summary>
    public static string ProvenancePath(string modelPath) => Path.ChangeExtension(modelPath, ".provenance.json");

    public static string ModelIdOf(string modelPath)
    {
        using var stream = File.OpenRead(modelPath);
        return Convert.ToHexStringLower(SHA256.HashData(stream))[..12];
    }

    public static ModelProvenance ReadProvenance(string modelPath)
    {
        var path = ProvenancePath(modelPath);
        if (!File.Exists(modelPath) || !File.Exists(path))
            throw new DomainException("MODEL_NOT_FOUND", $"Modèle introuvable : il faut « {modelPath} » et sa provenance « {path} » (écrits par listes360 risk train).", "model");
        var provenance = JsonSerializer.Deserialize<ModelProvenance>(File.ReadAllText(path), ReportWriter.Json)
            ?? throw new DomainException("INVALID_MODEL", $"Provenance illisible : {path}.", "model");
        var id = ModelIdOf(modelPath);
        if (provenance.ModelId != id)
            throw new DomainException("INVALID_MODEL", $"La provenance {path} décrit le modèle {provenance.ModelId}, pas {id} : réentraînez avec listes360 risk train.", "model");
        return provenance;
    }
}
