using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Hl7.Fhir.Model;
using Listes360.Domain.Security;
using Task = System.Threading.Tasks.Task;

namespace Listes360.Fhir.Tests;

/// <summary>
/// The service configured as a client of an SI-SDO: the <see cref="SdoStandIn"/> (a stand-in on 127.0.0.1,
/// not ViaTrajectoire) is started first, then the host with the section <c>SdoClient</c> pointing at it,
/// with short ticks so that a test sees retries in seconds.
/// </summary>
public sealed class SdoClientFixture : FhirFixture
{
    public SdoStandIn StandIn { get; private set; } = null!;

    protected override async Task<IReadOnlyDictionary<string, string?>> MoreSettingsAsync()
    {
        StandIn = await SdoStandIn.StartAsync();
        return new Dictionary<string, string?>
        {
            ["SdoClient:Enabled"] = "true",
            ["SdoClient:BaseUrl"] = StandIn.BaseUrl,
            ["SdoClient:Token"] = SdoStandIn.Token,
            ["SdoClient:Departments:0"] = "61",
            ["SdoClient:TickSeconds"] = "0.3",
            ["SdoClient:PollSeconds"] = "1",
            ["SdoClient:FirstRetrySeconds"] = "0.5",
            ["SdoClient:MaxRetrySeconds"] = "2",
            ["SdoClient:TimeoutSeconds"] = "10",
        };
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (StandIn is not null)
            await StandIn.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class SdoClientCollection : ICollectionFixture<SdoClientFixture>
{
    public const string Name = "Client SI-SDO (doublure) sur Azurite";
}

/// <summary>The SI-SDO client's report (<c>GET /fhir/$sdo-client</c>) read as a test reads it.</summary>
internal sealed record SdoReport(bool Enabled, int Sent, int Pending, int Failed, string? LastPoll, IReadOnlyList<SdoReportItem> Items, IReadOnlyList<string> Received)
{
    public SdoReportItem? Of(string candidature) => Items.FirstOrDefault(i => i.Candidature == candidature);

    public static async Task<(HttpStatusCode Status, SdoReport? Report, string Body)> ReadAsync(FhirFixture host, string token, string department = "61")
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/fhir/$sdo-client?department={department}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await host.Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK)
            return (response.StatusCode, null, body);
        var p = (Parameters)JsonSerializer.Deserialize<Resource>(body, FhirEndpoints.Json)!;
#pragma warning disable CS8600 // the report always carries these (a missing one fails the test)
        string? Text(IEnumerable<Parameters.ParameterComponent> parts, string name) => parts.FirstOrDefault(x => x.Name == name)?.Value?.ToString();
        var items = p.Parameter.Where(x => x.Name == "item").Select(x => new SdoReportItem(
            Text(x.Part, "candidature")!, Text(x.Part, "state")!, Text(x.Part, "status")!, Text(x.Part, "remoteTask"), Text(x.Part, "sentJ252"),
            int.Parse(Text(x.Part, "attempts")!), Text(x.Part, "detail")!)).ToList();
        return (response.StatusCode, new SdoReport(
            ((FhirBoolean)p.GetSingle("enabled")!.Value).Value == true,
            ((Integer)p.GetSingle("sent")!.Value).Value!.Value, ((Integer)p.GetSingle("pending")!.Value).Value!.Value, ((Integer)p.GetSingle("failed")!.Value).Value!.Value,
            p.GetSingle("lastPoll")?.Value?.ToString(), items,
            p.Parameter.Where(x => x.Name == "received").Select(x => x.Value!.ToString()!).ToList()), body);
#pragma warning restore CS8600
    }

    /// <summary>Reads the report as the administrator until <paramref name="done"/> holds (60 s at most; fails with the last report).</summary>
    public static async Task<SdoReport> WaitAsync(FhirFixture host, Func<SdoReport, bool> done, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        string last = "";
        while (DateTime.UtcNow < deadline)
        {
            var (status, report, body) = await ReadAsync(host, host.Token(Role.Admin));
            last = body;
            if (status == HttpStatusCode.OK && done(report!))
                return report!;
            await Task.Delay(200);
        }
        throw new Xunit.Sdk.XunitException($"Attendu en 60 s : {what}. Dernier rapport : {last}");
    }
}

internal sealed record SdoReportItem(string Candidature, string State, string Status, string? RemoteTask, string? SentJ252, int Attempts, string Detail);
