using Azure.Data.Tables;
using Listes360.AzureStorage.GrainState;
using Listes360.Testing;

namespace Listes360.AzureStorage.Tests;

[Collection(AzuriteCollectionDefinition.Name)]
public sealed class StaleStateRowsTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private StorageHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await StorageHarness.StartAsync(azurite.CreateServiceClient(), AzuriteFixture.UniqueTableName("stale"));

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private static GrainId Grain(string key) => GrainId.Create(GrainType.Create("idempotency"), IdSpan.Create(key));

    [Fact]
    public async Task Only_rows_of_the_state_not_written_since_the_date_are_deleted()
    {
        await _harness.Storage.WriteStateAsync("idempotency", Grain("old"), new TestGrainState<TestState>(new TestState { Text = "old" }));
        await _harness.Storage.WriteStateAsync("other", Grain("old"), new TestGrainState<TestState>(new TestState { Text = "another state" }));
        var cut = DateTimeOffset.UtcNow.AddSeconds(1);
        await Task.Delay(TimeSpan.FromSeconds(2));
        await _harness.Storage.WriteStateAsync("idempotency", Grain("recent"), new TestGrainState<TestState>(new TestState { Text = "recent" }));

        var table = azurite.CreateServiceClient().GetTableClient(_harness.TableName);
        var deleted = await new StaleStateRows(table).DeleteAsync("idempotency", cut);

        Assert.Equal(1, deleted);
        Assert.False((await _harness.ReadAsync<TestState>(Grain("old"), "idempotency")).RecordExists);
        Assert.Equal("recent", (await _harness.ReadAsync<TestState>(Grain("recent"), "idempotency")).State.Text);
        Assert.Equal("another state", (await _harness.ReadAsync<TestState>(Grain("old"), "other")).State.Text);
    }

    [Fact]
    public async Task A_missing_table_deletes_nothing()
    {
        var table = azurite.CreateServiceClient().GetTableClient(AzuriteFixture.UniqueTableName("none"));

        Assert.Equal(0, await new StaleStateRows(table).DeleteAsync("idempotency", DateTimeOffset.UtcNow));
    }
}
