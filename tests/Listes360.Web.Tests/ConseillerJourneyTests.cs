using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Listes360.Api.Security;
using Listes360.Domain.Registry;
using Listes360.Domain.Security;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Listes360.Web.Tests;

/// <summary>
/// The conseiller en parcours' journeys in Chromium (issue 17, point 4): a person found by a misspelled
/// name and a sequential placement proposed; a person admitted elsewhere whose other candidatures show
/// « solution trouvée ailleurs », one confirmed. axe on every page visited, screenshots at 1280 and 390 px.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class ConseillerJourneyTests(WebFixture web, ITestOutputHelper output)
{
    private static int _nextFiness = 9_100;

    private async Task<JsonElement> Admin(string query, object? variables = null)
    {
        using var http = new HttpClient { BaseAddress = new Uri(web.BaseUrl) };
        var token = DevTokens.Mint(web.Auth, "test-admin", Role.Admin, [], "61", null, TimeSpan.FromMinutes(10));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { query, variables }), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        var json = JsonDocument.Parse(body).RootElement;
        Assert.False(json.TryGetProperty("errors", out var errors) && errors.GetArrayLength() > 0, body);
        return json.GetProperty("data").Clone();
    }

    private static string Letters(int n) => string.Concat(Enumerable.Range(0, n).Select(i => (char)((i == 0 ? 'A' : 'a') + Random.Shared.Next(26))));

    private async Task<string> NewMas(string name)
    {
        var f = FinessNumber.WithKey("61" + Interlocked.Increment(ref _nextFiness).ToString("D6")).Value;
        await Admin("""mutation($f: String!, $n: String!) { registerEsms(input: {finess: $f, name: $n, category: "255"}) { esms { finess } } }""", new { f, n = name });
        return f;
    }

    private async Task<string> PersonAsync(string birthName, string firstName)
    {
        var person = (await Admin("""mutation($n: String!, $p: String!) { createPerson(input: {department: "61", birthName: $n, firstNames: [$p], birthDate: "1990-05-06", sex: FEMALE, residenceCommune: "61001", situation: {kind: AT_HOME_WITHOUT_SOLUTION, since: "2024-01-01"}}) { person { id } } }""",
            new { n = birthName, p = firstName })).GetProperty("createPerson").GetProperty("person").GetProperty("id").GetString()!;
        await Admin("""mutation($p: ID!) { addOrientation(input: {personId: $p, decisionReference: "CDAPH-PARCOURS", kind: MAS, validFrom: "2024-01-01", validTo: "2031-12-31"}) { person { id } } }""", new { p = person });
        return person;
    }

    private async Task<string> Apply(string person, string finess) =>
        (await Admin("""mutation($p: ID!, $f: String!) { createCandidature(input: {personId: $p, finess: $f, modality: RESIDENTIAL, requestDate: "2025-03-01"}) { candidature { id } } }""", new { p = person, f = finess }))
            .GetProperty("createCandidature").GetProperty("candidature").GetProperty("id").GetString()!;

    private void Print()
    {
        foreach (var page in web.PagesChecked)
            output.WriteLine("Page vérifiée (axe) : " + page);
    }

    [Fact]
    public async Task A_conseiller_finds_a_person_by_a_misspelled_name_and_proposes_a_sequential_placement()
    {
        var name = "Vandenbroucke" + Letters(3).ToLowerInvariant();
        var person = await PersonAsync(name, "Ysaline");
        var candidature = await Apply(person, await NewMas("MAS du Bocage"));
        foreach (var status in new[] { "UNDER_REVIEW", "WAITING" }) // the sequential search takes persons waiting
            await Admin("""mutation($p: ID!, $c: ID!, $s: CandidatureStatus!) { changeCandidatureStatus(input: {personId: $p, candidatureId: $c, status: $s}) { person { id } } }""", new { p = person, c = candidature, s = status });
        var monday = await NewMas("MAS du Lundi");
        await Admin("""mutation($f: String!) { setEsmsPlaces(input: {finess: $f, modality: SEMI_RESIDENTIAL, capacity: 6, occupied: 2}) { esms { version } } }""", new { f = monday });
        await Admin("""mutation($f: String!) { declareAvailability(input: {finess: $f, modality: SEMI_RESIDENTIAL, slots: [{weekday: MONDAY}], places: 1}) { availability { version } } }""", new { f = monday });
        await Admin("""mutation($p: ID!) { setSequentialNeeds(input: {personId: $p, amount: 1, modalities: [SEMI_RESIDENTIAL]}) { needs { amount } } }""", new { p = person });

        var page = await web.NewPageAsync();
        await WebFixture.SignInAsync(page, "territorial-staff", "Nadia Conseil");
        Assert.Equal("/conseiller", new Uri(page.Url).AbsolutePath);
        await web.CheckPageAsync(page, "conseiller-liste");

        var misspelled = name[..3] + name[4] + name[3] + name[5..]; // two letters swapped
        var link = page.Locator($"a[href='/conseiller/personnes/{person}']");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        do // the list follows the person's file through its outbox
        {
            await page.GetByLabel("Rechercher une personne").FillAsync(misspelled + " ysalin");
            await page.GetByRole(AriaRole.Button, new() { Name = "Rechercher", Exact = true }).ClickAsync();
            await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
        } while (await link.CountAsync() == 0 && DateTime.UtcNow < deadline);
        await Assertions.Expect(page.Locator("#liste tbody tr").First).ToContainTextAsync(name);
        await web.CheckPageAsync(page, "conseiller-recherche");

        await link.ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync(name);
        await Assertions.Expect(page.Locator("#candidatures ~ *").First).ToContainTextAsync("MAS du Bocage");
        await web.CheckPageAsync(page, "conseiller-personne");

        await page.GetByRole(AriaRole.Link, new() { Name = "Chercher une combinaison d'ESMS" }).ClickAsync();
        var propose = page.GetByRole(AriaRole.Button, new() { Name = "Proposer cette combinaison" });
        deadline = DateTime.UtcNow.AddSeconds(30);
        while (await propose.CountAsync() == 0 && DateTime.UtcNow < deadline) // the sequential index follows the needs
        {
            await Task.Delay(300);
            await page.ReloadAsync();
        }
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
        var (admitting, other, third) = (await NewMas("MAS des Collines"), await NewMas("MAS du Perche"), await NewMas("MAS de la Forêt"));
        var name = "Ailleurs" + Letters(5).ToLowerInvariant();
        var person = await PersonAsync(name, "Léa");
        var admitted = await Apply(person, admitting);
        await Apply(person, other);
        await Apply(person, third);
        foreach (var status in new[] { "UNDER_REVIEW", "WAITING", "OFFERED", "ADMITTED" })
            await Admin("""mutation($p: ID!, $c: ID!, $s: CandidatureStatus!) { changeCandidatureStatus(input: {personId: $p, candidatureId: $c, status: $s}) { person { id } } }""", new { p = person, c = admitted, s = status });

        var page = await web.NewPageAsync();
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
    public async Task A_director_opening_the_conseiller_pages_is_refused_in_French()
    {
        var page = await web.NewPageAsync();
        await WebFixture.SignInAsync(page, "esms-director", "Claire Martin", WebFixture.OwnFiness);
        var response = await page.GotoAsync("/conseiller");
        Assert.Equal(403, response!.Status);
        Assert.Equal("Accès refusé", (await page.Locator("h1").InnerTextAsync()).Trim());
        await Assertions.Expect(page.Locator(".fr-alert--error")).ToContainTextAsync("direction d'ESMS");
        await web.CheckPageAsync(page, "conseiller-refus-direction");
        Print();
    }
}
