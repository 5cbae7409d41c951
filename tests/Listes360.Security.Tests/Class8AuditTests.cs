using Listes360.Api.Security;
using Listes360.Api.Tests;
using Listes360.Domain.Security;
using Listes360.Grains.Security;
using Microsoft.Extensions.DependencyInjection;

namespace Listes360.Security.Tests;

/// <summary>
/// Issue 12, class 8 (audit): each read of identifying data and each refusal found unaudited is
/// audited exactly once; a request repeating one audited read through aliases writes one row per
/// field; every 401 is audited, one row per source and minute however many arrive.
/// </summary>
[Collection(SecurityCollection.Name)]
public sealed class Class8AuditTests(ApiFixture api)
{
    private const string OtherFiness = "610000192";

    private string Token(string subject, Role role, string? territory = null, params string[] finess) =>
        DevTokens.Mint(api.Auth, subject, role, finess, "61", territory, TimeSpan.FromMinutes(30));

    private static string Subject(string what) => $"c8-{what}-{Guid.NewGuid():N}"[..24];

    private async Task<IReadOnlyList<AuditEntry>> RowsOfAsync(string subject, DateTimeOffset from) =>
        await api.App.Services.GetRequiredService<IAuditTrail>()
            .QueryAsync(new AuditQuery(from, DateTimeOffset.UtcNow.AddMinutes(1), Subject: subject, Limit: 1000));

    [Fact]
    public async Task A_directors_sequential_needs_read_is_audited_once_when_served_and_once_when_refused()
    {
        var person = await ObservatorySeed.WaitingPersonAsync(api, "Séquentielle", "1990-04-04", 60);
        var stranger = await ObservatorySeed.WaitingPersonAsync(api, "Étrangère", "1991-04-04", 60);
        await ObservatorySeed.AdminAsync(api, """mutation($f: String!) { registerEsms(input: {finess: $f, name: "FAM voisin", category: "437"}) { esms { finess } } }""", new { f = OtherFiness });
        var from = DateTimeOffset.UtcNow.AddSeconds(-1);
        var own = Subject("needs");
        var other = Subject("needs-other");

        var served = await api.PostAsync("""query($p: ID!) { sequentialNeeds(personId: $p) { amount } }""", new { p = person },
            token: Token(own, Role.EsmsDirector, null, ObservatorySeed.Finess));
        Assert.False(served.HasErrors, served.Body);
        var before = await StorageSnapshot.TakeAsync(api);
        var refused = await api.PostAsync("""query($p: ID!) { sequentialNeeds(personId: $p) { amount } }""", new { p = stranger },
            token: Token(other, Role.EsmsDirector, null, OtherFiness));
        Assert.Equal("FORBIDDEN", refused.FirstErrorCode);
        Assert.Empty((await StorageSnapshot.TakeAsync(api)).ChangesSince(before));

        var done = Assert.Single(await RowsOfAsync(own, from));
        Assert.Equal(("IPersonSequentialGrain.GetSequentialNeedsAsync", person, AuditOutcome.Done, AuditKind.Read), (done.Operation, done.Target, done.Outcome, done.Kind));
        var denied = Assert.Single(await RowsOfAsync(other, from));
        Assert.Equal(("IPersonSequentialGrain.GetSequentialNeedsAsync", stranger, AuditOutcome.Denied), (denied.Operation, denied.Target, denied.Outcome));
    }

    [Fact]
    public async Task A_staff_members_rupture_risks_on_another_territory_is_refused_and_audited_once()
    {
        var from = DateTimeOffset.UtcNow.AddSeconds(-1);
        var subject = Subject("territory");
        var before = await StorageSnapshot.TakeAsync(api);
        var r = await api.PostAsync("""{ ruptureRisks(department: "61", territory: "200071553") { totalCount } }""",
            token: Token(subject, Role.TerritorialStaff, "246100663"));
        Assert.Equal("FORBIDDEN", r.FirstErrorCode);
        Assert.Empty((await StorageSnapshot.TakeAsync(api)).ChangesSince(before));

        // Refused by each of the département's risk shards, audited once for the request.
        var row = Assert.Single(await RowsOfAsync(subject, from));
        Assert.Equal(("IRiskShardGrain.SelectAsync", AuditOutcome.Denied, Role.TerritorialStaff), (row.Operation, row.Outcome, row.Role));
        Assert.Contains("246100663", row.Detail);
    }

    [Fact]
    public async Task The_403s_of_the_csv_exports_are_audited_once()
    {
        var from = DateTimeOffset.UtcNow.AddSeconds(-1);
        var director = Subject("export");
        var staff = Subject("export-terr");
        var noRole = Subject("export-norole");
        var before = await StorageSnapshot.TakeAsync(api);

        Assert.Equal(403, (await ExportAsync("/exports/rupture-risks.csv?department=61", Token(director, Role.EsmsDirector, null, ObservatorySeed.Finess))).Status);
        Assert.Equal(403, (await ExportAsync("/exports/rupture-risks.csv?department=61&territory=200071553", Token(staff, Role.TerritorialStaff, "246100663"))).Status);
        Assert.Equal(403, (await ExportAsync("/exports/indicators.csv?department=61", Probe.RolelessToken(api, noRole))).Status);
        Assert.Empty((await StorageSnapshot.TakeAsync(api)).ChangesSince(before));

        var byDirector = Assert.Single(await RowsOfAsync(director, from));
        Assert.Equal(("IRiskShardGrain.SelectAsync", AuditOutcome.Denied), (byDirector.Operation, byDirector.Outcome));
        var byStaff = Assert.Single(await RowsOfAsync(staff, from));
        Assert.Equal(AuditOutcome.Denied, byStaff.Outcome);
        var roleless = Assert.Single(await RowsOfAsync(noRole, from));
        Assert.Equal(("Export indicateurs", "/exports/indicators.csv", AuditOutcome.Denied), (roleless.Operation, roleless.Target, roleless.Outcome));
        Assert.Contains("aucun rôle", roleless.Detail);
    }

    [Fact]
    public async Task A_graphql_request_with_a_token_without_role_is_audited_once()
    {
        var from = DateTimeOffset.UtcNow.AddSeconds(-1);
        var subject = Subject("norole");
        var r = await api.PostAsync("""{ esmsList(department: "61", first: 1) { totalCount } }""", token: Probe.RolelessToken(api, subject));
        Assert.Equal(403, r.Status);
        var row = Assert.Single(await RowsOfAsync(subject, from));
        Assert.Equal(("GraphQL", "/graphql", AuditOutcome.Denied), (row.Operation, row.Target, row.Outcome));
    }

    [Fact]
    public async Task Aliases_of_one_audited_read_write_one_row_per_field_not_per_alias()
    {
        var person = await ObservatorySeed.WaitingPersonAsync(api, "Aliasée", "1985-08-08", 55);
        var from = DateTimeOffset.UtcNow.AddSeconds(-1);
        var reader = Subject("aliases");
        var prober = Subject("aliases-denied");
        const string query = """
            query($p: ID!) { a1: person(id: $p) { id } a2: person(id: $p) { id } a3: person(id: $p) { id } a4: person(id: $p) { id } a5: person(id: $p) { id }
              n1: sequentialNeeds(personId: $p) { amount } n2: sequentialNeeds(personId: $p) { amount } n3: sequentialNeeds(personId: $p) { amount } }
            """;
        var read = await api.PostAsync(query, new { p = person }, token: Token(reader, Role.MdphReferent));
        Assert.False(read.HasErrors, read.Body);
        var rows = await RowsOfAsync(reader, from);
        Assert.Equal(2, rows.Count);
        Assert.Single(rows, e => e.Operation == "IPersonGrain.GetAsync" && e.Target == person && e.Outcome == AuditOutcome.Done);
        Assert.Single(rows, e => e.Operation == "IPersonSequentialGrain.GetSequentialNeedsAsync" && e.Target == person && e.Outcome == AuditOutcome.Done);

        // Refused five times in one request: one row.
        var refused = await api.PostAsync(query, new { p = person }, token: Token(prober, Role.EsmsDirector, null, OtherFiness));
        Assert.Equal("FORBIDDEN", refused.FirstErrorCode);
        var denied = await RowsOfAsync(prober, from);
        Assert.Single(denied, e => e.Operation == "IPersonGrain.GetAsync" && e.Outcome == AuditOutcome.Denied);
        Assert.Single(denied, e => e.Operation == "IPersonSequentialGrain.GetSequentialNeedsAsync" && e.Outcome == AuditOutcome.Denied);

        // Another request is another fact.
        await api.PostAsync(query, new { p = person }, token: Token(reader, Role.MdphReferent));
        Assert.Equal(4, (await RowsOfAsync(reader, from)).Count);
    }

    [Fact]
    public async Task Every_401_is_audited_as_anonyme_one_row_per_source_and_minute()
    {
        var minute = new DateTimeOffset(DateTimeOffset.UtcNow.UtcTicks / TimeSpan.TicksPerMinute * TimeSpan.TicksPerMinute, TimeSpan.Zero);
        for (var i = 0; i < 30; i++)
        {
            var token = (i % 3) switch { 0 => "", 1 => "pas.un.jeton", _ => Token("x", Role.Admin)[..^4] + "AAAA" };
            var r = await api.PostAsync("""{ esmsList(department: "61", first: 1) { totalCount } }""", token: token);
            Assert.Equal(401, r.Status);
        }
        Assert.Equal(401, (await ExportAsync("/exports/indicators.csv?department=61", "")).Status);

        var rows = (await api.App.Services.GetRequiredService<IAuditTrail>()
            .QueryAsync(new AuditQuery(minute, DateTimeOffset.UtcNow.AddSeconds(1), Subject: "anonyme", Operation: UnauthenticatedAudit.Operation, Limit: 1000)))
            .Where(e => !char.IsDigit(e.Detail![0])).ToList();
        var minutes = (int)((DateTimeOffset.UtcNow - minute).TotalMinutes) + 1;
        Assert.InRange(rows.Count, 1, minutes);
        Assert.All(rows, e => Assert.Equal((AuditOutcome.Denied, "anonyme"), (e.Outcome, e.Subject)));
        Assert.All(rows, e => Assert.Contains("(source ", e.Detail));
    }

    private Task<GraphQLResponse> ExportAsync(string path, string token) =>
        api.SendAsync(new HttpRequestMessage(HttpMethod.Get, path), token: token);

}
