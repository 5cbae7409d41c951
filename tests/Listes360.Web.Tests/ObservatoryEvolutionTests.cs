using Listes360.Domain.Observatory;
using Listes360.Domain.Security;
using Listes360.Grains.Department;
using Listes360.Grains.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Listes360.Web.Tests;

/// <summary>
/// The evolution of the indicators on the observatory's page (issue 18): the daily snapshots as a line chart with its
/// summary and table, and their CSV files. The host's daily pass is off (Maintenance:Enabled=false): the test takes
/// today's snapshot as the pass does, and records two earlier days derived from it (simulated days: the host's clock is the real one).
/// </summary>
[Collection(WebCollection.Name)]
public sealed class ObservatoryEvolutionTests(WebFixture web) : WebTest(web.NewContextAsync)
{
    [Fact]
    public async Task The_observatory_sees_the_evolution_of_the_daily_snapshots_as_a_chart_with_its_table_and_downloads_its_CSV()
    {
        IndicatorSnapshot today;
        using (CallerContext.As(Caller.ServiceItself))
        {
            var grain = web.App.Services.GetRequiredService<IGrainFactory>().GetGrain<IIndicatorSnapshotGrain>("61");
            today = await grain.TakeAsync();
            foreach (var back in new[] { 14, 7 })
                await grain.RecordAsync(today with
                {
                    Date = today.Date.AddDays(-back),
                    TakenAt = today.TakenAt.AddDays(-back),
                    Total = today.Total with { Persons = today.Total.Persons + back, Entries = today.Total.Entries + 2 * back },
                });
        }

        var page = await NewPageAsync();
        await WebFixture.SignInAsync(page, "observatory", "Olga Observatoire");
        var evolution = page.Locator("#titre-evolution").Locator("xpath=ancestor::section[1]");
        await Expect(evolution.Locator("svg[role=img]")).ToHaveCountAsync(1);
        await Expect(evolution.Locator("svg polyline")).ToHaveCountAsync(3);
        // Drawn against time: the day a week before sits halfway between the first and the last (x from 70 to 880).
        var points = (await evolution.Locator("svg polyline").First.GetAttributeAsync("points"))!.Split(' ');
        Assert.Equal(["70", "475", "880"], points.Select(p => p.Split(',')[0]));
        var rows = evolution.Locator("tbody tr");
        await Expect(rows).ToHaveCountAsync(3);
        await Expect(rows.First.Locator("th")).ToHaveTextAsync(Formats.Date(today.Date.AddDays(-14)));
        await Expect(rows.Last.Locator("th")).ToHaveTextAsync(Formats.Date(today.Date));
        await Expect(evolution.Locator("#resume-evolution")).ToContainTextAsync($"Du {Formats.Date(today.Date.AddDays(-14))} au {Formats.Date(today.Date)} (3 instantanés)");
        await Expect(evolution.Locator("#resume-evolution")).ToContainTextAsync("−14");
        await Expect(evolution.Locator("table caption")).ToHaveTextAsync("Données : Évolution sur les 90 derniers jours");

        var csv = await page.APIRequest.GetAsync("/observatoire/donnees/evolution.csv");
        Assert.True(csv.Ok, $"HTTP {csv.Status}");
        var lines = (await csv.TextAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("departement;date;Personnes distinctes en attente;Inscriptions sur les listes;Sans solution;Amendement Creton;Âge de transition;Admissions du mois à cette date", lines[0]);
        Assert.Equal(4, lines.Length);
        Assert.StartsWith($"61;{today.Date:yyyy-MM-dd};{today.Total.Persons};{today.Total.Entries};", lines[^1]);
        var detail = await page.APIRequest.GetAsync("/observatoire/donnees/evolution-detail.csv");
        Assert.True(detail.Ok, $"HTTP {detail.Status}");
        var detailText = await detail.TextAsync();
        Assert.StartsWith("departement;date;dimension;valeur;personnes_distinctes;inscriptions;sans_solution;attente_personnes;attente_q1_jours;attente_mediane_jours;attente_q3_jours;attente_p90_jours\r\n", detailText);
        Assert.Contains($"\r\n61;{today.Date:yyyy-MM-dd};type;MAS;", detailText);

        // The monthly report shows the month's days.
        await page.GotoAsync("/observatoire/rapport");
        await Expect(page.Locator("#titre-evolution")).ToContainTextAsync("Évolution au cours du mois");
        await web.CheckPageAsync(page, "observatoire-rapport-evolution");
    }
}
