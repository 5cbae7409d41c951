using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Listes360.Web.Tests;

/// <summary>
/// The administrator's pages in Chromium (issue 18, point 3): a grid with an error shown at its JSON path,
/// fixed, previewed and published, and the director's ranking page on the new version; the audit trail
/// filtered and exported. axe on every page; other roles refused.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class AdminJourneyTests(WebFixture web, ITestOutputHelper output) : WebTest(web.NewContextAsync)
{
    [Fact]
    public async Task An_admin_sees_a_grid_error_at_its_path_fixes_it_previews_and_publishes_and_the_director_s_ranking_shows_the_new_version()
    {
        // A MAS of its own: one person at home without solution (about 64 points under the grid in force),
        // one flagged urgent (40 + about 10): the draft's urgency at 80 points puts the urgent one first.
        var mas = await web.NewMasAsync("MAS Apercu " + WebFixture.Letters(5));
        var atHome = WebFixture.Letters(8);
        var urgent = WebFixture.Letters(8);
        var atHomeId = await web.NewPersonAsync(atHome, "Anne", atHome: true);
        var urgentId = await web.NewPersonAsync(urgent, "Berthe");
        foreach (var (person, reference) in new[] { (atHomeId, "CDAPH-AP-1"), (urgentId, "CDAPH-AP-2") })
        {
            await web.AddMasOrientationAsync(person, reference);
            await web.ApplyAsync(person, mas);
        }
        await web.AdminGraphQLAsync("""mutation($p: ID!) { setUrgency(input: {personId: $p, urgency: {source: PAG, reason: "Rupture de prise en charge"}}) { person { id } } }""", new { p = urgentId });
        // The facts reach the ranking through the persons' outboxes (in the call, unless a delivery is retried): both ranked, the urgency counted.
        var ranked = "";
        await WebFixture.EventuallyAsync(async () =>
        {
            var entries = (await web.AdminGraphQLAsync("""query($f: String!) { ranking(finess: $f, modality: RESIDENTIAL) { entries { edges { node { personId breakdown { criterionId points } } } } } }""", new { f = mas }))
                .GetProperty("ranking").GetProperty("entries").GetProperty("edges");
            ranked = entries.ToString();
            return entries.GetArrayLength() == 2 && entries[0].GetProperty("node").GetProperty("personId").GetString() == atHomeId
                && entries[1].GetProperty("node").GetProperty("breakdown").EnumerateArray().Any(l => l.GetProperty("criterionId").GetString() == "URGENCE" && l.GetProperty("points").GetInt32() > 0);
        }, () => $"le classement de {mas} : la personne à domicile première, l'urgence comptée pour l'autre ({ranked})");

        var page = await NewPageAsync();
        await WebFixture.SignInAsync(page, "admin", "Alice Admin");
        Assert.Equal("/admin/grille", new Uri(page.Url).AbsolutePath);
        var current = await page.Locator("h2").Filter(new() { HasTextRegex = new("^Version en vigueur") }).InnerTextAsync();
        var version = int.Parse(current.Split(':')[1].Trim());
        await web.CheckPageAsync(page, "admin-grille");

        var document = await page.Locator("#document").InputValueAsync();
        Assert.Contains("\"id\": \"URGENCE\"", document);
        await page.Locator("#document").FillAsync(document.Replace("\"id\": \"URGENCE\"", "\"id\": \"urgence\""));
        var refused = await page.RunAndWaitForResponseAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Publier la nouvelle version" }).ClickAsync(),
            r => r.Request.Method == "POST");
        Assert.Equal(400, refused.Status);
        await Assertions.Expect(page.Locator("#erreurs-grille")).ToContainTextAsync("$.criteria[0].id");
        await Assertions.Expect(page.Locator("#erreurs-grille")).ToContainTextAsync("majuscules");
        await web.CheckPageAsync(page, "admin-grille-erreur");

        var fixedDocument = document.Replace("\"points\": 40", "\"points\": 80");
        Assert.NotEqual(document, fixedDocument);
        await page.Locator("#document").FillAsync(fixedDocument);
        // An ESMS of another département: refused at the field (the ranking grain's rule), nothing else lost.
        await page.GetByLabel("Numéro FINESS de l'établissement").FillAsync(Listes360.Domain.Registry.FinessNumber.WithKey("14000001").Value);
        var elsewhere = await page.RunAndWaitForResponseAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Vérifier et prévisualiser" }).ClickAsync(),
            r => r.Request.Method == "POST");
        Assert.Equal(400, elsewhere.Status);
        await Assertions.Expect(page.Locator("#apercu-finess-erreur")).ToContainTextAsync("pas le département 14");

        await page.GetByLabel("Numéro FINESS de l'établissement").FillAsync(mas);
        await page.GetByLabel("Modalité d'accueil").SelectOptionAsync("Residential");
        await page.GetByRole(AriaRole.Button, new() { Name = "Vérifier et prévisualiser" }).ClickAsync();
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("Aperçu : le document est valide");
        await Assertions.Expect(page.Locator("table").Filter(new() { HasText = "Critères de la version préparée" }).Locator("tr").Filter(new() { HasText = "URGENCE" }))
            .ToContainTextAsync("modifié (avant : 40)");
        var preview = page.Locator("#apercu-classement-table");
        await Assertions.Expect(preview.Locator("caption")).ToContainTextAsync($"avec la version {version} en vigueur et avec la version préparée {version + 1}");
        var rows = preview.Locator("tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(2);
        await Assertions.Expect(rows.Nth(0)).ToContainTextAsync(urgent);
        await Assertions.Expect(rows.Nth(0)).ToContainTextAsync("monte de 1 rang");
        await Assertions.Expect(rows.Nth(0)).ToContainTextAsync("URGENCE : 40 → 80");
        await Assertions.Expect(rows.Nth(1)).ToContainTextAsync(atHome);
        await Assertions.Expect(rows.Nth(1)).ToContainTextAsync("descend de 1 rang");
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("2 candidat(s) sur 2 changent de place parmi les 10 premiers");
        await web.CheckPageAsync(page, "admin-grille-apercu");

        await page.GetByRole(AriaRole.Button, new() { Name = "Publier la nouvelle version" }).ClickAsync();
        await WebFixture.ExpectAddressAsync(page, new(@"/admin/grille\?fait=publiee"));
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync($"La version {version + 1} est publiée");
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("Comparer deux versions");
        await page.GotoAsync("/admin/grille#comparer");
        await Assertions.Expect(page.Locator(".listes360-diff-changed").First).ToContainTextAsync("80");

        var director = await NewPageAsync();
        await WebFixture.SignInAsync(director, "esms-director", "Diane Directrice", WebFixture.OwnFiness);
        await director.GotoAsync($"/esms/{WebFixture.OwnFiness}/classement");
        await Assertions.Expect(director.Locator("main")).ToContainTextAsync($"grille du département version {version + 1}");
    }

    [Fact]
    public async Task An_admin_imports_the_ESMS_registry_and_reads_its_report_line_by_line()
    {
        var finess = Listes360.Domain.Registry.FinessNumber.WithKey("61009500").Value;
        var page = await NewPageAsync();
        await WebFixture.SignInAsync(page, "admin", "Alice Admin");
        await page.GotoAsync("/admin/registre");
        await web.CheckPageAsync(page, "admin-registre");
        var csv = "finess;name;category;postcode;commune;age_from;age_until;modalities\n"
            + $"{finess};MAS du Registre;255;61000;ALENCON;;;\n"
            + "61000001X;;999;;;;;\n";
        await page.Locator("#fichier").SetInputFilesAsync(new FilePayload { Name = "registre.csv", MimeType = "text/csv", Buffer = System.Text.Encoding.UTF8.GetBytes(csv) });
        await page.GetByRole(AriaRole.Button, new() { Name = "Importer" }).ClickAsync();
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("Compte rendu de l'import de « registre.csv »");
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("2 ligne(s) lue(s) : 1 créé(s)");
        await Assertions.Expect(page.Locator("table").Filter(new() { HasText = "Lignes refusées" }).Locator("tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("tbody tr").First).ToContainTextAsync("3");
        await web.CheckPageAsync(page, "admin-registre-rapport");

        // The same file again changes nothing.
        await page.Locator("#fichier").SetInputFilesAsync(new FilePayload { Name = "registre.csv", MimeType = "text/csv", Buffer = System.Text.Encoding.UTF8.GetBytes(csv) });
        await page.GetByRole(AriaRole.Button, new() { Name = "Importer" }).ClickAsync();
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("0 créé(s), 0 mis à jour, 1 inchangé(s)");
    }

    [Fact]
    public async Task An_admin_filters_the_audit_trail_by_who_and_exports_it()
    {
        var intruder = await NewPageAsync();
        await WebFixture.SignInAsync(intruder, "esms-director", "Directrice Egaree", WebFixture.OwnFiness);
        Assert.Equal(403, (await intruder.GotoAsync("/admin/journal"))!.Status);
        await Assertions.Expect(intruder.Locator("main")).ToContainTextAsync("les pages d'administration sont ouvertes à l'administration seulement");
        Assert.Equal(403, (await intruder.GotoAsync("/admin/grille"))!.Status);
        Assert.Equal(403, (await intruder.GotoAsync("/admin/registre"))!.Status);
        Assert.Equal(403, (await intruder.APIRequest.GetAsync("/admin/journal.csv")).Status);
        // A refusal within the département (another ESMS's ranking): the administrator's trail is of their département.
        Assert.Equal(403, (await intruder.GotoAsync($"/esms/{WebFixture.OtherFiness}/classement"))!.Status);

        var page = await NewPageAsync();
        await WebFixture.SignInAsync(page, "admin", "Alice Admin");
        await page.GotoAsync("/admin/journal");
        await page.GetByLabel("Qui (nom de connexion)").FillAsync("Directrice Egaree");
        await page.GetByLabel("Issue").SelectOptionAsync("Denied");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filtrer" }).ClickAsync();
        var rows = page.Locator("tbody tr");
        await Assertions.Expect(rows.First).ToContainTextAsync("Directrice Egaree");
        await Assertions.Expect(page.Locator("tbody")).ToContainTextAsync(WebFixture.OtherFiness);
        await Assertions.Expect(page.Locator("tbody")).Not.ToContainTextAsync("Alice Admin");
        await web.CheckPageAsync(page, "admin-journal");

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { NameRegex = new("Exporter ces entrées") }).ClickAsync());
        var csv = await File.ReadAllTextAsync(await download.PathAsync());
        output.WriteLine(csv);
        Assert.StartsWith("quand;qui;role;operation;nature;cible;issue;detail", csv);
        Assert.Contains("Directrice Egaree", csv);
        Assert.DoesNotContain("Alice Admin", csv);

        var bad = await page.GotoAsync("/admin/journal?du=31/02/2026");
        Assert.Equal(400, bad!.Status);
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("« 31/02/2026 » n'est pas une date");
    }
}
