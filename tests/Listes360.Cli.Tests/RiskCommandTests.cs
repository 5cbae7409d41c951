using System.CommandLine;
using Listes360.Cli.Commands;

namespace Listes360.Cli.Tests;

public sealed class RiskCommandTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("listes360-risk-cli-");

    public void Dispose() => _dir.Delete(recursive: true);

    private string PathOf(string name) => Path.Combine(_dir.FullName, name);

    private static (int Code, string Output, string Error) Invoke(params string[] args)
    {
        var root = new RootCommand("test") { RiskCommand.Create() };
        var output = new StringWriter();
        var error = new StringWriter();
        var code = root.Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public void Generate_train_and_evaluate_write_a_simulated_history_a_model_and_the_same_metrics_twice()
    {
        var (generated, generateOut, _) = Invoke("risk", "generate", "--output", PathOf("history.csv"), "--seed", "9", "--persons", "800");
        Assert.Equal(0, generated);
        Assert.Contains("SIMULÉ", generateOut);
        Assert.All(File.ReadLines(PathOf("history.csv")).Skip(1), l => Assert.StartsWith("true,", l));

        var (trained, trainOut, trainErr) = Invoke("risk", "train", "--input", PathOf("history.csv"), "--output", PathOf("model.zip"), "--seed", "9", "--report", PathOf("train-report"));
        Assert.True(trained == 0, trainErr);
        Assert.Contains("Règles seules", trainOut);
        Assert.True(File.Exists(PathOf("model.provenance.json")));

        var (evaluated, _, evaluateErr) = Invoke("risk", "evaluate", "--model", PathOf("model.zip"), "--input", PathOf("history.csv"), "--report", PathOf("report"));
        Assert.True(evaluated == 0, evaluateErr);
        foreach (var file in new[] { "report.md", "metrics.json", "roc.png", "calibration.png" })
            Assert.True(File.Exists(Path.Combine(PathOf("report"), file)), file);
        Assert.Equal(File.ReadAllText(Path.Combine(PathOf("train-report"), "metrics.json")), File.ReadAllText(Path.Combine(PathOf("report"), "metrics.json")));
    }

    [Fact]
    public void A_bad_history_is_refused_with_its_line_and_nothing_is_written()
    {
        File.WriteAllText(PathOf("bad.csv"), "simulated,person\ntrue,x\n");
        var (code, _, error) = Invoke("risk", "train", "--input", PathOf("bad.csv"), "--output", PathOf("model.zip"));
        Assert.Equal(1, code);
        Assert.Contains("l'en-tête doit être exactement", error);
        Assert.False(File.Exists(PathOf("model.zip")));

        var (missing, _, missingError) = Invoke("risk", "evaluate", "--model", PathOf("none.zip"), "--input", PathOf("bad.csv"), "--report", PathOf("r"));
        Assert.Equal(1, missing);
        Assert.Contains("Erreur", missingError);
    }
}
