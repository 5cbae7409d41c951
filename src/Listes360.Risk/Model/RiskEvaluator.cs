using Listes360.Domain.Risk;
using Listes360.Risk.History;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Listes360.Risk.Model;

/// <summary>The rule baseline: the probability of the flag combination (CRETON, TRANSITION_AGE) in the training part.</summary>
public sealed record RuleBaseline(double None, double Creton, double TransitionAge, double Both)
{
    public double Probability(RiskSnapshot s) => (s.Creton, s.TransitionAge) switch
    {
        (true, true) => Both,
        (true, false) => Creton,
        (false, true) => TransitionAge,
        _ => None,
    };

    /// <summary>Observed rates by combination (an empty combination falls back on the overall rate).</summary>
    public static RuleBaseline Fit(IReadOnlyList<HistoryRow> train)
    {
        var overall = train.Count(r => r.Rupture) / (double)train.Count;
        double Rate(bool creton, bool transition)
        {
            var group = train.Where(r => r.Snapshot.Creton == creton && r.Snapshot.TransitionAge == transition).ToList();
            return group.Count == 0 ? overall : group.Count(r => r.Rupture) / (double)group.Count;
        }
        return new RuleBaseline(Rate(false, false), Rate(true, false), Rate(false, true), Rate(true, true));
    }
}

/// <summary>The evaluation on the held-out persons: model, rule baseline, and the points of the curves.</summary>
public sealed record RiskEvaluation(
    int Seed,
    ScorerMetrics Model,
    ScorerMetrics Baseline,
    RuleBaseline Rules,
    double[] ModelProbabilities,
    double[] BaselineProbabilities,
    bool[] Labels)
{
    public ModelProvenance? Provenance { get; init; }
}

public static class RiskEvaluator
{
    /// <summary>Scores the held-out part of <paramref name="rows"/> (split by <paramref name="seed"/>) with the model and the baseline fitted on the rest.</summary>
    public static RiskEvaluation Evaluate(ITransformer model, IReadOnlyList<HistoryRow> rows, int seed)
    {
        var (train, held) = RiskTrainer.Split(rows, seed);
        var ml = new MLContext(seed);
        var scored = model.Transform(RiskTrainer.Load(ml, held));
        var probabilities = scored.GetColumn<float>(nameof(RiskModelOutput.Probability)).Select(p => (double)p).ToArray();
        var labels = held.Select(r => r.Rupture).ToArray();
        var rules = RuleBaseline.Fit(train);
        var baseline = held.Select(r => rules.Probability(r.Snapshot)).ToArray();
        return new RiskEvaluation(seed, RiskMetrics.Of(probabilities, labels), RiskMetrics.Of(baseline, labels), rules, probabilities, baseline, labels);
    }

    public static RiskEvaluation Evaluate(string modelPath, IReadOnlyList<HistoryRow> rows)
    {
        var provenance = RiskTrainer.ReadProvenance(modelPath);
        var ml = new MLContext(provenance.Seed);
        var model = ml.Model.Load(modelPath, out _);
        return Evaluate(model, rows, provenance.Seed) with { Provenance = provenance };
    }
}
