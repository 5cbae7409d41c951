using Listes360.Domain.Security;

namespace Listes360.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class AuditTests(ApiFixture api)
{
    private const string Audit = """
        query A($from: DateTimeOffset!, $to: DateTimeOffset!, $target: String) {
          auditEntries(from: $from, to: $to, target: $target) { subject role operation kind target outcome detail }
        }
        """;

    [Fact]
    public async Task A_write_and_a_denial_appear_in_the_audit_with_the_callers_identity()
    {
        var from = DateTimeOffset.UtcNow.AddMinutes(-1);
        await api.PostAsync("""mutation { registerEsms(input: {finess: "610000168", name: "ITEP du Perche", category: "186"}) { esms { finess } } }""");
        await api.PostAsync("""mutation { setEsmsPlaces(input: {finess: "610000168", modality: RESIDENTIAL, capacity: 8, occupied: 1}) { esms { version } } }""",
            token: api.Token(Role.EsmsDirector, "610000176"));

        var response = await api.PostAsync(Audit, new { from, to = DateTimeOffset.UtcNow.AddMinutes(1), target = "610000168" });

        Assert.False(response.HasErrors, response.Body);
        var entries = response.Data.GetProperty("auditEntries").EnumerateArray().ToList();
        Assert.Contains(entries, e => e.GetProperty("subject").GetString() == "test-Admin"
            && e.GetProperty("role").GetString() == "ADMIN"
            && e.GetProperty("operation").GetString() == "IEsmsGrain.RegisterAsync"
            && e.GetProperty("kind").GetString() == "WRITE"
            && e.GetProperty("outcome").GetString() == "DONE");
        Assert.Contains(entries, e => e.GetProperty("subject").GetString() == "test-EsmsDirector"
            && e.GetProperty("operation").GetString() == "IEsmsGrain.SetPlacesAsync"
            && e.GetProperty("outcome").GetString() == "DENIED");
    }

    [Fact]
    public async Task Only_the_admin_reads_the_audit()
    {
        var response = await api.PostAsync(Audit, new { from = DateTimeOffset.UtcNow.AddDays(-1), to = DateTimeOffset.UtcNow },
            token: api.Token(Role.TerritorialStaff));

        Assert.Equal("FORBIDDEN", response.FirstErrorCode);
    }

    [Fact]
    public void No_mutation_can_change_the_audit()
    {
        var contract = File.ReadAllText(Path.Combine(Listes360.Testing.RepositoryRoot.Find(), "schema.graphql"));
        var mutation = contract[contract.IndexOf("type Mutation {", StringComparison.Ordinal)..];
        mutation = mutation[..(mutation.IndexOf("\n}", StringComparison.Ordinal) + 2)];

        Assert.DoesNotContain("audit", mutation, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(typeof(Listes360.Grains.Security.IAuditTrail).GetMethods(),
            m => !m.Name.StartsWith("Append", StringComparison.Ordinal) && !m.Name.StartsWith("Query", StringComparison.Ordinal));
    }
}
