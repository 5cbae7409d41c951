using System.Net;
using Listes360.AzureStorage.Audit;
using Listes360.AzureStorage.GrainState;
using Listes360.Grains;
using Listes360.Grains.Department;
using Listes360.Grains.Security;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Configuration;

namespace Listes360.Api.Hosting;

/// <summary>The silo's wiring, all of it from configuration.</summary>
public static class SiloConfiguration
{
    public static void Configure(ISiloBuilder silo, IConfiguration configuration)
    {
        var cluster = ClusterSettings.From(configuration);
        var storage = StorageSettings.From(configuration);
        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = cluster.ClusterId;
            o.ServiceId = cluster.ServiceId;
        });
        switch (cluster.Membership.ToLowerInvariant())
        {
            case "localhost":
                silo.UseLocalhostClustering(cluster.SiloPort, cluster.GatewayPort, serviceId: cluster.ServiceId, clusterId: cluster.ClusterId);
                break;
            case "azuretable":
                silo.Configure<EndpointOptions>(o =>
                {
                    o.AdvertisedIPAddress = AdvertisedAddress(cluster.AdvertisedAddress);
                    o.SiloPort = cluster.SiloPort;
                    o.GatewayPort = cluster.GatewayPort;
                    if (cluster.ListenOnAnyAddress)
                    {
                        o.SiloListeningEndpoint = new IPEndPoint(IPAddress.Any, cluster.SiloPort);
                        o.GatewayListeningEndpoint = new IPEndPoint(IPAddress.Any, cluster.GatewayPort);
                    }
                });
                silo.UseAzureStorageClustering(o =>
                {
                    o.TableServiceClient = storage.CreateServiceClient();
                    o.TableName = storage.ClusterTableName;
                });
                ConfigureFailureDetection(silo);
                break;
            default:
                throw new InvalidOperationException(
                    $"{ClusterSettings.Section}:Membership « {cluster.Membership} » inconnu : valeurs admises Localhost (un seul silo) ou AzureTable (plusieurs silos).");
        }

        ConfigureGrains(silo, configuration);
    }

    /// <summary>
    /// A killed silo must be declared dead in seconds, not the default's half-minute: until then its
    /// grains (a département's identity grain among them) cannot move and callers wait. Probes every
    /// 2 s, dead after 2 missed probes seen by the silos probing it; measured in bench/cluster.
    /// </summary>
    private static void ConfigureFailureDetection(ISiloBuilder silo) =>
        silo.Configure<ClusterMembershipOptions>(o =>
        {
            o.ProbeTimeout = TimeSpan.FromSeconds(2);
            o.NumMissedProbesLimit = 2;
            o.TableRefreshTimeout = TimeSpan.FromSeconds(10);
            o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(30);
        });

    /// <summary>
    /// The address to advertise: an IP, a host name resolved now, or <c>auto</c>: this machine's first
    /// IPv4 address on an interface that is up and not loopback (a container whose address is known
    /// only when it starts, as a replica in Azure Container Apps: infra/azure).
    /// </summary>
    internal static IPAddress AdvertisedAddress(string address)
    {
        if (string.Equals(address, ClusterSettings.AutomaticAddress, StringComparison.OrdinalIgnoreCase))
            return System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces()
                .Where(n => n.OperationalStatus == System.Net.NetworkInformation.OperationalStatus.Up
                    && n.NetworkInterfaceType != System.Net.NetworkInformation.NetworkInterfaceType.Loopback)
                .SelectMany(n => n.GetIPProperties().UnicastAddresses)
                .Select(a => a.Address)
                .FirstOrDefault(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))
                ?? throw new InvalidOperationException(
                    $"{ClusterSettings.Section}:AdvertisedAddress « {address} » : aucune interface réseau active n'a d'adresse IPv4 hors boucle locale ; donnez l'adresse du silo.");
        if (IPAddress.TryParse(address, out var ip))
            return ip;
        var resolved = Dns.GetHostAddresses(address).FirstOrDefault(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
            ?? throw new InvalidOperationException($"{ClusterSettings.Section}:AdvertisedAddress « {address} » : aucune adresse IPv4 trouvée pour ce nom.");
        return resolved;
    }

    /// <summary>
    /// Everything but clustering: storage, reminders, access and audit, the département's topology.
    /// Test clusters (which bring their own clustering) use the same wiring as production.
    /// </summary>
    public static void ConfigureGrains(ISiloBuilder silo, IConfiguration configuration)
    {
        var storage = StorageSettings.From(configuration);
        var cluster = ClusterSettings.From(configuration);
        var tables = storage.CreateServiceClient();
        silo.Services.TryAddSingleton(TimeProvider.System);
        silo.Services.TryAddSingleton(configuration.GetSection(DepartmentTopology.Section).Get<DepartmentTopology>() ?? new DepartmentTopology());
        silo.Services.TryAddSingleton(configuration.GetSection(Grains.Identity.IdentityTopology.Section).Get<Grains.Identity.IdentityTopology>() ?? new Grains.Identity.IdentityTopology());
        // One per département in the silo: its list shards look typos up among the same words once (NameVocabulary says why).
        silo.Services.TryAddSingleton(new Listes360.Domain.WaitingList.NameVocabularies());
        silo.Services.TryAddSingleton<IAuditTrail>(_ => new RequestAuditDeduplication(new AzureTableAuditTrail(tables.GetTableClient(storage.AuditTableName))));
        // Per-ESMS references of persons for directors: stable across silos and restarts (see FromSecrets).
        silo.Services.TryAddSingleton(Listes360.Domain.Security.EsmsReferences.FromSecrets(configuration[Listes360.Domain.Security.EsmsReferences.SecretSetting], configuration[Listes360.Domain.Security.DepartmentSecrets.NirSecretSetting]));
        silo.AddIncomingGrainCallFilter<AuthorizationFilter>();
        Listes360.Api.Risk.RiskModelSetup.AddRiskScorer(silo.Services, configuration);
        Listes360.Api.Risk.ObservatorySetup.AddPseudonyms(silo.Services, configuration);
        silo.AddListes360GrainStorage(StorageNames.Main, tables, storage.TableName, cluster.ServiceId);
        silo.Services.TryAddSingleton<Grains.Idempotency.IExpiredIdempotencyRecords>(_ => new ExpiredIdempotencyRows(tables.GetTableClient(storage.TableName)));
        silo.Services.TryAddSingleton(configuration.GetSection("Maintenance:Batching").Get<ReconcileBatching>() ?? new ReconcileBatching());
        silo.UseAzureTableReminderService(o =>
        {
            o.TableServiceClient = tables;
            o.TableName = storage.RemindersTableName;
        });
    }
}
