using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Listes360.Api.Security;
using Listes360.Api.Tests;
using Listes360.Domain.Risk;
using Listes360.Domain.Security;
using Listes360.Grains.Security;
using Listes360.Imports.Simulation;
using Listes360.Risk.History;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Listes360.Security.Tests;

/// <summary>
/// The probe's tries of classes 7, 8 (audit) and 9, replayed and counted for the closing note
/// (tries, refused, wrongly accepted, state changed, crashes). Written against what every version of
/// the service exposes (HTTP, the audit trail, the CSV writers), so that it also counts the « before ».
/// </summary>
[Collection(SecurityCollection.Name)]
public sealed partial class Classes789ReplayTests(ApiFixture api, ITestOutputHelper output)
{
    private sealed class Tally(string name)
    {
        public int Tries, Refused, WronglyAccepted, StateChanged, Crashes;
        public List<string> Wrong { get; } = [];

        public void Try(bool refused, bool wrong, bool changed, int status, string what)
        {
            Tries++;
            if (refused) Refused++;
            if (wrong) { WronglyAccepted++; Wrong.Add(what); }
            if (changed) StateChanged++;
            if (status >= 500) Crashes++;
        }

        public override string ToString() =>
            $"{name} | {Tries} | {Refused} | {WronglyAccepted} | {StateChanged} | {Crashes} | {string.Join(" ; ", Wrong)}";
    }

    [GeneratedRegex(@"^[+-]?\d+([.,]\d+)?$")]
    private static partial Regex PlainNumber();

    private static bool Runs(string cell) => cell.Length > 0 && "=+-@\t\r".Contains(cell[0]) && !PlainNumber().IsMatch(cell);

    private string Token(string subject, Role role, string? territory = null, params string[] finess) =>
        DevTokens.Mint(api.Auth, subject, role, finess, "61", territory, TimeSpan.FromMinutes(30));

    private async Task<int> RowsAsync(string subject, DateTimeOffset from) =>
        (await api.App.Services.GetRequiredService<IAuditTrail>().QueryAsync(new AuditQuery(from, DateTimeOffset.UtcNow.AddMinutes(1), Subject: subject, Limit: 1000))).Count;

    [Fact]
    public async Task Replay_and_count()
    {
        var c7 = new Tally("7 pseudonymes / âges");
        var c8 = new Tally("8 audit");
        var c9 = new Tally("9 CSV");
        var person = await ObservatorySeed.WaitingPersonAsync(api, "Rejouée", "1977-03-03", 81);
        var stranger = await ObservatorySeed.WaitingPersonAsync(api, "Inconnue", "1978-03-03", 72);
        await ObservatorySeed.AdminAsync(api, """mutation { registerEsms(input: {finess: "610000192", name: "FAM voisin", category: "437"}) { esms { finess } } }""");
        var observatory = Token("replay-obs", Role.Observatory);

        // Class 7: re-linking a pseudonym from the id alone; an exact age in any answer or export.
        var unkeyed = "P-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("listes360/observatoire/" + person)))[..16];
        var risks = await api.PostAsync("""{ ruptureRisks(department: "61", first: 50) { edges { node { pseudonym ageBand topFactors { text } } } } }""", token: observatory);
        c7.Try(!risks.Body.Contains(unkeyed), risks.Body.Contains(unkeyed), false, risks.Status, "pseudonyme = SHA-256(id) (GraphQL)");
        var csv = await api.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/exports/rupture-risks.csv?department=61"), token: observatory);
        c7.Try(!csv.Body.Contains(unkeyed), csv.Body.Contains(unkeyed), false, csv.Status, "pseudonyme = SHA-256(id) (CSV)");
        var indicators = await api.PostAsync("""{ indicators(department: "61") { creton transitionAge waitingTimes { kind territory medianDays } } }""", token: observatory);
        var indicatorsCsv = await api.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/exports/indicators.csv?department=61"), token: observatory);
        foreach (var (what, body, status) in new[] { ("âge exact (ruptureRisks)", risks.Body, risks.Status), ("âge exact (CSV risques)", csv.Body, csv.Status),
            ("âge exact (indicators)", indicators.Body, indicators.Status), ("âge exact (CSV indicateurs)", indicatorsCsv.Body, indicatorsCsv.Status) })
            c7.Try(!Probe.ExactAge().IsMatch(body), Probe.ExactAge().IsMatch(body), false, status, what);

        // Class 8: each case must be refused where it is a refusal, leave storage unchanged, and write exactly one audit row.
        async Task Audited(string what, string subject, Func<string, Task<GraphQLResponse>> send, bool refusal, int expectedRows = 1)
        {
            var from = DateTimeOffset.UtcNow.AddSeconds(-1);
            var before = await StorageSnapshot.TakeAsync(api);
            var r = await send(subject);
            var changed = (await StorageSnapshot.TakeAsync(api)).ChangesSince(before).Count > 0;
            var refused = r.Status is 401 or 403 || r.Body.Contains("\"FORBIDDEN\"", StringComparison.Ordinal);
            var rows = await RowsAsync(subject, from);
            c8.Try(refused, rows != expectedRows || refused != refusal, changed, r.Status, $"{what} : {rows} ligne(s)");
        }
        const string needs = """query($p: ID!) { sequentialNeeds(personId: $p) { amount } }""";
        await Audited("sequentialNeeds lu par un directeur", "replay-needs", s => api.PostAsync(needs, new { p = person }, token: Token(s, Role.EsmsDirector, null, ObservatorySeed.Finess)), false);
        await Audited("sequentialNeeds refusé à un directeur", "replay-needs-no", s => api.PostAsync(needs, new { p = stranger }, token: Token(s, Role.EsmsDirector, null, "610000192")), true);
        await Audited("ruptureRisks d'un autre territoire", "replay-terr", s => api.PostAsync("""{ ruptureRisks(department: "61", territory: "200071553") { totalCount } }""", token: Token(s, Role.TerritorialStaff, "246100663")), true);
        await Audited("403 export (directeur)", "replay-exp-dir", s => api.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/exports/rupture-risks.csv?department=61"), token: Token(s, Role.EsmsDirector, null, ObservatorySeed.Finess)), true);
        await Audited("403 export (autre territoire)", "replay-exp-terr", s => api.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/exports/rupture-risks.csv?department=61&territory=200071553"), token: Token(s, Role.TerritorialStaff, "246100663")), true);
        await Audited("403 export (jeton sans rôle)", "replay-exp-norole", s => api.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/exports/indicators.csv?department=61"), token: Probe.RolelessToken(api, s)), true);
        await Audited("403 GraphQL (jeton sans rôle)", "replay-gql-norole", s => api.PostAsync("""{ esmsList(department: "61", first: 1) { totalCount } }""", token: Probe.RolelessToken(api, s)), true);
        const string aliases = """query($p: ID!) { a1: person(id: $p) { id } a2: person(id: $p) { id } a3: person(id: $p) { id } a4: person(id: $p) { id } a5: person(id: $p) { id } }""";
        await Audited("5 alias de person", "replay-aliases", s => api.PostAsync(aliases, new { p = person }, token: Token(s, Role.MdphReferent)), false);
        await Audited("5 alias de person refusés", "replay-aliases-no", s => api.PostAsync(aliases, new { p = person }, token: Token(s, Role.EsmsDirector, null, "610000192")), true);
        var minute = new DateTimeOffset(DateTimeOffset.UtcNow.UtcTicks / TimeSpan.TicksPerMinute * TimeSpan.TicksPerMinute, TimeSpan.Zero);
        var anonymous = await api.PostAsync("""{ esmsList(department: "61", first: 1) { totalCount } }""", token: "");
        var rows401 = (await api.App.Services.GetRequiredService<IAuditTrail>().QueryAsync(new AuditQuery(minute, DateTimeOffset.UtcNow.AddSeconds(1), Subject: "anonyme", Limit: 1000)))
            .Count(e => e.Detail?.Contains("source", StringComparison.Ordinal) == true || e.Operation.Contains("401", StringComparison.Ordinal));
        c8.Try(anonymous.Status == 401, rows401 == 0, false, anonymous.Status, $"401 : {rows401} ligne(s) dans la minute");

        // Class 9: names and cells a spreadsheet would run.
        string[] formulas = ["=HYPERLINK(\"http://exemple.invalid\",\"x\")", "@SUM(1+1)", "+cmd|' /C calc'!A0", "-2+3+cmd", "\tTAB", "\rCR"];
        foreach (var name in formulas)
        {
            using var writer = new StringWriter();
            SimulatedCsvWriter.Write([new SimulatedRow("R1", name, "Prénom", "19900101", null, null, null, "61000", "Alençon", 1, "610000184")], writer);
            var text = writer.ToString();
            var line = text[(text.IndexOf('\n') + 1)..].TrimEnd('\n');
            var runs = Probe.Cells(line, ';').Any(Runs);
            c9.Try(!runs, runs, false, 200, $"fichier simulé, nom {name.Replace("\t", "\\t").Replace("\r", "\\r")}");
        }
        var history = RiskHistoryCsv.Line(new HistoryRow(true, "=HYPERLINK(\"http://exemple.invalid\")", new DateOnly(2026, 1, 31), new RiskSnapshot { AgeYears = 30 }, false));
        c9.Try(!Probe.Cells(history, ',').Any(Runs), Probe.Cells(history, ',').Any(Runs), false, 200, "historique de risque, personne =HYPERLINK");
        foreach (var (what, body) in new[] { ("export risques", csv.Body), ("export indicateurs", indicatorsCsv.Body) })
        {
            var runs = body.Split("\r\n").Any(l => Probe.Cells(l, ';').Any(Runs));
            c9.Try(!runs, runs, false, 200, what);
        }

        output.WriteLine("classe | essais | refusés | acceptés à tort | état modifié | plantages | détail");
        foreach (var tally in new[] { c7, c8, c9 })
            output.WriteLine(tally.ToString());
        Assert.Equal(0, c7.WronglyAccepted + c8.WronglyAccepted + c9.WronglyAccepted);
        Assert.Equal(0, c7.StateChanged + c8.StateChanged + c9.StateChanged + c7.Crashes + c8.Crashes + c9.Crashes);
    }
}
