using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Listes360.Api.Security;
using Listes360.Domain.Security;

namespace Listes360.Api.Tests;

/// <summary>
/// The conseiller en parcours' web pages (issue 17, point 4) over HTTP against the real host (Azurite,
/// silo, API and pages), signed in with the pages' session cookie: the list with a misspelled name, its
/// filters' French errors and its CSV export; a person's page and its forms (anti-forgery, PRG, French
/// errors next to the field); a solution found elsewhere confirmed; a sequential combination proposed,
/// and refused in French (CONFLICT) when its place was taken meanwhile; a director refused (403).
/// </summary>
[Collection(ApiCollection.Name)]
public sealed partial class WebConseillerPagesTests(ApiFixture api)
{
    private static int _nextFiness = 8_600;

    // ---- the session: a cookie holding the same token the sign-in page mints, and the anti-forgery pair ----

    private sealed class Browser(ApiFixture api, string token)
    {
        private readonly Dictionary<string, string> _cookies = new() { ["listes360_session"] = token };

        public async Task<(HttpStatusCode Status, string Body, HttpResponseMessage Response)> GetAsync(string path)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            return await SendAsync(request);
        }

        /// <summary>Posts the form <paramref name="formName"/> of the page at <paramref name="path"/> (read first for its anti-forgery token).</summary>
        public async Task<(HttpStatusCode Status, string Body, HttpResponseMessage Response)> PostFormAsync(string path, string formName, params (string Name, string Value)[] fields)
        {
            var (_, page, _) = await GetAsync(path);
            return await PostFormFromAsync(path, page, formName, fields);
        }

        /// <summary>Posts a form of a page already read (its anti-forgery token and hidden fields).</summary>
        public async Task<(HttpStatusCode Status, string Body, HttpResponseMessage Response)> PostFormFromAsync(string path, string page, string formName, params (string Name, string Value)[] fields)
        {
            var token = AntiforgeryField().Match(page); // the page is decoded already
            Assert.True(token.Success, "La page n'a pas de jeton anti-falsification : " + page[..Math.Min(500, page.Length)]);
            var form = new List<KeyValuePair<string, string>>
            {
                new("__RequestVerificationToken", token.Groups[1].Value),
                new("_handler", formName),
            };
            form.AddRange(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form) };
            return await SendAsync(request);
        }

        private async Task<(HttpStatusCode, string, HttpResponseMessage)> SendAsync(HttpRequestMessage request)
        {
            request.Headers.Add("Cookie", string.Join("; ", _cookies.Select(c => $"{c.Key}={c.Value}")));
            var response = await api.Client.SendAsync(request);
            if (response.Headers.TryGetValues("Set-Cookie", out var set))
                foreach (var cookie in set)
                {
                    var pair = cookie.Split(';')[0].Split('=', 2);
                    if (pair.Length == 2) _cookies[pair[0]] = pair[1];
                }
            // The pages encode what they write (« n&#x27;est », « &#xE9; »): the tests read the text as a browser shows it.
            return (response.StatusCode, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()), response);
        }
    }

    /// <summary>Where a redirect sends the browser, as a local path (the pages may redirect to an absolute address of the host).</summary>
    private static string? LocationOf(HttpResponseMessage response) =>
        response.Headers.Location is not { } location ? null : location.IsAbsoluteUri ? location.PathAndQuery + location.Fragment : location.OriginalString;

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    private Browser As(Role role, string? territory = null, params string[] finess) => AsIn("61", role, territory, finess);

    private Browser AsIn(string department, Role role, string? territory, params string[] finess) =>
        new(api, DevTokens.Mint(api.Auth, "conseillère test", role, finess, department, territory, TimeSpan.FromMinutes(30)));

    private Browser Conseiller => As(Role.TerritorialStaff);

    // ---- data, through GraphQL as the administrator ----

    private async Task<JsonElement> Admin(string query, object? variables = null)
    {
        var r = await api.PostAsync(query, variables);
        Assert.False(r.HasErrors, r.Body);
        return r.Data;
    }

    private static string Letters(int n) => string.Concat(Enumerable.Range(0, n).Select(i => (char)((i == 0 ? 'A' : 'a') + Random.Shared.Next(26))));

    private async Task<string> NewMas(string name = "MAS des Tilleuls")
    {
        var f = Listes360.Domain.Registry.FinessNumber.WithKey("61" + Interlocked.Increment(ref _nextFiness).ToString("D6")).Value;
        await Admin("""mutation($f: String!, $n: String!) { registerEsms(input: {finess: $f, name: $n, category: "255"}) { esms { finess } } }""", new { f, n = name });
        return f;
    }

    private async Task<string> PersonAsync(string birthName, string firstName)
    {
        var person = (await Admin("""mutation($n: String!, $p: String!) { createPerson(input: {department: "61", birthName: $n, firstNames: [$p], birthDate: "1990-05-06", sex: MALE, residenceCommune: "61001", situation: {kind: AT_HOME_WITHOUT_SOLUTION, since: "2024-01-01"}}) { person { id } } }""",
            new { n = birthName, p = firstName })).GetProperty("createPerson").GetProperty("person").GetProperty("id").GetString()!;
        await Admin("""mutation($p: ID!) { addOrientation(input: {personId: $p, decisionReference: "CDAPH-WEB", kind: MAS, validFrom: "2024-01-01", validTo: "2031-12-31"}) { person { id } } }""", new { p = person });
        return person;
    }

    private async Task<string> Apply(string person, string finess, string modality = "RESIDENTIAL") =>
        (await Admin("""mutation($p: ID!, $f: String!, $m: Modality!) { createCandidature(input: {personId: $p, finess: $f, modality: $m, requestDate: "2025-03-01"}) { candidature { id } } }""", new { p = person, f = finess, m = modality }))
            .GetProperty("createCandidature").GetProperty("candidature").GetProperty("id").GetString()!;

    private Task Status(string person, string candidature, string status) =>
        Admin("""mutation($p: ID!, $c: ID!, $s: CandidatureStatus!) { changeCandidatureStatus(input: {personId: $p, candidatureId: $c, status: $s}) { person { id } } }""", new { p = person, c = candidature, s = status });

    private async Task<string> StatusOf(string person, string candidature) =>
        (await Admin("""query($p: ID!) { person(id: $p) { candidatures { id status } } }""", new { p = person }))
            .GetProperty("person").GetProperty("candidatures").EnumerateArray().Single(c => c.GetProperty("id").GetString() == candidature).GetProperty("status").GetString()!;

    /// <summary>Reads a page until <paramref name="expected"/> shows (the list and the sequential index follow the persons' files through their outbox).</summary>
    private static async Task<string> UntilShownAsync(Browser browser, string path, string expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var (status, body, _) = await browser.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, status);
            if (body.Contains(expected, StringComparison.Ordinal))
                return body;
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"« {expected} » n'apparaît pas sur {path} en 30 s : {body}");
            await Task.Delay(250);
        }
    }

    // ---- the list ----

    [Fact]
    public async Task A_conseiller_finds_a_person_by_a_misspelled_name_and_opens_their_page()
    {
        var name = "Vandenbroucke" + Letters(3).ToLowerInvariant();
        var first = "Ysaline" + Letters(2).ToLowerInvariant();
        var person = await PersonAsync(name, first);
        await Apply(person, await NewMas());
        var misspelled = name[..3] + name[4] + name[3] + name[5..]; // two letters swapped
        var list = await UntilShownAsync(Conseiller, $"/conseiller?recherche={Uri.EscapeDataString(misspelled + " " + first)}", $"/conseiller/personnes/{person}");
        Assert.Contains(name, list);
        Assert.Contains("01/03/2025", list); // dates JJ/MM/AAAA
        Assert.Contains("pour « " + misspelled, list);

        var (status, page, _) = await Conseiller.GetAsync($"/conseiller/personnes/{person}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("06/05/1990", page);
        Assert.Contains("MAS des Tilleuls", page);
        Assert.Contains("Parcours", page);
        Assert.Contains("CDAPH-WEB", page);
        Assert.Contains("31/12/2031", page); // the orientation's end
    }

    [Fact]
    public async Task A_filter_that_cannot_be_read_is_refused_in_French_next_to_its_field_and_the_list_is_not_read()
    {
        var (status, body, _) = await Conseiller.GetAsync("/conseiller?attente-depuis=31%2F02%2F2025&esms=12345&tri=age");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("« 31/02/2025 » n'est pas une date : écrivez-la JJ/MM/AAAA", body);
        Assert.Contains("fr-input-group--error", body);
        Assert.Contains("Ordre de tri « age » inconnu", body);
        Assert.DoesNotContain("personnes en attente", body);
    }

    [Fact]
    public async Task The_list_is_paged_and_its_export_has_the_same_rows()
    {
        var family = "Paginon" + Letters(5).ToLowerInvariant();
        var mas = await NewMas();
        var persons = new List<string>();
        for (var i = 0; i < 23; i++)
        {
            var p = await PersonAsync(family, Letters(6));
            await Apply(p, mas);
            persons.Add(p);
        }
        var path = $"/conseiller?esms={mas}&tri=nom";
        var first = await UntilShownAsync(Conseiller, path, "23 personnes en attente");
        Assert.Contains("page 1 sur 2", first);
        Assert.Contains("Page suivante", first);
        var (_, second, _) = await Conseiller.GetAsync(path + "&page=2");
        Assert.Contains("page 2 sur 2", second);
        var shown = persons.Where(p => first.Contains($"/conseiller/personnes/{p}\"") || second.Contains($"/conseiller/personnes/{p}\"")).ToList();
        Assert.Equal(23, shown.Count); // none lost, none repeated across the two pages
        Assert.Equal(20, persons.Count(p => first.Contains($"/conseiller/personnes/{p}\"")));

        var from = DateTimeOffset.UtcNow.AddMinutes(-1);
        var (status, csv, response) = await Conseiller.GetAsync($"/conseiller/liste.csv?esms={mas}&tri=nom");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var lines = csv.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("identifiant;nom_de_naissance", lines[0]);
        Assert.Equal(24, lines.Length);
        Assert.All(persons, p => Assert.Contains(lines, l => l.StartsWith(p + ";", StringComparison.Ordinal)));
        // The one export of the list: the same audit rule as /exports/waiting-list.csv, one entry per person exported.
        var audit = await Admin("""query($from: DateTimeOffset!, $to: DateTimeOffset!, $t: String) { auditEntries(from: $from, to: $to, target: $t, operation: "Export CSV") { subject kind detail } }""",
            new { from, to = DateTimeOffset.UtcNow.AddMinutes(1), t = persons[0] });
        var entry = Assert.Single(audit.GetProperty("auditEntries").EnumerateArray());
        Assert.Equal("conseillère test", entry.GetProperty("subject").GetString());
        Assert.Equal("READ", entry.GetProperty("kind").GetString());
        Assert.Contains("sur 23 de l'export", entry.GetProperty("detail").GetString());
        Assert.Contains("/conseiller/liste.csv", entry.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task An_empty_search_says_what_to_do()
    {
        var (status, body, _) = await Conseiller.GetAsync("/conseiller?recherche=Zzyxwvqk%20Qqqqq");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Personne ne correspond à « Zzyxwvqk Qqqqq »", body);
        Assert.Contains("Essayez le seul nom de naissance", body);
    }

    // ---- roles ----

    [Fact]
    public async Task A_director_is_refused_every_conseiller_page_and_the_export_in_French()
    {
        var mas = await NewMas();
        var person = await PersonAsync("Refusé" + Letters(5).ToLowerInvariant(), "Jean");
        await Apply(person, mas);
        var director = As(Role.EsmsDirector, null, mas);
        foreach (var path in new[] { "/conseiller", "/conseiller/a-faire", $"/conseiller/personnes/{person}", $"/conseiller/personnes/{person}/sequentiel" })
        {
            var (status, body, _) = await director.GetAsync(path);
            Assert.Equal(HttpStatusCode.Forbidden, status);
            Assert.Contains("Accès refusé", body);
            Assert.Contains("direction d'ESMS", body, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("06/05/1990", body);
        }
        var (exportStatus, export, _) = await director.GetAsync("/conseiller/liste.csv");
        Assert.Equal(HttpStatusCode.Forbidden, exportStatus);
        Assert.Contains("Accès refusé", export);
    }

    [Fact]
    public async Task A_conseiller_of_another_territory_does_not_list_a_person_outside_it_and_one_of_another_departement_is_refused_their_page()
    {
        var name = "Territoire" + Letters(5).ToLowerInvariant();
        var person = await PersonAsync(name, "Lou");
        await Apply(person, await NewMas());
        await UntilShownAsync(Conseiller, $"/conseiller?recherche={name}", $"/conseiller/personnes/{person}");
        var elsewhere = As(Role.TerritorialStaff, "200000000");
        var (status, body, _) = await elsewhere.GetAsync($"/conseiller?recherche={name}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.DoesNotContain($"/conseiller/personnes/{person}", body);
        var otherDepartment = AsIn("50", Role.TerritorialStaff, null);
        var (personStatus, personPage, _) = await otherDepartment.GetAsync($"/conseiller/personnes/{person}");
        Assert.Equal(HttpStatusCode.Forbidden, personStatus);
        Assert.Contains("Accès refusé", personPage);
        Assert.DoesNotContain(name, personPage);
    }

    [Fact]
    public async Task Nobody_signed_in_is_sent_to_the_sign_in_page()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/conseiller");
        var response = await api.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/connexion?retour=", LocationOf(response));
    }

    // ---- a person's forms ----

    [Fact]
    public async Task A_conseiller_flags_an_urgency_with_its_reason_and_a_missing_reason_is_refused_next_to_the_field()
    {
        var person = await PersonAsync("Urgence" + Letters(5).ToLowerInvariant(), "Max");
        var path = $"/conseiller/personnes/{person}";
        var browser = Conseiller;

        var (refused, refusedBody, _) = await browser.PostFormAsync(path, "urgence", ("Motif", "  "), ("Source", "TerritorialStaff"));
        Assert.Equal(HttpStatusCode.BadRequest, refused);
        Assert.Contains("Le motif de l'urgence est obligatoire", refusedBody);
        Assert.Contains("Rien n'a été modifié", refusedBody);
        var unchanged = await Admin("""query($p: ID!) { person(id: $p) { urgency { reason } } }""", new { p = person });
        Assert.Equal(JsonValueKind.Null, unchanged.GetProperty("person").GetProperty("urgency").ValueKind);

        var (status, _, response) = await browser.PostFormAsync(path, "urgence", ("Motif", "Rupture d'accueil, aidant hospitalisé"), ("Source", "TerritorialStaff"), ("Depuis", ""));
        Assert.True(status is HttpStatusCode.Redirect or HttpStatusCode.SeeOther or HttpStatusCode.Found, $"{status}");
        Assert.Equal($"{path}?fait=urgence", LocationOf(response));
        var (_, after, _) = await browser.GetAsync($"{path}?fait=urgence");
        Assert.Contains("fr-alert--success", after);
        Assert.Contains("Rupture d'accueil, aidant hospitalisé", after);
        var flagged = await Admin("""query($p: ID!) { person(id: $p) { urgency { reason } } }""", new { p = person });
        Assert.Equal("Rupture d'accueil, aidant hospitalisé", flagged.GetProperty("person").GetProperty("urgency").GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_form_without_its_anti_forgery_token_changes_nothing()
    {
        var person = await PersonAsync("Jeton" + Letters(5).ToLowerInvariant(), "Noa");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/conseiller/personnes/{person}")
        {
            Content = new FormUrlEncodedContent([new("_handler", "urgence"), new("Motif", "sans jeton"), new("Source", "TerritorialStaff")]),
        };
        request.Headers.Add("Cookie", "listes360_session=" + DevTokens.Mint(api.Auth, "conseillère", Role.TerritorialStaff, [], "61", null, TimeSpan.FromMinutes(5)));
        var response = await api.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var unchanged = await Admin("""query($p: ID!) { person(id: $p) { urgency { reason } } }""", new { p = person });
        Assert.Equal(JsonValueKind.Null, unchanged.GetProperty("person").GetProperty("urgency").ValueKind);
    }

    [Fact]
    public async Task A_conseiller_sees_the_candidatures_closed_by_an_admission_elsewhere_and_confirms_one()
    {
        var (admitting, other, third) = (await NewMas("MAS du Bocage"), await NewMas("MAS des Collines"), await NewMas("MAS du Perche"));
        var person = await PersonAsync("Ailleurs" + Letters(5).ToLowerInvariant(), "Léa");
        var admitted = await Apply(person, admitting);
        var b = await Apply(person, other);
        var c = await Apply(person, third);
        foreach (var status in new[] { "UNDER_REVIEW", "WAITING", "OFFERED", "ADMITTED" })
            await Status(person, admitted, status);

        var path = $"/conseiller/personnes/{person}";
        var browser = Conseiller;
        var (_, page, _) = await browser.GetAsync(path);
        Assert.Equal(2, Regex.Matches(page, "Confirmer la solution trouvée ailleurs").Count);
        Assert.Contains("Solution trouvée ailleurs", page, StringComparison.OrdinalIgnoreCase);

        var (posted, _, response) = await browser.PostFormFromAsync(path, page, "solution-ailleurs", ("Choix", $"Confirm:{b}"));
        Assert.True(posted is HttpStatusCode.Redirect or HttpStatusCode.SeeOther or HttpStatusCode.Found, $"{posted}");
        Assert.Equal($"{path}?fait=Confirm#candidatures", LocationOf(response));
        Assert.Equal("WITHDRAWN", await StatusOf(person, b));
        Assert.Equal("SOLUTION_FOUND_ELSEWHERE", await StatusOf(person, c));
        var (_, after, _) = await browser.GetAsync($"{path}?fait=Confirm");
        Assert.Contains("La solution trouvée ailleurs est confirmée", after);
        Assert.Single(Regex.Matches(after, "Confirmer la solution trouvée ailleurs"));

        var (bad, badBody, _) = await browser.PostFormAsync(path, "solution-ailleurs", ("Choix", "Confirm:inconnue"));
        Assert.Equal(HttpStatusCode.BadRequest, bad);
        Assert.Contains("Choisissez l'une des actions proposées", badBody);
    }

    // ---- sequential ----

    private async Task<(string Finess, string A, string B)> SequentialSetupAsync()
    {
        var mas = await NewMas("MAS du Lundi");
        await Admin("""mutation($f: String!) { setEsmsPlaces(input: {finess: $f, modality: SEMI_RESIDENTIAL, capacity: 6, occupied: 2}) { esms { version } } }""", new { f = mas });
        await Admin("""mutation($f: String!) { declareAvailability(input: {finess: $f, modality: SEMI_RESIDENTIAL, slots: [{weekday: MONDAY}], places: 1}) { availability { version } } }""", new { f = mas });
        async Task<string> Waiting(string name, string first)
        {
            var p = await PersonAsync(name, first);
            var candidature = await Apply(p, await NewMas());
            await Status(p, candidature, "UNDER_REVIEW");
            await Status(p, candidature, "WAITING"); // the sequential search takes persons waiting
            await Admin("""mutation($p: ID!) { setSequentialNeeds(input: {personId: $p, amount: 1, modalities: [SEMI_RESIDENTIAL]}) { needs { amount } } }""", new { p });
            return p;
        }
        // Two different persons to the identity engine: same birth date, but neither the names nor the first names alike
        // (two « Sequentielxxxxx Sam » born the same day are one person misspelled, and createPerson says so).
        return (mas, await Waiting("Lundiste" + Letters(4).ToLowerInvariant(), "Sam"), await Waiting("Barthomieu" + Letters(4).ToLowerInvariant(), "Noémie"));
    }

    [Fact]
    public async Task A_conseiller_proposes_a_sequential_combination_and_a_place_taken_meanwhile_is_refused_in_French()
    {
        var (mas, a, b) = await SequentialSetupAsync();
        var browser = Conseiller;
        var pageA = await UntilShownAsync(browser, $"/conseiller/personnes/{a}/sequentiel", $"{mas}:SemiResidential:");
        var pageB = await UntilShownAsync(browser, $"/conseiller/personnes/{b}/sequentiel", $"{mas}:SemiResidential:");
        Assert.Contains("MAS du Lundi", pageA);
        Assert.Contains("lundi", pageA);
        var value = Regex.Match(pageA, $"name=\"Combinaison\" value=\"({mas}:SemiResidential:[0-9]+)\"").Groups[1].Value;

        var (status, _, response) = await browser.PostFormFromAsync($"/conseiller/personnes/{a}/sequentiel", pageA, "proposition", ("Combinaison", value), ("Debut", ""));
        Assert.True(status is HttpStatusCode.Redirect or HttpStatusCode.SeeOther or HttpStatusCode.Found, $"{status}");
        Assert.Equal($"/conseiller/personnes/{a}?fait=proposition#candidatures", LocationOf(response));
        var offered = await Admin("""query($p: ID!) { person(id: $p) { candidatures { finess status } } }""", new { p = a });
        Assert.Contains(offered.GetProperty("person").GetProperty("candidatures").EnumerateArray(),
            c => c.GetProperty("finess").GetString() == mas && c.GetProperty("status").GetString() == "OFFERED");

        // B's conseiller chose the Monday place while it was free (the value read before); A took it since. The
        // page is read again for its form's anti-forgery token only: the combination posted is the one seen before.
        pageB = (await browser.GetAsync($"/conseiller/personnes/{b}/sequentiel")).Body;
        var (conflict, body, _) = await browser.PostFormFromAsync($"/conseiller/personnes/{b}/sequentiel", pageB, "proposition", ("Combinaison", value), ("Debut", ""));
        Assert.True(conflict == HttpStatusCode.Conflict,
            $"{conflict} : {Regex.Match(body, "fr-alert--error.*?</div>", RegexOptions.Singleline).Value} {string.Join(" | ", Regex.Matches(body, "fr-error-text[^>]*>(.*?)<", RegexOptions.Singleline).Select(m => m.Groups[1].Value))}");
        Assert.Contains("une place a été prise entre-temps", body);
        Assert.Contains("Aucune offre n'a été faite", body);
        var nothing = await Admin("""query($p: ID!) { person(id: $p) { candidatures { finess } } }""", new { p = b });
        Assert.DoesNotContain(nothing.GetProperty("person").GetProperty("candidatures").EnumerateArray(), c => c.GetProperty("finess").GetString() == mas);
    }
}
