using System.Text.Json;
using Listes360.Domain.Security;

namespace Listes360.Api.Tests;

/// <summary>The criteria grid and the rankings through GraphQL.</summary>
[Collection(ApiCollection.Name)]
public sealed class GridApiTests(ApiFixture api)
{
    private static int _next = 800;

    [Fact]
    public async Task An_invalid_grid_is_refused_with_the_path_of_each_fault_and_the_version_in_force_stays()
    {
        var before = (await api.PostAsync("""{ grid(department: "61") { version } }""")).Data.GetProperty("grid").GetProperty("version").GetInt32();
        var document = Listes360.Domain.Grid.GridDocument.DefaultJson("61").Replace("\"answerDeadlineDays\": 10", "\"answerDeadlineDays\": 0");

        var response = await api.PostAsync("""mutation($d: String!) { publishGrid(input: {department: "61", document: $d}) { publication { grid { version } } } }""", new { d = document });

        Assert.Equal("INVALID_GRID", response.FirstErrorCode);
        var error = response.FirstError.GetProperty("extensions").GetProperty("errors")[0];
        Assert.Equal("$.offers.answerDeadlineDays", error.GetProperty("path").GetString());
        Assert.Contains("entre 1 et 90 jours", error.GetProperty("message").GetString());
        Assert.Equal(before, (await api.PostAsync("""{ grid(department: "61") { version } }""")).Data.GetProperty("grid").GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task A_person_sees_their_position_and_the_director_the_explained_ranking()
    {
        var finess = Listes360.Domain.Registry.FinessNumber.WithKey("61" + Interlocked.Increment(ref _next).ToString("D6")).Value;
        await Ok("""mutation($f: String!) { registerEsms(input: {finess: $f, name: "MAS du classement", category: "255", postcode: "61000", commune: "ALENCON"}) { esms { finess } } }""", new { f = finess });
        var person = (await Ok("""mutation { createPerson(input: {department: "61", birthName: "Classement", firstNames: ["Test"], birthDate: "1980-01-01", sex: MALE, residenceCommune: "61006", situation: {kind: AT_HOME_WITHOUT_SOLUTION, since: "2025-09-10"}, carer: {relationship: PARENT, age: 78, status: EXHAUSTED}}) { person { id } } }"""))
            .GetProperty("createPerson").GetProperty("person").GetProperty("id").GetString()!;
        await Ok("""mutation($p: ID!) { addOrientation(input: {personId: $p, decisionReference: "CDAPH-G1", kind: MAS, validFrom: "2025-01-01"}) { person { id } } }""", new { p = person });
        await Ok("""mutation($p: ID!, $f: String!) { createCandidature(input: {personId: $p, finess: $f, modality: RESIDENTIAL, requestDate: "2026-03-01"}) { candidature { id } } }""", new { p = person, f = finess });

        var ranking = (await api.PostAsync("""query($f: String!) { ranking(finess: $f, modality: RESIDENTIAL) { gridVersion entries { edges { node { position score breakdown { criterionId points fact } } } } } }""",
            new { f = finess }, token: api.Token(Role.EsmsDirector, finess))).Data.GetProperty("ranking");
        var entry = Assert.Single(ranking.GetProperty("entries").Nodes());
        var lines = entry.GetProperty("breakdown").EnumerateArray().ToDictionary(l => l.GetProperty("criterionId").GetString()!);
        Assert.Equal("aidant de 78 ans", lines["AIDANT_AGE"].GetProperty("fact").GetString());
        Assert.StartsWith("sans solution depuis", lines["SANS_SOLUTION"].GetProperty("fact").GetString());
        Assert.Equal(entry.GetProperty("score").GetInt32(), lines.Values.Sum(l => l.GetProperty("points").GetInt32()));

        var position = (await Ok("""query($p: ID!) { person(id: $p) { candidatures { position { position eligibleCandidates score similarRequests { kind admissions medianDays } } } } }""", new { p = person }))
            .GetProperty("person").GetProperty("candidatures")[0].GetProperty("position");
        Assert.Equal(1, position.GetProperty("position").GetInt32());
        Assert.Equal(1, position.GetProperty("eligibleCandidates").GetInt32());
        Assert.Equal("MAS", position.GetProperty("similarRequests").GetProperty("kind").GetString());
    }

    [Fact]
    public async Task An_admin_previews_a_draft_grid_on_an_ESMS_s_ranking_with_its_faults_at_their_paths_and_nothing_is_published()
    {
        var finess = Listes360.Domain.Registry.FinessNumber.WithKey("61" + Interlocked.Increment(ref _next).ToString("D6")).Value;
        await Ok("""mutation($f: String!) { registerEsms(input: {finess: $f, name: "MAS de l'aperçu", category: "255"}) { esms { finess } } }""", new { f = finess });
        var person = (await Ok("""mutation { createPerson(input: {department: "61", birthName: "Apercu", firstNames: ["Grille"], birthDate: "1981-02-03", sex: MALE}) { person { id } } }"""))
            .GetProperty("createPerson").GetProperty("person").GetProperty("id").GetString()!;
        await Ok("""mutation($p: ID!) { addOrientation(input: {personId: $p, decisionReference: "CDAPH-AP", kind: MAS, validFrom: "2025-01-01"}) { person { id } } }""", new { p = person });
        await Ok("""mutation($p: ID!, $f: String!) { createCandidature(input: {personId: $p, finess: $f, modality: RESIDENTIAL, requestDate: "2026-03-01"}) { candidature { id } } }""", new { p = person, f = finess });
        var versions = (await Ok("""{ gridVersions(department: "61") { version } }""")).GetProperty("gridVersions").GetArrayLength();
        const string Query = """query($f: String!, $d: String!) { rankingPreview(finess: $f, modality: RESIDENTIAL, document: $d, top: 3) { currentVersion draftVersion lines { personId rankBefore rankAfter change totalBefore totalAfter criteria { criterionId before after } } } }""";

        var document = Listes360.Domain.Grid.GridDocument.DefaultJson("61").Replace("\"perUnit\": 1,\n      \"every\": 2", "\"perUnit\": 2,\n      \"every\": 2");
        Assert.NotEqual(Listes360.Domain.Grid.GridDocument.DefaultJson("61"), document);
        var preview = (await Ok(Query, new { f = finess, d = document })).GetProperty("rankingPreview");
        var line = Assert.Single(preview.GetProperty("lines").EnumerateArray());
        Assert.Equal((person, 1, 1, "SAME"), (line.GetProperty("personId").GetString(), line.GetProperty("rankBefore").GetInt32(), line.GetProperty("rankAfter").GetInt32(), line.GetProperty("change").GetString()));
        var seniority = line.GetProperty("criteria").EnumerateArray().Single(c => c.GetProperty("criterionId").GetString() == "ANCIENNETE");
        Assert.Equal(2 * seniority.GetProperty("before").GetInt32(), seniority.GetProperty("after").GetInt32());
        Assert.Equal(versions + 1, preview.GetProperty("draftVersion").GetInt32());

        var refused = await api.PostAsync(Query, new { f = finess, d = document.Replace("\"urgency\"", "\"urgence\"") });
        Assert.Equal("INVALID_GRID", refused.FirstErrorCode);
        Assert.Equal("$.criteria[0].fact", refused.FirstError.GetProperty("extensions").GetProperty("errors")[0].GetProperty("path").GetString());
        Assert.Equal(versions, (await Ok("""{ gridVersions(department: "61") { version } }""")).GetProperty("gridVersions").GetArrayLength());
    }

    private async Task<JsonElement> Ok(string query, object? variables = null)
    {
        var r = await api.PostAsync(query, variables);
        Assert.False(r.HasErrors, r.Body);
        return r.Data;
    }
}
