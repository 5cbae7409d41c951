using System.CommandLine;
using Listes360.Api.Hosting;
using Listes360.Api.Security;

namespace Listes360.Cli.Commands;

/// <summary><c>listes360 serve</c>: the silo and the API, storage as configured.</summary>
internal static class ServeCommand
{
    public const string DefaultUrl = "http://127.0.0.1:5360";

    public static Command Create()
    {
        var urls = new Option<string>("--urls") { Description = "Adresse(s) d'écoute de l'API.", DefaultValueFactory = _ => DefaultUrl };
        var storage = new Option<string?>("--storage") { Description = "Chaîne de connexion Azure Table storage (par défaut : Azurite sur 127.0.0.1:10002)." };
        var membership = new Option<string?>("--membership") { Description = "Localhost (un silo seul) ou AzureTable (cluster de plusieurs silos dans la table des membres du stockage) ; par défaut : la configuration (Listes360:Cluster:Membership), sinon Localhost." };
        membership.AcceptOnlyFromAmong("Localhost", "AzureTable");
        var (siloPort, gatewayPort) = SiloPortOptions();
        var command = new Command("serve", "Lance un silo Orleans et son API GraphQL (le stockage doit être joignable).") { urls, storage, membership, siloPort, gatewayPort };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = new Dictionary<string, string?>
            {
                ["urls"] = parse.GetValue(urls),
                [$"{ClusterSettings.Section}:SiloPort"] = parse.GetValue(siloPort).ToString(System.Globalization.CultureInfo.InvariantCulture),
                [$"{ClusterSettings.Section}:GatewayPort"] = parse.GetValue(gatewayPort).ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
            // Without an OIDC authority configured, development tokens from `listes360 token` are accepted.
            var configured = new ConfigurationBuilder().AddEnvironmentVariables().Build();
            if (configured[$"{AuthSettings.Section}:Authority"] is null && configured[$"{AuthSettings.Section}:SigningKey"] is null)
                settings[$"{AuthSettings.Section}:SigningKey"] = DevSigningKey.LoadOrCreate(RepositoryPaths.Root());
            if (parse.GetValue(membership) is { } chosen)
                settings[$"{ClusterSettings.Section}:Membership"] = chosen;
            if (parse.GetValue(storage) is { Length: > 0 } connection)
                settings[$"{StorageSettings.Section}:ConnectionString"] = connection;
            await RunAsync(settings, cancellationToken);
            return 0;
        });
        return command;
    }

    public static (Option<int> SiloPort, Option<int> GatewayPort) SiloPortOptions() =>
    (
        new Option<int>("--silo-port") { Description = "Port silo-à-silo d'Orleans.", DefaultValueFactory = _ => new ClusterSettings().SiloPort },
        new Option<int>("--gateway-port") { Description = "Port passerelle (clients) d'Orleans.", DefaultValueFactory = _ => new ClusterSettings().GatewayPort }
    );

    public static async Task RunAsync(IReadOnlyDictionary<string, string?> settings, CancellationToken cancellationToken)
    {
        var app = ApiHost.Build([], settings);
        await app.StartAsync(cancellationToken);
        await app.WaitForShutdownAsync(cancellationToken);
    }
}
