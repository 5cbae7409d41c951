using System.Text.Json;
using Listes360.Api.GraphQL;
using Listes360.Api.Security;
using Listes360.Domain.Security;
using Listes360.Testing.Cluster;

namespace Listes360.Api.Tests;

/// <summary>
/// Relay conventions (issue 14, points 4 and 5): connections paged with first/after and read through
/// edges/pageInfo, global ids found again by node(id:) under the same access rules as the typed fields,
/// and a page of a list that costs a bounded number of grain calls whatever its size.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class RelayTests(ApiFixture api, Xunit.Abstractions.ITestOutputHelper output)
{
    private static int _nextFiness = 7_000;

    private async Task<JsonElement> Admin(string query, object? variables = null)
    {
        var r = await api.PostAsync(query, variables);
        Assert.False(r.HasErrors, r.Body);
        return r.Data;
    }

    private async Task<string> NewMas()
    {
        var f = Listes360.Domain.Registry.FinessNumber.WithKey("61" + Interlocked.Increment(ref _nextFiness).ToString("D6")).Value;
        await Admin("""mutation($f: String!) { registerEsms(input: {finess: $f, name: "MAS des connexions", category: "255"}) { esms { finess } } }""", new { f });
        return f;
    }

    private static string UniqueName() =>
        string.Concat(Enumerable.Range(0, 9).Select(i => (char)((i == 0 ? 'A' : 'a') + Random.Shared.Next(26))));

    /// <summary>A person oriented towards MAS with a RESIDENTIAL candidature to <paramref name="finess"/>; returns (person, candidature).</summary>
    private async Task<(string Person, string Candidature)> Applicant(string finess, int requestDay = 1)
    {
        var person = (await Admin("mutation($n: String!, $p: String!) { createPerson(input: {department: \"61\", birthName: $n, firstNames: [$p], birthDate: \"1985-04-0" + Random.Shared.Next(1, 10) + "\", sex: FEMALE, situation: {kind: AT_HOME_WITHOUT_SOLUTION, since: \"2024-01-01\"}}) { person { id } } }",
            new { n = UniqueName(), p = UniqueName() })).GetProperty("createPerson").GetProperty("person").GetProperty("id").GetString()!;
        await Admin("""mutation($p: ID!) { addOrientation(input: {personId: $p, decisionReference: "CDAPH-RELAY", kind: MAS, validFrom: "2024-01-01"}) { person { id } } }""", new { p = person });
        var candidature = (await Admin("""mutation($p: ID!, $f: String!, $d: DateOnly!) { createCandidature(input: {personId: $p, finess: $f, modality: RESIDENTIAL, requestDate: $d}) { candidature { id } } }""",
            new { p = person, f = finess, d = $"2025-{1 + requestDay / 28 % 12:D2}-{1 + requestDay % 28:D2}" })).GetProperty("createCandidature").GetProperty("candidature").GetProperty("id").GetString()!;
        return (person, candidature);
    }

    [Fact]
    public async Task A_connection_pages_with_first_and_after_through_edges_and_pageInfo()
    {
        var finess = await NewMas();
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
            ids.Add((await Applicant(finess, i)).Candidature);
        const string query = """query($f: String!, $a: String) { esms(finess: $f) { candidatures(first: 2, after: $a) { totalCount edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } } }""";

        var first = (await Admin(query, new { f = finess })).GetProperty("esms").GetProperty("candidatures");
        var info = first.GetProperty("pageInfo");
        Assert.Equal(3, first.GetProperty("totalCount").GetInt32());
        Assert.Equal(ids.Take(2), first.Nodes().Select(n => n.GetProperty("id").GetString()));
        Assert.True(info.GetProperty("hasNextPage").GetBoolean());
        Assert.False(info.GetProperty("hasPreviousPage").GetBoolean());
        var edges = first.GetProperty("edges").EnumerateArray().ToList();
        Assert.Equal(edges[0].GetProperty("cursor").GetString(), info.GetProperty("startCursor").GetString());
        Assert.Equal(edges[1].GetProperty("cursor").GetString(), info.GetProperty("endCursor").GetString());

        // After an edge's cursor: the page starts right after that edge.
        var fromFirstEdge = (await Admin(query, new { f = finess, a = edges[0].GetProperty("cursor").GetString() })).GetProperty("esms").GetProperty("candidatures");
        Assert.Equal(ids.Skip(1), fromFirstEdge.Nodes().Select(n => n.GetProperty("id").GetString()));
        var last = (await Admin(query, new { f = finess, a = first.NextAfter() })).GetProperty("esms").GetProperty("candidatures");
        Assert.Equal([ids[2]], last.Nodes().Select(n => n.GetProperty("id").GetString()));
        Assert.False(last.GetProperty("pageInfo").GetProperty("hasNextPage").GetBoolean());
        Assert.True(last.GetProperty("pageInfo").GetProperty("hasPreviousPage").GetBoolean());
    }

    [Fact]
    public async Task Ranking_entries_page_with_first_and_after_like_every_list()
    {
        var finess = await NewMas();
        for (var i = 0; i < 3; i++)
            await Applicant(finess, i);
        const string query = """query($f: String!, $a: String) { ranking(finess: $f, modality: RESIDENTIAL) { eligibleCount entries(first: 2, after: $a) { totalCount edges { cursor node { position } } pageInfo { hasNextPage endCursor } } } }""";

        var page = (await Admin(query, new { f = finess })).GetProperty("ranking").GetProperty("entries");
        Assert.Equal(3, page.GetProperty("totalCount").GetInt32());
        Assert.Equal([1, 2], page.Nodes().Select(n => n.GetProperty("position").GetInt32()));
        var next = (await Admin(query, new { f = finess, a = page.NextAfter() })).GetProperty("ranking").GetProperty("entries");
        Assert.Equal([3], next.Nodes().Select(n => n.GetProperty("position").GetInt32()));
        Assert.Null(next.NextAfter());
    }

    [Theory]
    [InlineData("""{ esmsList(department: "61", first: 0) { totalCount } }""", "INVALID_PAGE_SIZE", "La taille de page doit être comprise entre 1 et 200 (reçu : 0).")]
    [InlineData("""{ esmsList(department: "61", first: 201) { totalCount } }""", "INVALID_PAGE_SIZE", "La taille de page doit être comprise entre 1 et 200 (reçu : 201).")]
    [InlineData("""{ esmsList(department: "61", after: "%%pas un curseur%%") { totalCount } }""", "INVALID_CURSOR", "Le curseur de pagination « after » est invalide : reprenez celui d'une page précédente.")]
    [InlineData("""{ ranking(finess: "610000010", modality: RESIDENTIAL) { entries(first: 500) { totalCount } } }""", "INVALID_PAGE_SIZE", "La taille de page doit être comprise entre 1 et 200 (reçu : 500).")]
    public async Task A_bad_first_or_after_gets_a_precise_french_error(string query, string code, string message)
    {
        if (query.Contains("610000010", StringComparison.Ordinal))
            await Admin("""mutation { registerEsms(input: {finess: "610000010", name: "IME Les Tilleuls", category: "183"}) { esms { finess } } }""");
        var response = await api.PostAsync(query);

        Assert.Equal(code, response.FirstErrorCode);
        Assert.Equal(message, response.FirstError.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Node_finds_a_person_a_candidature_an_esms_and_a_grid_again_by_their_global_ids()
    {
        var finess = await NewMas();
        var (person, candidature) = await Applicant(finess);
        var ids = (await Admin("""query($p: ID!, $f: String!) { person(id: $p) { nodeId candidatures { id nodeId } } esms(finess: $f) { nodeId } grid(department: "61", version: 1) { nodeId } }""",
            new { p = person, f = finess }));
        string Id(params string[] path) => path.Aggregate(ids, (e, p) => e.GetProperty(p)).GetString()!;
        var personNode = Id("person", "nodeId");
        var candidatureNode = ids.GetProperty("person").GetProperty("candidatures")[0].GetProperty("nodeId").GetString()!;
        Assert.Equal(GlobalId.Encode(GlobalId.Person, person), personNode);
        Assert.DoesNotContain(person, personNode, StringComparison.Ordinal);

        const string query = """
            query($id: ID!) { node(id: $id) { __typename nodeId
              ... on Person { id birthName }
              ... on Candidature { id personId finess }
              ... on Esms { finess name }
              ... on CriteriaGrid { department version } } }
            """;
        var asPerson = (await Admin(query, new { id = personNode })).GetProperty("node");
        Assert.Equal("Person", asPerson.GetProperty("__typename").GetString());
        Assert.Equal(person, asPerson.GetProperty("id").GetString());
        Assert.Equal(personNode, asPerson.GetProperty("nodeId").GetString());
        var asCandidature = (await Admin(query, new { id = candidatureNode })).GetProperty("node");
        Assert.Equal(("Candidature", candidature, person, finess), (asCandidature.GetProperty("__typename").GetString(), asCandidature.GetProperty("id").GetString(),
            asCandidature.GetProperty("personId").GetString(), asCandidature.GetProperty("finess").GetString()));
        var asEsms = (await Admin(query, new { id = Id("esms", "nodeId") })).GetProperty("node");
        Assert.Equal(("Esms", "MAS des connexions"), (asEsms.GetProperty("__typename").GetString(), asEsms.GetProperty("name").GetString()));
        var asGrid = (await Admin(query, new { id = Id("grid", "nodeId") })).GetProperty("node");
        Assert.Equal(("CriteriaGrid", 1), (asGrid.GetProperty("__typename").GetString(), asGrid.GetProperty("version").GetInt32()));

        var unknown = await api.PostAsync(query, new { id = GlobalId.Encode(GlobalId.Esms, Listes360.Domain.Registry.FinessNumber.WithKey("61009999").Value) });
        Assert.False(unknown.HasErrors, unknown.Body);
        Assert.Equal(JsonValueKind.Null, unknown.Data.GetProperty("node").ValueKind);
        var invalid = await api.PostAsync(query, new { id = "pas-un-identifiant" });
        Assert.Equal("INVALID_NODE_ID", invalid.FirstErrorCode);
        Assert.Contains("« pas-un-identifiant » n'est pas un identifiant global de Listes360", invalid.FirstError.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Node_holds_a_director_to_the_same_rules_as_the_typed_field()
    {
        var own = await NewMas();
        var other = await NewMas();
        var (person, candidature) = await Applicant(other);
        var personNode = GlobalId.Encode(GlobalId.Person, person);
        var candidatureNode = GlobalId.Encode(GlobalId.Candidature, $"{person}/{candidature}");
        var director = api.Token(Role.EsmsDirector, own);
        var directorOfOther = api.Token(Role.EsmsDirector, other);

        // Denied: the person has no candidature to the director's ESMS — the same refusal either way.
        var typed = await api.PostAsync("""query($p: ID!) { person(id: $p) { birthName } }""", new { p = person }, token: director);
        var byNode = await api.PostAsync("""query($id: ID!) { node(id: $id) { ... on Person { birthName } } }""", new { id = personNode }, token: director);
        var candidatureByNode = await api.PostAsync("""query($id: ID!) { node(id: $id) { ... on Candidature { status } } }""", new { id = candidatureNode }, token: director);
        Assert.Equal("FORBIDDEN", typed.FirstErrorCode);
        Assert.Equal("FORBIDDEN", byNode.FirstErrorCode);
        Assert.Equal("FORBIDDEN", candidatureByNode.FirstErrorCode);
        Assert.Equal(typed.FirstError.GetProperty("message").GetString(), byNode.FirstError.GetProperty("message").GetString());
        Assert.Equal(JsonValueKind.Null, byNode.Data.GetProperty("node").ValueKind);
        Assert.DoesNotContain("birthName\":\"", byNode.Body, StringComparison.Ordinal);

        // Allowed: the director of the ESMS the person applied to.
        var allowed = await api.PostAsync("""query($id: ID!) { node(id: $id) { ... on Person { id candidatures { finess } } } }""", new { id = personNode }, token: directorOfOther);
        Assert.False(allowed.HasErrors, allowed.Body);
        Assert.Equal(person, allowed.Data.GetProperty("node").GetProperty("id").GetString());
        Assert.All(allowed.Data.GetProperty("node").GetProperty("candidatures").EnumerateArray(), c => Assert.Equal(other, c.GetProperty("finess").GetString()));
    }

    /// <summary>
    /// A page of 50 candidatures with their positions costs a fixed number of grain calls: the ESMS
    /// (GetAsync, GetCandidaturesAsync), then per ranking of the page one GetPositionsAsync, with the
    /// grid check (GetVersionsAfterAsync) and one median per kind of support inside it: 5 here, at most
    /// <see cref="MaxCallsForOnePage"/> with room for a first activation (the ranking reading the ESMS
    /// profile). Before the batching loader each row cost 3 calls (about 152 for the page).
    /// </summary>
    private const int MaxCallsForOnePage = 8;

    [Fact]
    public async Task A_page_of_50_candidatures_with_positions_costs_a_bounded_number_of_grain_calls()
    {
        var finess = await NewMas();
        for (var batch = 0; batch < 5; batch++)
            await Task.WhenAll(Enumerable.Range(batch * 10, 10).Select(i => Applicant(finess, i)));
        var subject = "compteur-" + Guid.NewGuid().ToString("N")[..8];
        var token = DevTokens.Mint(api.Auth, subject, Role.TerritorialStaff, [], "61", null, TimeSpan.FromMinutes(10));
        string Page(int first) => "query($f: String!) { esms(finess: $f) { candidatures(first: " + first + ") { edges { node { id position { position score eligibleCandidates similarRequests { admissions } } } } } } }";
        using var watch = GrainCallCounter.Watch(subject);

        var warmUp = await api.PostAsync(Page(1), new { f = finess }, token: token);
        Assert.False(warmUp.HasErrors, warmUp.Body);
        GrainCallCounter.Take(subject);
        var small = await api.PostAsync(Page(10), new { f = finess }, token: token);
        var smallCalls = GrainCallCounter.Take(subject);
        var full = await api.PostAsync(Page(50), new { f = finess }, token: token);
        var fullCalls = GrainCallCounter.Take(subject);

        output.WriteLine($"Page de 10 : {smallCalls.Count} appels ; page de 50 : {fullCalls.Count} appels ({string.Join(", ", fullCalls)}).");
        Assert.False(full.HasErrors, full.Body);
        var positions = full.Data.GetProperty("esms").GetProperty("candidatures").Nodes().Select(n => n.GetProperty("position").GetProperty("position").GetInt32()).ToList();
        Assert.Equal(50, positions.Count);
        Assert.Equal(Enumerable.Range(1, 50), positions.Order());
        Assert.True(fullCalls.Count <= MaxCallsForOnePage,
            $"{fullCalls.Count} appels de grain pour une page de 50 candidatures (au plus {MaxCallsForOnePage}) : {string.Join(", ", fullCalls)}");
        Assert.Equal(smallCalls.Count, fullCalls.Count);
        Assert.Single(fullCalls, c => c == "IRankingGrain.GetPositionsAsync");
    }

    [Fact]
    public async Task Rows_naming_the_same_person_or_esms_read_it_once_per_request()
    {
        var finess = await NewMas();
        var persons = new List<string>();
        for (var i = 0; i < 3; i++)
            persons.Add((await Applicant(finess, i)).Person);
        var subject = "lignes-" + Guid.NewGuid().ToString("N")[..8];
        var token = DevTokens.Mint(api.Auth, subject, Role.TerritorialStaff, [], "61", null, TimeSpan.FromMinutes(10));
        using var watch = GrainCallCounter.Watch(subject);

        // Six rows name the three persons (the ESMS's list and its ranking), three name the ESMS.
        var r = await api.PostAsync("""
            query($f: String!) {
              esms(finess: $f) { candidatures(first: 10) { edges { node { person { id candidatures { esms { name } } } } } } }
              ranking(finess: $f, modality: RESIDENTIAL) { entries(first: 10) { edges { node { person { birthName } } } } } }
            """, new { f = finess }, token: token);
        var calls = GrainCallCounter.Take(subject);

        Assert.False(r.HasErrors, r.Body);
        var listed = r.Data.GetProperty("esms").GetProperty("candidatures").Nodes().Select(n => n.GetProperty("person").GetProperty("id").GetString()!).ToList();
        Assert.Equal(persons, listed);
        Assert.All(r.Data.GetProperty("esms").GetProperty("candidatures").Nodes(), n =>
            Assert.Equal("MAS des connexions", n.GetProperty("person").GetProperty("candidatures")[0].GetProperty("esms").GetProperty("name").GetString()));
        Assert.Equal(3, r.Data.GetProperty("ranking").GetProperty("entries").Nodes().Count(n => n.GetProperty("person").GetProperty("birthName").GetString()!.Length > 0));
        Assert.Equal(3, calls.Count(c => c == "IPersonGrain.GetAsync"));
        // The root esms field reads it once, the rows' esms once more (the loader's own read), never once per row.
        Assert.Equal(2, calls.Count(c => c == "IEsmsGrain.GetAsync"));
    }

    [Fact]
    public async Task A_row_person_is_read_under_the_person_rules_allowed_to_the_esms_director_and_denied_to_another()
    {
        var own = await NewMas();
        var elsewhere = await NewMas();
        var (person, _) = await Applicant(own);
        await Admin("""mutation($p: ID!, $f: String!) { createCandidature(input: {personId: $p, finess: $f, modality: RESIDENTIAL, requestDate: "2025-06-01"}) { candidature { id } } }""",
            new { p = person, f = elsewhere });
        const string query = """query($f: String!) { esms(finess: $f) { candidatures(first: 10) { edges { node { person { id birthName candidatures { finess esms { finess } } } } } } } }""";

        var allowed = await api.PostAsync(query, new { f = own }, token: api.Token(Role.EsmsDirector, own));
        Assert.False(allowed.HasErrors, allowed.Body);
        var seen = Assert.Single(allowed.Data.GetProperty("esms").GetProperty("candidatures").Nodes()).GetProperty("person");
        Assert.Equal(person, seen.GetProperty("id").GetString());
        // As through person(id:): only the candidatures to the director's own ESMS.
        Assert.Equal([own], seen.GetProperty("candidatures").EnumerateArray().Select(c => c.GetProperty("esms").GetProperty("finess").GetString()));
        Assert.DoesNotContain(elsewhere, allowed.Body, StringComparison.Ordinal);

        var denied = await api.PostAsync(query, new { f = own }, token: api.Token(Role.EsmsDirector, elsewhere));
        Assert.Equal("FORBIDDEN", denied.FirstErrorCode);
        Assert.DoesNotContain("birthName\":\"", denied.Body, StringComparison.Ordinal);
    }
}
