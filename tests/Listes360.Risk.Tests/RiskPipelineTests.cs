using System.Text.Json;
using Listes360.Domain;
using Listes360.Domain.Persons;
using Listes360.Domain.Risk;
using Listes360.Risk.History;
using Listes360.Risk.Model;
using Listes360.Risk.Simulation;
using Listes360.Testing;

namespace Listes360.Risk.Tests;

public sealed class RiskPipelineTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("listes360-risk-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static readonly Lazy<CohortResult> Small = new(() => CohortSimulator.Generate(new CohortSettings(Seed: 7, Persons: 1_200)));

    [Fact]
    public void The_same_seed_gives_the_same_cohort_and_another_seed_another_one()
    {
        static string Csv(int seed)
        {
            using var writer = new StringWriter();
            RiskHistoryCsv.Write(writer, CohortSimulator.Generate(new CohortSettings(Seed: seed, Persons: 200)).Rows);
            return writer.ToString();
        }
        Assert.Equal(Csv(3), Csv(3));
        Assert.NotEqual(Csv(3), Csv(4));
    }

    [Fact]
    public void Every_simulated_row_says_so_and_round_trips_through_the_csv()
    {
        var rows = Small.Value.Rows;
        Assert.All(rows, r => Assert.True(r.Simulated));
        using var writer = new StringWriter();
        RiskHistoryCsv.Write(writer, rows);
        var read = RiskHistoryCsv.Read(new StringReader(writer.ToString()));
        Assert.Equal(rows, read);
    }

    [Theory]
    [InlineData("true,SIM-1,2020-01-01,17,IN_CHILDREN_ESMS,3,true,false,true,,false,0,0,0,0,45,AVAILABLE,false,true,NO_VALID_ADULT_ORIENTATION,2", "rupture_12m")]
    [InlineData("true,SIM-1,2020-13-01,17,IN_CHILDREN_ESMS,3,true,false,true,,false,0,0,0,0,45,AVAILABLE,false,true,NO_VALID_ADULT_ORIENTATION,1", "observed_on")]
    [InlineData("true,SIM-1,2020-01-01,17,IN_SPACE,3,true,false,true,,false,0,0,0,0,45,AVAILABLE,false,true,NO_VALID_ADULT_ORIENTATION,1", "situation")]
    [InlineData("true,Jean Dupont,2020-01-01,17,IN_CHILDREN_ESMS,3,true,false,true,,false,0,0,0,0,45,AVAILABLE,false,true,NO_VALID_ADULT_ORIENTATION,1", "person")]
    public void A_bad_value_is_refused_with_its_line_and_column(string line, string column)
    {
        var e = Assert.Throws<DomainException>(() => RiskHistoryCsv.Read(new StringReader(RiskHistoryCsv.Header + "\n" + line + "\n")));
        Assert.Equal("INVALID_HISTORY_ROW", e.Code);
        Assert.Contains("ligne 2", e.Message);
        Assert.Contains($"« {column} »", e.Message);
    }

    [Fact]
    public void A_wrong_header_is_refused() =>
        Assert.Equal("INVALID_HISTORY_HEADER", Assert.Throws<DomainException>(() => RiskHistoryCsv.Read(new StringReader("a,b\n"))).Code);

    [Fact]
    public void Training_twice_with_the_same_seed_gives_the_same_metrics_and_the_model_beats_the_rules()
    {
        var rows = Small.Value.Rows;
        var first = RiskTrainer.Train(rows, Path.Combine(folder, "a.zip"), new TrainingSettings(Seed: 11), new DateOnly(2026, 1, 1));
        var second = RiskTrainer.Train(rows, Path.Combine(folder, "b.zip"), new TrainingSettings(Seed: 11), new DateOnly(2026, 1, 1));
        Assert.Equal(ReportWriter.MetricsJson(first), ReportWriter.MetricsJson(second));
        Assert.True(first.Model.Auc > first.Baseline.Auc, $"AUC {first.Model.Auc} <= {first.Baseline.Auc}");
        Assert.True(first.Model.PrAuc > first.Baseline.PrAuc, $"PR-AUC {first.Model.PrAuc} <= {first.Baseline.PrAuc}");

        // evaluate finds the held-out persons again from the seed in the provenance.
        var evaluated = RiskEvaluator.Evaluate(Path.Combine(folder, "a.zip"), rows);
        Assert.Equal(ReportWriter.MetricsJson(first), ReportWriter.MetricsJson(evaluated));
    }

    [Fact]
    public void The_committed_metrics_are_reproduced_by_retraining_with_the_shipped_seed()
    {
        var root = RepositoryRoot.Find();
        var committed = File.ReadAllText(Path.Combine(root, "data", "risk", "report", "metrics.json"));
        var seed = JsonDocument.Parse(committed).RootElement.GetProperty("seed").GetInt32();
        var rows = CohortSimulator.Generate(new CohortSettings(Seed: seed)).Rows;
        var evaluation = RiskTrainer.Train(rows, Path.Combine(folder, "model.zip"), new TrainingSettings(Seed: seed), new DateOnly(2026, 1, 1));
        Assert.Equal(committed, ReportWriter.MetricsJson(evaluation));
        Assert.True(evaluation.Model.Auc > evaluation.Baseline.Auc && evaluation.Model.PrAuc > evaluation.Baseline.PrAuc);
    }

    [Fact]
    public void The_report_has_markdown_metrics_and_both_plots()
    {
        var rows = Small.Value.Rows;
        var evaluation = RiskTrainer.Train(rows, Path.Combine(folder, "m.zip"), new TrainingSettings(Seed: 5), new DateOnly(2026, 1, 1));
        ReportWriter.Write(evaluation, Path.Combine(folder, "report"));
        foreach (var png in new[] { "roc.png", "calibration.png" })
        {
            var bytes = File.ReadAllBytes(Path.Combine(folder, "report", png));
            Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, bytes[..4]);
        }
        var md = File.ReadAllText(Path.Combine(folder, "report", "report.md"));
        Assert.Contains("SIMULÉES", md);
        Assert.Contains("Règles seules", md);
    }

    [Fact]
    public void The_shipped_model_loads_says_it_is_simulated_and_scores_concurrently_like_sequentially()
    {
        var model = RiskModel.LoadShipped();
        Assert.True(model.Provenance.Simulated);
        Assert.Contains("SIMULÉE", model.Provenance.TrainingData);
        var snapshots = Small.Value.Rows.Take(400).Select(r => r.Snapshot).ToList();
        var sequential = snapshots.Select(s => model.Score(s)).ToList();
        var parallel = new RiskScore[snapshots.Count];
        Parallel.For(0, snapshots.Count, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => parallel[i] = model.Score(snapshots[i]));
        for (var i = 0; i < snapshots.Count; i++)
        {
            Assert.Equal(sequential[i].Probability, parallel[i].Probability);
            Assert.Equal(sequential[i].TopFactors.ToArray(), parallel[i].TopFactors.ToArray());
            Assert.InRange(sequential[i].Probability, 0, 1);
            Assert.All(sequential[i].TopFactors, f => Assert.True(f.Contribution > 0));
        }
    }

    [Fact]
    public void A_person_in_a_childrens_esms_turning_20_without_adult_path_scores_higher_than_one_with_a_place()
    {
        var model = RiskModel.LoadShipped();
        var atRisk = new RiskSnapshot
        {
            AgeYears = 19, Situation = SituationKind.InChildrenEsms, MonthsInSituation = 60, InChildrenSetting = true, ValidOrientation = true,
            MonthsToOrientationEnd = 3, CarerAge = 52, CarerStatus = CarerStatus.Available, TransitionAge = true, AdultPathGap = AdultPathGap.NoValidAdultOrientation,
        };
        var settled = atRisk with { AgeYears = 30, Situation = SituationKind.InAdultEsms, InChildrenSetting = false, TransitionAge = false, AdultPathGap = AdultPathGap.None, MonthsToOrientationEnd = null, ValidAdultOrientation = true };
        Assert.True(model.Score(atRisk).Probability > model.Score(settled).Probability);
    }

    [Fact]
    public void A_model_whose_provenance_does_not_match_is_refused()
    {
        var rows = Small.Value.Rows;
        var path = Path.Combine(folder, "x.zip");
        RiskTrainer.Train(rows, path, new TrainingSettings(Seed: 2), new DateOnly(2026, 1, 1));
        File.AppendAllText(path, "altéré");
        Assert.Equal("INVALID_MODEL", Assert.Throws<DomainException>(() => RiskModel.Load(path)).Code);
    }
}
