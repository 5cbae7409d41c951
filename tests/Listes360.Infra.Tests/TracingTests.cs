using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Listes360.Api.Hosting;
using Listes360.Api.Security;
using Listes360.Api.Telemetry;
using Listes360.AzureStorage.Emulator;
using Listes360.Domain.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace Listes360.Infra.Tests;

/// <summary>
/// The whole service in-process (a real Azurite, one silo, the API on a test server) with its
/// telemetry as wired in production, plus an in-memory exporter: what one request leaves behind.
/// </summary>
public sealed class TracedService : IAsyncLifetime
{
    private readonly string _dataFolder = Path.Combine(Path.GetTempPath(), "listes360-infra-tests-" + Guid.NewGuid().ToString("N"));
    private AzuriteServer? _azurite;

    public WebApplication App { get; private set; } = null!;
    public HttpClient Client { get; private set; } = null!;
    public List<Activity> Spans { get; } = [];
    public AuthSettings Auth { get; } = new() { SigningKey = DevTokens.NewSigningKey() };

    public async Task InitializeAsync()
    {
        // A loaded machine (the Dockerfile replay compiles beside these tests) can take longer than the default to start Node.
        _azurite = await AzuriteServer.StartAsync(AzuriteServer.FindInfraFolder(AppContext.BaseDirectory), _dataFolder, inMemory: true, timeout: TimeSpan.FromMinutes(2));
        var settings = new Dictionary<string, string?>
        {
            [$"{StorageSettings.Section}:ConnectionString"] = _azurite.ConnectionString,
            [$"{StorageSettings.Section}:TableName"] = "InfraTests" + Guid.NewGuid().ToString("N")[..8],
            [$"{ClusterSettings.Section}:SiloPort"] = AzuriteServer.FreeLoopbackPort().ToString(),
            [$"{ClusterSettings.Section}:GatewayPort"] = AzuriteServer.FreeLoopbackPort().ToString(),
            [$"{AuthSettings.Section}:SigningKey"] = Auth.SigningKey,
            ["Nir:Secret"] = DevTokens.NewSigningKey(),
            ["Logging:LogLevel:Default"] = "Warning",
            ["Maintenance:Enabled"] = "false",
            [$"{TelemetrySettings.Section}:Prometheus"] = "true",
            // No OTLP endpoint here: spans are recorded because they are asked for (the in-memory exporter below reads them).
            [$"{TelemetrySettings.Section}:Tracing"] = "true",
        };
        App = ApiHost.Build([], settings, builder =>
        {
            builder.WebHost.UseTestServer();
            builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(Spans));
        });
        await App.StartAsync();
        Client = App.GetTestClient();
    }

    public async Task<JsonElement> PostAsync(string query, object? variables = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { query, variables }), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer",
            DevTokens.Mint(Auth, "test-admin", Role.Admin, [], department: "61", territory: null, TimeSpan.FromMinutes(30)));
        using var response = await Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        var json = JsonDocument.Parse(body).RootElement;
        Assert.False(json.TryGetProperty("errors", out _), body);
        return json.GetProperty("data");
    }

    /// <summary>A GET as from <paramref name="remote"/> (the test server has no network: the address is set by hand).</summary>
    public Task<HttpContext> GetAsync(string path, IPAddress remote) =>
        App.GetTestServer().SendAsync(http =>
        {
            http.Request.Method = "GET";
            http.Request.Path = path;
            http.Connection.RemoteIpAddress = remote;
        });

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        if (App is not null)
        {
            await App.StopAsync();
            await App.DisposeAsync();
        }
        if (_azurite is not null)
            await _azurite.DisposeAsync();
        try { Directory.Delete(_dataFolder, recursive: true); } catch (IOException) { }
    }
}

public sealed class TracingTests(TracedService service) : IClassFixture<TracedService>
{
    private const string Operation = "TracedCreateCandidature";

    [Fact]
    public async Task One_createCandidature_leaves_its_http_graphql_grain_and_storage_spans_in_one_trace()
    {
        var finess = Listes360.Domain.Registry.FinessNumber.WithKey("61" + Random.Shared.Next(100_000, 999_999).ToString("D6")).Value;
        await service.PostAsync("""mutation($f: String!) { registerEsms(input: {finess: $f, name: "MAS des traces", category: "255"}) { esms { finess } } }""", new { f = finess });
        var person = (await service.PostAsync("""mutation { createPerson(input: {department: "61", birthName: "TRACE", firstNames: ["Alice"], birthDate: "1985-04-03", sex: FEMALE, situation: {kind: AT_HOME_WITHOUT_SOLUTION, since: "2024-01-01"}}) { person { id } } }"""))
            .GetProperty("createPerson").GetProperty("person").GetProperty("id").GetString()!;
        await service.PostAsync("""mutation($p: ID!) { addOrientation(input: {personId: $p, decisionReference: "CDAPH-TRACE", kind: MAS, validFrom: "2024-01-01"}) { person { id } } }""", new { p = person });

        var candidature = await service.PostAsync($$"""mutation {{Operation}}($p: ID!, $f: String!) { createCandidature(input: {personId: $p, finess: $f, modality: RESIDENTIAL, requestDate: "2025-06-01"}) { candidature { id } } }""",
            new { p = person, f = finess });
        Assert.False(string.IsNullOrEmpty(candidature.GetProperty("createCandidature").GetProperty("candidature").GetProperty("id").GetString()));
        service.App.Services.GetRequiredService<TracerProvider>().ForceFlush(10_000);

        List<Activity> spans;
        lock (service.Spans)
            spans = service.Spans.ToList();
        var graphql = spans.Single(s => s.Source.Name == Listes360Telemetry.GraphQLSourceName && s.DisplayName == $"mutation {Operation}");
        Assert.Equal(Operation, graphql.GetTagItem("graphql.operation.name"));
        var trace = spans.Where(s => s.TraceId == graphql.TraceId).ToList();
        var byId = trace.ToDictionary(s => s.SpanId);
        bool Under(Activity span, Activity ancestor)
        {
            for (var parent = span.ParentSpanId; byId.TryGetValue(parent, out var p); parent = p.ParentSpanId)
                if (p.SpanId == ancestor.SpanId)
                    return true;
            return false;
        }
        var summary = string.Join(Environment.NewLine, trace.Select(s => $"{s.Source.Name} | {s.DisplayName} | {s.Kind}"));

        // HTTP: the request's server span is the trace's root, and the GraphQL span is under it.
        var http = trace.Single(s => s.Source.Name == "Microsoft.AspNetCore" && s.Kind == ActivityKind.Server);
        Assert.Equal(default, http.ParentSpanId);
        Assert.True(Under(graphql, http), summary);
        // Grain: the person grain's CreateCandidatureAsync, under the GraphQL span.
        var grain = trace.Where(s => Listes360Telemetry.OrleansSources.Contains(s.Source.Name) && s.DisplayName.Contains("CreateCandidature")).ToList();
        Assert.True(grain.Count > 0, "aucun appel de grain CreateCandidature dans la trace :" + Environment.NewLine + summary);
        Assert.All(grain, g => Assert.True(Under(g, graphql), summary));
        // Storage: the Azure SDK's table calls, under the grain call.
        var storage = trace.Where(s => s.Source.Name.StartsWith("Azure.", StringComparison.Ordinal) && Under(s, grain[0])).ToList();
        Assert.True(storage.Count > 0, "aucun appel au stockage sous l'appel de grain :" + Environment.NewLine + summary);
        Assert.Contains(storage, s => s.Source.Name.StartsWith("Azure.Data.Tables", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Metrics_are_scraped_from_this_machine_with_the_service_and_orleans_meters()
    {
        await service.PostAsync("""mutation($f: String!) { registerEsms(input: {finess: $f, name: "MAS des mesures", category: "255"}) { esms { finess } } }""",
            new { f = Listes360.Domain.Registry.FinessNumber.WithKey("61" + Random.Shared.Next(100_000, 999_999).ToString("D6")).Value });
        var scrape = await service.GetAsync(Listes360Telemetry.MetricsPath, IPAddress.Loopback);
        Assert.Equal(StatusCodes.Status200OK, scrape.Response.StatusCode);
        var text = await new StreamReader(scrape.Response.Body).ReadToEndAsync();
        Assert.Matches("listes360_graphql_mutations_total\\{[^}]*code=\"OK\"[^}]*field=\"registerEsms\"[^}]*\\} [1-9]", text);
        Assert.Contains("orleans_", text);
        Assert.Contains("http_server_request_duration_seconds", text);
    }

    [Fact]
    public async Task The_service_metrics_count_imports_outboxes_the_review_queue_and_the_delay_from_an_admission_to_the_esms_views()
    {
        string Finess() => Listes360.Domain.Registry.FinessNumber.WithKey("61" + Random.Shared.Next(100_000, 999_999).ToString("D6")).Value;
        var (admitting, other) = (Finess(), Finess());
        foreach (var f in new[] { admitting, other })
            await service.PostAsync("""mutation($f: String!) { registerEsms(input: {finess: $f, name: "MAS des mesures", category: "255"}) { esms { finess } } }""", new { f });
        // An ESMS list imported: two rows applied, one rejected (no birth date, no MDPH number).
        var birth = $"{Random.Shared.Next(1, 28):D2}/0{Random.Shared.Next(1, 9)}/19{Random.Shared.Next(50, 99)}";
        var import = await service.PostAsync("""mutation($f: String!, $c: String!) { importCandidatureList(input: {finess: $f, fileName: "mesures.csv", content: $c}) { report { rowsRead personsCreated rejected { line } } } }""",
            new { f = other, c = $"nom;prénom;date de naissance;date de la demande;modalité;n° décision CDAPH\nMESURE;Ana;{birth};01/03/2025;internat;CDAPH-M1\nMESURE;Léon;{birth};01/03/2025;internat;CDAPH-M2\nMESURE;Sans;;01/03/2025;internat;CDAPH-M3\n" });
        Assert.Equal(3, import.GetProperty("importCandidatureList").GetProperty("report").GetProperty("rowsRead").GetInt32());
        // A person admitted by one ESMS while also on another's list: both lists' views follow the admission.
        var person = (await service.PostAsync("""mutation { createPerson(input: {department: "61", birthName: "ADMISSION", firstNames: ["Mesurée"], birthDate: "1979-02-03", sex: FEMALE, situation: {kind: AT_HOME_WITHOUT_SOLUTION, since: "2024-01-01"}}) { person { id } } }"""))
            .GetProperty("createPerson").GetProperty("person").GetProperty("id").GetString()!;
        await service.PostAsync("""mutation($p: ID!) { addOrientation(input: {personId: $p, decisionReference: "CDAPH-MESURE", kind: MAS, validFrom: "2024-01-01"}) { person { id } } }""", new { p = person });
        var candidatures = new List<string>();
        foreach (var f in new[] { admitting, other })
            candidatures.Add((await service.PostAsync("""mutation($p: ID!, $f: String!) { createCandidature(input: {personId: $p, finess: $f, modality: RESIDENTIAL, requestDate: "2025-06-01"}) { candidature { id } } }""", new { p = person, f }))
                .GetProperty("createCandidature").GetProperty("candidature").GetProperty("id").GetString()!);
        foreach (var status in new[] { "UNDER_REVIEW", "WAITING", "OFFERED", "ADMITTED" })
            await service.PostAsync("""mutation($p: ID!, $c: ID!, $s: CandidatureStatus!) { changeCandidatureStatus(input: {personId: $p, candidatureId: $c, status: $s}) { person { id } } }""",
                new { p = person, c = candidatures[0], s = status });
        await service.PostAsync("""query { reviewQueue(department: "61") { totalCount } }""");

        // The ESMS views are fed by the person's outbox: the delays are recorded when they are updated.
        string text = "";
        for (var attempt = 0; attempt < 60; attempt++)
        {
            var scrape = await service.GetAsync(Listes360Telemetry.MetricsPath, IPAddress.Loopback);
            text = await new StreamReader(scrape.Response.Body).ReadToEndAsync();
            if (System.Text.RegularExpressions.Regex.IsMatch(text, "listes360_admissions_esms_view_delay_seconds_count\\{[^}]*status=\"SolutionFoundElsewhere\"[^}]*\\} [1-9]"))
                break;
            await Task.Delay(500);
        }
        Assert.Matches("listes360_imports_rows_total\\{[^}]*kind=\"list\"[^}]*outcome=\"created\"[^}]*\\} [1-9]", text);
        Assert.Matches("listes360_imports_rows_total\\{[^}]*kind=\"list\"[^}]*outcome=\"rejected\"[^}]*\\} [1-9]", text);
        Assert.Matches("listes360_imports_duration_seconds_count\\{[^}]*kind=\"list\"[^}]*\\} [1-9]", text);
        Assert.Matches("listes360_outbox_pending\\{[^}]*grain=\"person\"[^}]*\\} [0-9]", text);
        Assert.Matches("listes360_outbox_pending\\{[^}]*grain=\"esms\"[^}]*\\} [0-9]", text);
        Assert.Matches("listes360_identity_review_queue_pending\\{[^}]*department=\"61\"[^}]*\\} [0-9]", text);
        Assert.Matches("listes360_admissions_esms_view_delay_seconds_count\\{[^}]*status=\"Admitted\"[^}]*\\} [1-9]", text);
        Assert.Matches("listes360_admissions_esms_view_delay_seconds_count\\{[^}]*status=\"SolutionFoundElsewhere\"[^}]*\\} [1-9]", text);
    }

    [Fact]
    public async Task Metrics_are_not_served_to_another_machine()
    {
        var scrape = await service.GetAsync(Listes360Telemetry.MetricsPath, IPAddress.Parse("10.1.2.3"));
        Assert.Equal(StatusCodes.Status404NotFound, scrape.Response.StatusCode);
        var body = await new StreamReader(scrape.Response.Body).ReadToEndAsync();
        Assert.DoesNotContain("listes360_graphql_mutations", body);
    }
}
