namespace Listes360.Risk.Model;

/// <summary>One bin of a calibration table (predicted probabilities in [From, To)).</summary>
public sealed record CalibrationBin(double From, double To, int Count, double MeanPredicted, double ObservedRate);

/// <summary>Metrics of a scorer on labelled rows.</summary>
/// <param name="PrAuc">Area under the precision-recall curve, as average precision (step-wise, no interpolation).</param>
/// <param name="Brier">Mean squared difference between probability and outcome (lower is better).</param>
public sealed record ScorerMetrics(int Rows, int Positives, double Auc, double PrAuc, double Brier, IReadOnlyList<CalibrationBin> Calibration);

/// <summary>The metrics, computed here rather than by ML.NET so that the model and the rule baseline are measured by the same code.</summary>
public static class RiskMetrics
{
    public static ScorerMetrics Of(IReadOnlyList<double> probabilities, IReadOnlyList<bool> labels, int bins = 10)
    {
        if (probabilities.Count != labels.Count || probabilities.Count == 0)
            throw new Domain.DomainException("INVALID_EVALUATION", "L'évaluation demande autant de probabilités que d'étiquettes, et au moins une.");
        var positives = labels.Count(l => l);
        var brier = probabilities.Select((p, i) => (p - (labels[i] ? 1 : 0)) * (p - (labels[i] ? 1 : 0))).Average();
        var calibration = new List<CalibrationBin>();
        for (var b = 0; b < bins; b++)
        {
            var (from, to) = ((double)b / bins, (double)(b + 1) / bins);
            var idx = Enumerable.Range(0, probabilities.Count)
                .Where(i => probabilities[i] >= from && (probabilities[i] < to || (b == bins - 1 && probabilities[i] <= to))).ToList();
            calibration.Add(new CalibrationBin(from, to, idx.Count,
                idx.Count == 0 ? 0 : idx.Average(i => probabilities[i]),
                idx.Count == 0 ? 0 : idx.Count(i => labels[i]) / (double)idx.Count));
        }
        return new ScorerMetrics(labels.Count, positives, Auc(probabilities, labels), AveragePrecision(probabilities, labels), brier, calibration);
    }

    /// <summary>ROC AUC as the Mann-Whitney statistic (ties count half).</summary>
    public static double Auc(IReadOnlyList<double> p, IReadOnlyList<bool> y)
    {
        var order = Enumerable.Range(0, p.Count).OrderBy(i => p[i]).ToArray();
        double rankSumPositives = 0;
        var i0 = 0;
        while (i0 < order.Length)
        {
            var i1 = i0;
            while (i1 + 1 < order.Length && p[order[i1 + 1]] == p[order[i0]]) i1++;
            var averageRank = (i0 + i1) / 2.0 + 1;
            for (var k = i0; k <= i1; k++)
                if (y[order[k]]) rankSumPositives += averageRank;
            i0 = i1 + 1;
        }
        double pos = y.Count(v => v), neg = y.Count - pos;
        return pos == 0 || neg == 0 ? double.NaN : (rankSumPositives - pos * (pos + 1) / 2) / (pos * neg);
    }

    /// <summary>Average precision: the mean of the precision at each positive, thresholds taken by distinct score (ties together).</summary>
    public static double AveragePrecision(IReadOnlyList<double> p, IReadOnlyList<bool> y)
    {
        var order = Enumerable.Range(0, p.Count).OrderByDescending(i => p[i]).ToArray();
        double pos = y.Count(v => v);
        if (pos == 0) return double.NaN;
        double tp = 0, seen = 0, ap = 0, lastRecall = 0;
        var i0 = 0;
        while (i0 < order.Length)
        {
            var i1 = i0;
            while (i1 + 1 < order.Length && p[order[i1 + 1]] == p[order[i0]]) i1++;
            for (var k = i0; k <= i1; k++)
            {
                seen++;
                if (y[order[k]]) tp++;
            }
            var recall = tp / pos;
            ap += (recall - lastRecall) * (tp / seen);
            lastRecall = recall;
            i0 = i1 + 1;
        }
        return ap;
    }

    /// <summary>ROC curve points (false positive rate, true positive rate) from the highest threshold down.</summary>
    public static (double[] Fpr, double[] Tpr) RocCurve(IReadOnlyList<double> p, IReadOnlyList<bool> y)
    {
        var order = Enumerable.Range(0, p.Count).OrderByDescending(i => p[i]).ToArray();
        double pos = y.Count(v => v), neg = y.Count - pos;
        var fpr = new List<double> { 0 };
        var tpr = new List<double> { 0 };
        double tp = 0, fp = 0;
        var i0 = 0;
        while (i0 < order.Length)
        {
            var i1 = i0;
            while (i1 + 1 < order.Length && p[order[i1 + 1]] == p[order[i0]]) i1++;
            for (var k = i0; k <= i1; k++)
                if (y[order[k]]) tp++; else fp++;
            fpr.Add(neg == 0 ? 0 : fp / neg);
            tpr.Add(pos == 0 ? 0 : tp / pos);
            i0 = i1 + 1;
        }
        return ([.. fpr], [.. tpr]);
    }
}
