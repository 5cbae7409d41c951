using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Listes360.Web.Tests;

/// <summary>
/// The conseiller en parcours' journeys in Chromium (issue 17, point 4): a person found by a misspelled
/// name and a sequential placement proposed; a person admitted elsewhere whose other candidatures show
/// « solution trouvée ailleurs », one confirmed. axe on every page visited, screenshots at 1280 and 390 px.
/// </summary>
[Collection(ConseillerCollection.Name)]
public sealed class ConseillerJourneyTests(WebFixture web, ITestOutputHelper output) : WebTest(web.NewContextAsync)
{
    private async Task<string> PersonAsync(string birthName, string firstName)
    {
        var person = await web.NewPersonAsync(birthName, firstName, atHome: true);
        await web.AddMasOrientationAsync(person, "CDAPH-PARCOURS");
        return person;
    }

    private void Print()
    {
        foreach (var page in web.PagesChecked)
            output.WriteLine("Page vérifiée (axe) : " + page);
    }

    [Fact]
    public async Task A_conseiller_finds_a_person_by_a_misspelled_name_and_proposes_a_sequential_placement()
    {
        var name = "Vandenbroucke" + WebFixture.Letters(3).ToLowerInvariant();
        var person = await PersonAsync(name, "Ysaline");
        var candidature = await web.ApplyAsync(person, await web.NewMasAsync("MAS du Bocage"));
        await web.ChangeStatusAsync(person, candidature, "UNDER_REVIEW", "WAITING"); // the sequential search takes persons waiting
        var monday = await web.NewMasAsync("MAS du Lundi");
        await web.AdminGraphQLAsync("""mutation($f: String!) { setEsmsPlaces(input: {finess: $f, modality: SEMI_RESIDENTIAL, capacity: 6, occupied: 2}) { esms { version } } }""", new { f = monday });
        await web.AdminGraphQLAsync("""mutation($f: String!) { declareAvailability(input: {finess: $f, modality: SEMI_RESIDENTIAL, slots: [{weekday: MONDAY}], places: 1}) { availability { version } } }""", new { f = monday });
        await web.AdminGraphQLAsync("""mutation($p: ID!) { setSequentialNeeds(input: {personId: $p, amount: 1, modalities: [SEMI_RESIDENTIAL]}) { needs { amount } } }""", new { p = person });

        var page = await NewPageAsync();
        await WebFixture.SignInAsync(page, "territorial-staff", "Nadia Conseil");
        Assert.Equal("/conseiller", new Uri(page.Url).AbsolutePath);
        await web.CheckPageAsync(page, "conseiller-liste");

        var misspelled = name[..3] + name[4] + name[3] + name[5..]; // two letters swapped
        var link = page.Locator($"a[href='/conseiller/personnes/{person}']");
        await page.GetByLabel("Rechercher une personne").FillAsync(misspelled + " ysalin");
        await page.GetByRole(AriaRole.Button, new() { Name = "Rechercher", Exact = true }).ClickAsync();
        await WebFixture.ExpectAddressAsync(page, new(@"/conseiller\?(.*&)?recherche="));
        await WebFixture.EventuallyAsync(async () => // the list follows the person's file through its outbox
        {
            if (await link.CountAsync() > 0)
                return true;
            await page.ReloadAsync();
            return await link.CountAsync() > 0;
        }, $"« {misspelled} ysalin » ne trouve pas {person} dans la liste");
        await Assertions.Expect(page.Locator("#liste tbody tr").First).ToContainTextAsync(name);
        await web.CheckPageAsync(page, "conseiller-recherche");

        await link.ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync(name);
        await Assertions.Expect(page.Locator("#candidatures ~ *").First).ToContainTextAsync("MAS du Bocage");
        await web.CheckPageAsync(page, "conseiller-personne");

        await page.GetByRole(AriaRole.Link, new() { Name = "Chercher une combinaison d'ESMS" }).ClickAsync();
        var propose = page.GetByRole(AriaRole.Button, new() { Name = "Proposer cette combinaison" });
        await WebFixture.EventuallyAsync(async () => // the sequential index follows the needs
        {
            if (await propose.CountAsync() > 0)
                return true;
            await page.ReloadAsync();
            return await propose.CountAsync() > 0;
        }, "aucune combinaison proposée pour " + person);
        await Assertions.Expect(page.Locator(".fr-card").First).ToContainTextAsync("MAS du Lundi");
        await Assertions.Expect(page.Locator(".fr-card").First).ToContainTextAsync("lundi");
        await web.CheckPageAsync(page, "conseiller-sequentiel");

        await propose.First.ClickAsync();
        await Assertions.Expect(page.Locator(".fr-alert--success")).ToContainTextAsync("La proposition d'accueil séquentiel est faite");
        await Assertions.Expect(page.Locator("#candidatures ~ *").First).ToContainTextAsync("MAS du Lundi");
        await web.CheckPageAsync(page, "conseiller-proposition-faite");
        Print();
    }

    [Fact]
    public async Task A_conseiller_opens_a_person_admitted_elsewhere_sees_the_other_candidatures_and_confirms_one()
    {
        var (admitting, other, third) = (await web.NewMasAsync("MAS des Collines"), await web.NewMasAsync("MAS du Perche"), await web.NewMasAsync("MAS de la Forêt"));
        var name = "Ailleurs" + WebFixture.Letters(5).ToLowerInvariant();
        var person = await PersonAsync(name, "Léa");
        var admitted = await web.ApplyAsync(person, admitting);
        await web.ApplyAsync(person, other);
        await web.ApplyAsync(person, third);
        await web.ChangeStatusAsync(person, admitted, "UNDER_REVIEW", "WAITING", "OFFERED", "ADMITTED");

        var page = await NewPageAsync();
        await WebFixture.SignInAsync(page, "territorial-staff", "Nadia Conseil", returnTo: $"/conseiller/personnes/{person}");
        Assert.Equal($"/conseiller/personnes/{person}", new Uri(page.Url).AbsolutePath);
        var confirm = page.GetByRole(AriaRole.Button, new() { Name = "Confirmer la solution trouvée ailleurs" });
        await Assertions.Expect(confirm).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator($"tr:has-text('MAS du Perche')")).ToContainTextAsync("Solution trouvée ailleurs", new() { IgnoreCase = true });
        await Assertions.Expect(page.Locator($"tr:has-text('MAS des Collines')")).ToContainTextAsync("Admis", new() { IgnoreCase = true });
        await web.CheckPageAsync(page, "conseiller-solution-ailleurs");

        await page.Locator("tr:has-text('MAS du Perche')").GetByRole(AriaRole.Button, new() { Name = "Confirmer la solution trouvée ailleurs" }).ClickAsync();
        await Assertions.Expect(page.Locator(".fr-alert--success")).ToContainTextAsync("La solution trouvée ailleurs est confirmée");
        await Assertions.Expect(confirm).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("tr:has-text('MAS du Perche')")).ToContainTextAsync("Retir", new() { IgnoreCase = true });
        await web.CheckPageAsync(page, "conseiller-solution-confirmee");
        Print();
    }

    [Fact]
    public async Task A_conseiller_updates_a_person_s_situation_a_bad_date_refused_next_to_its_field_and_nothing_changed()
    {
        var person = await PersonAsync("Situation" + WebFixture.Letters(5).ToLowerInvariant(), "Maëlle");
        var page = await NewPageAsync();
        await WebFixture.SignInAsync(page, "territorial-staff", "Nadia Conseil", returnTo: $"/conseiller/personnes/{person}");
        var form = page.Locator("form").Filter(new() { Has = page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer la situation" }) });
        await form.GetByLabel("Situation actuelle").SelectOptionAsync("InHospital");
        await form.GetByLabel("Depuis le").FillAsync("31/02/2026");
        var refused = await page.RunAndWaitForResponseAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer la situation" }).ClickAsync(),
            r => r.Request.Method == "POST");
        Assert.Equal(400, refused.Status);
        await Assertions.Expect(page.Locator("#situation-depuis-erreur")).ToContainTextAsync("« 31/02/2026 » n'est pas une date");
        await Assertions.Expect(page.Locator("#situation ~ p").First).ToContainTextAsync("À domicile sans solution");
        await web.CheckPageAsync(page, "conseiller-situation-erreur");

        var since = DateTime.UtcNow.AddDays(-2).ToString("dd/MM/yyyy", System.Globalization.CultureInfo.InvariantCulture);
        await form.GetByLabel("Depuis le").FillAsync(since);
        await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer la situation" }).ClickAsync();
        await Assertions.Expect(page.Locator(".fr-alert--success")).ToContainTextAsync("La situation est mise à jour");
        await Assertions.Expect(page.Locator("#situation ~ p").First).ToContainTextAsync($"depuis le {since}");
        var read = await web.AdminGraphQLAsync("""query($p: ID!) { person(id: $p) { situation { kind } } }""", new { p = person });
        Assert.Equal("IN_HOSPITAL", read.GetProperty("person").GetProperty("situation").GetProperty("kind").GetString());
    }

    [Fact]
    public async Task The_situation_form_is_refused_to_a_director_and_without_its_anti_forgery_token_and_nothing_changes()
    {
        var person = await PersonAsync("Refus" + WebFixture.Letters(5).ToLowerInvariant(), "Noémie");
        var director = await NewPageAsync();
        await WebFixture.SignInAsync(director, "esms-director", "Claire Martin", WebFixture.OwnFiness);
        var response = await director.GotoAsync($"/conseiller/personnes/{person}");
        Assert.Equal(403, response!.Status);
        await Assertions.Expect(director.GetByRole(AriaRole.Button, new() { Name = "Enregistrer la situation" })).ToHaveCountAsync(0);
        var posted = await director.APIRequest.PostAsync($"/conseiller/personnes/{person}", new APIRequestContextOptions
        {
            Form = director.APIRequest.CreateFormData().Append("_handler", "situation").Append("Nature", "InHospital").Append("SituationDepuis", "01/01/2025"),
        });
        Assert.Equal(400, posted.Status); // no anti-forgery token: refused before the page runs

        var read = await web.AdminGraphQLAsync("""query($p: ID!) { person(id: $p) { situation { kind } } }""", new { p = person });
        Assert.Equal("AT_HOME_WITHOUT_SOLUTION", read.GetProperty("person").GetProperty("situation").GetProperty("kind").GetString());
    }

    [Fact]
    public async Task A_director_opening_the_conseiller_pages_is_refused_in_French()
    {
        var page = await NewPageAsync();
        await WebFixture.SignInAsync(page, "esms-director", "Claire Martin", WebFixture.OwnFiness);
        var response = await page.GotoAsync("/conseiller");
        Assert.Equal(403, response!.Status);
        Assert.Equal("Accès refusé", (await page.Locator("h1").InnerTextAsync()).Trim());
        await Assertions.Expect(page.Locator(".fr-alert--error")).ToContainTextAsync("direction d'ESMS");
        await web.CheckPageAsync(page, "conseiller-refus-direction");
        Print();
    }
}
