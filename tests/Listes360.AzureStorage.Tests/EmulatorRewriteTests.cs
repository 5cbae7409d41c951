using Azure;
using Azure.Data.Tables;
using Listes360.Testing;

namespace Listes360.AzureStorage.Tests;

/// <summary>
/// Azurite as the service starts it rewrites an entity in place (infra/azurite/rewrite-in-place.cjs: a replace keeps
/// the entity's place) and finds an entity by its key in maps, leaving LokiJS's sorted indexes lazy
/// (infra/azurite/point-lookup.cjs). What a client sees must
/// stay Azure Table's: every entity found by its key and in its partition, in key order, preconditions and failed
/// transactions as before.
/// </summary>
[Collection(AzuriteCollectionDefinition.Name)]
public sealed class EmulatorRewriteTests(AzuriteFixture azurite)
{
    private async Task<TableClient> NewTableAsync()
    {
        var table = azurite.CreateServiceClient().GetTableClient(AzuriteFixture.UniqueTableName("rewrite"));
        await table.CreateIfNotExistsAsync();
        return table;
    }

    private static TableEntity Entity(string partition, string row, string value) => new(partition, row) { ["Value"] = value };

    [Fact]
    public async Task Entities_replaced_merged_and_deleted_at_random_among_others_are_found_as_last_written()
    {
        var table = await NewTableAsync();
        var random = new Random(2026);
        var expected = new Dictionary<(string Partition, string Row), string>();
        // Many entities share a RowKey across partitions (as grain states of one type do) and many share a partition
        // (as the rows of a grain kept as rows do): both indexes hold long runs of equal values.
        for (var p = 0; p < 12; p++)
        {
            var rows = Enumerable.Range(0, 60).Select(r => Entity($"p{p:D2}", $"r{r:D3}", $"v0-{p}-{r}")).ToList();
            await table.SubmitTransactionAsync(rows.Select(e => new TableTransactionAction(TableTransactionActionType.Add, e)));
            foreach (var e in rows) expected[(e.PartitionKey, e.RowKey)] = (string)e["Value"];
        }

        var touched = new HashSet<(string Partition, string Row)>(expected.Keys);
        for (var step = 0; step < 600; step++)
        {
            var key = ($"p{random.Next(12):D2}", $"r{random.Next(70):D3}");
            var value = $"v{step}";
            var exists = expected.ContainsKey(key);
            touched.Add(key);
            switch (random.Next(7))
            {
                case 0 when exists:
                    var current = (await table.GetEntityAsync<TableEntity>(key.Item1, key.Item2)).Value;
                    await table.UpdateEntityAsync(Entity(key.Item1, key.Item2, value), current.ETag, TableUpdateMode.Replace);
                    break;
                case 1:
                    await table.UpsertEntityAsync(Entity(key.Item1, key.Item2, value), TableUpdateMode.Replace);
                    break;
                case 2 when exists:
                    await table.UpdateEntityAsync(Entity(key.Item1, key.Item2, value), ETag.All, TableUpdateMode.Merge);
                    break;
                case 3 when exists:
                    await table.DeleteEntityAsync(key.Item1, key.Item2);
                    expected.Remove(key);
                    continue;
                case 4 when !exists:
                    await table.AddEntityAsync(Entity(key.Item1, key.Item2, value));
                    break;
                case 5:
                    // As the rows of a grain kept as rows are written: merged in a transaction, new ones inserted.
                    var rows = Enumerable.Range(0, 3).Select(n => (key.Item1, $"r{random.Next(70):D3}")).Distinct().ToList();
                    await table.SubmitTransactionAsync(rows.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertMerge, Entity(r.Item1, r.Item2, value))));
                    foreach (var r in rows)
                    {
                        expected[r] = value;
                        touched.Add(r);
                    }
                    continue;
                case 6 when !exists && expected.Keys.FirstOrDefault(k => k.Partition == key.Item1) is { Partition: not null } other:
                    // A transaction that inserts this key, then fails on an entity that exists: the key is not there after.
                    await Assert.ThrowsAsync<TableTransactionFailedException>(() => table.SubmitTransactionAsync(
                    [
                        new TableTransactionAction(TableTransactionActionType.UpsertMerge, Entity(key.Item1, key.Item2, value)),
                        new TableTransactionAction(TableTransactionActionType.Add, Entity(other.Partition, other.Row, "doublon")),
                    ]));
                    continue;
                default:
                    continue;
            }
            expected[key] = value;
        }

        foreach (var ((partition, row), value) in expected)
            Assert.Equal(value, (await table.GetEntityAsync<TableEntity>(partition, row)).Value["Value"]);
        // Deleted, or taken back with a failed transaction: not found.
        foreach (var (partition, row) in touched.Where(k => !expected.ContainsKey(k)))
            Assert.False((await table.GetEntityIfExistsAsync<TableEntity>(partition, row)).HasValue, $"{partition}/{row} devrait être absente");
        for (var p = 0; p < 12; p++)
        {
            var partition = $"p{p:D2}";
            var stored = await table.QueryAsync<TableEntity>(e => e.PartitionKey == partition).ToListAsync();
            Assert.Equal(expected.Where(x => x.Key.Partition == partition).OrderBy(x => x.Key.Row, StringComparer.Ordinal).Select(x => (x.Key.Row, x.Value)),
                stored.Select(e => (e.RowKey, (string)e["Value"])));
        }
        var sameRow = await table.QueryAsync<TableEntity>(e => e.RowKey == "r007").ToListAsync();
        Assert.Equal(expected.Keys.Where(k => k.Row == "r007").Select(k => k.Partition).Order(StringComparer.Ordinal), sameRow.Select(e => e.PartitionKey));
    }

    [Fact]
    public async Task A_replace_under_a_stale_ETag_is_refused_and_a_failed_transaction_puts_back_what_it_replaced()
    {
        var table = await NewTableAsync();
        await table.AddEntityAsync(Entity("61-x", "state", "premier"));
        await table.AddEntityAsync(Entity("61-x", "other", "autre"));
        var first = (await table.GetEntityAsync<TableEntity>("61-x", "state")).Value.ETag;
        await table.UpdateEntityAsync(Entity("61-x", "state", "second"), first, TableUpdateMode.Replace);

        var stale = await Assert.ThrowsAsync<RequestFailedException>(() =>
            table.UpdateEntityAsync(Entity("61-x", "state", "troisième"), first, TableUpdateMode.Replace));
        Assert.Equal(412, stale.Status);

        // The replace succeeds inside the transaction, then the insert of an existing entity fails it whole.
        var current = (await table.GetEntityAsync<TableEntity>("61-x", "state")).Value.ETag;
        await Assert.ThrowsAsync<TableTransactionFailedException>(() => table.SubmitTransactionAsync(
        [
            new TableTransactionAction(TableTransactionActionType.UpdateReplace, Entity("61-x", "state", "annulé"), current),
            new TableTransactionAction(TableTransactionActionType.Add, Entity("61-x", "other", "doublon")),
        ]));
        var state = (await table.GetEntityAsync<TableEntity>("61-x", "state")).Value;
        Assert.Equal("second", state["Value"]);
        Assert.Equal(current, state.ETag);
        Assert.Equal(["other", "state"], (await table.QueryAsync<TableEntity>(e => e.PartitionKey == "61-x").ToListAsync()).Select(e => e.RowKey));
        // The entity put back is still an entity like the others: replaced again, then found.
        await table.UpdateEntityAsync(Entity("61-x", "state", "quatrième"), state.ETag, TableUpdateMode.Replace);
        Assert.Equal("quatrième", (await table.GetEntityAsync<TableEntity>("61-x", "state")).Value["Value"]);
    }
}
