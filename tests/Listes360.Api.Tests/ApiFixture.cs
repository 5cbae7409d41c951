using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Listes360.Api.Hosting;
using Listes360.Api.Security;
using Listes360.Domain.Security;
using Listes360.AzureStorage.Emulator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Listes360.Api.Tests;

/// <summary>
/// The whole service in-process: a real Azurite on a free loopback port (fails loudly when it
/// cannot start), one silo on free ports, the API on a test server. Restartable on the same storage.
/// </summary>
public sealed class ApiFixture : IAsyncLifetime
{
    private readonly string _dataFolder = Path.Combine(Path.GetTempPath(), "listes360-api-tests-" + Guid.NewGuid().ToString("N"));
    private AzuriteServer? _azurite;

    public WebApplication App { get; private set; } = null!;
    public HttpClient Client { get; private set; } = null!;
    public AzuriteServer Azurite => _azurite ?? throw new InvalidOperationException("Azurite n'est pas démarré.");
    public string TableName { get; } = "ApiTests" + Guid.NewGuid().ToString("N")[..8];
    public AuthSettings Auth { get; } = new() { SigningKey = DevTokens.NewSigningKey() };
    public string NirSecret { get; } = DevTokens.NewSigningKey();

    /// <summary>Settings over the fixture's own (a host with other limits, built by a fixture of its own).</summary>
    /// <summary>The host's GraphQL parser: how many times each text was parsed.</summary>
    public CountingDocumentBuilder Parser { get; } = new();

    public IReadOnlyDictionary<string, string?> Overrides { get; init; } = new Dictionary<string, string?>();

    /// <summary>A valid token for <paramref name="role"/>, in the Orne unless said otherwise.</summary>
    public string Token(Role role, params string[] finess) =>
        DevTokens.Mint(Auth, "test-" + role, role, finess, department: "61", territory: null, TimeSpan.FromMinutes(30));

    public string AdminToken => Token(Role.Admin);

    public async Task InitializeAsync()
    {
        _azurite = await AzuriteServer.StartAsync(AzuriteServer.FindInfraFolder(AppContext.BaseDirectory), _dataFolder, inMemory: true);
        await StartAppAsync();
    }

    /// <summary>Stops the silo and the API, then starts new ones on the same storage.</summary>
    public async Task RestartAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        await StartAppAsync();
    }

    private async Task StartAppAsync()
    {
        var settings = new Dictionary<string, string?>
        {
            [$"{StorageSettings.Section}:ConnectionString"] = Azurite.ConnectionString,
            [$"{StorageSettings.Section}:TableName"] = TableName,
            [$"{ClusterSettings.Section}:SiloPort"] = AzuriteServer.FreeLoopbackPort().ToString(),
            [$"{ClusterSettings.Section}:GatewayPort"] = AzuriteServer.FreeLoopbackPort().ToString(),
            [$"{AuthSettings.Section}:SigningKey"] = Auth.SigningKey,
            ["Nir:Secret"] = NirSecret,
            ["Logging:LogLevel:Default"] = "Warning",
            ["Maintenance:Enabled"] = "false",
            // The suites write far faster than a person does: the write rate limit is tested on a host of its own.
            [Listes360.Api.GraphQL.RequestLimits.WritesPerMinuteSetting] = "100000",
            [Listes360.Api.GraphQL.RequestLimits.WriteBurstSetting] = "100000",
        };
        foreach (var (key, value) in Overrides)
            settings[key] = value;
        App = ApiHost.Build([], settings, builder =>
        {
            builder.WebHost.UseTestServer();
            // Chosen grain calls fail as during a failover (FaultInjection.Fail): nothing fails unless a test says so.
            builder.Services.AddSingleton<IIncomingGrainCallFilter, Listes360.Testing.Cluster.FaultInjection>();
            // Grain calls made for a watched token subject are recorded (GrainCallCounter.Watch): the cost of one request.
            builder.Services.AddSingleton<IIncomingGrainCallFilter, Listes360.Testing.Cluster.GrainCallCounter>();
            // The same parser, counting its parses per text (DocumentCacheTests).
            builder.Services.AddSingleton<global::GraphQL.Execution.IDocumentBuilder>(Parser);
        });
        await App.StartAsync();
        Client = App.GetTestClient();
    }

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

    /// <summary>Posts a GraphQL request as <paramref name="token"/>'s bearer (the admin's by default; "" for none).</summary>
    public Task<GraphQLResponse> PostAsync(string query, object? variables = null, string? accept = null, string? token = null) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { query, variables }), Encoding.UTF8, "application/json"),
        }, accept, token);

    public async Task<GraphQLResponse> SendAsync(HttpRequestMessage request, string? accept = null, string? token = null)
    {
        token ??= AdminToken;
        if (token.Length > 0)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (accept is not null)
            request.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse(accept));
        using var response = await Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return new GraphQLResponse((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, body);
    }
}

public sealed record GraphQLResponse(int Status, string? MediaType, string Body)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    public JsonElement Data => Json.GetProperty("data");

    public bool HasErrors => Json.TryGetProperty("errors", out var errors) && errors.GetArrayLength() > 0;

    public JsonElement FirstError => Json.GetProperty("errors")[0];

    public string? FirstErrorCode =>
        FirstError.TryGetProperty("extensions", out var extensions) && extensions.TryGetProperty("code", out var code) ? code.GetString() : null;
}

[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<ApiFixture>
{
    public const string Name = "API sur Azurite";
}
