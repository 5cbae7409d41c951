using Azure.Data.Tables;
using Listes360.Testing;
using Orleans.TestingHost;

namespace Listes360.AzureStorage.Tests;

public interface INoteGrain : IGrainWithStringKey
{
    Task Write(string text);
    Task<NoteState> Read();
    Task Clear();
    Task Attach(int bytes);
}

[GenerateSerializer]
[Alias("Listes360.AzureStorage.Tests.NoteState")]
public sealed class NoteState
{
    [Id(0)] public string Text { get; set; } = "";
    [Id(1)] public int Writes { get; set; }
    [Id(2)] public byte[] Attachment { get; set; } = [];
}

public sealed class NoteGrain([PersistentState("note", SiloTests.StorageName)] IPersistentState<NoteState> note)
    : Grain, INoteGrain
{
    public Task Write(string text)
    {
        note.State.Text = text;
        note.State.Writes++;
        return note.WriteStateAsync();
    }

    public Task<NoteState> Read() => Task.FromResult(note.State);

    public Task Clear() => note.ClearStateAsync();

    public Task Attach(int bytes)
    {
        note.State.Attachment = new byte[bytes];
        return note.WriteStateAsync();
    }
}

/// <summary>The provider inside real silos: registration, start-up validation, and state written by
/// one cluster read by the next.</summary>
[Collection(AzuriteCollectionDefinition.Name)]
public sealed class SiloTests(AzuriteFixture azurite)
{
    public const string StorageName = "tables";

    // TestingHost builds silo configurators by type, so settings travel through configuration.
    private const string ConnectionStringKey = "Test:Azurite:ConnectionString";
    private const string TableNameKey = "Test:Azurite:TableName";

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder) =>
            siloBuilder.AddAzureTableGrainStorage(StorageName, o =>
            {
                o.ConnectionString = siloBuilder.Configuration[ConnectionStringKey]!;
                o.TableName = siloBuilder.Configuration[TableNameKey]!;
            });
    }

    private TestCluster CreateCluster(string tableName)
    {
        var builder = new TestClusterBuilder(initialSilosCount: 1);
        builder.Properties[ConnectionStringKey] = azurite.ConnectionString;
        builder.Properties[TableNameKey] = tableName;
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        return builder.Build();
    }

    private async Task<TestCluster> StartClusterAsync(string tableName)
    {
        var cluster = CreateCluster(tableName);
        await cluster.DeployAsync();
        return cluster;
    }

    [Fact]
    public async Task State_survives_a_full_cluster_restart()
    {
        var tableName = AzuriteFixture.UniqueTableName("cluster");

        await using (var first = await StartClusterAsync(tableName))
        {
            var grain = first.GrainFactory.GetGrain<INoteGrain>("61/dossier#1");
            await grain.Write("première");
            await grain.Write("deuxième");
            await first.GrainFactory.GetGrain<INoteGrain>("to-clear").Write("temporary");
            await first.GrainFactory.GetGrain<INoteGrain>("to-clear").Clear();
            await first.StopAllSilosAsync();
        }

        var stored = await azurite.CreateServiceClient().GetTableClient(tableName).QueryAsync<TableEntity>().ToListAsync();
        Assert.Equal("note/61/dossier#1", Assert.Single(stored).GetString(StateEntity.GrainIdProperty));

        await using var second = await StartClusterAsync(tableName);
        var reread = await second.GrainFactory.GetGrain<INoteGrain>("61/dossier#1").Read();
        var cleared = await second.GrainFactory.GetGrain<INoteGrain>("to-clear").Read();

        Assert.Equal("deuxième", reread.Text);
        Assert.Equal(2, reread.Writes);
        Assert.Equal("", cleared.Text);
        Assert.Equal(0, cleared.Writes);
    }

    [Fact]
    public async Task A_too_large_state_reaches_the_caller_as_such()
    {
        await using var cluster = await StartClusterAsync(AzuriteFixture.UniqueTableName("large"));
        var grain = cluster.GrainFactory.GetGrain<INoteGrain>("large");
        await grain.Write("kept");

        var error = await Assert.ThrowsAsync<GrainStateTooLargeException>(() => grain.Attach(2 * 1024 * 1024));

        Assert.Equal("note/large", error.GrainId);
        Assert.Equal("note", error.StateName);
        Assert.Equal(StateEntity.MaxStateBytes, error.Limit);
        // Reactivated from storage, the grain no longer holds the refused attachment.
        await cluster.GrainFactory.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        var reloaded = await grain.Read();
        Assert.Equal("kept", reloaded.Text);
        Assert.Empty(reloaded.Attachment);
    }

    [Fact]
    public async Task A_silo_with_an_invalid_table_name_fails_to_start_with_the_reason()
    {
        await using var cluster = CreateCluster("no_underscores");

        var error = await Record.ExceptionAsync(() => cluster.DeployAsync());

        Assert.NotNull(error);
        Assert.Contains("'no_underscores' is not a valid Azure table name", error.ToString());
    }
}
