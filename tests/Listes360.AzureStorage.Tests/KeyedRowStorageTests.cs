using System.Security.Cryptography;
using System.Text;
using Azure.Data.Tables;
using Listes360.AzureStorage.Backup;
using Listes360.AzureStorage.GrainState;
using Listes360.Grains.Common;
using Listes360.Testing;
using Orleans.Storage;

namespace Listes360.AzureStorage.Tests;

/// <summary>
/// Keyed grain states (the identity index's shards) in Azure Table, against a real Azurite: rows by key in the grain's
/// partition, written by difference in transactions under a version ETag.
/// </summary>
[Collection(AzuriteCollectionDefinition.Name)]
public sealed class KeyedRowStorageTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private StorageHarness _harness = null!;
    private AzureTableKeyedRowStorage _rows = null!;

    public async Task InitializeAsync()
    {
        _harness = await StorageHarness.StartAsync(azurite.CreateServiceClient(), AzuriteFixture.UniqueTableName("rows"));
        _rows = new AzureTableKeyedRowStorage(azurite.CreateServiceClient().GetTableClient(_harness.TableName), StorageHarness.ServiceId);
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private static GrainId Grain(string key) => GrainId.Create(GrainType.Create("identityshard"), IdSpan.Create(key));

    private static KeyedRowChange Row(string key, string text) => new(key, Encoding.UTF8.GetBytes(text));

    private Task<List<TableEntity>> StoredRowsAsync() =>
        azurite.CreateServiceClient().GetTableClient(_harness.TableName).QueryAsync<TableEntity>().ToListAsync().AsTask();

    [Fact]
    public async Task Rows_with_keys_Azure_refuses_read_back_by_their_own_key_with_the_version()
    {
        var grain = Grain("61-i3");
        var odd = new[] { "b:dupont|2005", "p:61-a/b#c?d\\e", "b:\u0001contrôle", "b:" + new string('é', 600), "p:61-x" };

        var etag = await _rows.WriteAsync(grain, "identity-shard", null, [.. odd.Select(k => Row(k, "valeur de " + k))]);
        var read = await _rows.ReadAsync(grain, "identity-shard");

        Assert.Equal(etag, read.ETag);
        Assert.Equal(odd.OrderBy(k => k, StringComparer.Ordinal), read.Rows.Keys.OrderBy(k => k, StringComparer.Ordinal));
        Assert.All(odd, k => Assert.Equal("valeur de " + k, Encoding.UTF8.GetString(read.Rows[k])));
        // Another state of the same grain, and a grain never written, read nothing of these.
        Assert.Empty((await _rows.ReadAsync(grain, "identity")).Rows);
        Assert.Null((await _rows.ReadAsync(Grain("61-i4"), "identity-shard")).ETag);
    }

    [Fact]
    public async Task Only_the_rows_changed_are_sent_and_deletes_remove_them()
    {
        var grain = Grain("61-i0");
        var etag = await _rows.WriteAsync(grain, "identity-shard", null, [.. Enumerable.Range(0, 250).Select(i => Row($"p:{i:D3}", $"v1-{i}"))]);
        // 250 rows: three transactions, each under the version row.
        Assert.Equal(251, (await StoredRowsAsync()).Count);

        etag = await _rows.WriteAsync(grain, "identity-shard", etag,
            [.. Enumerable.Range(0, 120).Select(i => new KeyedRowChange($"p:{i:D3}", null)), Row("p:200", "v2-200")]);
        var read = await _rows.ReadAsync(grain, "identity-shard");

        Assert.Equal(etag, read.ETag);
        Assert.Equal(130, read.Rows.Count);
        Assert.DoesNotContain("p:000", read.Rows.Keys);
        Assert.Equal("v2-200", Encoding.UTF8.GetString(read.Rows["p:200"]));
        Assert.Equal("v1-249", Encoding.UTF8.GetString(read.Rows["p:249"]));
    }

    [Fact]
    public async Task A_write_under_a_stale_version_is_refused_and_writes_nothing()
    {
        var grain = Grain("61-i1");
        var first = await _rows.WriteAsync(grain, "identity-shard", null, [Row("p:a", "un")]);
        await _rows.WriteAsync(grain, "identity-shard", first, [Row("p:a", "deux")]);

        // A second activation that read the first version, and one that believes the state new.
        await Assert.ThrowsAsync<InconsistentStateException>(() => _rows.WriteAsync(grain, "identity-shard", first, [Row("p:a", "trois"), Row("p:b", "b")]));
        await Assert.ThrowsAsync<InconsistentStateException>(() => _rows.WriteAsync(grain, "identity-shard", null, [Row("p:c", "c")]));

        var read = await _rows.ReadAsync(grain, "identity-shard");
        Assert.Equal(["p:a"], read.Rows.Keys);
        Assert.Equal("deux", Encoding.UTF8.GetString(read.Rows["p:a"]));
    }

    [Fact]
    public async Task A_row_over_64_KiB_is_split_and_a_row_over_the_limit_refused_before_any_write()
    {
        var grain = Grain("61-i2");
        var large = RandomNumberGenerator.GetBytes(200_000);
        var etag = await _rows.WriteAsync(grain, "identity-shard", null, [new KeyedRowChange("b:large", large)]);
        Assert.Equal(large, (await _rows.ReadAsync(grain, "identity-shard")).Rows["b:large"]);

        var refused = await Assert.ThrowsAsync<GrainStateTooLargeException>(() => _rows.WriteAsync(grain, "identity-shard", etag,
            [Row("p:small", "écrite seulement si tout passe"), new KeyedRowChange("b:huge", new byte[AzureTableKeyedRowStorage.MaxRowBytes + 1])]));

        Assert.Equal(AzureTableKeyedRowStorage.MaxRowBytes, refused.Limit);
        var read = await _rows.ReadAsync(grain, "identity-shard");
        Assert.Equal(etag, read.ETag);
        Assert.Equal(["b:large"], read.Rows.Keys);

        // Written again smaller (rows are merged, the old parts stay in the entity): only the new value reads back.
        await _rows.WriteAsync(grain, "identity-shard", etag, [Row("b:large", "petite")]);
        Assert.Equal("petite", Encoding.UTF8.GetString((await _rows.ReadAsync(grain, "identity-shard")).Rows["b:large"]));
    }

    [Fact]
    public async Task Rows_share_the_official_state_row_partition_so_a_backup_files_them_under_their_state()
    {
        var grain = Grain("61-i5");
        await _harness.Storage.WriteStateAsync("identity-shard", grain, new TestGrainState<TestState>(new TestState { Text = "ancienne forme" }));
        await _rows.WriteAsync(grain, "identity-shard", null, [Row("p:61-x", "x")]);

        var stored = await StoredRowsAsync();
        Assert.Single(stored.Select(r => r.PartitionKey).Distinct());
        Assert.Equal(_rows.PartitionOf(grain), stored[0].PartitionKey);
        Assert.All(stored, r => Assert.Equal("61", DepartmentRows.DepartmentOfStateRow(r.PartitionKey, StorageHarness.ServiceId)));
        Assert.All(stored, r => Assert.Equal("identity-shard", DepartmentRows.StateNameOfRowKey(r.RowKey)));
        // The official provider still reads its own row, untouched by the keyed rows beside it.
        Assert.Equal("ancienne forme", (await _harness.ReadAsync<TestState>(grain, "identity-shard")).State.Text);
    }
}
