using Azure.Data.Tables;
using Listes360.AzureStorage.GrainState;
using Listes360.Testing;

namespace Listes360.AzureStorage.Tests;

/// <summary>Finding local data written by the former provider, which the official one cannot read.</summary>
[Collection(AzuriteCollectionDefinition.Name)]
public sealed class LegacyGrainTableTests(AzuriteFixture azurite)
{
    private async Task<string> TableWithAsync(TableEntity? entity)
    {
        var name = AzuriteFixture.UniqueTableName("legacy");
        var table = azurite.CreateServiceClient().GetTableClient(name);
        await table.CreateAsync();
        if (entity is not null)
            await table.AddEntityAsync(entity);
        return name;
    }

    // A row as the former provider wrote it: escaped keys, Data0…DataN with a DataParts count.
    private static TableEntity FormerRow() => new("esms~610000010", "state")
    {
        ["DataParts"] = 1,
        ["Data0"] = new byte[] { 1, 2, 3 },
        ["GrainId"] = "esms/610000010",
    };

    [Fact]
    public async Task A_table_holding_a_former_row_is_found_among_others()
    {
        var client = azurite.CreateServiceClient();
        var missing = AzuriteFixture.UniqueTableName("missing");
        var empty = await TableWithAsync(null);
        await using var official = await StorageHarness.StartAsync(client, AzuriteFixture.UniqueTableName("official"));
        await official.Storage.WriteStateAsync("state", GrainId.Create(GrainType.Create("esms"), IdSpan.Create("610000010")),
            new TestGrainState<TestState>(new TestState { Text = "official" }));
        var legacy = await TableWithAsync(FormerRow());

        Assert.Equal(legacy, await LegacyGrainTable.FindAsync(client, [missing, empty, official.TableName, legacy]));
    }

    [Fact]
    public async Task A_table_of_the_official_layout_is_not_legacy()
    {
        var client = azurite.CreateServiceClient();
        await using var official = await StorageHarness.StartAsync(client, AzuriteFixture.UniqueTableName("official"));
        await official.Storage.WriteStateAsync("state", GrainId.Create(GrainType.Create("esms"), IdSpan.Create("610000010")),
            new TestGrainState<TestState>(new TestState { Text = "official", Blob = new byte[200 * 1024] }));

        Assert.Null(await LegacyGrainTable.FindAsync(client, [official.TableName]));
    }

    [Fact]
    public async Task Missing_and_empty_tables_are_not_legacy()
    {
        var client = azurite.CreateServiceClient();

        Assert.Null(await LegacyGrainTable.FindAsync(client, [AzuriteFixture.UniqueTableName("missing"), LegacyGrainTable.FormerTableName]));
        Assert.Null(await LegacyGrainTable.FindAsync(client, [await TableWithAsync(null)]));
    }
}
