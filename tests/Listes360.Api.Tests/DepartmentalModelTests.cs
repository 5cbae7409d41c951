using System.Text.Json;
using Listes360.Domain.Security;

namespace Listes360.Api.Tests;

/// <summary>The departmental model through GraphQL: one admission ends the waiting elsewhere.</summary>
[Collection(ApiCollection.Name)]
public sealed class DepartmentalModelTests(ApiFixture api)
{
    private static int _next = 500;

    private const string Counts = """
        { departmentCounts(department: "61") { total { distinctPersonsWaiting personsWithoutSolution listEntries } } }
        """;

    [Fact]
    public async Task An_admission_ends_the_waiting_elsewhere_and_undoing_it_restores_it()
    {
        var esms = new[] { await Esms("255", "MAS A"), await Esms("255", "MAS B"), await Esms("437", "FAM C"), await Esms("382", "Foyer de vie D") };
        var person = await Person(birthYear: 1990, situation: "AT_HOME_WITHOUT_SOLUTION");
        foreach (var (kind, reference) in new[] { ("MAS", "CDAPH-1"), ("FAM", "CDAPH-2"), ("FOYER_DE_VIE", "CDAPH-3") })
            await Ok("""mutation($p: ID!, $r: String!, $k: KindOfSupport!) { addOrientation(input: {personId: $p, decisionReference: $r, kind: $k, validFrom: "2025-01-01", validTo: "2030-12-31"}) { person { id } } }""",
                new { p = person, r = reference, k = kind });
        var candidatures = new List<string>();
        foreach (var finess in esms)
        {
            var created = await Ok("""mutation($p: ID!, $f: String!) { createCandidature(input: {personId: $p, finess: $f, modality: RESIDENTIAL, requestDate: "2026-01-15"}) { candidature { id status statusAns { code } } } }""",
                new { p = person, f = finess });
            Assert.Equal("RECEIVED", created.GetProperty("createCandidature").GetProperty("candidature").GetProperty("status").GetString());
            Assert.Equal("42", created.GetProperty("createCandidature").GetProperty("candidature").GetProperty("statusAns").GetProperty("code").GetString());
            candidatures.Add(created.GetProperty("createCandidature").GetProperty("candidature").GetProperty("id").GetString()!);
        }
        foreach (var id in candidatures)
            foreach (var status in new[] { "UNDER_REVIEW", "WAITING" })
                await Status(person, id, status);
        await Status(person, candidatures[0], "OFFERED");
        var before = await Total();

        await Status(person, candidatures[0], "ADMITTED");

        foreach (var finess in esms[1..])
            Assert.Equal("SOLUTION_FOUND_ELSEWHERE", await StatusSeenBy(finess, person));
        Assert.Equal("ADMITTED", await StatusSeenBy(esms[0], person));
        var after = await Total();
        Assert.Equal(before.Persons - 1, after.Persons);
        Assert.Equal(before.WithoutSolution - 1, after.WithoutSolution);
        Assert.Equal(before.Entries - 4, after.Entries); // three other lists lose the person, the admitting one admits

        await Ok("""mutation($p: ID!, $c: ID!) { changeCandidatureStatus(input: {personId: $p, candidatureId: $c, status: WITHDRAWN, reason: DATA_ENTRY_ERROR}) { person { id } } }""",
            new { p = person, c = candidatures[0] });

        foreach (var finess in esms[1..])
            Assert.Equal("WAITING", await StatusSeenBy(finess, person));
        var restored = await Total();
        Assert.Equal(before.Persons, restored.Persons);
        Assert.Equal(before.WithoutSolution, restored.WithoutSolution);
        Assert.Equal(before.Entries - 1, restored.Entries); // the admission entered by mistake is withdrawn
    }

    [Fact]
    public async Task The_conseiller_confirms_or_reverses_a_solution_found_elsewhere()
    {
        var (esmsA, esmsB) = (await Esms("255", "MAS E"), await Esms("255", "MAS F"));
        var person = await Person(birthYear: 1985, situation: "AT_HOME_WITHOUT_SOLUTION");
        await Ok("""mutation($p: ID!) { addOrientation(input: {personId: $p, decisionReference: "CDAPH-9", kind: MAS, validFrom: "2025-01-01"}) { person { id } } }""", new { p = person });
        var a = await Candidature(person, esmsA);
        var b = await Candidature(person, esmsB);
        foreach (var status in new[] { "UNDER_REVIEW", "WAITING", "OFFERED", "ADMITTED" })
            await Status(person, a, status);
        Assert.Equal("SOLUTION_FOUND_ELSEWHERE", await StatusSeenBy(esmsB, person));

        await Ok("""mutation($p: ID!, $c: ID!) { resolveSolutionElsewhere(input: {personId: $p, candidatureId: $c, decision: REVERSE}) { person { id } } }""", new { p = person, c = b });
        Assert.Equal("RECEIVED", await StatusSeenBy(esmsB, person));

        await Status(person, b, "SOLUTION_FOUND_ELSEWHERE", "ADMITTED_ELSEWHERE");
        await Ok("""mutation($p: ID!, $c: ID!) { resolveSolutionElsewhere(input: {personId: $p, candidatureId: $c, decision: CONFIRM}) { person { id } } }""", new { p = person, c = b });
        Assert.Equal("WITHDRAWN", await StatusSeenBy(esmsB, person));
    }

    [Fact]
    public async Task Refusals_have_codes_and_french_messages_and_change_nothing()
    {
        var ime = await Esms("183", "IME G");
        var mas = await Esms("255", "MAS H");
        var adult = await Person(birthYear: 1980, situation: "AT_HOME_WITHOUT_SOLUTION");
        await Ok("""mutation($p: ID!) { addOrientation(input: {personId: $p, decisionReference: "CDAPH-20", kind: MAS, validFrom: "2025-01-01"}) { person { id } } }""", new { p = adult });
        var c = await Candidature(adult, mas);
        var snapshot = await PersonBody(adult);

        await Refused("FORBIDDEN_TRANSITION", "Admis", """mutation($p: ID!, $c: ID!) { changeCandidatureStatus(input: {personId: $p, candidatureId: $c, status: ADMITTED}) { person { id } } }""", new { p = adult, c });
        await Refused("ORIENTATION_MISMATCH", null, """mutation($p: ID!, $f: String!) { createCandidature(input: {personId: $p, finess: $f, modality: RESIDENTIAL}) { candidature { id } } }""", new { p = adult, f = ime });
        await Refused("INVALID_FINESS", "9 caractères", """mutation($p: ID!) { createCandidature(input: {personId: $p, finess: "6100", modality: RESIDENTIAL}) { candidature { id } } }""", new { p = adult });
        await Refused("UNKNOWN_ESMS", "610999997", """mutation($p: ID!) { createCandidature(input: {personId: $p, finess: "610999997", modality: RESIDENTIAL}) { candidature { id } } }""", new { p = adult });
        await Refused("INVALID_NIR", "clé de contrôle", """mutation { createPerson(input: {department: "61", birthName: "Durand", firstNames: ["Léa"], birthDate: "1990-02-03", sex: FEMALE, nir: "290027512345678"}) { person { id } } }""", null);
        Assert.Equal(snapshot, await PersonBody(adult));

        var child = await Person(birthYear: 2015, situation: "AT_HOME_WITHOUT_SOLUTION");
        await Ok("""mutation($p: ID!) { addOrientation(input: {personId: $p, decisionReference: "CDAPH-21", kind: MAS, validFrom: "2025-01-01"}) { person { id } } }""", new { p = child });
        await Refused("AGE_OUT_OF_RANGE", "ans", """mutation($p: ID!, $f: String!) { createCandidature(input: {personId: $p, finess: $f, modality: RESIDENTIAL}) { candidature { id } } }""", new { p = child, f = mas });
    }

    [Fact]
    public async Task A_valid_nir_is_kept_only_as_a_keyed_hash()
    {
        var created = await Ok("""mutation { createPerson(input: {department: "61", birthName: "Martin", firstNames: ["Luc"], birthDate: "1970-01-01", sex: MALE, nir: "1 70 01 61 123 456 55"}) { person { id nirRecorded } } }""", null);

        Assert.True(created.GetProperty("createPerson").GetProperty("person").GetProperty("nirRecorded").GetBoolean());
        Assert.DoesNotContain("1700161123456", created.ToString());
    }

    [Fact]
    public async Task A_director_sees_a_person_only_through_a_candidature_to_their_esms()
    {
        var mas = await Esms("255", "MAS I");
        var other = await Esms("255", "MAS J");
        var person = await Person(birthYear: 1975, situation: "AT_HOME_WITHOUT_SOLUTION");
        await Ok("""mutation($p: ID!) { addOrientation(input: {personId: $p, decisionReference: "CDAPH-30", kind: MAS, validFrom: "2025-01-01"}) { person { id } } }""", new { p = person });
        await Candidature(person, mas);
        const string read = """query($p: ID!) { person(id: $p) { birthName } }""";

        var own = await api.PostAsync(read, new { p = person }, token: api.Token(Role.EsmsDirector, mas));
        var stranger = await api.PostAsync(read, new { p = person }, token: api.Token(Role.EsmsDirector, other));
        var observatory = await api.PostAsync(read, new { p = person }, token: api.Token(Role.Observatory));

        Assert.False(own.HasErrors, own.Body);
        Assert.Equal("FORBIDDEN", stranger.FirstErrorCode);
        Assert.Equal("FORBIDDEN", observatory.FirstErrorCode);
    }

    [Fact]
    public async Task The_departement_pass_reconciles_every_person_and_leaves_the_counts_as_they_were()
    {
        var mas = await Esms("255", "MAS K");
        var person = await Person(birthYear: 1970, situation: "AT_HOME_WITHOUT_SOLUTION");
        await Ok("""mutation($p: ID!) { addOrientation(input: {personId: $p, decisionReference: "CDAPH-40", kind: MAS, validFrom: "2025-01-01"}) { person { id } } }""", new { p = person });
        await Candidature(person, mas);
        var before = await Total();

        var started = (await Ok("""mutation { reconcileDepartment(input: {department: "61"}) { pass { status startedAt persons } } }""", null)).GetProperty("reconcileDepartment").GetProperty("pass");
        var again = (await Ok("""mutation { reconcileDepartment(input: {department: "61"}) { pass { status startedAt } } }""", null)).GetProperty("reconcileDepartment").GetProperty("pass");
        var report = await UntilReconciledAsync();

        Assert.Equal("RUNNING", started.GetProperty("status").GetString());
        Assert.Equal(started.GetProperty("startedAt").GetString(), again.GetProperty("startedAt").GetString()); // one pass at a time
        Assert.Equal(started.GetProperty("startedAt").GetString(), report.GetProperty("startedAt").GetString());
        Assert.True(report.GetProperty("persons").GetInt32() >= 1);
        Assert.True(report.GetProperty("total").GetInt32() >= 1);
        Assert.True(report.GetProperty("failed").GetInt32() == 0, "Personnes en échec : " + report.GetProperty("failures"));
        Assert.NotEqual(JsonValueKind.Null, report.GetProperty("finishedAt").ValueKind);
        Assert.Equal(before, await Total());
        Assert.Equal("RECEIVED", await StatusSeenBy(mas, person));
    }

    private async Task<string> Esms(string category, string name)
    {
        var finess = Listes360.Domain.Registry.FinessNumber.WithKey("61" + Interlocked.Increment(ref _next).ToString("D6")).Value;
        await Ok("""mutation($f: String!, $n: String!, $c: String!) { registerEsms(input: {finess: $f, name: $n, category: $c}) { esms { finess } } }""", new { f = finess, n = name, c = category });
        return finess;
    }

    private async Task<string> Person(int birthYear, string situation)
    {
        var created = await Ok($$"""mutation { createPerson(input: {department: "61", birthName: "Personne{{birthYear}}", firstNames: ["Test"], birthDate: "{{birthYear}}-06-15", sex: FEMALE, residenceCommune: "61001", situation: {kind: {{situation}}, since: "2025-01-01"}, consentToShare: true}) { person { id territory } } }""", null);
        return created.GetProperty("createPerson").GetProperty("person").GetProperty("id").GetString()!;
    }

    private async Task<string> Candidature(string person, string finess) =>
        (await Ok("""mutation($p: ID!, $f: String!) { createCandidature(input: {personId: $p, finess: $f, modality: RESIDENTIAL, requestDate: "2026-02-01"}) { candidature { id } } }""", new { p = person, f = finess }))
            .GetProperty("createCandidature").GetProperty("candidature").GetProperty("id").GetString()!;

    private Task Status(string person, string candidature, string status, string? reason = null) =>
        Ok(reason is null
                ? """mutation($p: ID!, $c: ID!, $s: CandidatureStatus!) { changeCandidatureStatus(input: {personId: $p, candidatureId: $c, status: $s}) { person { id } } }"""
                : """mutation($p: ID!, $c: ID!, $s: CandidatureStatus!, $r: CandidatureReason) { changeCandidatureStatus(input: {personId: $p, candidatureId: $c, status: $s, reason: $r}) { person { id } } }""",
            new { p = person, c = candidature, s = status, r = reason });

    private async Task<string?> StatusSeenBy(string finess, string person)
    {
        var data = await Ok("""query($f: String!) { esms(finess: $f) { candidatures(openOnly: false, first: 200) { edges { node { personId status } } } } }""", new { f = finess });
        return data.GetProperty("esms").GetProperty("candidatures").Nodes()
            .Single(c => c.GetProperty("personId").GetString() == person).GetProperty("status").GetString();
    }

    private async Task<(int Persons, int WithoutSolution, int Entries)> Total()
    {
        var total = (await Ok(Counts, null)).GetProperty("departmentCounts").GetProperty("total");
        return (total.GetProperty("distinctPersonsWaiting").GetInt32(), total.GetProperty("personsWithoutSolution").GetInt32(), total.GetProperty("listEntries").GetInt32());
    }

    private async Task<string> PersonBody(string person) =>
        (await Ok("""query($p: ID!) { person(id: $p) { version candidatures { id status version } orientations { decisionReference } } }""", new { p = person })).ToString();

    /// <summary>
    /// The département's pass, once done (it runs in batches on its grain's timer). It walks every person
    /// the suite wrote in the département, so this waits while it moves on and fails when it stops moving:
    /// its speed is measured in bench/reconcile, not here.
    /// </summary>
    private async Task<JsonElement> UntilReconciledAsync()
    {
        var stalled = TimeSpan.FromSeconds(120);
        var progressed = DateTime.UtcNow;
        var last = -1;
        while (true)
        {
            var pass = (await Ok("""{ reconcileStatus(department: "61") { status startedAt finishedAt persons total failed seconds failures { personId reason } } }""", null)).GetProperty("reconcileStatus");
            if (pass.GetProperty("status").GetString() == "DONE")
                return pass;
            var persons = pass.GetProperty("persons").GetInt32();
            if (persons != last)
                (last, progressed) = (persons, DateTime.UtcNow);
            Assert.True(DateTime.UtcNow - progressed < stalled, $"Passe de réconciliation arrêtée : aucune personne de plus en {stalled.TotalSeconds:0} s : " + pass);
            await Task.Delay(200);
        }
    }

    private async Task<JsonElement> Ok(string query, object? variables)
    {
        var response = await api.PostAsync(query, variables);
        Assert.False(response.HasErrors, response.Body);
        return response.Data;
    }

    private async Task Refused(string code, string? words, string query, object? variables)
    {
        var response = await api.PostAsync(query, variables);
        Assert.True(response.FirstErrorCode == code, $"attendu {code} : {response.Body}");
        if (words is not null)
            Assert.Contains(words, response.FirstError.GetProperty("message").GetString());
    }
}
