using Listes360.Domain.Identity;
using Listes360.Domain.Identity.Records;
using NirHasher = Listes360.Domain.Persons.NirHasher;

namespace Listes360.Domain.Tests.Identity;

public class CalibrationAndNirTests
{
    [Fact]
    public void Calibration_picks_the_best_f1_under_the_precision_floor_and_the_recall_threshold()
    {
        var pairs = new List<LabelledScore>();
        pairs.AddRange(Enumerable.Range(0, 990).Select(i => new LabelledScore(10 + i % 5, true)));
        pairs.AddRange(Enumerable.Range(0, 10).Select(_ => new LabelledScore(4, true)));
        pairs.AddRange(Enumerable.Range(0, 6).Select(_ => new LabelledScore(4, false)));
        pairs.AddRange(Enumerable.Range(0, 500).Select(i => new LabelledScore(-5 + i % 4, false)));
        var outcome = ThresholdCalibration.Pick(pairs, precisionFloor: 0.995, recallFloor: 0.995);
        // At 4 the precision falls to 1000/1006 < 0.995: Same stays at 10 (precision 1, recall 0.99).
        Assert.Equal(10, outcome.SameThreshold);
        Assert.Equal(1.0, outcome.PrecisionAtSame);
        Assert.Equal(4, outcome.PossibleThreshold);
        Assert.Equal(1.0, outcome.RecallAtPossible);
        Assert.Equal(1000, outcome.TruePairs);
    }

    [Fact]
    public void Calibration_refuses_data_without_true_pairs() =>
        Assert.Throws<ArgumentException>(() => ThresholdCalibration.Pick([new LabelledScore(1, false)]));

    [Fact]
    public void Nir_hash_ignores_formatting_and_depends_on_the_key()
    {
        var hasher = NirHasher.FromText("a-test-key-of-sufficient-length, 32+");
        var a = hasher.Hash("1 84 12 61 123 456");
        var b = hasher.Hash("184126112345 6");
        Assert.Equal(a, b);
        Assert.Equal(64, a!.Length);
        Assert.DoesNotContain("1841261", a, StringComparison.Ordinal);
        Assert.NotEqual(a, NirHasher.FromText("another-test-key-of-good-length, 32+").Hash("184126112345 6"));
        Assert.Null(hasher.Hash("  "));
    }

    [Fact]
    public void Short_nir_keys_are_refused()
    {
        var error = Assert.Throws<DomainException>(() => NirHasher.FromText("court"));
        Assert.Equal("WEAK_NIR_SECRET", error.Code);
    }

    [Fact]
    public void Mdph_numbers_are_normalised()
    {
        Assert.Equal("61-201000042", StrongKeys.NormaliseMdph(" 61-2010-00042 "));
        Assert.Equal("61-201000042", StrongKeys.NormaliseMdph("61 2010 00042"));
        Assert.Null(StrongKeys.NormaliseMdph(" - "));
    }
}
