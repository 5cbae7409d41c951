using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Listes360.Web.Tests;

/// <summary>
/// The observatory's pages in Chromium (issue 18, point 2): the indicators with their charts, tables and
/// CSV files, the rupture-risk list, the monthly report; no page or file an observatory member can reach
/// shows a name, a birth date or an identifier of the seeded population; an ESMS director is refused.
/// </summary>
[Collection(DirectorCollection.Name)]
public sealed class ObservatoryJourneyTests(WebFixture web, ITestOutputHelper output) : WebTest(web.NewContextAsync)
{
    [Fact]
    public async Task An_observatory_member_sees_the_indicators_as_charts_with_their_tables_and_downloads_a_CSV()
    {
        var page = await NewPageAsync();
        await WebFixture.SignInAsync(page, "observatory", "Olga Observatoire");
        Assert.Equal("/observatoire", new Uri(page.Url).AbsolutePath);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Indicateurs du département 61");

        // Each chart is an image named by its title and described by its summary, followed by its data table.
        var charts = page.Locator("svg[role=img]");
        Assert.True(await charts.CountAsync() >= 4, $"{await charts.CountAsync()} graphique(s) seulement");
        foreach (var chart in await charts.AllAsync())
        {
            var section = chart.Locator("xpath=ancestor::section[1]");
            var title = await section.Locator("h2").InnerTextAsync();
            Assert.Equal(1, await section.Locator("table").CountAsync());
            Assert.Equal("Données : " + title, (await section.Locator("table caption").InnerTextAsync()).Trim());
            Assert.False(string.IsNullOrWhiteSpace(await section.Locator("p[id^=resume-]").InnerTextAsync()));
        }
        // The seeded population: two persons waiting for one MAS, one list entry each.
        var types = page.Locator("#titre-types").Locator("xpath=ancestor::section[1]");
        var masRow = types.Locator("tbody tr").Filter(new() { HasText = "Maison d'accueil spécialisée" });
        await Assertions.Expect(masRow).ToHaveCountAsync(1);
        var masPersons = int.Parse((await masRow.Locator("td").First.InnerTextAsync()).Replace("\u202f", "").Replace("\u00a0", "").Trim());
        Assert.True(masPersons >= 2, $"{masPersons} personne(s) en attente d'une MAS");
        await web.CheckPageAsync(page, "observatoire-indicateurs");

        var download = await page.RunAndWaitForDownloadAsync(() => types.GetByRole(AriaRole.Link, new() { NameRegex = new("Télécharger") }).ClickAsync());
        var csv = await File.ReadAllTextAsync(await download.PathAsync());
        output.WriteLine(csv);
        Assert.StartsWith("departement;date;Type d'accompagnement;Personnes distinctes;Inscriptions sur les listes;Sans solution", csv);
        Assert.Contains("Maison d'accueil spécialisée", csv);
        Assert.Contains("\r\n61;", csv);
    }

    [Fact]
    public async Task No_page_or_file_an_observatory_member_can_reach_shows_a_name_a_birth_date_or_an_identifier_of_the_seeded_persons()
    {
        var page = await NewPageAsync();
        await WebFixture.SignInAsync(page, "observatory", "Olga Observatoire");
        string[] forbidden = ["DUPONT", "Lucie", "MARTIN", "Paul", "1985", "12/03", "MDPH61-W0001", "MDPH61-W0002", "CDAPH-61", web.OfferedPerson];

        // Every page and file reachable by following the links of the observatory's pages (the sign-out form aside).
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<string>(["/observatoire", "/observatoire/risques", "/observatoire/rapport", "/"]);
        var pages = 0;
        while (queue.Count > 0 && seen.Count < 60)
        {
            var path = queue.Dequeue();
            if (!seen.Add(path))
                continue;
            string text;
            if (path.Contains(".csv", StringComparison.Ordinal))
            {
                var response = await page.APIRequest.GetAsync(path);
                Assert.True(response.Ok, $"{path} : HTTP {response.Status} {await response.TextAsync()}");
                text = await response.TextAsync();
            }
            else
            {
                var response = await page.GotoAsync(path);
                Assert.True(response!.Ok, $"{path} : HTTP {response.Status}");
                text = await page.ContentAsync();
                pages++;
                if (pages <= 4)
                    await web.CheckPageAsync(page, "observatoire-" + (pages == 1 ? "accueil" : pages.ToString()));
                foreach (var href in await page.Locator("a[href^='/']").EvaluateAllAsync<string[]>("links => links.map(a => a.getAttribute('href'))"))
                    if (!href.StartsWith("/dsfr", StringComparison.Ordinal) && !href.StartsWith("/assets", StringComparison.Ordinal) && !href.StartsWith("/connexion", StringComparison.Ordinal))
                        queue.Enqueue(href);
            }
            foreach (var word in forbidden)
                Assert.False(text.Contains(word, StringComparison.OrdinalIgnoreCase), $"« {word} » apparaît dans {path}");
        }
        output.WriteLine(string.Join("\n", seen));
        Assert.Contains("/observatoire/donnees/types.csv", seen);
        Assert.Contains(seen, p => p.StartsWith("/observatoire/donnees/risques.csv", StringComparison.Ordinal));
        Assert.True(pages >= 4, $"{pages} page(s) visitée(s)");

        // The risk list names its model and says when its data are simulated.
        await page.GotoAsync("/observatoire/risques");
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("Liste pseudonymisée");
        await Assertions.Expect(page.Locator("table caption")).ToContainTextAsync("Personnes à risque de rupture");
    }

    [Fact]
    public async Task An_ESMS_director_is_refused_the_observatory_s_pages_and_files()
    {
        var page = await NewPageAsync();
        await WebFixture.SignInAsync(page, "esms-director", "Directrice Curieuse", WebFixture.OwnFiness);
        foreach (var path in new[] { "/observatoire", "/observatoire/risques", "/observatoire/rapport" })
        {
            var response = await page.GotoAsync(path);
            Assert.Equal(403, response!.Status);
            await Assertions.Expect(page.Locator("main")).ToContainTextAsync("les pages de l'observatoire sont ouvertes à l'observatoire");
        }
        await web.CheckPageAsync(page, "observatoire-refus");
        var csv = await page.APIRequest.GetAsync("/observatoire/donnees/types.csv");
        Assert.Equal(403, csv.Status);
        Assert.Contains("Accès refusé", await csv.TextAsync());
    }
}
