using Listes360.Grains;
using Listes360.Grains.Department;
using Listes360.Grains.Security;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Azure.Data.Tables;
using Listes360.Storage.AzureTables;
using Listes360.Storage.AzureTables.Audit;

namespace Listes360.Api.Hosting;

/// <summary>The silo's wiring, all of it from configuration.</summary>
public static class SiloConfiguration
{
    public static void Configure(ISiloBuilder silo, IConfiguration configuration)
    {
        var cluster = configuration.GetSection(ClusterSettings.Section).Get<ClusterSettings>() ?? new ClusterSettings();

        switch (cluster.Clustering.ToLowerInvariant())
        {
            case "localhost":
                silo.UseLocalhostClustering(cluster.SiloPort, cluster.GatewayPort, serviceId: cluster.ServiceId, clusterId: cluster.ClusterId);
                break;
            case "redis":
                if (string.IsNullOrWhiteSpace(cluster.RedisConnectionString))
                    throw new InvalidOperationException("Orleans:Clustering=Redis demande Orleans:RedisConnectionString.");
                silo.Configure<Orleans.Configuration.ClusterOptions>(o =>
                {
                    o.ClusterId = cluster.ClusterId;
                    o.ServiceId = cluster.ServiceId;
                });
                silo.ConfigureEndpoints(System.Net.IPAddress.Loopback, cluster.SiloPort, cluster.GatewayPort);
                silo.UseRedisClustering(cluster.RedisConnectionString);
                break;
            default:
                throw new InvalidOperationException(
                    $"Orleans:Clustering « {cluster.Clustering} » inconnu : valeurs admises Localhost ou Redis.");
        }

        ConfigureGrains(silo, configuration);
    }

    /// <summary>
    /// Everything but clustering: storage, access and audit, the département's topology. Test
    /// clusters (which bring their own clustering) use the same wiring as production.
    /// </summary>
    public static void ConfigureGrains(ISiloBuilder silo, IConfiguration configuration)
    {
        var storage = configuration.GetSection(StorageSettings.Section).Get<StorageSettings>() ?? new StorageSettings();
        silo.Services.TryAddSingleton(TimeProvider.System);
        silo.Services.TryAddSingleton(configuration.GetSection(DepartmentTopology.Section).Get<DepartmentTopology>() ?? new DepartmentTopology());
        silo.Services.TryAddSingleton(configuration.GetSection(Grains.Identity.IdentityTopology.Section).Get<Grains.Identity.IdentityTopology>() ?? new Grains.Identity.IdentityTopology());
        silo.Services.TryAddSingleton<IAuditTrail>(_ => new RequestAuditDeduplication(new AzureTableAuditTrail(new TableClient(storage.ConnectionString, storage.AuditTableName))));
        // Per-ESMS references of persons for directors: stable across silos and restarts (see FromSecrets).
        silo.Services.TryAddSingleton(Listes360.Domain.Security.EsmsReferences.FromSecrets(configuration[Listes360.Domain.Security.EsmsReferences.SecretSetting], configuration[Listes360.Domain.Security.DepartmentSecrets.NirSecretSetting]));
        silo.AddIncomingGrainCallFilter<AuthorizationFilter>();
        Listes360.Api.Risk.RiskModelSetup.AddRiskScorer(silo.Services, configuration);
        Listes360.Api.Risk.ObservatorySetup.AddPseudonyms(silo.Services, configuration);
        silo.AddAzureTableGrainStorage(StorageNames.Main, o =>
        {
            o.ConnectionString = storage.ConnectionString;
            o.TableName = storage.TableName;
        });
        // Orleans' binary serializer rather than the JSON default: the states are [GenerateSerializer]
        // records (version tolerant by their [Id]s) and binary keeps a large ESMS list well under the
        // entity limit, where JSON would take about three times the room.
        silo.Services.AddOptions<AzureTableGrainStorageOptions>(StorageNames.Main)
            .PostConfigure<Orleans.Serialization.Serializer>((o, serializer) => o.GrainStorageSerializer = new Orleans.Storage.OrleansGrainStorageSerializer(serializer));
    }
}
