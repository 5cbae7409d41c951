using Listes360.Api.Tests;
using Listes360.Domain.Security;
using Listes360.Domain.Territories;
using Xunit.Abstractions;

namespace Listes360.Security.Tests;

/// <summary>
/// Issue 12, class 4: every role is bound to its département (and a territorial staff member to their
/// territory), on the grain key and on every argument naming a département, an ESMS, a territory or a
/// person. Only an administrator whose token carries the explicit national scope is not.
/// </summary>
[Collection(SecurityCollection.Name)]
public sealed class Class4ScopeTests(ApiFixture api, ITestOutputHelper output)
{
    private sealed record Scene(string Esms61, string Person61, string Esms62, string Person62, string Director, string DirectorsPerson);

    /// <summary>As each département's own administrator: an ESMS and a person in the Orne and in the Pas-de-Calais.</summary>
    private async Task<Scene> SetUpAsync(AccessProbe probe)
    {
        var admin61 = api.AdminToken;
        var admin62 = probe.Token(Role.Admin, "62");
        var esms61 = await probe.RegisterEsmsAsync("61", admin61);
        var person61 = (await probe.CreatePersonAsync("61", admin61)).Id;
        var esms62 = await probe.RegisterEsmsAsync("62", admin62);
        var person62 = (await probe.CreatePersonAsync("62", admin62)).Id;
        var directorsPerson = (await probe.CreatePersonAsync("61", admin61)).Id;
        await probe.ApplyAsync(directorsPerson, esms61, admin61);
        return new Scene(esms61, person61, esms62, person62, probe.Token(Role.EsmsDirector, finess: esms61), directorsPerson);
    }

    /// <summary>Operations naming the Pas-de-Calais, by key or by argument, with the role that may use them in its own département.</summary>
    private static IEnumerable<(string Name, Role[] Roles, string Query, object Variables)> Operations(Scene s) =>
    [
        ("esmsList(62)", [Role.EsmsDirector, Role.TerritorialStaff, Role.MdphReferent, Role.Observatory, Role.Admin],
            """{ esmsList(department: "62", first: 5) { totalCount } }""", new { }),
        ("esms(ESMS 62)", [Role.TerritorialStaff, Role.MdphReferent, Role.Observatory, Role.Admin],
            """query($f: String!) { esms(finess: $f) { name } }""", new { f = s.Esms62 }),
        ("departmentCounts(62)", [Role.TerritorialStaff, Role.MdphReferent, Role.Observatory, Role.Admin],
            """{ departmentCounts(department: "62") { total { listEntries } } }""", new { }),
        ("indicators(62)", [Role.TerritorialStaff, Role.MdphReferent, Role.Observatory, Role.Admin],
            """{ indicators(department: "62") { listEntries } }""", new { }),
        ("sequentialSearch(62)", [Role.TerritorialStaff, Role.Admin],
            """{ sequentialSearch(department: "62", first: 5) { candidatesConsidered } }""", new { }),
        ("reviewQueue(62)", [Role.MdphReferent, Role.Admin],
            """{ reviewQueue(department: "62", first: 5) { totalCount } }""", new { }),
        ("person(personne 62)", [Role.TerritorialStaff, Role.MdphReferent, Role.Admin],
            """query($p: ID!) { person(id: $p) { birthName } }""", new { p = s.Person62 }),
        ("createPerson(62)", [Role.TerritorialStaff, Role.MdphReferent, Role.Admin],
            $$"""mutation { createPerson(input: {department: "62", birthName: "{{AccessProbe.UniqueName()}}", firstNames: ["Portée"], birthDate: "1990-01-01", sex: FEMALE}) { person { id } } }""", new { }),
        ("registerEsms(ESMS 62)", [Role.Admin],
            """mutation($f: String!) { registerEsms(input: {finess: $f, name: "Hors portée", category: "255"}) { esms { finess } } }""", new { f = AccessProbe.NewFiness("62") }),
        ("setEsmsPlaces(ESMS 62)", [Role.Admin],
            """mutation($f: String!) { setEsmsPlaces(input: {finess: $f, modality: RESIDENTIAL, capacity: 9, occupied: 3}) { esms { version } } }""", new { f = s.Esms62 }),
        ("publishGrid(62)", [Role.Admin],
            $$""""mutation { publishGrid(input: {department: "62", document: """{{Listes360.Domain.Grid.GridDocument.DefaultJson("61").Replace("\"department\": \"61\"", "\"department\": \"62\"")}}"""}) { publication { grid { version } } } }"""", new { }),
        ("reconcileDepartment(62)", [Role.Admin],
            """mutation { reconcileDepartment(input: {department: "62"}) { pass { persons } } }""", new { }),
        ("reconcileStatus(62)", [Role.Admin],
            """{ reconcileStatus(department: "62") { status persons } }""", new { }),
        ("createCandidature(personne 61, ESMS 62)", [Role.TerritorialStaff, Role.MdphReferent, Role.Admin],
            """mutation($p: ID!, $f: String!) { createCandidature(input: {personId: $p, finess: $f, modality: RESIDENTIAL}) { candidature { id } } }""", new { p = s.Person61, f = s.Esms62 }),
        ("createCandidature(candidat du directeur, ESMS 62)", [Role.EsmsDirector],
            """mutation($p: ID!, $f: String!) { createCandidature(input: {personId: $p, finess: $f, modality: RESIDENTIAL}) { candidature { id } } }""", new { p = s.DirectorsPerson, f = s.Esms62 }),
        ("mergePersons(personne 61 ← personne 62)", [Role.MdphReferent, Role.Admin],
            """mutation($s: ID!, $m: ID!) { mergePersons(input: {survivorId: $s, mergedId: $m, reason: "hors portée"}) { merge { survivorId } } }""", new { s = s.Person61, m = s.Person62 }),
    ];

    private static string TokenFor(AccessProbe probe, Scene s, Role role) =>
        role is Role.EsmsDirector ? s.Director : probe.Token(role, "61");

    private async Task RefuseEverythingNaming62Async(AccessProbe probe, Scene scene)
    {
        foreach (var (name, roles, query, variables) in Operations(scene))
            foreach (var role in roles)
                await probe.RefusedAsync($"{role} (61) : {name}", TokenFor(probe, scene, role), query, variables);
    }

    /// <summary>An administrator's token without département is bound to none, unless it says « national ».</summary>
    private async Task RefuseAdminWithoutDepartmentAsync(AccessProbe probe)
    {
        var adminOfNowhere = probe.Token(Role.Admin, department: null);
        await probe.RefusedAsync("admin sans département : esmsList(62)", adminOfNowhere, """{ esmsList(department: "62", first: 5) { totalCount } }""");
        await probe.RefusedAsync("admin sans département : createPerson(62)", adminOfNowhere,
            $$"""mutation { createPerson(input: {department: "62", birthName: "{{AccessProbe.UniqueName()}}", firstNames: ["Portée"], birthDate: "1990-01-01", sex: FEMALE}) { person { id } } }""");
        await probe.RefusedAsync("territorial-staff « national » : esmsList(62)", probe.Token(Role.TerritorialStaff, department: null, national: true),
            """{ esmsList(department: "62", first: 5) { totalCount } }""");
    }

    /// <summary>A territorial staff member with a territory: another territory of the Orne is refused, and so is a territory of no département of theirs.</summary>
    private async Task RefuseOtherTerritoriesAsync(AccessProbe probe)
    {
        var territories = TerritoryDirectory.FromEmbedded("61").Territories.Select(t => t.Code).Order(StringComparer.Ordinal).ToList();
        var (own, other) = (territories[0], territories[1]);
        const string foreign = "200000000"; // a SIREN that is no EPCI of the Orne
        var staffOfOwn = probe.Token(Role.TerritorialStaff, "61", territory: own);
        await probe.RefusedAsync("territorial-staff (territoire) : sequentialSearch(autre territoire)", staffOfOwn,
            """query($t: String) { sequentialSearch(department: "61", territory: $t, first: 5) { candidatesConsidered } }""", new { t = other });
        await probe.RefusedAsync("territorial-staff (territoire) : esmsList(autre territoire)", staffOfOwn,
            """query($t: String) { esmsList(department: "61", territory: $t, first: 5) { totalCount } }""", new { t = other });
        await probe.RefusedAsync("territorial-staff (territoire) : ruptureRisks(autre territoire)", staffOfOwn,
            """query($t: String) { ruptureRisks(department: "61", territory: $t, first: 5) { totalCount } }""", new { t = other });
        await probe.RefusedAsync("territorial-staff (61) : sequentialSearch(territoire hors du 61)", probe.Token(Role.TerritorialStaff, "61"),
            """query($t: String) { sequentialSearch(department: "61", territory: $t, first: 5) { candidatesConsidered } }""", new { t = foreign });

        await probe.AllowedAsync("territorial-staff (territoire) : sequentialSearch(son territoire)", staffOfOwn,
            """query($t: String) { sequentialSearch(department: "61", territory: $t, first: 5) { candidatesConsidered } }""", new { t = own });
    }

    [Fact]
    public async Task Every_role_with_a_token_of_61_is_refused_in_62_and_nothing_changes()
    {
        var probe = new AccessProbe(api, output);
        var scene = await SetUpAsync(probe);
        await RefuseEverythingNaming62Async(probe, scene);
        probe.AssertAllRefused("4 (département 62, jeton 61)");
    }

    [Fact]
    public async Task The_same_operations_are_allowed_in_61()
    {
        var probe = new AccessProbe(api, output);
        var scene = await SetUpAsync(probe);
        foreach (var role in new[] { Role.EsmsDirector, Role.TerritorialStaff, Role.MdphReferent, Role.Observatory, Role.Admin })
            await probe.AllowedAsync($"{role} : esmsList(61)", TokenFor(probe, scene, role), """{ esmsList(department: "61", first: 5) { totalCount } }""");
        foreach (var role in new[] { Role.TerritorialStaff, Role.MdphReferent, Role.Admin })
        {
            var token = TokenFor(probe, scene, role);
            await probe.AllowedAsync($"{role} : createPerson(61)", token,
                $$"""mutation { createPerson(input: {department: "61", birthName: "{{AccessProbe.UniqueName()}}", firstNames: ["Portée"], birthDate: "1990-01-01", sex: FEMALE}) { person { id } } }""");
            var person = (await probe.CreatePersonAsync("61", token)).Id;
            await probe.ApplyAsync(person, scene.Esms61, token);
        }
        await probe.AllowedAsync("admin (61) : registerEsms(61)", api.AdminToken,
            """mutation($f: String!) { registerEsms(input: {finess: $f, name: "Dans la portée", category: "255"}) { esms { finess } } }""", new { f = AccessProbe.NewFiness("61") });
        await probe.AllowedAsync("observatory (61) : departmentCounts(61)", probe.Token(Role.Observatory, "61"),
            """{ departmentCounts(department: "61") { total { listEntries } } }""");
        await probe.AllowedAsync("esms-director : createCandidature(son candidat, son ESMS)", scene.Director,
            """mutation($p: ID!, $f: String!) { createCandidature(input: {personId: $p, finess: $f, modality: SEMI_RESIDENTIAL}) { candidature { id } } }""", new { p = scene.DirectorsPerson, f = scene.Esms61 });
    }

    [Fact]
    public async Task The_national_admin_is_allowed_in_62_and_an_admin_without_departement_is_not()
    {
        var probe = new AccessProbe(api, output);
        var scene = await SetUpAsync(probe);
        var national = probe.Token(Role.Admin, department: null, national: true);
        await probe.AllowedAsync("admin national : esmsList(62)", national, """{ esmsList(department: "62", first: 5) { totalCount } }""");
        await probe.AllowedAsync("admin national : person(62)", national, """query($p: ID!) { person(id: $p) { birthName } }""", new { p = scene.Person62 });
        await probe.AllowedAsync("admin national : createPerson(62)", national,
            $$"""mutation { createPerson(input: {department: "62", birthName: "{{AccessProbe.UniqueName()}}", firstNames: ["Nationale"], birthDate: "1990-01-01", sex: FEMALE}) { person { id } } }""");
        await probe.AllowedAsync("admin national : registerEsms(62)", national,
            """mutation($f: String!) { registerEsms(input: {finess: $f, name: "National", category: "255"}) { esms { finess } } }""", new { f = AccessProbe.NewFiness("62") });
        await probe.AllowedAsync("admin national : createCandidature(personne 62, ESMS 62)", national,
            """mutation($p: ID!, $f: String!) { createCandidature(input: {personId: $p, finess: $f, modality: RESIDENTIAL}) { candidature { id } } }""", new { p = scene.Person62, f = scene.Esms62 });

        await RefuseAdminWithoutDepartmentAsync(probe);
        probe.AssertAllRefused("4 (jetons sans département)");
    }

    [Fact]
    public async Task A_departement_admin_reads_the_audit_trail_of_their_departement_only()
    {
        var probe = new AccessProbe(api, output);
        var scene = await SetUpAsync(probe);
        var now = DateTimeOffset.UtcNow;
        var journal = $$"""{ auditEntries(from: "{{now.AddDays(-1):yyyy-MM-ddTHH:mm:ssZ}}", to: "{{now.AddDays(1):yyyy-MM-ddTHH:mm:ssZ}}", first: 1000) { target } }""";
        static List<string> Targets(GraphQLResponse r) =>
            r.Data.GetProperty("auditEntries").EnumerateArray().Select(e => e.GetProperty("target").GetString()!).ToList();

        var of62 = await api.PostAsync(journal, token: probe.Token(Role.Admin, "62"));
        var ofNation = await api.PostAsync(journal, token: probe.Token(Role.Admin, department: null, national: true));

        Assert.False(of62.HasErrors, of62.Body);
        Assert.False(ofNation.HasErrors, ofNation.Body);
        Assert.Contains(scene.Esms62, Targets(of62));
        Assert.All(Targets(of62), target => Assert.Equal("62", AccessPolicy.DepartmentOfTarget(target)));
        Assert.Contains(scene.Esms61, Targets(ofNation));
        Assert.Contains(scene.Esms62, Targets(ofNation));
    }

    [Theory]
    [InlineData(Role.Admin, "61", "national")]          // national and of a département at once
    [InlineData(Role.Admin, null, "regional")]          // no other scope exists
    [InlineData(Role.MdphReferent, null, "national")]   // national is an administrator's only
    public async Task A_scope_claim_other_than_a_national_admins_is_refused_at_once(Role role, string? department, string scope)
    {
        var probe = new AccessProbe(api, output);
        var before = await StorageSnapshot.TakeAsync(api);

        var response = await api.PostAsync("""{ esmsList(department: "61", first: 5) { totalCount } }""", token: probe.Token(role, department, scope: scope));

        Assert.Equal((403, "FORBIDDEN"), (response.Status, response.FirstErrorCode));
        Assert.Contains("portée", response.FirstError.GetProperty("message").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.Empty((await StorageSnapshot.TakeAsync(api)).ChangesSince(before));
    }

    [Fact]
    public async Task A_territorial_staff_member_is_bound_to_their_territory()
    {
        var probe = new AccessProbe(api, output);
        await RefuseOtherTerritoriesAsync(probe);
        probe.AssertAllRefused("4 (territoires)");
    }

    /// <summary>Every try of the class, tallied for the closing note (LISTES360_PROBE_TALLY appends the row to a file).</summary>
    [Fact]
    public async Task Replay_of_the_class_tallies_no_wrong_acceptance()
    {
        var probe = new AccessProbe(api, output);
        var scene = await SetUpAsync(probe);
        await RefuseEverythingNaming62Async(probe, scene);
        await RefuseAdminWithoutDepartmentAsync(probe);
        await RefuseOtherTerritoriesAsync(probe);
        probe.AssertAllRefused("4");
    }
}
