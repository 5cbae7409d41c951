using System.Globalization;
using Listes360.Application.Observatory;
using Listes360.Domain.Candidatures;
using Listes360.Domain.Projections;
using Listes360.Domain.Registry;
using Listes360.Domain.Risk;

namespace Listes360.Web.Components.Pages.Observatory;

/// <summary>
/// One table of the observatory's indicators, as the page shows it, charts it and exports it in CSV:
/// counts only, never a name, a birth date or an identifier. <see cref="Series"/> are the numeric
/// columns the chart draws (indexes into each row's <see cref="IndicatorRow.Values"/>).
/// </summary>
public sealed record IndicatorTable(string Id, string Title, string Summary, string RowHeader, IReadOnlyList<string> Columns,
    IReadOnlyList<IndicatorRow> Rows, string Unit, IReadOnlyList<int>? Charted = null)
{
    /// <summary>The columns the chart draws (all by default): one unit per chart, never days beside persons.</summary>
    public IReadOnlyList<int> ChartColumns => Charted ?? [.. Enumerable.Range(0, Columns.Count)];

    public string CsvPath => $"{ObservatoryPage.CsvFolder}/{Id}.csv";
}

public sealed record IndicatorRow(string Label, IReadOnlyList<long> Values);

/// <summary>Maps the département's indicators (<see cref="RiskQueries.IndicatorsAsync"/>) to the tables of the pages and CSV files.</summary>
public static class ObservatoryTables
{
    public static readonly string[] Ids = ["ensemble", "types", "territoires", "attente", "admissions", "issues"];

    private static string Count(int n, string one, string many) => $"{n} {(n == 1 ? one : many)}";

    private static string N(long value) => value.ToString("N0", Web.Formats.French);

    public static string TerritoryLabel(string territory) =>
        territory == WaitingKey.UnknownTerritory ? "Commune inconnue ou hors département" : $"EPCI {territory}";

    public static IReadOnlyList<IndicatorTable> Of(DepartmentIndicators indicators)
    {
        var counts = indicators.Counts;
        var total = counts.Total();
        var risk = indicators.Risk;

        var overview = new IndicatorTable("ensemble", "Vue d'ensemble du département",
            $"{N(total.Persons)} personnes distinctes attendent une place, pour {N(total.Entries)} inscriptions sur les listes des établissements : "
            + (total.Persons > 0
                ? $"la somme des listes compte {(total.Entries / (double)total.Persons).ToString("0.0", Web.Formats.French)} inscriptions par personne. "
                : "")
            + $"{N(total.PersonsWithoutSolution)} sont à domicile sans solution, {N(risk.Creton)} relèvent de l'amendement Creton et {N(risk.TransitionAge)} sont en âge de transition (16-19 ans) sans parcours adulte sécurisé.",
            "Indicateur", ["Nombre"],
            [
                new("Personnes distinctes en attente", [total.Persons]),
                new("Inscriptions sur les listes (somme des longueurs)", [total.Entries]),
                new("Personnes à domicile sans solution", [total.PersonsWithoutSolution]),
                new("Personnes avec une solution par défaut", [total.PersonsWithInadequateSolution]),
                new("Personnes dont la situation n'est pas renseignée", [total.PersonsSituationUnknown]),
                new("Personnes attendant seulement un établissement préféré", [total.PersonsWaitingForPreferred]),
                new("Amendement Creton", [risk.Creton]),
                new("Âge de transition sans parcours adulte", [risk.TransitionAge]),
            ], "personnes");

        var kinds = counts.Cells.Keys.Where(k => k.Kind is not null).Select(k => k.Kind!.Value).Distinct().Order().ToList();
        var byKind = kinds.Select(k => (Kind: k, Cell: counts.ForKind(k))).ToList();
        var widest = byKind.OrderByDescending(k => k.Cell.Entries - k.Cell.Persons).FirstOrDefault();
        var types = new IndicatorTable("types", "Personnes distinctes et inscriptions, par type d'accompagnement",
            byKind.Count == 0
                ? "Aucune personne n'attend de place dans le département."
                : $"{Count(byKind.Count, "type d'accompagnement est demandé", "types d'accompagnement sont demandés")}. L'écart le plus grand entre inscriptions et personnes est pour {widest.Kind.Info().Label} : "
                  + $"{N(widest.Cell.Entries)} inscriptions pour {N(widest.Cell.Persons)} personnes.",
            "Type d'accompagnement", ["Personnes distinctes", "Inscriptions sur les listes", "Sans solution"],
            [.. byKind.Select(k => new IndicatorRow(k.Kind.Info().Label, [k.Cell.Persons, k.Cell.Entries, k.Cell.PersonsWithoutSolution]))], "personnes ou inscriptions");

        var territories = counts.Cells.Keys.Where(k => k.Kind is null).Select(k => k.Territory).Distinct()
            .OrderBy(t => t == WaitingKey.UnknownTerritory ? "~" : t, StringComparer.Ordinal)
            .Select(t => (Territory: t, Cell: counts.ForTerritory(t))).ToList();
        var most = territories.OrderByDescending(t => t.Cell.Persons).FirstOrDefault();
        var byTerritory = new IndicatorTable("territoires", "Personnes distinctes et inscriptions, par territoire",
            territories.Count == 0
                ? "Aucune personne n'attend de place dans le département."
                : $"{Count(territories.Count, "territoire", "territoires")}. Le plus de personnes en attente : {TerritoryLabel(most.Territory)}, {N(most.Cell.Persons)} personnes pour {N(most.Cell.Entries)} inscriptions.",
            "Territoire", ["Personnes distinctes", "Inscriptions sur les listes", "Sans solution"],
            [.. territories.Select(t => new IndicatorRow(TerritoryLabel(t.Territory), [t.Cell.Persons, t.Cell.Entries, t.Cell.PersonsWithoutSolution]))], "personnes ou inscriptions");

        var waiting = risk.WaitingTimes.Where(g => g.Territory == RiskIndicators.AllTerritories).ToList();
        var longest = waiting.OrderByDescending(g => g.MedianDays).FirstOrDefault();
        var waitingTable = new IndicatorTable("attente", "Durée d'attente par type d'accompagnement (jours)",
            longest is null
                ? "Aucune durée d'attente à calculer : personne n'attend."
                : $"L'attente médiane la plus longue est pour {longest.Kind.Info().Label} : {N(longest.MedianDays)} jours (la moitié des {N(longest.Persons)} personnes attend plus) ; "
                  + $"un quart attend moins de {N(longest.Q1Days)} jours, trois quarts moins de {N(longest.Q3Days)} jours, 90 % moins de {N(longest.P90Days)} jours.",
            "Type d'accompagnement", ["Personnes", "1er quartile (jours)", "Médiane (jours)", "3e quartile (jours)", "90e centile (jours)"],
            [.. waiting.Select(g => new IndicatorRow(g.Kind.Info().Label, [g.Persons, g.Q1Days, g.MedianDays, g.Q3Days, g.P90Days]))], "jours", Charted: [1, 2, 3]);

        var outcomes = risk.Outcomes.ToList();
        var admitted = outcomes.Where(o => o.Status == CandidatureStatus.Admitted).Sum(o => (long)o.Count);
        var issues = new IndicatorTable("issues", "Admissions et refus sur les 365 derniers jours",
            $"{N(admitted)} admissions et {N(outcomes.Sum(o => (long)o.Count) - admitted)} refus ou clôtures sur les 365 jours précédant le {Web.Formats.Date(risk.Date)}.",
            "Issue et motif", ["Nombre"],
            [.. outcomes.Select(o => new IndicatorRow(o.Status.Info().Label + (o.Reason is { } r ? " — " + r.Info().Label : ""), [o.Count]))], "candidatures");

        var months = risk.AdmissionsByMonth;
        var busiest = months.OrderByDescending(m => m.Count).ThenByDescending(m => m.Month, StringComparer.Ordinal).FirstOrDefault();
        var admissions = new IndicatorTable("admissions", "Admissions par mois (12 derniers mois)",
            months.Count == 0 || months.All(m => m.Count == 0)
                ? "Aucune admission enregistrée sur les 12 derniers mois."
                : $"{N(months.Sum(m => (long)m.Count))} admissions sur les 12 mois jusqu'à {MonthLabel(months[^1].Month)} ; le plus d'admissions : {MonthLabel(busiest!.Month)} ({N(busiest.Count)}).",
            "Mois", ["Admissions"],
            [.. months.Select(m => new IndicatorRow(MonthLabel(m.Month), [m.Count]))], "admissions");

        return [overview, types, byTerritory, waitingTable, admissions, issues];
    }

    /// <summary>« 2026-11 » as « novembre 2026 ».</summary>
    public static string MonthLabel(string month) =>
        DateOnly.TryParseExact(month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d.ToString("MMMM yyyy", Web.Formats.French)
            : month;

    /// <summary>The table as CSV (« ; » separated, UTF-8, what a French spreadsheet opens): the department and date on each line.</summary>
    public static string Csv(IndicatorTable table, string department, DateOnly date)
    {
        var lines = new List<string> { Domain.Csv.CsvCell.Line(["departement", "date", table.RowHeader, .. table.Columns], ';') };
        var day = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        foreach (var row in table.Rows)
            lines.Add(Domain.Csv.CsvCell.Line([department, day, row.Label, .. row.Values.Select(v => v.ToString(CultureInfo.InvariantCulture))], ';'));
        return string.Join("\r\n", lines) + "\r\n";
    }
}
