using Azure.Data.Tables;
using Listes360.Api.Tests;

namespace Listes360.Security.Tests;

/// <summary>
/// Every entity of the grains' table, by key, with its ETag: two snapshots are equal when nothing was
/// written in between. The audit table is left out on purpose: a refusal is audited.
/// </summary>
public sealed record StorageSnapshot(IReadOnlyDictionary<string, string> Entities)
{
    public static async Task<StorageSnapshot> TakeAsync(ApiFixture api)
    {
        var table = new TableClient(api.Azurite.ConnectionString, api.TableName);
        var entities = new SortedDictionary<string, string>(StringComparer.Ordinal);
        await foreach (var entity in table.QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey"]))
            entities[entity.PartitionKey + "/" + entity.RowKey] = entity.ETag.ToString();
        return new StorageSnapshot(entities);
    }

    /// <summary>The keys added, removed or rewritten since <paramref name="before"/> (empty when unchanged).</summary>
    public IReadOnlyList<string> ChangesSince(StorageSnapshot before) =>
        Entities.Keys.Union(before.Entities.Keys)
            .Where(key => !Entities.TryGetValue(key, out var now) || !before.Entities.TryGetValue(key, out var then) || now != then)
            .Order(StringComparer.Ordinal)
            .ToList();
}

/// <summary>One host for the whole suite: refusals are checked against storage, so tests run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class SecurityCollection : ICollectionFixture<ApiFixture>
{
    public const string Name = "Sécurité : service complet sur Azurite";
}
