using System.Globalization;
using Listes360.Domain.Maintenance;
using Listes360.Domain.Observatory;
using Listes360.Domain.Registry;
using Microsoft.Extensions.Configuration;

namespace Listes360.Web.Components.Pages.Observatory;

/// <summary>
/// The evolution of the département's indicators over the daily snapshots (<see cref="SnapshotHistory"/>):
/// the table the page charts (one row a day), its CSV, and the detailed CSV (each day by kind of support,
/// with the waiting quartiles, and by territory). Counts only, never a name, a birth date or an identifier.
/// </summary>
public static class ObservatoryHistory
{
    public const string Id = "evolution";
    public const string DetailId = "evolution-detail";

    /// <summary>How many days the page and its CSV files show.</summary>
    public const int Days = 90;

    public static string DetailCsvPath => $"{ObservatoryPage.CsvFolder}/{DetailId}.csv";

    private static string N(long value) => value.ToString("N0", Web.Formats.French);

    /// <summary>The day's row label: 23/11/2026.</summary>
    public static string DayLabel(DateOnly date) => Web.Formats.Date(date);

    public static IndicatorTable Table(IReadOnlyList<IndicatorSnapshot> days, string? title = null)
    {
        var summary = days.Count switch
        {
            0 => "Aucun instantané quotidien n'est encore enregistré.",
            1 => $"Un seul instantané, du {DayLabel(days[0].Date)} : {N(days[0].Total.Persons)} personnes distinctes en attente pour {N(days[0].Total.Entries)} inscriptions.",
            _ => Summary(days[0], days[^1], days.Count),
        };
        return new IndicatorTable(Id, title ?? $"Évolution sur les {Days} derniers jours", summary, "Jour",
            ["Personnes distinctes en attente", "Inscriptions sur les listes", "Sans solution", "Amendement Creton", "Âge de transition", "Admissions du mois à cette date"],
            [.. days.Select(d => new IndicatorRow(DayLabel(d.Date),
                [d.Total.Persons, d.Total.Entries, d.Total.WithoutSolution, d.Creton, d.TransitionAge, d.AdmissionsInMonth]))],
            "personnes ou inscriptions", Charted: [0, 1, 2]);
    }

    private static string Summary(IndicatorSnapshot first, IndicatorSnapshot last, int count)
    {
        static string Change(long from, long to) => to == from ? "stable" : to > from ? $"+{(to - from).ToString("N0", Web.Formats.French)}" : $"−{(from - to).ToString("N0", Web.Formats.French)}";
        return $"Du {DayLabel(first.Date)} au {DayLabel(last.Date)} ({count} instantanés) : personnes distinctes en attente de {N(first.Total.Persons)} à {N(last.Total.Persons)} ({Change(first.Total.Persons, last.Total.Persons)}), "
            + $"inscriptions sur les listes de {N(first.Total.Entries)} à {N(last.Total.Entries)} ({Change(first.Total.Entries, last.Total.Entries)}), "
            + $"sans solution de {N(first.Total.WithoutSolution)} à {N(last.Total.WithoutSolution)} ({Change(first.Total.WithoutSolution, last.Total.WithoutSolution)}).";
    }

    /// <summary>The series of <see cref="Table"/> as CSV, one line a day (ISO date): « ; » separated, UTF-8.</summary>
    public static string Csv(IReadOnlyList<IndicatorSnapshot> days, string department)
    {
        var table = Table(days);
        var lines = new List<string> { Domain.Csv.CsvCell.Line(["departement", "date", .. table.Columns], ';') };
        for (var i = 0; i < days.Count; i++)
            lines.Add(Domain.Csv.CsvCell.Line([department, days[i].Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                .. table.Rows[i].Values.Select(v => v.ToString(CultureInfo.InvariantCulture))], ';'));
        return string.Join("\r\n", lines) + "\r\n";
    }

    /// <summary>Every day of the series by kind (counts and waiting quartiles) and by territory: « ; » separated, UTF-8.</summary>
    public static string DetailCsv(IReadOnlyList<IndicatorSnapshot> days, string department)
    {
        var lines = new List<string>
        {
            Domain.Csv.CsvCell.Line(["departement", "date", "dimension", "valeur", "personnes_distinctes", "inscriptions", "sans_solution",
                "attente_personnes", "attente_q1_jours", "attente_mediane_jours", "attente_q3_jours", "attente_p90_jours"], ';'),
        };
        static string I(long v) => v.ToString(CultureInfo.InvariantCulture);
        foreach (var day in days)
        {
            var date = day.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            lines.Add(Domain.Csv.CsvCell.Line([department, date, "departement", department, I(day.Total.Persons), I(day.Total.Entries), I(day.Total.WithoutSolution), "", "", "", "", ""], ';'));
            foreach (var kind in day.Kinds)
            {
                var w = kind.Waiting;
                lines.Add(Domain.Csv.CsvCell.Line([department, date, "type", kind.Kind.Info().Code, I(kind.Counts.Persons), I(kind.Counts.Entries), I(kind.Counts.WithoutSolution),
                    w is { } a ? I(a.Persons) : "", w is { } b ? I(b.Q1Days) : "", w is { } c ? I(c.MedianDays) : "", w is { } d ? I(d.Q3Days) : "", w is { } e ? I(e.P90Days) : ""], ';'));
            }
            foreach (var territory in day.Territories)
                lines.Add(Domain.Csv.CsvCell.Line([department, date, "territoire", territory.Territory, I(territory.Counts.Persons), I(territory.Counts.Entries), I(territory.Counts.WithoutSolution), "", "", "", "", ""], ';'));
        }
        return string.Join("\r\n", lines) + "\r\n";
    }

    /// <summary>
    /// When the next daily pass (and its snapshot) runs, in French, from the configuration the host's daily pass
    /// reads (<c>Maintenance:Enabled</c>, <c>Maintenance:DailyHour</c>, 3 h by default, the server's local time).
    /// </summary>
    public static string NextPass(IConfiguration? configuration, TimeProvider clock)
    {
        var section = configuration?.GetSection("Maintenance");
        if (section?["Enabled"] is { } enabled && bool.TryParse(enabled, out var on) && !on)
            return "La passe quotidienne est désactivée sur ce serveur (Maintenance:Enabled=false) : aucun instantané ne sera pris tant qu'elle ne sera pas réactivée.";
        var hour = int.TryParse(section?["DailyHour"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var h) && h is >= 0 and <= 23 ? h : 3;
        var now = clock.GetUtcNow();
        var next = TimeZoneInfo.ConvertTime(now + DailySchedule.DueIn(now, clock.LocalTimeZone, hour), Domain.Time.ParisDate.Zone);
        return $"La prochaine passe quotidienne, qui enregistre l'instantané du jour, est prévue le {next.ToString("dd/MM/yyyy 'à' HH'h'mm", CultureInfo.InvariantCulture)} (heure de Paris).";
    }
}
