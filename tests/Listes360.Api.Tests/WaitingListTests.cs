using System.Text.Json;
using Listes360.Domain.Persons;
using Listes360.Domain.Security;
using Listes360.Grains.Department;
using Listes360.Grains.Risk;
using Listes360.Grains.Security;
using Microsoft.Extensions.DependencyInjection;

namespace Listes360.Api.Tests;

/// <summary>
/// The departmental list over HTTP (issue 15): one row per person, found by a misspelled name, with
/// their open candidatures and positions; paged by cursor; a bad search refused in French; the
/// observatory and directors get no names.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class WaitingListTests(ApiFixture api)
{
    private static int _nextFiness = 7_500;

    private async Task<JsonElement> Admin(string query, object? variables = null)
    {
        var r = await api.PostAsync(query, variables);
        Assert.False(r.HasErrors, r.Body);
        return r.Data;
    }

    private static string Letters(int n) => string.Concat(Enumerable.Range(0, n).Select(i => (char)((i == 0 ? 'A' : 'a') + Random.Shared.Next(26))));

    private async Task<string> NewMas()
    {
        var f = Listes360.Domain.Registry.FinessNumber.WithKey("61" + Interlocked.Increment(ref _nextFiness).ToString("D6")).Value;
        await Admin("""mutation($f: String!) { registerEsms(input: {finess: $f, name: "MAS de la liste", category: "255"}) { esms { finess } } }""", new { f });
        return f;
    }

    /// <summary>
    /// A person waiting for the given MAS. Born on a day no other test of the collection uses: createPerson returns a person
    /// already known when the identity matches, and this fixture's département holds the persons of every test class
    /// (« Vandenbroucke… Ysaline… » born 06/05/1990 in the web pages' tests once matched this test's person).
    /// </summary>
    private async Task<string> PersonWaitingAsync(string birthName, string firstName, params string[] finess)
    {
        var person = (await Admin("""mutation($n: String!, $p: String!) { createPerson(input: {department: "61", birthName: $n, firstNames: [$p], birthDate: "1978-11-23", sex: MALE, situation: {kind: AT_HOME_WITHOUT_SOLUTION, since: "2024-01-01"}}) { person { id } } }""",
            new { n = birthName, p = firstName })).GetProperty("createPerson").GetProperty("person").GetProperty("id").GetString()!;
        await Admin("""mutation($p: ID!) { addOrientation(input: {personId: $p, decisionReference: "CDAPH-LISTE", kind: MAS, validFrom: "2024-01-01"}) { person { id } } }""", new { p = person });
        foreach (var f in finess)
            await Admin("""mutation($p: ID!, $f: String!) { createCandidature(input: {personId: $p, finess: $f, modality: RESIDENTIAL, requestDate: "2025-03-01"}) { candidature { id } } }""", new { p = person, f });
        return person;
    }

    private const string Query = """
        query($s: String, $a: String, $first: Int) { waitingList(department: "61", search: $s, first: $first, after: $a) {
          totalCount pageInfo { hasNextPage endCursor }
          edges { cursor node { personId reason birthName firstNames oldestRequest candidatures { finess status esms { name } position { position } } } } } }
        """;

    [Fact]
    public async Task A_person_is_one_row_found_by_a_misspelled_name_with_their_candidatures_and_positions()
    {
        var name = "Wojciechowsk" + Letters(4).ToLowerInvariant();
        var first = "Quitter" + Letters(3).ToLowerInvariant();
        var person = await PersonWaitingAsync(name, first, await NewMas(), await NewMas());
        var misspelled = name[..3] + name[4] + name[3] + name[5..]; // two letters swapped
        // The list is a projection fed by the person's outbox: the row arrives just after the writes, not with them.
        var list = (await Admin(Query, new { s = $"{misspelled} {first}", first = 5 })).GetProperty("waitingList");
        for (var wait = 0; wait < 300 && !list.Nodes().Any(); wait++)
        {
            await Task.Delay(100);
            list = (await Admin(Query, new { s = $"{misspelled} {first}", first = 5 })).GetProperty("waitingList");
        }
        if (!list.Nodes().Any())
        {
            // Which of the two failed: the row never reached the list, or the misspelled search misses it.
            var exact = (await Admin(Query, new { s = $"{name} {first}", first = 5 })).GetProperty("waitingList");
            // And what the person holds (version, candidatures): a row never delivered, or delivered and not listed.
            var held = await Admin("""query($p: ID!) { person(id: $p) { version candidatures { id status version } } }""", new { p = person });
            Assert.Fail($"« {misspelled} {first} » ne trouve pas {person} après 30 s ; « {name} {first} » trouve {exact.Nodes().Count()} ligne(s) : {exact} ; la personne : {held}");
        }
        var row = list.Nodes().First();
        Assert.Equal(person, row.GetProperty("personId").GetString());
        Assert.Equal("OPEN_CANDIDATURE", row.GetProperty("reason").GetString());
        Assert.Equal("2025-03-01", row.GetProperty("oldestRequest").GetString());
        var candidatures = row.GetProperty("candidatures").EnumerateArray().ToList();
        Assert.Equal(2, candidatures.Count); // one row for the person, two candidatures in it
        Assert.All(candidatures, c => Assert.Equal("MAS de la liste", c.GetProperty("esms").GetProperty("name").GetString()));
        Assert.All(candidatures, c => Assert.Equal(JsonValueKind.Number, c.GetProperty("position").GetProperty("position").ValueKind));
    }

    [Fact]
    public async Task The_list_pages_by_cursor_without_losing_or_repeating_a_row()
    {
        var family = "Pagination" + Letters(5).ToLowerInvariant();
        var mas = await NewMas();
        var persons = new List<string>();
        for (var i = 0; i < 5; i++)
            persons.Add(await PersonWaitingAsync(family, Letters(6), mas));
        var seen = new List<string>();
        string? after = null;
        do
        {
            var page = (await Admin(Query, new { s = family, a = after, first = 2 })).GetProperty("waitingList");
            Assert.Equal(5, page.GetProperty("totalCount").GetInt32());
            seen.AddRange(page.Nodes().Select(n => n.GetProperty("personId").GetString()!));
            after = page.GetProperty("pageInfo").GetProperty("hasNextPage").GetBoolean() ? page.GetProperty("pageInfo").GetProperty("endCursor").GetString() : null;
        } while (after is not null);
        Assert.Equal(persons.Order(), seen.Order());
        Assert.Equal(seen.Count, seen.Distinct().Count());
    }

    [Theory]
    [InlineData("   ", "INVALID_SEARCH", "vide")]
    [InlineData("31/02/2010", "INVALID_SEARCH", "date de naissance valide")]
    public async Task A_bad_search_is_refused_in_french(string search, string code, string message)
    {
        var r = await api.PostAsync(Query, new { s = search, first = 5 });
        Assert.True(r.HasErrors, r.Body);
        Assert.Contains(code, r.Body);
        Assert.Contains(message, r.Body);
    }

    [Fact]
    public async Task Observatory_and_directors_get_no_names_and_a_territorial_staff_of_another_territory_is_refused_it()
    {
        foreach (var role in new[] { Role.Observatory, Role.EsmsDirector })
        {
            var r = await api.PostAsync(Query, new { s = "dupont", first = 5 }, token: api.Token(role));
            Assert.True(r.HasErrors, r.Body);
            Assert.Contains("FORBIDDEN", r.Body);
            Assert.DoesNotContain("birthName\":", r.Body);
        }
        var staff = Listes360.Api.Security.DevTokens.Mint(api.Auth, "conseillere-t1", Role.TerritorialStaff, [], department: "61", territory: "246100663", TimeSpan.FromMinutes(5));
        var refused = await api.PostAsync("""{ waitingList(department: "61", filter: {territory: "200035418"}) { totalCount } }""", token: staff);
        Assert.Contains("FORBIDDEN", refused.Body);
        Assert.Contains("246100663", refused.Body);
    }
    [Fact]
    public async Task A_persons_timeline_tells_the_path_in_date_order_and_a_director_sees_only_their_esms_part()
    {
        var ours = await NewMas();
        var other = await NewMas();
        var person = await PersonWaitingAsync("Parcours" + Letters(5).ToLowerInvariant(), "Léon", ours, other);
        const string query = """query($p: ID!) { person(id: $p) { timeline { date kind text by finess } } }""";
        var timeline = (await Admin(query, new { p = person })).GetProperty("person").GetProperty("timeline").EnumerateArray().ToList();
        Assert.Equal(["ORIENTATION_DECIDED", "SITUATION", "CANDIDATURE_CREATED", "CANDIDATURE_CREATED"], timeline.Select(e => e.GetProperty("kind").GetString()));
        Assert.Equal(timeline.Select(e => e.GetProperty("date").GetString()).Order(StringComparer.Ordinal), timeline.Select(e => e.GetProperty("date").GetString()));
        Assert.Contains("Candidature déposée", timeline[2].GetProperty("text").GetString());

        var director = await api.PostAsync(query, new { p = person }, token: api.Token(Role.EsmsDirector, ours));
        Assert.False(director.HasErrors, director.Body);
        var seen = director.Data.GetProperty("person").GetProperty("timeline").EnumerateArray()
            .Where(e => e.GetProperty("finess").ValueKind == JsonValueKind.String).Select(e => e.GetProperty("finess").GetString()).ToList();
        Assert.Equal([ours], seen);
        var stranger = await api.PostAsync(query, new { p = person }, token: api.Token(Role.EsmsDirector, "610000093"));
        Assert.Contains("FORBIDDEN", stranger.Body);
    }

    private const string OrderedQuery = """
        query($f: String!, $o: WaitingListOrder, $k: KindOfSupport) { waitingList(department: "61", filter: {esms: $f}, orderBy: $o, scoreKind: $k, first: 20) {
          totalCount edges { node { personId candidatures { finess position { score } } } } } }
        """;

    [Fact]
    public async Task Ordered_by_grid_score_for_a_kind_the_highest_score_comes_first()
    {
        var mas = await NewMas();
        var family = "Grille" + Letters(5).ToLowerInvariant();
        var persons = new List<string>();
        for (var i = 0; i < 4; i++)
            persons.Add(await PersonWaitingAsync(family, Letters(6), mas));
        await Admin("""mutation($p: ID!) { setUrgency(input: {personId: $p, urgency: {source: PAG, since: "2026-01-01", reason: "rupture d'accueil"}}) { person { id } } }""", new { p = persons[2] });

        var list = (await Admin(OrderedQuery, new { f = mas, o = "GRID_SCORE", k = "MAS" })).GetProperty("waitingList");
        Assert.Equal(4, list.GetProperty("totalCount").GetInt32());
        var rows = list.Nodes().ToList();
        Assert.Equal(persons[2], rows[0].GetProperty("personId").GetString()); // the urgency's 40 points
        var scores = rows.Select(r => r.GetProperty("candidatures").EnumerateArray().Single(c => c.GetProperty("finess").GetString() == mas)
            .GetProperty("position").GetProperty("score").GetInt32()).ToList();
        Assert.Equal(scores.OrderDescending(), scores);
        Assert.True(scores[0] > scores[1], string.Join(",", scores));
    }

    [Theory]
    [InlineData("GRID_SCORE", null, "scoreKind")]
    [InlineData("OLDEST_REQUEST", "MAS", "GRID_SCORE")]
    public async Task A_grid_score_order_without_its_kind_or_a_kind_without_it_is_refused_in_french(string order, string? kind, string message)
    {
        var r = await api.PostAsync(OrderedQuery, new { f = "610000010", o = order, k = kind });
        Assert.True(r.HasErrors, r.Body);
        Assert.Contains("INVALID_ORDER", r.Body);
        Assert.Contains(message, r.Body);
    }

    [Fact]
    public async Task Ordered_by_risk_probability_for_the_roles_that_see_it_and_refused_to_the_others()
    {
        var mas = await NewMas();
        var family = "Risque" + Letters(5).ToLowerInvariant();
        var persons = new List<string>();
        for (var i = 0; i < 4; i++)
            persons.Add(await PersonWaitingAsync(family, Letters(6), mas));
        await Admin("""mutation($p: ID!) { updatePersonSituation(input: {personId: $p, situation: {kind: AT_HOME_WITHOUT_SOLUTION, since: "2021-01-01"}}) { person { id } } }""", new { p = persons[1] });

        // The probabilities as the risk shards hold them (read as the service itself, for the test only).
        var grains = api.App.Services.GetRequiredService<IGrainFactory>();
        var topology = api.App.Services.GetRequiredService<DepartmentTopology>();
        var probabilities = new Dictionary<string, double>();
        using (CallerContext.As(Caller.ServiceItself))
            foreach (var person in persons.Select(PersonId.Parse))
                foreach (var (id, p) in await grains.GetGrain<IRiskShardGrain>(topology.RiskShardOf(person)).ProbabilitiesAsync([person]))
                    probabilities[id.Value] = p;
        Assert.Equal(4, probabilities.Count);

        foreach (var role in new[] { Role.MdphReferent, Role.TerritorialStaff, Role.Admin })
        {
            var r = await api.PostAsync(OrderedQuery, new { f = mas, o = "RISK_PROBABILITY" }, token: api.Token(role));
            Assert.False(r.HasErrors, r.Body);
            var order = r.Data.GetProperty("waitingList").Nodes().Select(n => n.GetProperty("personId").GetString()!).ToList();
            Assert.Equal(persons.Order(), order.Order());
            Assert.Equal(order.Select(p => probabilities[p]).OrderDescending(), order.Select(p => probabilities[p]));
        }
        foreach (var role in new[] { Role.EsmsDirector, Role.Observatory })
        {
            var refused = await api.PostAsync(OrderedQuery, new { f = mas, o = "RISK_PROBABILITY" }, token: api.Token(role, mas));
            Assert.Contains("FORBIDDEN", refused.Body);
            Assert.DoesNotContain(persons[0], refused.Body);
        }
    }

    private async Task<(int Status, string? MediaType, byte[] Body)> GetAsync(string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        using var response = await api.Client.SendAsync(request);
        return ((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task The_csv_export_has_the_filtered_rows_in_order_and_audits_each_person_exported()
    {
        var mas = await NewMas();
        var family = "Export" + Letters(5).ToLowerInvariant();
        var persons = new List<string>();
        foreach (var first in new[] { "Zoé", "Adèle", "Marc" })
            persons.Add(await PersonWaitingAsync(family, first, mas));
        var from = DateTimeOffset.UtcNow.AddMinutes(-1);
        var token = api.Token(Role.MdphReferent);

        var (status, mediaType, body) = await GetAsync($"/exports/waiting-list.csv?department=61&esms={mas}&orderBy=NAME&search={family}", token);
        Assert.True(status == 200, System.Text.Encoding.UTF8.GetString(body));
        Assert.Equal("text/csv", mediaType);
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, body[..3]);
        var lines = System.Text.Encoding.UTF8.GetString(body[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Listes360.Domain.WaitingList.WaitingListCsv.HeaderLine, lines[0]);
        Assert.Equal(3, lines.Length - 1);
        // A search sorts by relevance; all three match equally, then by name: Adèle, Marc, Zoé.
        Assert.Equal([persons[1], persons[2], persons[0]], lines.Skip(1).Select(l => l.Split(';')[0]));
        Assert.All(lines.Skip(1), l => Assert.Contains("MAS de la liste " + mas, l));

        var graphql = (await api.PostAsync("""query($f: String!) { waitingList(department: "61", filter: {esms: $f}) { totalCount } }""", new { f = mas }, token: token)).Data;
        var (_, _, all) = await GetAsync($"/exports/waiting-list.csv?department=61&esms={mas}", token);
        Assert.Equal(graphql.GetProperty("waitingList").GetProperty("totalCount").GetInt32(),
            System.Text.Encoding.UTF8.GetString(all).Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length - 1);

        const string audit = """query($from: DateTimeOffset!, $to: DateTimeOffset!, $t: String) { auditEntries(from: $from, to: $to, target: $t, operation: "Export CSV") { subject role kind target outcome detail } }""";
        foreach (var person in persons)
        {
            var entries = (await Admin(audit, new { from, to = DateTimeOffset.UtcNow.AddMinutes(1), t = person })).GetProperty("auditEntries").EnumerateArray().ToList();
            Assert.Equal(2, entries.Count); // each of the two exports that named the person
            Assert.All(entries, e => Assert.Equal("test-MdphReferent", e.GetProperty("subject").GetString()));
            Assert.All(entries, e => Assert.Equal("READ", e.GetProperty("kind").GetString()));
            Assert.Contains(entries, e => e.GetProperty("detail").GetString()!.Contains("sur 3 de l'export"));
        }
        var summary = (await Admin(audit, new { from, to = DateTimeOffset.UtcNow.AddMinutes(1), t = "61" })).GetProperty("auditEntries").EnumerateArray();
        Assert.Contains(summary, e => e.GetProperty("detail").GetString()!.Contains("3 personne(s) exportée(s)") && e.GetProperty("detail").GetString()!.Contains(family));
    }

    [Fact]
    public async Task The_csv_export_is_refused_to_directors_the_observatory_and_outside_a_staffs_territory()
    {
        var mas = await NewMas();
        var person = await PersonWaitingAsync("Refus" + Letters(5).ToLowerInvariant(), "Paul", mas);
        foreach (var token in new[] { api.Token(Role.EsmsDirector, mas), api.Token(Role.Observatory) })
        {
            var (status, _, body) = await GetAsync($"/exports/waiting-list.csv?department=61&esms={mas}", token);
            var text = System.Text.Encoding.UTF8.GetString(body);
            Assert.Equal(403, status);
            Assert.Contains("FORBIDDEN", text);
            Assert.DoesNotContain(person, text);
        }
        var staff = Listes360.Api.Security.DevTokens.Mint(api.Auth, "conseillere-t1", Role.TerritorialStaff, [], department: "61", territory: "246100663", TimeSpan.FromMinutes(5));
        var (refused, _, message) = await GetAsync("/exports/waiting-list.csv?department=61&territory=200035418", staff);
        Assert.Equal(403, refused);
        Assert.Contains("246100663", System.Text.Encoding.UTF8.GetString(message));
        var (otherDepartment, _, _) = await GetAsync("/exports/waiting-list.csv?department=14", api.Token(Role.MdphReferent));
        Assert.Equal(403, otherDepartment);
        var (anonymous, _, _) = await GetAsync("/exports/waiting-list.csv?department=61", "");
        Assert.Equal(401, anonymous);
    }

    [Theory]
    [InlineData("department=61&kinds=IME,ZZZ", "INVALID_PARAMETER", "« ZZZ » n'est pas une valeur possible de « kinds »")]
    [InlineData("department=61&waitingSinceFrom=2025-13-01", "INVALID_DATE", "AAAA-MM-JJ")]
    [InlineData("department=61&waitingSinceFrom=2025-06-01&waitingSinceTo=2025-01-01", "INVALID_FILTER", "inversée")]
    [InlineData("department=61&urgent=peut-etre", "INVALID_PARAMETER", "booléen")]
    [InlineData("department=61&kind=MAS", "INVALID_PARAMETER", "« kind » inconnu")]
    [InlineData("department=61&orderBy=GRID_SCORE", "INVALID_ORDER", "scoreKind")]
    [InlineData("department=61&esms=123", "INVALID_FINESS", "")]
    [InlineData("department=61&search=%20%20", "INVALID_SEARCH", "vide")]
    [InlineData("", "", "département")]
    public async Task A_bad_export_parameter_is_refused_with_400_and_a_french_message(string query, string code, string message)
    {
        var (status, mediaType, body) = await GetAsync("/exports/waiting-list.csv?" + query, api.Token(Role.MdphReferent));
        var text = System.Text.Encoding.UTF8.GetString(body);
        Assert.True(status == 400, $"{status} {text}");
        Assert.Equal("text/plain", mediaType);
        Assert.Contains(code, text);
        Assert.Contains(message, text);
    }
}
