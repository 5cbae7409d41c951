using Listes360.Api.Hosting;
using Listes360.Api.Security;
using Listes360.Domain.Security;
using Listes360.AzureStorage.Emulator;
using Listes360.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace Listes360.Api.Tests;

/// <summary>
/// The whole service listening on a real loopback port (Kestrel, not the test server), for clients
/// that run outside this process; in the Development environment, as a developer runs it.
/// </summary>
public sealed class LiveServerFixture : IAsyncLifetime
{
    private readonly string _dataFolder = Path.Combine(Path.GetTempPath(), "listes360-live-tests-" + Guid.NewGuid().ToString("N"));
    private AzuriteServer? _azurite;
    private WebApplication? _app;

    public AuthSettings Auth { get; } = new() { SigningKey = DevTokens.NewSigningKey() };

    /// <summary>The server, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string BaseUrl { get; private set; } = null!;

    /// <summary>The GraphQL endpoint, e.g. <c>http://127.0.0.1:41234/graphql</c>.</summary>
    public string GraphQLUrl { get; private set; } = null!;

    public string Token(Role role) =>
        DevTokens.Mint(Auth, "contract-" + role, role, [], department: "61", territory: null, TimeSpan.FromMinutes(30));

    public async Task InitializeAsync()
    {
        _azurite = await AzuriteServer.StartAsync(AzuriteServer.FindInfraFolder(AppContext.BaseDirectory), _dataFolder, inMemory: true);
        var settings = new Dictionary<string, string?>
        {
            [$"{StorageSettings.Section}:ConnectionString"] = _azurite.ConnectionString,
            [$"{StorageSettings.Section}:TableName"] = "ContractTests" + Guid.NewGuid().ToString("N")[..8],
            [$"{ClusterSettings.Section}:SiloPort"] = AzuriteServer.FreeLoopbackPort().ToString(),
            [$"{ClusterSettings.Section}:GatewayPort"] = AzuriteServer.FreeLoopbackPort().ToString(),
            [$"{AuthSettings.Section}:SigningKey"] = Auth.SigningKey,
            ["Logging:LogLevel:Default"] = "Warning",
            ["Maintenance:Enabled"] = "false",
        };
        // Port 0: the system picks a free port at bind time, so no other process can take it first.
        _app = ApiHost.Build(["--environment", "Development"], settings, builder => builder.WebHost.UseUrls("http://127.0.0.1:0"));
        await _app.StartAsync();
        BaseUrl = _app.Urls.Single().TrimEnd('/');
        GraphQLUrl = BaseUrl + "/graphql";
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        if (_azurite is not null)
            await _azurite.DisposeAsync();
        try { Directory.Delete(_dataFolder, recursive: true); } catch (IOException) { }
    }
}

[CollectionDefinition(Name)]
public sealed class LiveServerCollection : ICollectionFixture<LiveServerFixture>
{
    public const string Name = "Service sur un port réel";
}

/// <summary>
/// <c>schema.graphql</c> checked by graphql-js, the reference implementation, against the schema the
/// running service serves through the standard introspection query (<c>tests/contract</c>).
/// </summary>
[Collection(LiveServerCollection.Name)]
public sealed class JavaScriptContractTests(LiveServerFixture server)
{
    private static readonly string ContractFolder = Path.Combine(RepositoryRoot.Find(), "tests", "contract");

    private async Task<(int ExitCode, string Output)> CheckAsync(string schemaFile)
    {
        await NodeTool.EnsureInstalledAsync(ContractFolder, Path.Combine("node_modules", "graphql", "package.json"));
        // The token goes through the environment ("-"), not the command line.
        return await NodeTool.RunAsync("node", ["check-schema.mjs", server.GraphQLUrl, "-", schemaFile], ContractFolder,
            TimeSpan.FromMinutes(2), environment: new Dictionary<string, string> { ["LISTES360_TOKEN"] = server.Token(Role.Observatory) });
    }

    [Fact]
    public async Task Graphql_js_finds_the_served_schema_equal_to_the_checked_in_contract()
    {
        var (exitCode, output) = await CheckAsync(Path.Combine(RepositoryRoot.Find(), "schema.graphql"));

        Assert.True(exitCode == 0, $"check-schema.mjs a échoué (code {exitCode}) :{Environment.NewLine}{output}");
        Assert.Contains("Contrat respecté", output);
    }

    [Fact]
    public async Task Graphql_js_reports_a_contract_that_differs_from_the_server()
    {
        var contract = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Find(), "schema.graphql"));
        const string description = "\"Numéro FINESS (9 caractères).\"";
        Assert.Contains(description, contract);
        var tampered = Path.Combine(Path.GetTempPath(), $"listes360-schema-{Guid.NewGuid():N}.graphql");
        await File.WriteAllTextAsync(tampered, contract.Replace(description, "\"Numéro FINESS, modifié à la main.\"")
            + "\ntype Ghost {\n  id: ID!\n}\n");
        try
        {
            var (exitCode, output) = await CheckAsync(tampered);

            Assert.True(exitCode == 1, $"code {exitCode} :{Environment.NewLine}{output}");
            // The diff shows the file's line (-) and the served one (+).
            var changed = output.Split('\n').Select(l => System.Text.RegularExpressions.Regex.Replace(l.Trim(), @"^([-+])\s+", "$1 ")).ToList();
            Assert.True(changed.Any(l => l.StartsWith("- ", StringComparison.Ordinal) && l.Contains("Numéro FINESS, modifié à la main."))
                        && changed.Any(l => l.StartsWith("+ ", StringComparison.Ordinal) && l.Contains("Numéro FINESS (9 caractères).")), output);
            Assert.Contains("TYPE_REMOVED", output); // Ghost: in the file, not served
        }
        finally
        {
            File.Delete(tampered);
        }
    }
}
