using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Unicode;
using Listes360.Domain.Risk;

namespace Listes360.Risk.Model;

/// <summary>Writes an evaluation: <c>metrics.json</c> (stable: no date, rounded), <c>report.md</c>, <c>roc.png</c>, <c>calibration.png</c>.</summary>
public static class ReportWriter
{
    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
        Converters = { new JsonStringEnumConverter() },
    };

    private static double R(double v) => double.IsNaN(v) ? double.NaN : Math.Round(v, 6);

    private static object MetricsOf(ScorerMetrics m) => new
    {
        rows = m.Rows,
        positives = m.Positives,
        auc = R(m.Auc),
        prAuc = R(m.PrAuc),
        brier = R(m.Brier),
        calibration = m.Calibration.Select(b => new { from = R(b.From), to = R(b.To), count = b.Count, meanPredicted = R(b.MeanPredicted), observedRate = R(b.ObservedRate) }),
    };

    public static string MetricsJson(RiskEvaluation e) => JsonSerializer.Serialize(new
    {
        simulated = e.Provenance?.Simulated,
        seed = e.Seed,
        heldOut = "un quart des personnes, choisies par hachage de la graine et de leur identifiant pseudonyme",
        model = MetricsOf(e.Model),
        ruleBaseline = MetricsOf(e.Baseline),
        ruleBaselineRates = new { none = R(e.Rules.None), creton = R(e.Rules.Creton), transitionAge = R(e.Rules.TransitionAge), both = R(e.Rules.Both) },
    }, Json) + "\n";

    public static void Write(RiskEvaluation e, string directory, IReadOnlyList<string>? cohortNotes = null)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "metrics.json"), MetricsJson(e));
        Plots(e, directory);
        File.WriteAllText(Path.Combine(directory, "report.md"), Markdown(e, cohortNotes));
    }

    private static void Plots(RiskEvaluation e, string directory)
    {
        var roc = new ScottPlot.Plot();
        var (mx, my) = RiskMetrics.RocCurve(e.ModelProbabilities, e.Labels);
        var (bx, by) = RiskMetrics.RocCurve(e.BaselineProbabilities, e.Labels);
        var model = roc.Add.ScatterLine(mx, my);
        model.LegendText = $"Modèle (AUC {e.Model.Auc:0.000})";
        model.LineWidth = 2;
        var rules = roc.Add.ScatterLine(bx, by);
        rules.LegendText = $"Règles CRETON / TRANSITION_AGE (AUC {e.Baseline.Auc:0.000})";
        rules.LineWidth = 2;
        var diagonal = roc.Add.ScatterLine(new double[] { 0, 1 }, new double[] { 0, 1 });
        diagonal.LegendText = "Hasard";
        diagonal.LinePattern = ScottPlot.LinePattern.Dashed;
        roc.Title("Courbe ROC - données SIMULÉES, personnes mises de côté");
        roc.XLabel("Taux de faux positifs");
        roc.YLabel("Taux de vrais positifs");
        roc.ShowLegend(ScottPlot.Alignment.LowerRight);
        roc.SavePng(Path.Combine(directory, "roc.png"), 720, 540);

        var cal = new ScottPlot.Plot();
        void Curve(ScorerMetrics m, string label)
        {
            var bins = m.Calibration.Where(b => b.Count > 0).ToList();
            var s = cal.Add.Scatter(bins.Select(b => b.MeanPredicted).ToArray(), bins.Select(b => b.ObservedRate).ToArray());
            s.LegendText = label;
            s.LineWidth = 2;
            s.MarkerSize = 7;
        }
        Curve(e.Model, $"Modèle (Brier {e.Model.Brier:0.000})");
        Curve(e.Baseline, $"Règles (Brier {e.Baseline.Brier:0.000})");
        var perfect = cal.Add.ScatterLine(new double[] { 0, 1 }, new double[] { 0, 1 });
        perfect.LegendText = "Calibration parfaite";
        perfect.LinePattern = ScottPlot.LinePattern.Dashed;
        cal.Title("Calibration - données SIMULÉES, personnes mises de côté");
        cal.XLabel("Probabilité prédite (moyenne par tranche de 0,1)");
        cal.YLabel("Taux de rupture observé");
        cal.ShowLegend(ScottPlot.Alignment.UpperLeft);
        cal.SavePng(Path.Combine(directory, "calibration.png"), 720, 540);
    }

    private static string Markdown(RiskEvaluation e, IReadOnlyList<string>? cohortNotes)
    {
        var fr = CultureInfo.GetCultureInfo("fr-FR");
        string F(double v) => v.ToString("0.000", fr);
        var p = e.Provenance;
        var sb = new StringBuilder();
        sb.Append("# Modèle de risque de rupture : rapport d'évaluation\n\n");
        if (p?.Simulated != false)
            sb.Append("> **Données SIMULÉES.** Ce modèle est entraîné et évalué sur une cohorte simulée (aucune personne réelle), calibrée sur des chiffres nationaux publiés. Ses chiffres disent que la chaîne fonctionne, pas ce que vaudrait le modèle sur l'historique réel d'un département.\n\n");
        if (p is not null)
        {
            sb.Append("## Provenance\n\n");
            sb.Append($"- Modèle : `{p.ModelId}` ({p.Trainer})\n");
            sb.Append($"- Données d'entraînement : {p.TrainingData}\n");
            sb.Append($"- Entraîné le : {p.TrainedOn:yyyy-MM-dd} ; graine : {p.Seed} ; observations d'entraînement : {p.TrainingRows} ; mises de côté : {p.HeldOutRows}\n");
            sb.Append($"- Événement prédit : {p.Label}\n\n");
        }
        sb.Append("## Résultats sur les personnes mises de côté\n\n");
        sb.Append($"Un quart des personnes (toutes leurs observations) est mis de côté par la graine {e.Seed} ; {e.Model.Rows} observations, dont {e.Model.Positives} suivies d'une rupture.\n\n");
        sb.Append("| | AUC ROC | PR-AUC (précision moyenne) | Score de Brier |\n| --- | --- | --- | --- |\n");
        sb.Append($"| Modèle | {F(e.Model.Auc)} | {F(e.Model.PrAuc)} | {F(e.Model.Brier)} |\n");
        sb.Append($"| Règles seules (CRETON, TRANSITION_AGE) | {F(e.Baseline.Auc)} | {F(e.Baseline.PrAuc)} | {F(e.Baseline.Brier)} |\n\n");
        sb.Append($"La référence « règles seules » donne à chaque personne le taux de rupture observé, dans la partie d'entraînement, pour sa combinaison d'indicateurs : aucun {F(e.Rules.None)}, CRETON {F(e.Rules.Creton)}, TRANSITION_AGE {F(e.Rules.TransitionAge)}, les deux {F(e.Rules.Both)}.\n\n");
        sb.Append("![Courbes ROC](roc.png)\n\n![Calibration](calibration.png)\n\n");
        sb.Append("## Calibration (modèle)\n\n| Probabilité prédite | Observations | Moyenne prédite | Taux observé |\n| --- | --- | --- | --- |\n");
        foreach (var b in e.Model.Calibration)
            sb.Append($"| {F(b.From)}–{F(b.To)} | {b.Count} | {(b.Count == 0 ? "—" : F(b.MeanPredicted))} | {(b.Count == 0 ? "—" : F(b.ObservedRate))} |\n");
        if (cohortNotes is { Count: > 0 })
        {
            sb.Append("\n## Cohorte simulée : chiffres publiés et chiffres simulés\n\n");
            foreach (var line in cohortNotes) sb.Append(line).Append('\n');
        }
        sb.Append("\n## Variables\n\nLe même constructeur de variables (`RiskFeatures`) sert à l'entraînement et au calcul en direct : ");
        sb.Append(string.Join(", ", RiskFeatures.All.Select(f => $"`{f.Code}`"))).Append(".\n");
        return sb.ToString();
    }
}
