using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using Azure;
using Azure.Data.Tables;
using Listes360.Api.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Listes360.Cli.Commands;

/// <summary>
/// How the command-line clients (<c>import-esms</c>, <c>import-list</c>, <c>seed</c>) reach the running
/// service: through the gateways its silos publish in the membership table of the storage account (any
/// silo will do, and the client moves to another if one stops), or, with <c>--gateway-port</c>, one gateway
/// on this machine.
/// </summary>
internal sealed record ServiceTarget(string StorageConnection, int? GatewayPort)
{
    public static Option<string?> StorageOption() =>
        new("--storage") { Description = "Chaîne de connexion du stockage du service, où ses silos publient leurs passerelles (par défaut : l'Azurite de ./listes360 up, 127.0.0.1:10002)." };

    public static Option<int?> GatewayPortOption() =>
        new("--gateway-port") { Description = "Se connecter à cette seule passerelle Orleans sur 127.0.0.1 plutôt qu'aux silos trouvés dans la table des membres du cluster." };

    public static ServiceTarget From(ParseResult parse, Option<string?> storage, Option<int?> gatewayPort) =>
        new(parse.GetValue(storage) ?? new StorageSettings().ConnectionString, parse.GetValue(gatewayPort));

    /// <summary>An Orleans client of the running service, or null (said on <paramref name="stderr"/>) when no silo answers.</summary>
    public async Task<IHost?> ConnectAsync(TextWriter stderr, CancellationToken cancellationToken)
    {
        var cluster = new ClusterSettings();
        var storage = new StorageSettings { ConnectionString = StorageConnection };
        // The Orleans client retries unreachable gateways until its timeout: a plain TCP connect to each
        // published gateway says at once whether anything listens.
        var gateways = GatewayPort is { } port
            ? [new IPEndPoint(IPAddress.Loopback, port)]
            : await PublishedGatewaysAsync(storage, cluster.ClusterId, cancellationToken);
        if (gateways is null)
        {
            await stderr.WriteLineAsync(NotRunning($"son stockage {Endpoint(StorageConnection)} ne répond pas"));
            return null;
        }
        var listening = new List<IPEndPoint>();
        foreach (var gateway in gateways)
        {
            if (await ListensAsync(gateway, cancellationToken))
                listening.Add(gateway);
        }
        if (listening.Count == 0)
        {
            await stderr.WriteLineAsync(NotRunning(GatewayPort is { } p
                ? $"aucune passerelle n'écoute sur 127.0.0.1:{p}"
                : "aucun silo actif dans la table des membres du cluster"));
            return null;
        }
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(client =>
        {
            client.Configure<Orleans.Configuration.ClusterOptions>(o =>
            {
                o.ClusterId = cluster.ClusterId;
                o.ServiceId = cluster.ServiceId;
            });
            if (GatewayPort is not null)
                client.UseStaticClustering(listening.ToArray());
            else
                client.UseAzureStorageClustering(o =>
                {
                    o.TableServiceClient = storage.CreateServiceClient();
                    o.TableName = storage.ClusterTableName;
                });
        });
        var host = builder.Build();
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(30));
            await host.StartAsync(timeout.Token);
            return host;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            host.Dispose();
            await stderr.WriteLineAsync(NotRunning($"{e.GetType().Name} : {e.Message}"));
            return null;
        }
    }

    public static async Task StopAsync(IHost host)
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try { await host.StopAsync(stop.Token); } catch (OperationCanceledException) { }
    }

    /// <summary>Gateways of the silos the membership table holds as active; null when the storage does not answer.</summary>
    internal static async Task<IReadOnlyList<IPEndPoint>?> PublishedGatewaysAsync(StorageSettings storage, string clusterId, CancellationToken cancellationToken)
    {
        var table = new TableClient(storage.ConnectionString, storage.ClusterTableName, new TableClientOptions { Retry = { MaxRetries = 1 } });
        var gateways = new List<IPEndPoint>();
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            await foreach (var row in table.QueryAsync<TableEntity>(e => e.PartitionKey == clusterId, cancellationToken: timeout.Token))
            {
                if (row.GetString("Status") == "Active" && IPAddress.TryParse(row.GetString("Address"), out var address)
                    && int.TryParse(row.GetString("ProxyPort"), out var proxyPort) && proxyPort > 0)
                    gateways.Add(new IPEndPoint(address, proxyPort));
            }
            return gateways;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return gateways; // no silo has ever started on this storage
        }
        catch (Exception e) when (e is RequestFailedException or OperationCanceledException or AggregateException or FormatException or InvalidOperationException)
        {
            return null;
        }
    }

    private static string Endpoint(string connection)
    {
        try
        {
            return new TableServiceClient(connection).Uri.ToString();
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or ArgumentException)
        {
            return "(chaîne de connexion --storage illisible)";
        }
    }

    private static async Task<bool> ListensAsync(IPEndPoint endpoint, CancellationToken cancellationToken)
    {
        using var client = new TcpClient(endpoint.AddressFamily);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(3));
        try
        {
            await client.ConnectAsync(endpoint, timeout.Token);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    private static string NotRunning(string why) =>
        $"Le service Listes360 ne répond pas ({why}) : rien n'a été fait. " +
        "Démarrez-le d'abord avec « ./listes360 up » (dans un autre terminal), puis relancez cette commande " +
        "(avec --storage si le service n'utilise pas l'Azurite de up, ou --gateway-port pour viser une passerelle précise).";
}
