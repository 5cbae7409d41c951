using System.Net;
using System.Text;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Listes360.Web.Tests;

/// <summary>The director's journeys, each asserting what the director sees.</summary>
[Collection(DirectorCollection.Name)]
public sealed class DirectorJourneyTests(WebFixture web, ITestOutputHelper output) : WebTest(web.NewContextAsync)
{
    private static readonly string Own = WebFixture.OwnFiness;

    [Fact]
    public async Task A_director_changes_places_sees_a_French_error_next_to_a_wrong_field_then_the_change_in_the_history()
    {
        var page = await NewPageAsync();
        await WebFixture.SignInAsync(page, "esms-director", "Claire Martin", Own);
        await page.GetByRole(AriaRole.Link, new() { Name = "Places", Exact = true }).First.ClickAsync();
        Assert.Equal($"/esms/{Own}/places", new Uri(page.Url).AbsolutePath);
        await web.CheckPageAsync(page, "esms-places");

        await page.GetByLabel("Modalité d'accueil").SelectOptionAsync("Residential");
        await page.GetByLabel("Capacité (places autorisées)").FillAsync("40");
        await page.GetByLabel("Places occupées").FillAsync("45");
        var refused = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer les places" }).ClickAsync(), r => r.Request.Method == "POST");
        Assert.Equal(400, refused.Status);
        await Expect(page.Locator("#occupees-erreur")).ToContainTextAsync("dépassent la capacité déclarée (40)");
        await Expect(page.Locator(".fr-input-group--error #occupees")).ToHaveCountAsync(1);
        await web.CheckPageAsync(page, "esms-places-erreur");

        await page.GetByLabel("Places occupées").FillAsync("39");
        var effective = DateTime.UtcNow.AddDays(-3).ToString("dd/MM/yyyy", System.Globalization.CultureInfo.InvariantCulture);
        await page.GetByLabel("Date d'effet").FillAsync(effective);
        await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer les places" }).ClickAsync();
        await Expect(page.Locator(".fr-alert--success")).ToContainTextAsync("Internat, 39 occupée(s) sur 40");
        var history = page.Locator("table", new() { HasText = "Changements de places" });
        await Expect(history.Locator("tbody tr").First).ToContainTextAsync("Claire Martin");
        await Expect(history.Locator("tbody tr").First).ToContainTextAsync(effective);
        Print();
    }

    [Fact]
    public async Task A_director_admits_a_candidate_from_the_ranking_and_the_ranking_no_longer_lists_them()
    {
        var page = await NewPageAsync();
        await WebFixture.SignInAsync(page, "esms-director", "Claire Martin", Own);
        await page.GetByRole(AriaRole.Link, new() { Name = "Classement", Exact = true }).First.ClickAsync();
        await Expect(page.Locator("h1")).ToContainTextAsync("Classement harmonisé");
        var rows = page.Locator("table", new() { HasText = "Candidats classés" }).Locator("tbody tr");
        await Expect(rows).ToHaveCountAsync(2);
        var lucie = rows.Filter(new() { HasText = "DUPONT Lucie" });
        await Expect(lucie).ToContainTextAsync("Place proposée");
        await Expect(lucie.Locator("li").First).ToContainTextAsync("point(s)");
        await web.CheckPageAsync(page, "esms-classement");
        // At 390 px each candidate is a block: the points per criterion take the screen's width instead of a squeezed column.
        await page.SetViewportSizeAsync(390, 844);
        var criteriaWidth = await lucie.Locator("td.listes360-criteria").EvaluateAsync<double>("td => td.getBoundingClientRect().width");
        Assert.True(criteriaWidth >= 300, $"À 390 px, la colonne des points par critère mesure {criteriaWidth} px : elle est écrasée.");
        await page.SetViewportSizeAsync(1280, 900);

        await lucie.GetByRole(AriaRole.Link, new() { Name = "Décider pour DUPONT Lucie" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Candidature de DUPONT Lucie");
        // Only what the state machine offers from « place proposée ».
        var offered = await page.Locator("input[name=Statut]").EvaluateAllAsync<string[]>("inputs => inputs.map(i => i.value)");
        Assert.Equal(["Admitted", "DeclinedByPerson", "Waiting", "RefusedByEsms", "Withdrawn", "Expired", "SolutionFoundElsewhere"], offered);
        await web.CheckPageAsync(page, "esms-decision");

        // A refusal without its reason is refused next to the field, nothing recorded.
        await page.Locator("#statut-RefusedByEsms").CheckAsync(new() { Force = true });
        await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer la décision" }).ClickAsync();
        await Expect(page.Locator("#motif-erreur")).Not.ToBeEmptyAsync();
        await Expect(page.Locator("p", new() { HasText = "Statut actuel" })).ToContainTextAsync("Place proposée");

        await page.Locator("#statut-Admitted").CheckAsync(new() { Force = true });
        await page.GetByLabel("Motif harmonisé").SelectOptionAsync("");
        await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer la décision" }).ClickAsync();
        await Expect(page.Locator(".fr-alert--success")).ToContainTextAsync("Décision enregistrée");
        await Expect(page.Locator("p", new() { HasText = "Statut actuel" })).ToContainTextAsync("Admis");

        await page.GetByRole(AriaRole.Link, new() { Name = "Revenir au classement" }).ClickAsync();
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.First).ToContainTextAsync("MARTIN Paul");
        await Expect(page.Locator("table", new() { HasText = "Candidats classés" })).Not.ToContainTextAsync("DUPONT");
        Print();
    }

    [Fact]
    public async Task A_director_imports_a_CSV_with_bad_lines_and_sees_each_line_s_reason()
    {
        var page = await NewPageAsync();
        await WebFixture.SignInAsync(page, "esms-director", "Claire Martin", Own);
        await page.GotoAsync($"/esms/{Own}/import");
        await web.CheckPageAsync(page, "esms-import");
        var csv = "nom;prenom;date_de_naissance;date_de_la_demande;modalite;n_decision_cdaph;orientation;debut_de_validite\n" +
                  "LEROY;Anne;04/07/1990;15/03/2025;internat;CDAPH-61-2025-0101;MAS;01/01/2025\n" +
                  "BERNARD;Luc;31/02/1988;15/03/2025;internat;CDAPH-61-2025-0102;MAS;01/01/2025\n" +
                  "PETIT;Marc;12/12/1979;15/03/2025;;CDAPH-61-2025-0103;MAS;01/01/2025\n";
        await page.Locator("#fichier").SetInputFilesAsync(new FilePayload { Name = "liste-mas.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv) });
        await page.GetByRole(AriaRole.Button, new() { Name = "Importer" }).ClickAsync();
        await Expect(page.Locator("h2", new() { HasText = "Compte rendu" })).ToContainTextAsync("liste-mas.csv");
        await Expect(page.Locator(".fr-alert--warning")).ToContainTextAsync("3 ligne(s) lue(s) : 1 acceptée(s), 2 refusée(s)");
        var rejected = page.Locator("table", new() { HasText = "Lignes refusées" }).Locator("tbody tr");
        await Expect(rejected).ToHaveCountAsync(2);
        await Expect(rejected.Nth(0)).ToContainTextAsync("3");
        await Expect(rejected.Nth(0)).ToContainTextAsync("naissance");
        await Expect(rejected.Nth(1)).ToContainTextAsync("4");
        await Expect(rejected.Nth(1)).ToContainTextAsync("modalité manquante");
        await web.CheckPageAsync(page, "esms-import-compte-rendu");

        // A file that is not a list is refused whole, in French, next to the field.
        await page.Locator("#fichier").SetInputFilesAsync(new FilePayload { Name = "photo.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes("bonjour\n") });
        var response = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Importer" }).ClickAsync(), r => r.Request.Method == "POST");
        Assert.Equal(400, response.Status);
        await Expect(page.Locator("#fichier-erreur")).ToContainTextAsync("Rien n'a été enregistré");
        Print();
    }

    [Fact]
    public async Task A_director_declares_sequential_availability()
    {
        var page = await NewPageAsync();
        await WebFixture.SignInAsync(page, "esms-director", "Claire Martin", Own);
        await page.GotoAsync($"/esms/{Own}/disponibilites");
        await web.CheckPageAsync(page, "esms-disponibilites");
        await page.GetByLabel("Modalité d'accueil").SelectOptionAsync("Sequential");
        await page.GetByLabel("Places libres ces jours-là").FillAsync("2");
        await page.GetByRole(AriaRole.Button, new() { Name = "Déclarer" }).ClickAsync();
        await Expect(page.Locator("#jours-erreur")).ToContainTextAsync("Cochez au moins un jour");
        await page.Locator("#jour-Monday").CheckAsync(new() { Force = true });
        await page.Locator("#jour-Tuesday").CheckAsync(new() { Force = true });
        await page.GetByRole(AriaRole.Button, new() { Name = "Déclarer" }).ClickAsync();
        await Expect(page.Locator(".fr-alert--success")).ToContainTextAsync("2 place(s), Accueil séquentiel");
        await Expect(page.Locator("table", new() { HasText = "Disponibilités déclarées" }).Locator("tbody tr").First).ToContainTextAsync("lundi");
        Print();
    }

    private void Print() => output.WriteLine("Pages vérifiées avec axe :\n" + string.Join("\n", web.PagesChecked));
}
