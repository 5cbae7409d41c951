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
        ["Mutation.registerEsms"] = new(
            """mutation { registerEsms(input: {finess: "{finess}", name: "Nouveau nom", category: "183"}) { name } }""",
            [Role.Admin],
            Probe: """{ esms(finess: "{finess}") { name version } }"""),
        ["Mutation.setEsmsPlaces"] = new(
            """mutation { setEsmsPlaces(input: {finess: "{finess}", modality: RESIDENTIAL, capacity: 9, occupied: 3}) { version } }""",
            [Role.EsmsDirector, Role.Admin],
            Probe: """{ esms(finess: "{finess}") { places { capacity occupied } version } }"""),
    };

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
        var finess = "61" + Interlocked.Increment(ref _nextFiness).ToString("D7");
        var setup = await api.PostAsync("""mutation($f: String!) { registerEsms(input: {finess: $f, name: "ESMS de la matrice", category: "183"}) { finess } }""", new { f = finess });
        Assert.False(setup.HasErrors, setup.Body);
        var before = entry.Probe is null ? null : (await api.PostAsync(entry.Probe.Replace("{finess}", finess))).Body;

        var response = await api.PostAsync(entry.Operation.Replace("{finess}", finess), token: api.Token(role, finess));

        if (entry.Allowed.Contains(role))
        {
            Assert.False(response.HasErrors, $"{field} devrait être permis au rôle {role} : {response.Body}");
        }
        else
        {
            Assert.True(response.FirstErrorCode == "FORBIDDEN", $"{field} devrait être refusé au rôle {role} : {response.Body}");
            if (entry.Probe is not null)
                Assert.Equal(before, (await api.PostAsync(entry.Probe.Replace("{finess}", finess))).Body);
        }
    }

    private sealed record Case(string Operation, Role[] Allowed, string? Probe = null);
}
