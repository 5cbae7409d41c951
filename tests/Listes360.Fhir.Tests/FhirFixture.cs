using Task = System.Threading.Tasks.Task;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Hl7.Fhir.Rest;
using Listes360.Api.Hosting;
using Listes360.Api.Security;
using Listes360.AzureStorage.Emulator;
using Listes360.Domain.Registry;
using Listes360.Domain.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;

namespace Listes360.Fhir.Tests;

/// <summary>
/// The whole service in-process, as the API tests run it: a real Azurite on a free loopback port (fails
/// loudly when it cannot start), one silo on free ports, the API (GraphQL and /fhir) on a test server.
/// ESMS software talks to it through the Firely <see cref="FhirClient"/>; the département sets up persons through GraphQL.
/// </summary>
public class FhirFixture : IAsyncLifetime
{
    private readonly string _dataFolder = Path.Combine(Path.GetTempPath(), "listes360-fhir-tests-" + Guid.NewGuid().ToString("N"));
    private AzuriteServer? _azurite;
    private static int _next = 700;
    private static int _persons;
    private static readonly string[] Surnames = ["Lefebvre", "Morel", "Girard", "Andre", "Mercier", "Dupuis", "Lambert", "Bonnet", "Francois", "Martinez", "Legrand", "Garnier", "Faure", "Rousseau", "Blanc", "Guerin"];
    private static readonly string[] FirstNames = ["Alice", "Brigitte", "Chantal", "Denise", "Elodie", "Francine"];

    public WebApplication App { get; private set; } = null!;
    public HttpClient Client { get; private set; } = null!;
    public AuthSettings Auth { get; } = new() { SigningKey = DevTokens.NewSigningKey() };

    public string Token(Role role, params string[] finess) =>
        DevTokens.Mint(Auth, "test-" + role + "-" + string.Join("-", finess), role, finess, department: "61", territory: null, TimeSpan.FromMinutes(30));

    private Dictionary<string, string?> _settings = [];

    /// <summary>
    /// When true the API listens on a free 127.0.0.1 port (Kestrel) instead of the in-memory test server:
    /// another host (a Listes360 configured with this one as its SI-SDO) can then reach it over HTTP.
    /// </summary>
    protected virtual bool ListensOnLoopback => false;

    /// <summary>The API's address: <c>http://localhost</c> on the test server, <c>http://127.0.0.1:{port}</c> when listening.</summary>
    public string BaseAddress { get; private set; } = "http://localhost";

    /// <summary>Settings added by a derived fixture (the SI-SDO client's), read before the host is built.</summary>
    protected virtual Task<IReadOnlyDictionary<string, string?>> MoreSettingsAsync() =>
        Task.FromResult<IReadOnlyDictionary<string, string?>>(new Dictionary<string, string?>());

    public virtual async Task InitializeAsync()
    {
        // The process's one validator loads the FHIR specification (tens of seconds under load) while Azurite
        // and the silo start: a test's first call must not spend its HTTP timeout waiting for it.
        var validatorLoaded = Listes360.Fhir.FirelyValidation.Shared.WarmUpAsync();
        // 2 min: on a loaded machine (other builds beside it) Azurite has been seen to take more than 30 s.
        _azurite = await AzuriteServer.StartAsync(AzuriteServer.FindInfraFolder(AppContext.BaseDirectory), _dataFolder, inMemory: true, timeout: TimeSpan.FromMinutes(2));
        var settings = new Dictionary<string, string?>
        {
            [$"{StorageSettings.Section}:ConnectionString"] = _azurite.ConnectionString,
            [$"{StorageSettings.Section}:TableName"] = "FhirTests" + Guid.NewGuid().ToString("N")[..8],
            [$"{ClusterSettings.Section}:SiloPort"] = AzuriteServer.FreeLoopbackPort().ToString(),
            [$"{ClusterSettings.Section}:GatewayPort"] = AzuriteServer.FreeLoopbackPort().ToString(),
            [$"{AuthSettings.Section}:SigningKey"] = Auth.SigningKey,
            ["Logging:LogLevel:Default"] = "Warning",
            ["Maintenance:Enabled"] = "false",
            [Listes360.Api.GraphQL.RequestLimits.WritesPerMinuteSetting] = "100000",
            [Listes360.Api.GraphQL.RequestLimits.WriteBurstSetting] = "100000",
        };
        foreach (var (key, value) in await MoreSettingsAsync())
            settings[key] = value;
        _settings = settings;
        await StartHostAsync();
        await validatorLoaded;
    }

    private async Task StartHostAsync()
    {
        if (ListensOnLoopback)
        {
            BaseAddress = $"http://127.0.0.1:{AzuriteServer.FreeLoopbackPort()}";
            App = ApiHost.Build([], _settings, builder => builder.WebHost.UseUrls(BaseAddress));
            await App.StartAsync();
            Client = new HttpClient { BaseAddress = new Uri(BaseAddress), Timeout = TimeSpan.FromSeconds(60) };
            return;
        }
        App = ApiHost.Build([], _settings, builder => builder.WebHost.UseTestServer());
        await App.StartAsync();
        Client = App.GetTestClient();
    }

    /// <summary>Stops the service and starts it again on the same storage (a restart: only what was written survives).</summary>
    public async Task RestartAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        _settings[$"{ClusterSettings.Section}:SiloPort"] = AzuriteServer.FreeLoopbackPort().ToString();
        _settings[$"{ClusterSettings.Section}:GatewayPort"] = AzuriteServer.FreeLoopbackPort().ToString();
        await StartHostAsync();
    }

    public virtual async Task DisposeAsync()
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

    /// <summary>The Firely client of an ESMS's software (or of any token; "" for none), on the test server.</summary>
    public FhirClient Fhir(string token) =>
        new(new Uri(BaseAddress + "/fhir"), new FhirClientSettings { PreferredFormat = ResourceFormat.Json, Timeout = 60_000 },
            new BearerHandler(token) { InnerHandler = ListensOnLoopback ? new SocketsHttpHandler() : App.GetTestServer().CreateHandler() });

    private sealed class BearerHandler(string token) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (token.Length > 0)
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return base.SendAsync(request, cancellationToken);
        }
    }

    /// <summary>A GraphQL request as the département's administrator (or <paramref name="token"/>); fails the test on errors.</summary>
    public async Task<JsonElement> GraphQL(string query, object? variables = null, string? token = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { query, variables }), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token ?? Token(Role.Admin));
        using var response = await Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        var json = JsonDocument.Parse(body).RootElement;
        Assert.False(json.TryGetProperty("errors", out var errors) && errors.GetArrayLength() > 0, body);
        return json.GetProperty("data").Clone();
    }

    /// <summary>A FINESS of the Orne no other ESMS of these tests has (shared by every host of the test run).</summary>
    public static string NewFiness() => FinessNumber.WithKey("61" + Interlocked.Increment(ref _next).ToString("D6")).Value;

    private static int _decisions;

    /// <summary>A CDAPH decision reference no other test uses.</summary>
    public static string NewDecision(string prefix = "CDAPH") => $"{prefix}-{Interlocked.Increment(ref _decisions)}";

    /// <summary>An ESMS (<paramref name="finess"/> or a new FINESS), a person with a MAS decision and her candidature there: the set-up of most FHIR tests.</summary>
    public async Task<Waiting> WaitingAsync(string esmsName, string? finess = null, string? decision = null)
    {
        var esms = await Esms(esmsName, finess);
        decision ??= NewDecision();
        var person = await Person(decision);
        return new Waiting(esms, decision, person, await Candidature(person, esms));
    }

    public Task ChangeStatus(string person, string candidature, string status, string? reason = null) =>
        GraphQL("""mutation($p: ID!, $c: ID!, $s: CandidatureStatus!, $r: CandidatureReason) { changeCandidatureStatus(input: {personId: $p, candidatureId: $c, status: $s, reason: $r}) { candidature { id } } }""",
            new { p = person, c = candidature, s = status, r = reason });

    public async Task<string> Esms(string name, string? finess = null)
    {
        finess ??= NewFiness();
        await GraphQL("""mutation($f: String!, $n: String!) { registerEsms(input: {finess: $f, name: $n, category: "255"}) { esms { finess } } }""", new { f = finess, n = name });
        return finess;
    }

    /// <summary>An adult with a MAS orientation (decision <paramref name="decision"/>), consent not given.</summary>
    public async Task<string> Person(string decision)
    {
        // A distinct identity each time: the same identity would be matched to the person already known.
        var n = Interlocked.Increment(ref _persons);
        var created = await GraphQL("""mutation($n: String!, $f: String!, $b: DateOnly!) { createPerson(input: {department: "61", birthName: $n, firstNames: [$f], birthDate: $b, sex: FEMALE, residenceCommune: "61001", situation: {kind: AT_HOME_WITHOUT_SOLUTION, since: "2025-01-01"}, consentToShare: false}) { person { id } } }""",
            new { n = Surnames[n % Surnames.Length], f = FirstNames[n / Surnames.Length % FirstNames.Length], b = new DateOnly(1960, 1, 1).AddDays(97 * n).ToString("yyyy-MM-dd") });
        var person = created.GetProperty("createPerson").GetProperty("person").GetProperty("id").GetString()!;
        await GraphQL("""mutation($p: ID!, $r: String!) { addOrientation(input: {personId: $p, decisionReference: $r, kind: MAS, validFrom: "2025-01-01", validTo: "2030-12-31"}) { person { id } } }""",
            new { p = person, r = decision });
        return person;
    }

    public async Task<string> Candidature(string person, string finess) =>
        (await GraphQL("""mutation($p: ID!, $f: String!) { createCandidature(input: {personId: $p, finess: $f, modality: RESIDENTIAL, requestDate: "2026-02-01"}) { candidature { id } } }""",
            new { p = person, f = finess }))
            .GetProperty("createCandidature").GetProperty("candidature").GetProperty("id").GetString()!;

    /// <summary>The person's candidatures as the administrator reads them in GraphQL: id → (status, J252 code).</summary>
    public async Task<Dictionary<string, (string Status, string Ans)>> Statuses(string person) =>
        (await GraphQL("""query($p: ID!) { person(id: $p) { candidatures { id status statusAns { code } } } }""", new { p = person }))
            .GetProperty("person").GetProperty("candidatures").EnumerateArray()
            .ToDictionary(c => c.GetProperty("id").GetString()!,
                c => (c.GetProperty("status").GetString()!, c.GetProperty("statusAns").GetProperty("code").GetString()!));
}

/// <summary>A person waiting in an ESMS: its FINESS, her decision, her id and her candidature's.</summary>
public sealed record Waiting(string Esms, string Decision, string Person, string Candidature);

[CollectionDefinition(Name)]
public sealed class FhirCollection : ICollectionFixture<FhirFixture>
{
    public const string Name = "FHIR sur Azurite";
}
