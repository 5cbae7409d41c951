using System.Text.Json;
using Listes360.Api.Tests;
using Listes360.Domain.Security;
using Xunit.Abstractions;

namespace Listes360.Security.Tests;

/// <summary>
/// Issue 12, class 3: a director learns a person only through their own ESMS. (a) an id alone opens
/// nothing, and an unknown id is refused the same way; (b) the sequential search hands per-ESMS
/// references, never ids; (c) an import answers the same whether the person was known or not; (d) a
/// director sees their own ESMS's candidatures and « solution trouvée ailleurs », never where.
/// </summary>
[Collection(SecurityCollection.Name)]
public sealed class Class3DirectorAccessTests(ApiFixture api, ITestOutputHelper output)
{
    private const string CsvHeader = "nom;prénom;date de naissance;date de la demande;modalité;n° décision CDAPH\n";

    private sealed record Scene(string A, string B, string Director, string Staff,
        string P, string Q, string QAtB, (string Id, string BirthName, string FirstName, DateOnly BirthDate) R, string RAtB,
        (string Id, string BirthName, string FirstName, DateOnly BirthDate) S);

    /// <summary>
    /// As the département's staff: ESMS A (the director's) and B, both MAS. P applied to B only, waits,
    /// and needs one day a week of semi-residential care (A has a free Monday); Q applied to A and B
    /// and was admitted at B; R and S applied to B only (for the imports).
    /// </summary>
    private async Task<Scene> SetUpAsync(AccessProbe probe)
    {
        var admin = api.AdminToken;
        var staff = probe.Token(Role.TerritorialStaff);
        var a = await probe.RegisterEsmsAsync("61", admin);
        var b = await probe.RegisterEsmsAsync("61", admin);
        await probe.Must("""mutation($f: String!) { setEsmsPlaces(input: {finess: $f, modality: SEMI_RESIDENTIAL, capacity: 6, occupied: 2}) { esms { version } } }""", new { f = a }, admin);
        await probe.Must("""mutation($f: String!) { declareAvailability(input: {finess: $f, modality: SEMI_RESIDENTIAL, slots: [{weekday: MONDAY}], places: 1}) { availability { version } } }""", new { f = a }, admin);

        var p = (await probe.CreatePersonAsync("61", staff)).Id;
        await probe.MoveAsync(p, await probe.ApplyAsync(p, b, staff), staff, "UNDER_REVIEW", "WAITING");
        await probe.Must("""mutation($p: ID!) { setSequentialNeeds(input: {personId: $p, amount: 1, modalities: [SEMI_RESIDENTIAL]}) { needs { amount } } }""", new { p }, staff);

        var q = (await probe.CreatePersonAsync("61", staff)).Id;
        await probe.ApplyAsync(q, a, staff);
        var qAtB = await probe.ApplyAsync(q, b, staff);
        await probe.MoveAsync(q, qAtB, staff, "UNDER_REVIEW", "WAITING", "OFFERED", "ADMITTED");

        var r = await probe.CreatePersonAsync("61", staff);
        var rAtB = await probe.ApplyAsync(r.Id, b, staff);
        var s = await probe.CreatePersonAsync("61", staff);
        await probe.ApplyAsync(s.Id, b, staff);
        return new Scene(a, b, probe.Token(Role.EsmsDirector, finess: a), staff, p, q, qAtB, r, rAtB, s);
    }

    private static string UnknownPerson() => "61-" + Guid.NewGuid().ToString("N");

    /// <summary>(a) An id alone: a candidature, a read, the sequential needs — refused, and the same refusal for an id nobody holds.</summary>
    private static async Task<List<(GraphQLResponse Known, GraphQLResponse Unknown)>> IdAloneAsync(AccessProbe probe, Scene scene)
    {
        var pairs = new List<(GraphQLResponse, GraphQLResponse)>();
        foreach (var (name, query) in new[]
        {
            ("createCandidature", """mutation($p: ID!, $f: String!) { createCandidature(input: {personId: $p, finess: $f, modality: SEMI_RESIDENTIAL}) { candidature { id } } }"""),
            ("person", """query($p: ID!) { person(id: $p) { birthName firstNames birthDate candidatures { finess } } }"""),
            ("sequentialNeeds", """query($p: ID!) { sequentialNeeds(personId: $p) { amount } }"""),
        })
        {
            var known = await probe.RefusedAsync($"(a) {name} d'une personne qui n'a pas candidaté", scene.Director, query, new { p = scene.P, f = scene.A });
            var unknown = await probe.RefusedAsync($"(a) {name} d'un identifiant inconnu", scene.Director, query, new { p = UnknownPerson(), f = scene.A });
            pairs.Add((known, unknown));
        }
        return pairs;
    }

    /// <summary>(b) The director's sequential search: the answer must not carry P's id.</summary>
    private static async Task<GraphQLResponse> SequentialAsync(AccessProbe probe, Scene scene)
    {
        var response = await probe.AllowedAsync("(b) sequentialCandidatesForEsms", scene.Director,
            """query($f: String!) { sequentialCandidatesForEsms(finess: $f, first: 50) { combinations { personId } } }""", new { f = scene.A });
        var leak = response.Body.Contains(scene.P, StringComparison.Ordinal);
        probe.Record("(b) identifiant d'une personne sans candidature remis à la direction", refused: !leak, wronglyAccepted: leak, stateChanged: false, response);
        return response;
    }

    private static string ImportQuery => """
        mutation($f: String!, $c: String!) { importCandidatureList(input: {finess: $f, fileName: "liste.csv", content: $c}) { report {
          finess rowsRead personsCreated matched queuedForReview candidaturesCreated rowsUnchanged rejected { line code message } } } }
        """;

    private static string Row((string Id, string BirthName, string FirstName, DateOnly BirthDate) person, string? decision) =>
        $"{person.BirthName};{person.FirstName};{person.BirthDate:dd/MM/yyyy};01/03/2026;internat;{decision}\n";

    private static (string, string, string, DateOnly) Stranger() =>
        ("", AccessProbe.UniqueName(), AccessProbe.UniqueName(), new DateOnly(Random.Shared.Next(1960, 2000), Random.Shared.Next(1, 13), Random.Shared.Next(1, 29)));

    /// <summary>(c) Two imports into A: a person the département knows and one it does not; then rows without CDAPH decision.</summary>
    private static async Task<(GraphQLResponse Known, GraphQLResponse Unknown, GraphQLResponse KnownBare, GraphQLResponse UnknownBare)> ImportAsync(
        ApiFixture api, AccessProbe probe, Scene scene)
    {
        // Without CDAPH decision first: the known person's orientation in force must not let the row through.
        async Task<GraphQLResponse> Bare(string name, (string, string, string, DateOnly) person)
        {
            var before = await StorageSnapshot.TakeAsync(api);
            var r = await api.PostAsync(ImportQuery, new { f = scene.A, c = CsvHeader + Row(person, null) }, token: scene.Director);
            var changed = (await StorageSnapshot.TakeAsync(api)).ChangesSince(before).Count > 0;
            var rejected = !r.HasErrors && r.Data.GetProperty("importCandidatureList").GetProperty("report").GetProperty("rejected").GetArrayLength() == 1;
            probe.Record(name, refused: rejected && !changed, wronglyAccepted: !rejected, stateChanged: changed, r);
            return r;
        }
        var knownBare = await Bare("(c) ligne sans décision CDAPH, personne connue", scene.S);
        var unknownBare = await Bare("(c) ligne sans décision CDAPH, personne inconnue", Stranger());
        probe.Record("(c) réponses identiques sans décision CDAPH, connue ou non", refused: Same(knownBare, unknownBare),
            wronglyAccepted: !Same(knownBare, unknownBare), stateChanged: false, knownBare);

        var known = await probe.AllowedAsync("(c) import d'une personne connue", scene.Director, ImportQuery, new { f = scene.A, c = CsvHeader + Row(scene.R, "CDAPH-IMPORT") });
        var unknown = await probe.AllowedAsync("(c) import d'une personne inconnue", scene.Director, ImportQuery, new { f = scene.A, c = CsvHeader + Row(Stranger(), "CDAPH-IMPORT") });
        probe.Record("(c) réponses identiques à l'import, connue ou non", refused: Same(known, unknown), wronglyAccepted: !Same(known, unknown), stateChanged: false, known);
        return (known, unknown, knownBare, unknownBare);
    }

    private static bool Same(GraphQLResponse x, GraphQLResponse y) => x.Body == y.Body;

    /// <summary>(d) Q applied to A and was admitted at B; R (imported into A) also applied to B.</summary>
    private static async Task<(GraphQLResponse Read, GraphQLResponse Change)> OwnCandidaturesAsync(AccessProbe probe, Scene scene)
    {
        var read = await probe.AllowedAsync("(d) lecture de Q", scene.Director,
            """query($p: ID!) { person(id: $p) { candidatures { id finess status history { cause by } } situation { esms note } mergedPersons } }""", new { p = scene.Q });
        var leak = read.Body.Contains(scene.B, StringComparison.Ordinal) || read.Body.Contains(scene.QAtB, StringComparison.Ordinal);
        probe.Record("(d) candidatures de Q dans un autre ESMS", refused: !leak, wronglyAccepted: leak, stateChanged: false, read);

        var own = (await probe.Must("""query($f: String!) { esms(finess: $f) { candidatures(first: 50) { edges { node { id personId } } } } }""", new { f = scene.A }, scene.Director))
            .GetProperty("esms").GetProperty("candidatures").GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node"))
            .Single(i => i.GetProperty("personId").GetString() == scene.R.Id).GetProperty("id").GetString()!;
        var change = await probe.AllowedAsync("(d) changeCandidatureStatus de sa candidature", scene.Director,
            """mutation($p: ID!, $c: ID!) { changeCandidatureStatus(input: {personId: $p, candidatureId: $c, status: UNDER_REVIEW}) { person { candidatures { id finess status } } } }""",
            new { p = scene.R.Id, c = own });
        var changeLeak = change.Body.Contains(scene.B, StringComparison.Ordinal) || change.Body.Contains(scene.RAtB, StringComparison.Ordinal);
        probe.Record("(d) réponse d'un changement de statut : candidatures de R ailleurs", refused: !changeLeak, wronglyAccepted: changeLeak, stateChanged: false, change);
        return (read, change);
    }

    [Fact]
    public async Task A_an_id_alone_opens_nothing_and_an_unknown_id_is_refused_alike()
    {
        var probe = new AccessProbe(api, output);
        var scene = await SetUpAsync(probe);

        foreach (var (known, unknown) in await IdAloneAsync(probe, scene))
        {
            Assert.Equal("FORBIDDEN", known.FirstErrorCode);
            Assert.Equal("FORBIDDEN", unknown.FirstErrorCode);
            Assert.Equal(known.FirstError.GetProperty("message").GetString(), unknown.FirstError.GetProperty("message").GetString());
        }
        probe.AssertAllRefused("3a");

        // Staff still create the candidature from the id: they are the département's.
        await probe.ApplyAsync(scene.P, scene.A, scene.Staff, "SEMI_RESIDENTIAL");
    }

    [Fact]
    public async Task B_the_sequential_search_hands_directors_per_esms_references_only()
    {
        var probe = new AccessProbe(api, output);
        var scene = await SetUpAsync(probe);
        await SequentialAsync(probe, scene);
        Assert.Equal(0, probe.Tally("3b").WronglyAccepted);

        const string query = """query($f: String!) { sequentialCandidatesForEsms(finess: $f, first: 50) { combinations { personId reference } } }""";
        var staff = (await probe.Must(query, new { f = scene.A }, scene.Staff)).GetProperty("sequentialCandidatesForEsms").GetProperty("combinations").EnumerateArray().ToList();
        var forP = staff.Single(c => c.GetProperty("personId").GetString() == scene.P);
        var reference = forP.GetProperty("reference").GetString()!;
        Assert.StartsWith("ref-", reference);

        var director = (await probe.Must(query, new { f = scene.A }, scene.Director)).GetProperty("sequentialCandidatesForEsms").GetProperty("combinations").EnumerateArray().ToList();
        Assert.NotEmpty(director);
        Assert.All(director, c => Assert.Equal(JsonValueKind.Null, c.GetProperty("personId").ValueKind));
        Assert.Contains(director, c => c.GetProperty("reference").GetString() == reference);

        // The reference is the ESMS's own: another ESMS gets another one for the same person.
        var other = await probe.RegisterEsmsAsync("61", api.AdminToken);
        await probe.Must("""mutation($f: String!) { setEsmsPlaces(input: {finess: $f, modality: SEMI_RESIDENTIAL, capacity: 6, occupied: 2}) { esms { version } } }""", new { f = other }, api.AdminToken);
        await probe.Must("""mutation($f: String!) { declareAvailability(input: {finess: $f, modality: SEMI_RESIDENTIAL, slots: [{weekday: MONDAY}], places: 1}) { availability { version } } }""", new { f = other }, api.AdminToken);
        var elsewhere = (await probe.Must(query, new { f = other }, scene.Staff)).GetProperty("sequentialCandidatesForEsms").GetProperty("combinations").EnumerateArray()
            .Single(c => c.GetProperty("personId").GetString() == scene.P).GetProperty("reference").GetString();
        Assert.NotEqual(reference, elsewhere);
    }

    [Fact]
    public async Task C_an_import_answers_the_same_whether_the_person_was_known_or_not()
    {
        var probe = new AccessProbe(api, output);
        var scene = await SetUpAsync(probe);
        var (known, unknown, knownBare, unknownBare) = await ImportAsync(api, probe, scene);

        Assert.Equal(known.Body, unknown.Body);
        var report = known.Data.GetProperty("importCandidatureList").GetProperty("report");
        Assert.Equal(JsonValueKind.Null, report.GetProperty("matched").ValueKind);
        Assert.Equal(JsonValueKind.Null, report.GetProperty("personsCreated").ValueKind);
        Assert.Equal(1, report.GetProperty("candidaturesCreated").GetInt32());

        Assert.Equal(knownBare.Body, unknownBare.Body);
        var bare = knownBare.Data.GetProperty("importCandidatureList").GetProperty("report").GetProperty("rejected")[0];
        Assert.Equal("CDAPH_DECISION_REQUIRED", bare.GetProperty("code").GetString());
        probe.AssertAllRefused("3c");

        // The identity was proven by the import: the director now reads R, and only A's candidature.
        var read = await probe.Must("""query($p: ID!) { person(id: $p) { birthName candidatures { finess } } }""", new { p = scene.R.Id }, scene.Director);
        Assert.Equal(scene.R.BirthName, read.GetProperty("person").GetProperty("birthName").GetString());
        Assert.All(read.GetProperty("person").GetProperty("candidatures").EnumerateArray(), c => Assert.Equal(scene.A, c.GetProperty("finess").GetString()));

        // Staff keep the detailed report.
        var staffReport = (await probe.Must(ImportQuery.Replace("rowsRead", "rowsRead rowsAccepted"),
            new { f = scene.B, c = CsvHeader + Row(Stranger(), "CDAPH-STAFF") }, scene.Staff)).GetProperty("importCandidatureList").GetProperty("report");
        Assert.Equal(1, staffReport.GetProperty("personsCreated").GetInt32() + staffReport.GetProperty("matched").GetInt32() + staffReport.GetProperty("queuedForReview").GetInt32());
        Assert.Equal(1, staffReport.GetProperty("rowsAccepted").GetInt32());
    }

    [Fact]
    public async Task D_a_director_sees_their_own_candidatures_and_only_that_a_solution_was_found_elsewhere()
    {
        var probe = new AccessProbe(api, output);
        var scene = await SetUpAsync(probe);
        await probe.Must(ImportQuery, new { f = scene.A, c = CsvHeader + Row(scene.R, "CDAPH-IMPORT") }, scene.Director);
        var (read, change) = await OwnCandidaturesAsync(probe, scene);
        Assert.Equal(0, probe.Tally("3d").WronglyAccepted);

        var q = (await probe.Must("""query($p: ID!) { person(id: $p) { solutionFoundElsewhere candidatures { finess status history { cause by } } } }""", new { p = scene.Q }, scene.Director))
            .GetProperty("person");
        Assert.True(q.GetProperty("solutionFoundElsewhere").GetBoolean());
        var own = Assert.Single(q.GetProperty("candidatures").EnumerateArray());
        Assert.Equal("SOLUTION_FOUND_ELSEWHERE", own.GetProperty("status").GetString());
        Assert.All(own.GetProperty("history").EnumerateArray(), h => Assert.Equal(JsonValueKind.Null, h.GetProperty("cause").ValueKind));

        var changed = Assert.Single(change.Data.GetProperty("changeCandidatureStatus").GetProperty("person").GetProperty("candidatures").EnumerateArray());
        Assert.Equal("UNDER_REVIEW", changed.GetProperty("status").GetString());

        // The staff see everything, as before.
        var staff = (await probe.Must("""query($p: ID!) { person(id: $p) { candidatures { finess } } }""", new { p = scene.Q }, scene.Staff)).GetProperty("person");
        Assert.Equal(2, staff.GetProperty("candidatures").GetArrayLength());
        Assert.Single(read.Data.GetProperty("person").GetProperty("candidatures").EnumerateArray());
    }

    /// <summary>Every try of the class, tallied for the closing note (LISTES360_PROBE_TALLY appends the row to a file).</summary>
    [Fact]
    public async Task Replay_of_the_class_tallies_no_wrong_acceptance()
    {
        var probe = new AccessProbe(api, output);
        var scene = await SetUpAsync(probe);
        await IdAloneAsync(probe, scene);
        await SequentialAsync(probe, scene);
        await ImportAsync(api, probe, scene);
        await OwnCandidaturesAsync(probe, scene);
        probe.AssertAllRefused("3");
    }
}
