using System.Collections.Immutable;
using Listes360.Domain.Observatory;
using Listes360.Web.Components.Pages.Observatory;
using Microsoft.Extensions.Configuration;

namespace Listes360.Web.Tests;

/// <summary>The evolution's table, summary, CSV and empty-state text, without a browser.</summary>
public sealed class ObservatoryHistoryTests
{
    private static readonly DateOnly On = new(2026, 11, 23);

    private static IndicatorSnapshot Day(DateOnly date, long persons, long entries) =>
        new(date, new DateTimeOffset(date.ToDateTime(new TimeOnly(3, 0)), TimeSpan.Zero), new SnapshotCounts(persons, entries, 4), 2, 1, 3, 30,
            [new KindSnapshot(Listes360.Domain.Registry.KindOfSupport.Mas, new SnapshotCounts(persons, entries, 4), new WaitingQuartiles((int)persons, 100, 200, 300, 400))],
            [new TerritorySnapshot("200035004", new SnapshotCounts(persons, entries, 4))]);

    [Fact]
    public void The_table_has_a_row_a_day_and_the_summary_gives_the_change_in_french()
    {
        var table = ObservatoryHistory.Table([Day(On.AddDays(-1), 120, 300), Day(On, 118, 305)]);
        Assert.Equal(["22/11/2026", "23/11/2026"], table.Rows.Select(r => r.Label));
        Assert.Equal([0, 1, 2], table.ChartColumns);
        Assert.Contains("de 120 à 118 (−2)", table.Summary);
        Assert.Contains("de 300 à 305 (+5)", table.Summary);
        Assert.Contains("(stable)", table.Summary);
    }

    [Fact]
    public void The_detailed_CSV_gives_each_day_by_kind_with_quartiles_and_by_territory()
    {
        var csv = ObservatoryHistory.DetailCsv([Day(On, 118, 305)], "61").Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["61;2026-11-23;departement;61;118;305;4;;;;;", "61;2026-11-23;type;MAS;118;305;4;118;100;200;300;400", "61;2026-11-23;territoire;200035004;118;305;4;;;;;"], csv[1..]);
        Assert.Equal(["departement;date;Personnes distinctes en attente;Inscriptions sur les listes;Sans solution;Amendement Creton;Âge de transition;Admissions du mois à cette date",
            "61;2026-11-23;118;305;4;2;1;3"], ObservatoryHistory.Csv([Day(On, 118, 305)], "61").Split("\r\n", StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void The_empty_state_says_when_the_next_pass_runs_or_that_it_is_off()
    {
        var clock = new Listes360.Testing.Cluster.SettableClock(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero));
        var at4 = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Maintenance:DailyHour"] = "4" }).Build();
        var off = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Maintenance:Enabled"] = "false" }).Build();

        Assert.Contains("prévue le 24/11/2026", ObservatoryHistory.NextPass(at4, clock));
        Assert.Contains("désactivée", ObservatoryHistory.NextPass(off, clock));
        Assert.Equal("Aucun instantané quotidien n'est encore enregistré.", ObservatoryHistory.Table([]).Summary);
        Assert.StartsWith("Un seul instantané, du 23/11/2026", ObservatoryHistory.Table([Day(On, 1, 2)]).Summary);
    }
}
