using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Runtime.Hosting;
using Orleans.Storage;

namespace Listes360.AzureStorage.GrainState;

/// <summary>How the service keeps its grains' state: the official Orleans Azure Table provider.</summary>
public static class GrainStateStorage
{
    /// <summary>Name of the official provider inside the silo; grains use <paramref name="name"/> and see it through <see cref="SafeKeyGrainStorage"/>.</summary>
    private static string OfficialName(string name) => name + "-azure-table";

    /// <summary>
    /// Registers grain storage <paramref name="name"/>: states in table <paramref name="tableName"/>, each
    /// row under <c>{serviceId}_{grain id}</c>, serialized with Orleans' binary serializer (the states
    /// are version-tolerant <c>[GenerateSerializer]</c> types; JSON would take about three times the room),
    /// the row deleted when a grain clears its state.
    /// </summary>
    /// <param name="serviceId">Fixed here rather than taken from the cluster, so that the rows of a
    /// département do not depend on how a (test) cluster names itself.</param>
    public static ISiloBuilder AddListes360GrainStorage(this ISiloBuilder silo, string name, TableServiceClient client, string tableName, string serviceId)
    {
        var official = OfficialName(name);
        silo.Services.AddKeyedSingleton(official, new ClusterOptions { ServiceId = serviceId, ClusterId = serviceId });
        silo.AddAzureTableGrainStorage(official, options => options.Configure<Orleans.Serialization.Serializer>((o, serializer) =>
        {
            o.TableServiceClient = client;
            o.TableName = tableName;
            o.DeleteStateOnClear = true;
            o.GrainStorageSerializer = new MeasuredGrainStorageSerializer(new OrleansGrainStorageSerializer(serializer));
        }));
        silo.Services.AddGrainStorage(name, (provider, _) => new SafeKeyGrainStorage(provider.GetRequiredKeyedService<IGrainStorage>(official)));
        // States kept as rows (the identity index's shards): same table, same partitions, written by difference.
        silo.Services.AddSingleton<Listes360.Grains.Common.IKeyedRowStorage>(new AzureTableKeyedRowStorage(client.GetTableClient(tableName), serviceId));
        return silo;
    }
}
