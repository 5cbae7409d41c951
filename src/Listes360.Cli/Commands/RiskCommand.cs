using System.CommandLine;
using System.Text;
using Listes360.Domain;
using Listes360.Risk.History;
using Listes360.Risk.Model;
using Listes360.Risk.Simulation;
using Listes360.Domain.Time;

namespace Listes360.Cli.Commands;

/// <summary>
/// <c>listes360 risk generate|train|evaluate</c>: the rupture-risk model's pipeline. The shipped model
/// in <c>data/risk/</c> is made by <c>data/risk/regenerate.sh</c> with these three commands.
/// </summary>
public static class RiskCommand
{
    public static Command Create()
    {
        var risk = new Command("risk", "Modèle de risque de rupture : cohorte simulée, entraînement, évaluation.");
        risk.Subcommands.Add(Generate());
        risk.Subcommands.Add(Train());
        risk.Subcommands.Add(Evaluate());
        return risk;
    }

    private static Option<int> SeedOption() => new("--seed")
    {
        Description = "Graine : même graine, même résultat.",
        DefaultValueFactory = _ => new TrainingSettings().Seed,
    };

    private static Command Generate()
    {
        var output = new Option<FileInfo>("--output", "-o") { Description = "Fichier CSV d'historique SIMULÉ écrit.", Required = true };
        var seed = SeedOption();
        var persons = new Option<int>("--persons") { Description = "Personnes simulées.", DefaultValueFactory = _ => new CohortSettings().Persons };
        var calibration = new Option<FileInfo?>("--calibration") { Description = "Fichier Markdown écrit : chiffres publiés et chiffres simulés." };
        var command = new Command("generate", "Écrit l'historique d'une cohorte SIMULÉE (aucune personne réelle), calibrée sur des chiffres nationaux publiés.")
        {
            output, seed, persons, calibration,
        };
        command.SetAction(r => RunGenerate(r.GetRequiredValue(output), r.GetValue(seed), r.GetValue(persons), r.GetValue(calibration),
            r.InvocationConfiguration.Output, r.InvocationConfiguration.Error));
        return command;
    }

    public static int RunGenerate(FileInfo output, int seed, int persons, FileInfo? calibration, TextWriter stdout, TextWriter stderr)
    {
        return Guard(stderr, () =>
        {
            var result = CohortSimulator.Generate(new CohortSettings(Seed: seed, Persons: persons));
            Directory.CreateDirectory(output.DirectoryName!);
            using (var writer = new StreamWriter(output.FullName, false, new UTF8Encoding(false)))
                RiskHistoryCsv.Write(writer, result.Rows);
            var lines = CalibrationLines(result);
            if (calibration is not null)
                File.WriteAllText(calibration.FullName, string.Join("\n", lines) + "\n", new UTF8Encoding(false));
            stdout.WriteLine($"Historique SIMULÉ écrit : {output.FullName} ({result.Rows.Count} observations de {persons} personnes, graine {seed}).");
            foreach (var line in lines) stdout.WriteLine(line);
        });
    }

    internal static IReadOnlyList<string> CalibrationLines(CohortResult result) =>
    [
        "| Chiffre | Source | Publié | Simulé |",
        "| --- | --- | --- | --- |",
        .. result.Checks.Select(c => $"| {c.Figure} | {c.Source} | {c.Published} | {c.Simulated} |"),
    ];

    private static Command Train()
    {
        var input = new Option<FileInfo>("--input", "-i") { Description = "Historique CSV (schéma dans le README, « Risques de rupture »).", Required = true };
        var output = new Option<FileInfo>("--output", "-o") { Description = "Modèle écrit (zip ML.NET) ; sa provenance est écrite à côté (.provenance.json).", Required = true };
        var seed = SeedOption();
        var report = new Option<DirectoryInfo?>("--report") { Description = "Dossier où écrire aussi le rapport d'évaluation." };
        var command = new Command("train", "Entraîne le modèle de risque de rupture (FastTree, probabilités calibrées) sur un historique, avec une partie mise de côté.")
        {
            input, output, seed, report,
        };
        command.SetAction(r => RunTrain(r.GetRequiredValue(input), r.GetRequiredValue(output), r.GetValue(seed), r.GetValue(report),
            r.InvocationConfiguration.Output, r.InvocationConfiguration.Error));
        return command;
    }

    public static int RunTrain(FileInfo input, FileInfo output, int seed, DirectoryInfo? report, TextWriter stdout, TextWriter stderr)
    {
        return Guard(stderr, () =>
        {
            var rows = RiskHistoryCsv.ReadFile(input.FullName);
            var evaluation = RiskTrainer.Train(rows, output.FullName, new TrainingSettings(Seed: seed), ParisDate.Today(TimeProvider.System));
            stdout.WriteLine($"Modèle écrit : {output.FullName} ({evaluation.Provenance!.ModelId}), provenance : {RiskTrainer.ProvenancePath(output.FullName)}.");
            Print(evaluation, stdout);
            if (report is not null)
            {
                ReportWriter.Write(evaluation, report.FullName);
                stdout.WriteLine($"Rapport écrit : {report.FullName}");
            }
        });
    }

    private static Command Evaluate()
    {
        var model = new Option<FileInfo>("--model", "-m") { Description = "Modèle (zip écrit par risk train, avec sa provenance à côté).", Required = true };
        var input = new Option<FileInfo>("--input", "-i") { Description = "Historique CSV (le même que pour l'entraînement : la graine du modèle retrouve la partie mise de côté).", Required = true };
        var report = new Option<DirectoryInfo>("--report") { Description = "Dossier du rapport : report.md, metrics.json, roc.png, calibration.png.", Required = true };
        var cohort = new Option<FileInfo?>("--cohort-notes") { Description = "Markdown de calibration de la cohorte (écrit par risk generate --calibration) à inclure." };
        var command = new Command("evaluate", "Évalue un modèle et la référence « règles seules » sur les personnes mises de côté ; écrit le rapport.")
        {
            model, input, report, cohort,
        };
        command.SetAction(r => RunEvaluate(r.GetRequiredValue(model), r.GetRequiredValue(input), r.GetRequiredValue(report), r.GetValue(cohort),
            r.InvocationConfiguration.Output, r.InvocationConfiguration.Error));
        return command;
    }

    public static int RunEvaluate(FileInfo model, FileInfo input, DirectoryInfo report, FileInfo? cohortNotes, TextWriter stdout, TextWriter stderr)
    {
        return Guard(stderr, () =>
        {
            var rows = RiskHistoryCsv.ReadFile(input.FullName);
            var evaluation = RiskEvaluator.Evaluate(model.FullName, rows);
            var notes = cohortNotes is { Exists: true } ? File.ReadAllLines(cohortNotes.FullName) : null;
            ReportWriter.Write(evaluation, report.FullName, notes);
            Print(evaluation, stdout);
            stdout.WriteLine($"Rapport écrit : {report.FullName} (report.md, metrics.json, roc.png, calibration.png)");
        });
    }

    private static void Print(RiskEvaluation e, TextWriter stdout)
    {
        stdout.WriteLine($"Personnes mises de côté : {e.Model.Rows} observations, {e.Model.Positives} ruptures.");
        stdout.WriteLine($"  Modèle         : AUC {e.Model.Auc:0.000}  PR-AUC {e.Model.PrAuc:0.000}  Brier {e.Model.Brier:0.000}");
        stdout.WriteLine($"  Règles seules  : AUC {e.Baseline.Auc:0.000}  PR-AUC {e.Baseline.PrAuc:0.000}  Brier {e.Baseline.Brier:0.000}");
    }

    private static int Guard(TextWriter stderr, Action action)
    {
        try
        {
            action();
            return 0;
        }
        catch (DomainException e)
        {
            stderr.WriteLine($"Erreur : {e.Message}");
            return 1;
        }
    }
}
