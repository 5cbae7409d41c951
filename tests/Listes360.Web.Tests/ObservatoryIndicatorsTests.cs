using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Listes360.Web.Tests;

/// <summary>Issue 18's remaining indicators on the observatory's page: waiting-time quartiles by kind, admissions per month, each with its table and CSV.</summary>
[Collection(WebCollection.Name)]
public sealed class ObservatoryIndicatorsTests(WebFixture web) : WebTest(web.NewContextAsync)
{
    [Fact]
    public async Task The_indicators_show_waiting_time_quartiles_by_kind_and_admissions_per_month_with_their_tables_and_CSV()
    {
        var page = await NewPageAsync();
        await WebFixture.SignInAsync(page, "observatory", "Olga Observatoire");
        var waiting = page.Locator("#titre-attente").Locator("xpath=ancestor::section[1]");
        var headers = await waiting.Locator("thead th").AllInnerTextsAsync();
        Assert.Equal(["Type d'accompagnement", "Personnes", "1er quartile (jours)", "Médiane (jours)", "3e quartile (jours)", "90e centile (jours)"], headers.Select(h => h.Trim()));
        await Expect(waiting.Locator("p[id^=resume-]")).ToContainTextAsync("un quart attend moins de");
        // Quartiles are ordered: Q1 ≤ median ≤ Q3 ≤ P90 on every row.
        foreach (var row in await waiting.Locator("tbody tr").AllAsync())
        {
            var values = (await row.Locator("td").AllInnerTextsAsync()).Select(t => int.Parse(t.Replace("\u202f", "").Replace("\u00a0", "").Trim())).ToList();
            Assert.True(values[1] <= values[2] && values[2] <= values[3] && values[3] <= values[4], string.Join(" ", values));
        }

        var admissions = page.Locator("#titre-admissions").Locator("xpath=ancestor::section[1]");
        await Expect(admissions.Locator("svg[role=img]")).ToHaveCountAsync(1);
        await Expect(admissions.Locator("tbody tr")).ToHaveCountAsync(12);
        // The page counts months in Paris time: between 23:00 and 00:00 UTC on a month's last day, Paris is already in the next.
        var month = Listes360.Domain.Time.ParisDate.Today(TimeProvider.System).ToString("MMMM yyyy", Formats.French);
        await Expect(admissions.Locator("tbody tr").Last).ToContainTextAsync(month);
        var csv = await page.APIRequest.GetAsync("/observatoire/donnees/admissions.csv");
        Assert.True(csv.Ok, $"HTTP {csv.Status}");
        var text = await csv.TextAsync();
        Assert.StartsWith("departement;date;Mois;Admissions\r\n", text);
        Assert.Equal(13, text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
    }
}
