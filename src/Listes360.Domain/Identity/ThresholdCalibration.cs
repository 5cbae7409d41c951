namespace Listes360.Domain.Identity;

/// <summary>A scored pair with its truth, for calibration.</summary>
/// <param name="NeverSame">A rule of the scorer keeps the pair out of the Same zone whatever its score
/// (a year one digit away without other concordance, a missing birth date, two MDPH numbers…): it is not
/// counted as merged at any Same threshold, only for the Possible one.</param>
public readonly record struct LabelledScore(double Score, bool IsSamePerson, bool NeverSame = false);

/// <summary>What the calibration chose and what it achieves on the labelled pairs.</summary>
public sealed record CalibrationOutcome(
    double SameThreshold,
    double PossibleThreshold,
    double PrecisionAtSame,
    double RecallAtSame,
    double F1AtSame,
    double RecallAtPossible,
    int LabelledPairs,
    int TruePairs);

/// <summary>
/// Picks the thresholds from labelled pairs (pure, deterministic):
/// <list type="bullet">
/// <item>Same: among the candidate thresholds (every distinct score) whose precision is at least
/// <c>precisionFloor</c>, the highest one whose F1 is within <c>f1Tolerance</c> of the best F1 (the
/// optimum is a plateau: on it, the safest threshold, which keeps a review zone).</item>
/// <item>Possible: the highest threshold, not above Same, whose recall is at least <c>recallFloor</c>.</item>
/// </list>
/// Recall is over the true pairs present in the labelled set (pairs the blocking compared).
/// </summary>
public static class ThresholdCalibration
{
    public static CalibrationOutcome Pick(IReadOnlyList<LabelledScore> pairs, double precisionFloor = 0.995, double recallFloor = 0.995, double f1Tolerance = 0.0)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var sorted = pairs.OrderByDescending(p => p.Score).ToArray();
        var truePairs = sorted.Count(p => p.IsSamePerson);
        if (truePairs == 0) throw new ArgumentException("Calibration needs at least one true pair.", nameof(pairs));

        double bestF1 = -1, same = double.PositiveInfinity, precisionAtSame = 0, recallAtSame = 0;
        double possible = double.NaN, recallAtPossible = 0;
        var tp = 0;
        var fp = 0;
        var tpSame = 0;
        var fpSame = 0;
        for (var i = 0; i < sorted.Length; i++)
        {
            if (sorted[i].IsSamePerson) tp++; else fp++;
            if (!sorted[i].NeverSame)
            {
                if (sorted[i].IsSamePerson) tpSame++; else fpSame++;
            }
            // A threshold is the score of a pair when the next pair has a lower score.
            if (i + 1 < sorted.Length && sorted[i + 1].Score == sorted[i].Score) continue;
            var threshold = sorted[i].Score;
            var recall = (double)tp / truePairs;
            var precision = tpSame + fpSame == 0 ? 1 : (double)tpSame / (tpSame + fpSame);
            var recallSame = (double)tpSame / truePairs;
            var f1 = precision + recallSame == 0 ? 0 : 2 * precision * recallSame / (precision + recallSame);
            if (precision >= precisionFloor && f1 > bestF1)
            {
                bestF1 = f1;
                same = threshold;
                precisionAtSame = precision;
                recallAtSame = recallSame;
            }
            if (double.IsNaN(possible) && recall >= recallFloor)
            {
                possible = threshold;
                recallAtPossible = recall;
            }
        }
        if (double.IsPositiveInfinity(same))
        {
            throw new ArgumentException($"No threshold reaches a precision of {precisionFloor}.", nameof(pairs));
        }
        if (f1Tolerance > 0)
        {
            // Second pass: the highest threshold on the plateau (F1 ≥ best − tolerance, precision ≥ floor).
            tpSame = fpSame = 0;
            for (var i = 0; i < sorted.Length; i++)
            {
                if (!sorted[i].NeverSame)
                {
                    if (sorted[i].IsSamePerson) tpSame++; else fpSame++;
                }
                if (i + 1 < sorted.Length && sorted[i + 1].Score == sorted[i].Score) continue;
                var precision = tpSame + fpSame == 0 ? 1 : (double)tpSame / (tpSame + fpSame);
                var recallSame = (double)tpSame / truePairs;
                var f1 = precision + recallSame == 0 ? 0 : 2 * precision * recallSame / (precision + recallSame);
                if (precision >= precisionFloor && f1 >= bestF1 - f1Tolerance)
                {
                    same = sorted[i].Score;
                    precisionAtSame = precision;
                    recallAtSame = recallSame;
                    bestF1 = f1;
                    break;
                }
            }
        }
        if (double.IsNaN(possible) || possible > same)
        {
            possible = same;
            recallAtPossible = recallAtSame;
        }
        return new CalibrationOutcome(same, possible, precisionAtSame, recallAtSame, bestF1, recallAtPossible, sorted.Length, truePairs);
    }
}
