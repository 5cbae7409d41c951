using System.Text.Json;
using Listes360.Domain.Registry;
using Listes360.Domain.Security;
using Listes360.Imports.Registry;
using Listes360.Imports.Simulation;

namespace Listes360.Api.Tests;

/// <summary>
/// Issue 19's acceptance over the API, on the seeded Orne (real registry, SIMULATED population): a young adult under
/// Creton in an IME is admitted to a FAM through the FAM's freed place → the IME has a vacancy proposing the top of
/// its ranking; offered to the first, who declines, then to the second, admitted, it closes; the chain of two is seen
/// by the observatory without names.
/// </summary>
[Collection(SeededOrneCollection.Name)]
public sealed class VacancyAcceptanceTests(SeededOrneFixture orne)
{
    private ApiFixture Api => orne.Api;

    private async Task<JsonElement> As(string token, string query, object? variables = null)
    {
        var r = await Api.PostAsync(query, variables, token: token);
        Assert.False(r.HasErrors, r.Body);
        return r.Data;
    }

    private Task<JsonElement> Admin(string query, object? variables = null) => As(Api.AdminToken, query, variables);

    private const string VacancyFields = """
        id status modality origin chain { index root previousVacancy }
        proposals { order rank candidatureId personId }
        next { candidatureId personId } offers { candidatureId outcome countsAsRefusal } steps { code text }
        """;

    private async Task<List<string>> WaitingTopAsync(string finess, string modality, int count)
    {
        var ranking = await Admin("""query($f: String!, $m: Modality!) { ranking(finess: $f, modality: $m) { entries(first: 200) { edges { node { candidatureId status } } } } }""",
            new { f = finess, m = modality });
        return [.. ranking.GetProperty("ranking").GetProperty("entries").Nodes()
            .Where(n => n.GetProperty("status").GetString() == "WAITING").Select(n => n.GetProperty("candidatureId").GetString()!).Take(count)];
    }

    /// <summary>The GraphQL name of a modality (RESIDENTIAL, SEMI_RESIDENTIAL…).</summary>
    private static string ModalityName(Modality m) => System.Text.RegularExpressions.Regex.Replace(m.ToString(), "(?<=[a-z])([A-Z])", "_$1").ToUpperInvariant();

    private async Task ChangeStatusAsync(string token, string person, string candidature, string status, string? reason = null) =>
        await As(token, """mutation($p: ID!, $c: ID!, $s: CandidatureStatus!, $r: CandidatureReason) { changeCandidatureStatus(input: {personId: $p, candidatureId: $c, status: $s, reason: $r}) { person { id } } }""",
            new { p = person, c = candidature, s = status, r = reason });

    [Fact]
    public async Task A_creton_young_adult_admitted_to_a_fam_frees_an_ime_place_offered_down_its_ranking_and_the_chain_of_two_is_seen_without_names()
    {
        var profiles = OrneReferenceData.Esms.Select(EsmsFileReader.ProfileOf).ToList();
        var fam = profiles.First(p => p.Kind == KindOfSupport.Fam && p.Modalities.Contains(Modality.Residential));
        // The IME whose first lasting modality (the one a chain link frees when the file names none) has the most waiting candidates.
        var imes = profiles.Where(p => p.Kind == KindOfSupport.Ime && p.Modalities.Any(m => m.IsLasting())).ToList();
        Assert.NotEmpty(imes);
        var (ime, imeModality, waiting) = (imes[0], Modality.Residential, new List<string>());
        foreach (var candidate in imes)
        {
            var modality = candidate.Modalities.Where(m => m.IsLasting()).Order().First();
            var top = await WaitingTopAsync(candidate.Finess.Value, ModalityName(modality), 5);
            if (top.Count > waiting.Count)
                (ime, imeModality, waiting) = (candidate, modality, top);
        }
        var imeFiness = ime.Finess.Value;
        // The SIMULATED population may leave fewer than two children waiting there: two more, at home without solution, are added.
        for (var i = waiting.Count; i < 2; i++)
        {
            var child = (await Admin("""
                mutation($n: String!, $f: String!, $b: DateOnly!) { createPerson(input: {department: "61", birthName: $n, firstNames: [$f], birthDate: $b, sex: MALE,
                  situation: {kind: AT_HOME_WITHOUT_SOLUTION, since: "2025-01-01"}}) { person { id } } }
                """, new { n = i == 0 ? "Bellanger" + Guid.NewGuid().ToString("N")[..4] : "Quintard" + Guid.NewGuid().ToString("N")[..4],
                    f = i == 0 ? "Sacha" : "Noémie", b = i == 0 ? "2015-05-01" : "2016-11-23" })).GetProperty("createPerson").GetProperty("person").GetProperty("id").GetString()!;
            await Admin("""mutation($p: ID!) { addOrientation(input: {personId: $p, decisionReference: "CDAPH-ACC-IME", kind: IME, validFrom: "2025-01-01"}) { person { id } } }""", new { p = child });
            var c = (await Admin("""mutation($p: ID!, $f: String!, $m: Modality!) { createCandidature(input: {personId: $p, finess: $f, modality: $m, requestDate: "2025-03-01"}) { candidature { id } } }""",
                new { p = child, f = imeFiness, m = ModalityName(imeModality) })).GetProperty("createCandidature").GetProperty("candidature").GetProperty("id").GetString()!;
            await ChangeStatusAsync(Api.AdminToken, child, c, "UNDER_REVIEW");
            await ChangeStatusAsync(Api.AdminToken, child, c, "WAITING");
        }
        waiting = await WaitingTopAsync(imeFiness, ModalityName(imeModality), 5);
        Assert.True(waiting.Count >= 2, $"IME {imeFiness} : {waiting.Count} candidature(s) en attente");
        var famFiness = fam.Finess.Value;
        var famDirector = Api.Token(Role.EsmsDirector, famFiness);
        var imeDirector = Api.Token(Role.EsmsDirector, imeFiness);

        // The young adult: 22, kept in the IME under the amendement Creton, oriented to a FAM, waiting there.
        var birthName = "Cretonacceptance" + Guid.NewGuid().ToString("N")[..6];
        var young = (await Admin("""
            mutation($n: String!, $e: String!) { createPerson(input: {department: "61", birthName: $n, firstNames: ["Lou"], birthDate: "2004-03-01", sex: FEMALE,
              situation: {kind: IN_CHILDREN_ESMS_UNDER_CRETON, since: "2024-09-01", esms: $e}}) { person { id } } }
            """, new { n = birthName, e = imeFiness })).GetProperty("createPerson").GetProperty("person").GetProperty("id").GetString()!;
        await Admin("""mutation($p: ID!) { addOrientation(input: {personId: $p, decisionReference: "CDAPH-ACC-19", kind: FAM, validFrom: "2025-01-01"}) { person { id } } }""", new { p = young });
        var toFam = (await Admin("""mutation($p: ID!, $f: String!) { createCandidature(input: {personId: $p, finess: $f, modality: RESIDENTIAL, requestDate: "2025-02-01"}) { candidature { id } } }""",
            new { p = young, f = famFiness })).GetProperty("createCandidature").GetProperty("candidature").GetProperty("id").GetString()!;
        await ChangeStatusAsync(Api.AdminToken, young, toFam, "UNDER_REVIEW");
        await ChangeStatusAsync(Api.AdminToken, young, toFam, "WAITING");

        // The FAM's director declares one more free place: a vacancy opens with its proposals; the young adult is among them.
        var places = (await Admin("""query($f: String!) { esms(finess: $f) { places { modality capacity occupied } } }""", new { f = famFiness }))
            .GetProperty("esms").GetProperty("places").EnumerateArray().FirstOrDefault(p => p.GetProperty("modality").GetString() == "RESIDENTIAL");
        var capacity = places.ValueKind == JsonValueKind.Object ? places.GetProperty("capacity").GetInt32() : 40;
        var occupied = places.ValueKind == JsonValueKind.Object ? places.GetProperty("occupied").GetInt32() : capacity;
        await As(famDirector, """mutation($f: String!, $c: Int!, $o: Int!) { setEsmsPlaces(input: {finess: $f, modality: RESIDENTIAL, capacity: $c, occupied: $o}) { esms { version } } }""",
            new { f = famFiness, c = capacity, o = Math.Max(0, occupied - 1) });
        var famVacancies = (await As(famDirector, $$"""query($f: String!) { vacancies(finess: $f, openOnly: true) { {{VacancyFields}} } }""", new { f = famFiness }))
            .GetProperty("vacancies").EnumerateArray().Where(v => v.GetProperty("status").GetString() == "OPEN" && v.GetProperty("modality").GetString() == "RESIDENTIAL").ToList();
        Assert.NotEmpty(famVacancies);
        var famVacancy = famVacancies[0].GetProperty("id").GetString()!;
        if (!famVacancies[0].GetProperty("proposals").EnumerateArray().Any(p => p.GetProperty("candidatureId").GetString() == toFam))
            await As(famDirector, """mutation($v: ID!) { proposeVacancy(input: {vacancyId: $v, count: 20}) { vacancy { id } } }""", new { v = famVacancy });
        await As(famDirector, """mutation($v: ID!, $c: ID!) { offerVacancy(input: {vacancyId: $v, candidatureId: $c}) { vacancy { status } } }""", new { v = famVacancy, c = toFam });
        await ChangeStatusAsync(famDirector, young, toFam, "ADMITTED");
        var filled = (await As(famDirector, $$"""query($v: ID!) { vacancy(id: $v) { {{VacancyFields}} } }""", new { v = famVacancy })).GetProperty("vacancy");
        Assert.Equal("FILLED", filled.GetProperty("status").GetString());

        // The IME has a vacancy of its own, linked to the FAM's, proposing the top of the IME's ranking in order.
        // (The person's file tells the IME through its outbox: read again for a few seconds if not there yet.)
        JsonElement? found = null;
        for (var i = 0; i < 50 && found is null; i++)
        {
            if (i > 0)
                await Task.Delay(200);
            found = (await As(imeDirector, $$"""query($f: String!) { vacancies(finess: $f, openOnly: true) { {{VacancyFields}} } }""", new { f = imeFiness }))
                .GetProperty("vacancies").EnumerateArray().SingleOrDefault(v => v.GetProperty("origin").GetString() == "ADMISSION_ELSEWHERE"
                    && v.GetProperty("chain").GetProperty("previousVacancy").GetString() == famVacancy) is { ValueKind: JsonValueKind.Object } v ? v : null;
        }
        Assert.True(found is not null, $"aucune place libérée liée à {famVacancy} à l'IME {imeFiness}");
        var imeVacancy = found!.Value;
        var imeVacancyId = imeVacancy.GetProperty("id").GetString()!;
        Assert.Equal(2, imeVacancy.GetProperty("chain").GetProperty("index").GetInt32());
        Assert.Equal(famVacancy, imeVacancy.GetProperty("chain").GetProperty("root").GetString());
        Assert.Equal(ModalityName(imeModality), imeVacancy.GetProperty("modality").GetString());
        var proposals = imeVacancy.GetProperty("proposals").EnumerateArray().ToList();
        Assert.Equal(waiting, proposals.Select(p => p.GetProperty("candidatureId").GetString()!));
        Assert.Equal([.. Enumerable.Range(1, proposals.Count)], proposals.Select(p => p.GetProperty("order").GetInt32()));

        // The IME's director sees « place libérée : N candidats proposés » in the worklist.
        var worklist = new List<JsonElement>();
        for (var i = 0; i < 50 && worklist.Count < proposals.Count; i++)
        {
            if (i > 0)
                await Task.Delay(200);
            worklist = [.. (await As(imeDirector, """{ worklist(department: "61") { item { kind finess candidatureId why } } }""")).GetProperty("worklist").EnumerateArray()
                .Select(r => r.GetProperty("item")).Where(i => i.GetProperty("kind").GetString() == "VACANCY_PROPOSED" && i.GetProperty("why").GetString()!.Contains(imeVacancyId))];
        }
        Assert.Equal(proposals.Count, worklist.Count);
        Assert.All(worklist, i => Assert.Contains($"{proposals.Count} candidat(s) proposé(s)", i.GetProperty("why").GetString()));

        // Offered to the first, who declines (a reason the grid counts); then to the second, who is admitted: the vacancy closes.
        var (first, second) = (proposals[0], proposals[1]);
        await As(imeDirector, """mutation($v: ID!, $c: ID!) { offerVacancy(input: {vacancyId: $v, candidatureId: $c}) { vacancy { status } } }""",
            new { v = imeVacancyId, c = first.GetProperty("candidatureId").GetString() });
        var afterRefusal = (await As(imeDirector, $$"""mutation($v: ID!, $c: ID!) { recordVacancyRefusal(input: {vacancyId: $v, candidatureId: $c, reason: PERSON_REFUSES_ESMS_PROJECT}) { vacancy { {{VacancyFields}} } } }""",
            new { v = imeVacancyId, c = first.GetProperty("candidatureId").GetString() })).GetProperty("recordVacancyRefusal").GetProperty("vacancy");
        Assert.Equal("OPEN", afterRefusal.GetProperty("status").GetString());
        Assert.Equal("DECLINED", afterRefusal.GetProperty("offers")[0].GetProperty("outcome").GetString());
        Assert.Equal(second.GetProperty("candidatureId").GetString(), afterRefusal.GetProperty("next").GetProperty("candidatureId").GetString());
        await As(imeDirector, """mutation($v: ID!, $c: ID!) { offerVacancy(input: {vacancyId: $v, candidatureId: $c}) { vacancy { status } } }""",
            new { v = imeVacancyId, c = second.GetProperty("candidatureId").GetString() });
        await ChangeStatusAsync(imeDirector, second.GetProperty("personId").GetString()!, second.GetProperty("candidatureId").GetString()!, "ADMITTED");
        var closed = (await As(imeDirector, $$"""query($v: ID!) { vacancy(id: $v) { {{VacancyFields}} } }""", new { v = imeVacancyId })).GetProperty("vacancy");
        Assert.Equal("FILLED", closed.GetProperty("status").GetString());
        Assert.Equal(["OPENED", "PROPOSED", "OFFERED", "DECLINED", "OFFERED", "FILLED"], closed.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("code").GetString()!));

        // The observatory sees the chain of two (at least: the second child may have left a place too), without names.
        var observatory = Api.Token(Role.Observatory);
        var response = await Api.PostAsync("""{ vacancyChains(department: "61", minLength: 2) { root length filled kinds daysToLastAdmission personsWithoutSolutionPlaced } }""", token: observatory);
        Assert.False(response.HasErrors, response.Body);
        var chain = response.Data.GetProperty("vacancyChains").EnumerateArray().Single(c => c.GetProperty("root").GetString() == famVacancy);
        Assert.True(chain.GetProperty("length").GetInt32() >= 2 && chain.GetProperty("filled").GetInt32() >= 2, chain.ToString());
        Assert.Equal(["FAM", "IME"], chain.GetProperty("kinds").EnumerateArray().Take(2).Select(k => k.GetString()!));
        Assert.DoesNotContain(birthName, response.Body);
        var refused = await Api.PostAsync($$"""{ vacancies(finess: "{{imeFiness}}") { id } }""", token: observatory);
        Assert.Equal("FORBIDDEN", refused.FirstErrorCode);
    }
}
