using System.CommandLine;
using Listes360.Api.GraphQL;
using Listes360.Api.Hosting;
using Listes360.Api.Security;
using Listes360.Domain.Security;
using Listes360.AzureStorage.Emulator;
using Listes360.AzureStorage.GrainState;
using Microsoft.Extensions.DependencyInjection;

namespace Listes360.Cli.Commands;

/// <summary>
/// <c>listes360 up</c>: everything a newcomer needs on one machine. Azurite (installed by npm when
/// missing) on loopback with its data under the git-ignored <c>.data/</c>, then one silo and its API, or
/// <c>--silos N</c> of them in one cluster (membership in Azurite's table, as in production);
/// the Orne's real ESMS registry is loaded when empty (<see cref="DemoRegistry"/>). Ctrl-C stops both.
/// </summary>
internal static class UpCommand
{
    public const int MaxSilos = 9;

    public static Command Create()
    {
        var urls = new Option<string>("--urls") { Description = "Adresse d'écoute de l'API du premier silo (les suivants prennent les ports suivants).", DefaultValueFactory = _ => ServeCommand.DefaultUrl };
        var storagePort = new Option<int>("--storage-port") { Description = "Port du service Table d'Azurite sur 127.0.0.1.", DefaultValueFactory = _ => 10002 };
        var data = new Option<string?>("--data") { Description = "Dossier des données d'Azurite (par défaut : .data/azurite dans le clone)." };
        var silos = new Option<int>("--silos") { Description = $"Nombre de silos du cluster, chacun avec son API (1 à {MaxSilos} ; par défaut 1).", DefaultValueFactory = _ => 1 };
        var reset = new Option<bool>("--reset") { Description = "Efface les données locales (le dossier d'Azurite) avant de démarrer : la démonstration repart de zéro." };
        var seedPersons = new Option<int>("--seed-persons")
        {
            Description = $"Personnes SIMULÉES chargées quand le département n'a encore personne (par défaut {Imports.Simulation.DemoSeed.DefaultPersons} ; 0 : aucune).",
            DefaultValueFactory = _ => Imports.Simulation.DemoSeed.DefaultPersons,
        };
        var inMemory = new Option<bool>("--in-memory")
        {
            Description = "Azurite sans rien écrire sur disque (mesures, essais) : tout disparaît à l'arrêt. Par défaut, ses données restent dans --data.",
        };
        var (siloPort, gatewayPort) = ServeCommand.SiloPortOptions();
        var command = new Command("up", "Démarre Azurite, le ou les silos et leur API sur 127.0.0.1 ; Ctrl-C arrête tout.") { urls, storagePort, data, silos, reset, siloPort, gatewayPort, seedPersons, inMemory };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var root = RepositoryPaths.Root();
            var dataFolder = Path.GetFullPath(parse.GetValue(data) ?? Path.Combine(root, ".data", "azurite"));
            var infra = Path.Combine(root, "infra", "azurite");
            var count = parse.GetValue(silos);
            if (count is < 1 or > MaxSilos)
            {
                Console.Error.WriteLine($"--silos {count} : le nombre de silos va de 1 à {MaxSilos} sur une machine.");
                return 1;
            }
            var firstUrl = new Uri(parse.GetValue(urls)!);

            if (await PortTakenMessageAsync(parse.GetValue(storagePort), cancellationToken) is { } taken)
            {
                Console.Error.WriteLine(taken);
                return 1;
            }
            if (parse.GetValue(reset) && Directory.Exists(dataFolder))
            {
                Console.Error.WriteLine($"--reset : effacement des données locales {dataFolder}");
                Directory.Delete(dataFolder, recursive: true);
            }
            var memoryOnly = parse.GetValue(inMemory);
            Console.Error.WriteLine(memoryOnly
                ? $"Azurite : démarrage sur 127.0.0.1:{parse.GetValue(storagePort)}, en mémoire seulement (--in-memory) : rien ne sera gardé à l'arrêt"
                : $"Azurite : démarrage sur 127.0.0.1:{parse.GetValue(storagePort)}, données dans {dataFolder}");
            await AzuriteServer.EnsureInstalledAsync(infra, Console.Error, cancellationToken);
            await using var azurite = await AzuriteServer.StartAsync(infra, dataFolder, parse.GetValue(storagePort), inMemory: memoryOnly, cancellationToken: cancellationToken);
            var storage = new StorageSettings { ConnectionString = azurite.ConnectionString };
            var tables = storage.CreateServiceClient();
            if (await LegacyGrainTable.FindAsync(tables, [storage.TableName, LegacyGrainTable.FormerTableName], cancellationToken) is { } legacy)
            {
                Console.Error.WriteLine(
                    $"Les données locales de {dataFolder} (table {legacy}) ont été écrites par une version antérieure de Listes360, " +
                    "dont le format de stockage des grains n'est plus lu (le service utilise désormais le fournisseur Azure officiel d'Orleans). " +
                    "Ce ne sont que des données de démonstration : aucune donnée réelle de département n'a été stockée dans ce format. " +
                    "Relancez avec « ./listes360 up --reset » pour effacer ce dossier et repartir de la démonstration.");
                return 1;
            }
            // This Azurite was free a moment ago and is ours: any silo its membership table still lists
            // is left from an `up` that was killed, and would only slow the new silos' start.
            await ForgetFormerSilosAsync(tables, storage.ClusterTableName, new ClusterSettings().ClusterId, cancellationToken);

            var apps = new List<Microsoft.AspNetCore.Builder.WebApplication>();
            try
            {
                for (var i = 0; i < count; i++)
                {
                    // Silo i takes the ports after the first silo's, or free ones when those are taken (printed below).
                    var url = new UriBuilder(firstUrl) { Port = i == 0 ? firstUrl.Port : PortNear(firstUrl.Port + i) }.Uri.ToString().TrimEnd('/');
                    var thisSiloPort = i == 0 ? parse.GetValue(siloPort) : PortNear(parse.GetValue(siloPort) + i);
                    var thisGatewayPort = i == 0 ? parse.GetValue(gatewayPort) : PortNear(parse.GetValue(gatewayPort) + i);
                    var settings = new Dictionary<string, string?>
                    {
                        ["urls"] = url,
                        // A local development service: GraphiQL on (the API still wants a token).
                        [GraphiQLPage.SettingKey] = "true",
                        // Prometheus scrape endpoint, loopback callers only (Api/Telemetry).
                        [$"{Listes360.Api.Telemetry.TelemetrySettings.Section}:Prometheus"] = "true",
                        [$"{StorageSettings.Section}:ConnectionString"] = azurite.ConnectionString,
                        [$"{AuthSettings.Section}:SigningKey"] = DevSigningKey.LoadOrCreate(root),
                        ["Nir:Secret"] = DevSigningKey.LoadOrCreate(root, "dev-nir-secret"),
                        [$"{ClusterSettings.Section}:Membership"] = "AzureTable",
                        [$"{ClusterSettings.Section}:SiloPort"] = thisSiloPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        [$"{ClusterSettings.Section}:GatewayPort"] = thisGatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    };
                    var app = ApiHost.Build([], settings);
                    await app.StartAsync(cancellationToken);
                    apps.Add(app);
                    Console.Error.WriteLine($"Silo {i + 1}/{count} démarré : API {url}, silo 127.0.0.1:{thisSiloPort}, passerelle 127.0.0.1:{thisGatewayPort}");
                }
                var first = apps[0];
                await DemoRegistry.LoadIfEmptyAsync(first.Services.GetRequiredService<IGrainFactory>(), Console.Out, cancellationToken);
                await DemoRegistry.SeedIfEmptyAsync(first.Services, root, parse.GetValue(seedPersons), Console.Out, cancellationToken);
                var apis = string.Join(Environment.NewLine, apps.Select((a, i) => $"  API GraphQL : {a.Urls.First()}/graphql" + (count > 1 ? $"   (silo {i + 1})" : "")));
                var url0 = firstUrl.ToString().TrimEnd('/');
                var otlpVariable = Listes360.Api.Telemetry.TelemetrySettings.OtlpEnvironmentVariable;
                var traces = Environment.GetEnvironmentVariable(otlpVariable) is { Length: > 0 } otlp
                    ? $"traces, métriques et journaux exportés par OTLP vers {otlp}"
                    : $"non enregistrées ; définissez {otlpVariable} (ex. http://localhost:4317) pour les enregistrer et les envoyer par OTLP";
                Console.WriteLine();
                Console.WriteLine($"Listes360 est prêt{(count > 1 ? $" : {count} silos en un cluster" : "")}.");
                Console.WriteLine(apis);
                Console.WriteLine($"""
                  Pages web   : {url0}/   (connexion de développement : {url0}/connexion, choisissez un rôle)
                  GraphiQL    : {url0}{GraphiQLPage.Path}   (collez le jeton dans l'onglet « Headers »)
                  Santé       : {url0}/health
                  Métriques   : {url0}{Listes360.Api.Telemetry.Listes360Telemetry.MetricsPath}   (Prometheus, depuis cette machine seulement)
                  Traces      : {traces}
                  Journaux    : cette console (horodatage UTC, TraceId et SpanId de la requête sur chaque ligne)
                  Stockage    : Azurite 127.0.0.1:{azurite.Port} ({dataFolder})
                  Jeton       : TOKEN=$(./listes360 token --role admin)   puis   -H "Authorization: Bearer $TOKEN"
                                (rôles : {string.Join(", ", RoleNames.ClaimValues)})
                Ctrl-C pour tout arrêter.
                """);
                await Task.WhenAny(apps.Select(a => a.WaitForShutdownAsync(cancellationToken)));
            }
            finally
            {
                Console.Error.WriteLine(apps.Count > 1 ? "Arrêt des silos et d'Azurite…" : "Arrêt du silo et d'Azurite…");
                // The last started leaves first; each leaves the membership cleanly.
                for (var i = apps.Count - 1; i >= 0; i--)
                {
                    await apps[i].StopAsync(CancellationToken.None);
                    await apps[i].DisposeAsync();
                }
            }
            return 0;
        });
        return command;
    }

    /// <summary><paramref name="preferred"/> when free on loopback, else a free port the system gives.</summary>
    private static int PortNear(int preferred) => AzuriteServer.IsLoopbackPortFree(preferred) ? preferred : AzuriteServer.FreeLoopbackPort();

    private static async Task ForgetFormerSilosAsync(Azure.Data.Tables.TableServiceClient tables, string tableName, string clusterId, CancellationToken cancellationToken)
    {
        var table = tables.GetTableClient(tableName);
        try
        {
            await foreach (var row in table.QueryAsync<Azure.Data.Tables.TableEntity>(e => e.PartitionKey == clusterId, cancellationToken: cancellationToken))
                await table.DeleteEntityAsync(row.PartitionKey, row.RowKey, Azure.ETag.All, cancellationToken);
        }
        catch (Azure.RequestFailedException e) when (e.Status == 404)
        {
            // No table yet: the first start on this data.
        }
    }

    /// <summary>
    /// Why Azurite cannot take <paramref name="port"/>, in French, or null when the port is free. An
    /// Azurite already there is most often one left by an `up` that was killed before Azurite was
    /// made to follow its parent, or another `up` still running: say which, and how to stop it.
    /// </summary>
    internal static async Task<string?> PortTakenMessageAsync(int port, CancellationToken cancellationToken)
    {
        if (AzuriteServer.IsLoopbackPortFree(port))
            return null;
        // Taken: find out by whom.
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
