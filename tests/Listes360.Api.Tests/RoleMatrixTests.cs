using GraphQL.Types;
using Listes360.Domain.Security;
using Microsoft.Extensions.DependencyInjection;

namespace Listes360.Api.Tests;

/// <summary>
/// Every query and mutation of the schema, for every role: allowed callers succeed, denied callers
/// get FORBIDDEN and nothing changes. A field without an entry here fails the first test.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class RoleMatrixTests(ApiFixture api)
{
    private static readonly Role[] TokenRoles = [Role.EsmsDirector, Role.TerritorialStaff, Role.MdphReferent, Role.Observatory, Role.Admin];
    private static int _nextFiness = 1_000;

    /// <summary>
    /// One entry per schema field. <c>{finess}</c> is replaced by a fresh ESMS registered by the admin
    /// (the director's token carries it); <see cref="Case.Probe"/> reads, as admin, what a denied
    /// mutation must leave unchanged.
    /// </summary>
    private static readonly Dictionary<string, Case> Matrix = new()
    {
        ["Query.esms"] = new(
            """{ esms(finess: "{finess}") { name places { capacity } } }""",
            [Role.EsmsDirector, Role.TerritorialStaff, Role.MdphReferent, Role.Observatory, Role.Admin]),
        ["Query.esmsList"] = new(
            """{ esmsList(department: "61", first: 5) { totalCount items { finess } } }""",
            [Role.EsmsDirector, Role.TerritorialStaff, Role.MdphReferent, Role.Observatory, Role.Admin]),
        ["Query.auditEntries"] = new(
            """{ auditEntries(from: "2026-01-01T00:00:00Z", to: "2026-12-31T00:00:00Z", first: 1) { operation } }""",
            [Role.Admin]),
        ["Query.person"] = new(
            """{ person(id: "{person}") { birthName candidatures { status } } }""",
            [Role.EsmsDirector, Role.TerritorialStaff, Role.MdphReferent, Role.Admin]),
        ["Query.departmentCounts"] = new(
            """{ departmentCounts(department: "61") { total { distinctPersonsWaiting listEntries } } }""",
            [Role.TerritorialStaff, Role.MdphReferent, Role.Observatory, Role.Admin]),
        ["Query.ruptureRisks"] = new(
            """{ ruptureRisks(department: "61", first: 5) { totalCount items { pseudonym probability } model { modelId simulated } } }""",
            [Role.TerritorialStaff, Role.MdphReferent, Role.Observatory, Role.Admin]),
        ["Query.indicators"] = new(
            """{ indicators(department: "61") { distinctPersonsWaiting listEntries creton transitionAge model { simulated } } }""",
            [Role.TerritorialStaff, Role.MdphReferent, Role.Observatory, Role.Admin]),
        ["Mutation.createPerson"] = new(
            """mutation { createPerson(input: {department: "61", birthName: "Matrice", firstNames: ["Test"], birthDate: "1990-01-01", sex: FEMALE}) { id } }""",
            [Role.TerritorialStaff, Role.MdphReferent, Role.Admin]),
        ["Mutation.updatePersonSituation"] = new(
            """mutation { updatePersonSituation(input: {personId: "{person}", situation: {kind: IN_HOSPITAL, since: "2026-01-01"}}) { version } }""",
            [Role.TerritorialStaff, Role.MdphReferent, Role.Admin],
            Probe: PersonProbe),
        ["Mutation.addOrientation"] = new(
            """mutation { addOrientation(input: {personId: "{person}", decisionReference: "CDAPH-M2", kind: FAM, validFrom: "2025-01-01"}) { version } }""",
            [Role.MdphReferent, Role.Admin],
            Probe: PersonProbe),
        ["Mutation.createCandidature"] = new(
            """mutation { createCandidature(input: {personId: "{person}", finess: "{finess}", modality: SEMI_RESIDENTIAL}) { id } }""",
            [Role.EsmsDirector, Role.TerritorialStaff, Role.MdphReferent, Role.Admin],
            Probe: PersonProbe),
        ["Mutation.changeCandidatureStatus"] = new(
            """mutation { changeCandidatureStatus(input: {personId: "{person}", candidatureId: "{candidature}", status: UNDER_REVIEW}) { version } }""",
            [Role.EsmsDirector, Role.TerritorialStaff, Role.Admin],
            Probe: PersonProbe),
        ["Mutation.resolveSolutionElsewhere"] = new(
            """mutation { resolveSolutionElsewhere(input: {personId: "{person}", candidatureId: "{candidature}", decision: CONFIRM}) { version } }""",
            [Role.TerritorialStaff, Role.Admin],
            Probe: PersonProbe,
            AdmittedElsewhere: true),
        ["Mutation.reconcileDepartment"] = new(
            """mutation { reconcileDepartment(department: "61") { persons failed } }""",
            [Role.Admin]),
        ["Mutation.registerEsms"] = new(
            """mutation { registerEsms(input: {finess: "{finess}", name: "Nouveau nom", category: "183"}) { name } }""",
            [Role.Admin],
            Probe: """{ esms(finess: "{finess}") { name version } }"""),
        ["Mutation.setEsmsPlaces"] = new(
            """mutation { setEsmsPlaces(input: {finess: "{finess}", modality: RESIDENTIAL, capacity: 9, occupied: 3}) { version } }""",
            [Role.EsmsDirector, Role.Admin],
            Probe: """{ esms(finess: "{finess}") { places { capacity occupied } version } }"""),
    };

    private const string PersonProbe = """{ person(id: "{person}") { version candidatures { status version } orientations { decisionReference } situation { kind } } }""";

    public static TheoryData<string, Role> Cases()
    {
        var data = new TheoryData<string, Role>();
        foreach (var field in Matrix.Keys)
            foreach (var role in TokenRoles)
                data.Add(field, role);
        return data;
    }

    [Fact]
    public void Every_query_and_mutation_has_an_entry()
    {
        var schema = api.App.Services.GetRequiredService<ISchema>();
        var fields = schema.Query.Fields.Select(f => "Query." + f.Name)
            .Concat(schema.Mutation?.Fields.Select(f => "Mutation." + f.Name) ?? [])
            .ToHashSet();

        var missing = fields.Except(Matrix.Keys).ToList();
        var stale = Matrix.Keys.Except(fields).ToList();

        Assert.True(missing.Count == 0, "Champs sans entrée dans la matrice rôles × opérations : " + string.Join(", ", missing));
        Assert.True(stale.Count == 0, "Entrées de la matrice sans champ dans le schéma : " + string.Join(", ", stale));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Allowed_roles_succeed_and_denied_roles_get_forbidden_and_change_nothing(string field, Role role)
    {
        var entry = Matrix[field];
        var (finess, person, candidature) = await SetUpAsync(entry.AdmittedElsewhere);
        string Fill(string text) => text.Replace("{finess}", finess).Replace("{person}", person).Replace("{candidature}", candidature);
        var before = entry.Probe is null ? null : (await api.PostAsync(Fill(entry.Probe))).Body;

        var response = await api.PostAsync(Fill(entry.Operation), token: api.Token(role, finess));

        if (entry.Allowed.Contains(role))
        {
            Assert.False(response.HasErrors, $"{field} devrait être permis au rôle {role} : {response.Body}");
        }
        else
        {
            Assert.True(response.FirstErrorCode == "FORBIDDEN", $"{field} devrait être refusé au rôle {role} : {response.Body}");
            if (entry.Probe is not null)
                Assert.Equal(before, (await api.PostAsync(Fill(entry.Probe))).Body);
        }
    }

    /// <summary>
    /// As admin: a MAS, a person oriented towards MAS with a candidature to it; with
    /// <paramref name="admittedElsewhere"/>, the person is then admitted in a second MAS, so the
    /// first candidature is SOLUTION_FOUND_ELSEWHERE.
    /// </summary>
    private async Task<(string Finess, string Person, string Candidature)> SetUpAsync(bool admittedElsewhere)
    {
        async Task<System.Text.Json.JsonElement> Admin(string query, object? variables = null)
        {
            var r = await api.PostAsync(query, variables);
            Assert.False(r.HasErrors, r.Body);
            return r.Data;
        }
        async Task<string> NewEsms()
        {
            var f = "61" + Interlocked.Increment(ref _nextFiness).ToString("D7");
            await Admin("""mutation($f: String!) { registerEsms(input: {finess: $f, name: "ESMS de la matrice", category: "255"}) { finess } }""", new { f });
            return f;
        }
        async Task<string> Apply(string p, string f) =>
            (await Admin("""mutation($p: ID!, $f: String!) { createCandidature(input: {personId: $p, finess: $f, modality: RESIDENTIAL, requestDate: "2026-03-01"}) { id } }""", new { p, f }))
                .GetProperty("createCandidature").GetProperty("id").GetString()!;

        var finess = await NewEsms();
        var person = (await Admin("""mutation { createPerson(input: {department: "61", birthName: "Matrice", firstNames: ["Test"], birthDate: "1980-01-01", sex: MALE, situation: {kind: AT_HOME_WITHOUT_SOLUTION, since: "2025-01-01"}}) { id } }"""))
            .GetProperty("createPerson").GetProperty("id").GetString()!;
        await Admin("""mutation($p: ID!) { addOrientation(input: {personId: $p, decisionReference: "CDAPH-M1", kind: MAS, validFrom: "2025-01-01"}) { id } }""", new { p = person });
        var candidature = await Apply(person, finess);
        if (admittedElsewhere)
        {
            var other = await Apply(person, await NewEsms());
            foreach (var status in new[] { "UNDER_REVIEW", "WAITING", "OFFERED", "ADMITTED" })
                await Admin("""mutation($p: ID!, $c: ID!, $s: CandidatureStatus!) { changeCandidatureStatus(input: {personId: $p, candidatureId: $c, status: $s}) { id } }""", new { p = person, c = other, s = status });
        }
        return (finess, person, candidature);
    }

    private sealed record Case(string Operation, Role[] Allowed, string? Probe = null, bool AdmittedElsewhere = false);
}
