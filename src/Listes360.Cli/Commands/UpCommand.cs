using System.CommandLine;
using Listes360.Api.GraphQL;
using Listes360.Api.Hosting;
using Listes360.Api.Security;
using Listes360.Domain.Security;
using Listes360.AzureStorage.Emulator;
using Microsoft.Extensions.DependencyInjection;

namespace Listes360.Cli.Commands;

/// <summary>
/// <c>listes360 up</c>: everything a newcomer needs on one machine. Azurite (installed by npm when
/// missing) on loopback with its data under the git-ignored <c>.data/</c>, then the silo and the API;
/// the Orne's real ESMS registry is loaded when empty (<see cref="DemoRegistry"/>). Ctrl-C stops both.
/// </summary>
internal static class UpCommand
{
    public static Command Create()
    {
        var urls = new Option<string>("--urls") { Description = "Adresse d'écoute de l'API.", DefaultValueFactory = _ => ServeCommand.DefaultUrl };
        var storagePort = new Option<int>("--storage-port") { Description = "Port du service Table d'Azurite sur 127.0.0.1.", DefaultValueFactory = _ => 10002 };
        var data = new Option<string?>("--data") { Description = "Dossier des données d'Azurite (par défaut : .data/azurite dans le clone)." };
        var seedPersons = new Option<int>("--seed-persons")
        {
            Description = $"Personnes SIMULÉES chargées quand le département n'a encore personne (par défaut {Imports.Simulation.DemoSeed.DefaultPersons} ; 0 : aucune).",
            DefaultValueFactory = _ => Imports.Simulation.DemoSeed.DefaultPersons,
        };
        var (siloPort, gatewayPort) = ServeCommand.SiloPortOptions();
        var command = new Command("up", "Démarre Azurite, le silo et l'API sur 127.0.0.1 ; Ctrl-C arrête tout.") { urls, storagePort, data, siloPort, gatewayPort, seedPersons };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var root = RepositoryPaths.Root();
            var dataFolder = Path.GetFullPath(parse.GetValue(data) ?? Path.Combine(root, ".data", "azurite"));
            var infra = Path.Combine(root, "infra", "azurite");

            if (await PortTakenMessageAsync(parse.GetValue(storagePort), cancellationToken) is { } taken)
            {
                Console.Error.WriteLine(taken);
                return 1;
            }
            Console.Error.WriteLine($"Azurite : démarrage sur 127.0.0.1:{parse.GetValue(storagePort)}, données dans {dataFolder}");
            await AzuriteServer.EnsureInstalledAsync(infra, Console.Error, cancellationToken);
            await using var azurite = await AzuriteServer.StartAsync(infra, dataFolder, parse.GetValue(storagePort), cancellationToken: cancellationToken);

            var url = parse.GetValue(urls)!;
            var settings = new Dictionary<string, string?>
            {
                ["urls"] = url,
                // A local development service: GraphiQL on (the API still wants a token).
                [GraphiQLPage.SettingKey] = "true",
                [$"{StorageSettings.Section}:ConnectionString"] = azurite.ConnectionString,
                [$"{AuthSettings.Section}:SigningKey"] = DevSigningKey.LoadOrCreate(root),
                ["Nir:Secret"] = DevSigningKey.LoadOrCreate(root, "dev-nir-secret"),
                [$"{ClusterSettings.Section}:SiloPort"] = parse.GetValue(siloPort).ToString(System.Globalization.CultureInfo.InvariantCulture),
                [$"{ClusterSettings.Section}:GatewayPort"] = parse.GetValue(gatewayPort).ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
            var app = ApiHost.Build([], settings);
            await app.StartAsync(cancellationToken);
            await DemoRegistry.LoadIfEmptyAsync(app.Services.GetRequiredService<IGrainFactory>(), Console.Out, cancellationToken);
            await DemoRegistry.SeedIfEmptyAsync(app.Services, root, parse.GetValue(seedPersons), Console.Out, cancellationToken);
            Console.WriteLine($"""

                Listes360 est prêt.
                  API GraphQL : {url}/graphql
                  GraphiQL    : {url}{GraphiQLPage.Path}   (collez le jeton dans l'onglet « Headers »)
                  Santé       : {url}/health
                  Stockage    : Azurite 127.0.0.1:{azurite.Port} ({dataFolder})
                  Jeton       : TOKEN=$(./listes360 token --role admin)   puis   -H "Authorization: Bearer $TOKEN"
                                (rôles : {string.Join(", ", RoleNames.ClaimValues)})
                Ctrl-C pour tout arrêter.
                """);
            await app.WaitForShutdownAsync(cancellationToken);
            Console.Error.WriteLine("Arrêt du silo et d'Azurite…");
            await app.DisposeAsync();
            return 0;
        });
        return command;
    }

    /// <summary>
    /// Why Azurite cannot take <paramref name="port"/>, in French, or null when the port is free. An
    /// Azurite already there is most often one left by an `up` that was killed before Azurite was
    /// made to follow its parent, or another `up` still running: say which, and how to stop it.
    /// </summary>
    internal static async Task<string?> PortTakenMessageAsync(int port, CancellationToken cancellationToken)
    {
        try
        {
            using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return null;
        }
        catch (System.Net.Sockets.SocketException)
        {
            // Taken: find out by whom below.
        }
        string? server = null;
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
            using var response = await http.GetAsync($"http://127.0.0.1:{port}/devstoreaccount1/Tables", cancellationToken);
            server = response.Headers.Server.ToString();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            // Not an HTTP server, or not answering: something else holds the port.
        }
        return server?.Contains("Azurite", StringComparison.OrdinalIgnoreCase) == true
            ? $"Un Azurite ({server}) occupe déjà 127.0.0.1:{port} : un autre « listes360 up » tourne encore, ou un Azurite est resté " +
              $"d'un arrêt brutal. Arrêtez-le (par exemple « fuser -k {port}/tcp », ou « lsof -i :{port} » pour voir son processus), " +
              $"ou choisissez un autre port avec --storage-port."
            : $"Le port 127.0.0.1:{port} est déjà pris par un autre programme : Azurite ne peut pas y démarrer. " +
              $"Libérez-le (« lsof -i :{port} » montre qui l'occupe) ou choisissez un autre port avec --storage-port.";
    }
}
