using Azure.Data.Tables;
using Listes360.AzureStorage.GrainState;
using Listes360.Testing;
using Orleans.TestingHost;

namespace Listes360.AzureStorage.Tests;

[Alias("Listes360.AzureStorage.Tests.INoteGrain")]
public interface INoteGrain : IGrainWithStringKey
{
    [Alias("Write")]
    Task Write(string text);
    [Alias("Read")]
    Task<NoteState> Read();
    [Alias("Clear")]
    Task Clear();
    [Alias("Attach")]
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

/// <summary>
/// Grain storage inside real silos, registered as the service registers it
/// (<see cref="GrainStateStorage.AddListes360GrainStorage"/>): start-up against an unreachable
/// account, state written by one cluster read by the next, a refused state reaching the caller.
/// </summary>
[Collection(AzuriteCollectionDefinition.Name)]
public sealed class SiloTests(AzuriteFixture azurite)
{
    public const string StorageName = "tables";
    private const string ServiceId = "listes360-silo-tests";

    // TestingHost builds silo configurators by type, so settings travel through configuration.
    private const string ConnectionStringKey = "Test:Azurite:ConnectionString";
    private const string TableNameKey = "Test:Azurite:TableName";

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder) =>
            siloBuilder.AddListes360GrainStorage(StorageName,
                new TableServiceClient(siloBuilder.Configuration[ConnectionStringKey]!),
                siloBuilder.Configuration[TableNameKey]!, ServiceId);
    }

    private static TestCluster CreateCluster(string connectionString, string tableName)
    {
        var builder = new TestClusterBuilder(initialSilosCount: 1);
        builder.Properties[ConnectionStringKey] = connectionString;
        builder.Properties[TableNameKey] = tableName;
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        return builder.Build();
    }

    private async Task<TestCluster> StartClusterAsync(string tableName)
    {
        var cluster = CreateCluster(azurite.ConnectionString, tableName);
        await cluster.DeployAsync();
        return cluster;
    }

    [Fact]
    public async Task State_survives_a_full_cluster_restart()
    {
        var tableName = AzuriteFixture.UniqueTableName("cluster");
        string firstServiceId;

        await using (var first = await StartClusterAsync(tableName))
        {
            firstServiceId = first.Options.ServiceId;
            var grain = first.GrainFactory.GetGrain<INoteGrain>("61/dossier#1");
            await grain.Write("première");
            await grain.Write("deuxième");
            await first.GrainFactory.GetGrain<INoteGrain>("to-clear").Write("temporary");
            await first.GrainFactory.GetGrain<INoteGrain>("to-clear").Clear();
            await first.StopAllSilosAsync();
        }

        var stored = await azurite.CreateServiceClient().GetTableClient(tableName).QueryAsync<TableEntity>().ToListAsync();
        var row = Assert.Single(stored); // the cleared state's row was deleted
        Assert.Equal($"{ServiceId}_note_61~2Fdossier~231", row.PartitionKey);
        Assert.Equal("note", row.RowKey);

        await using var second = await StartClusterAsync(tableName);
        // Each test cluster names itself anew; the rows do not depend on it.
        Assert.NotEqual(firstServiceId, second.Options.ServiceId);
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
        Assert.Equal(983_040, error.Limit);
        Assert.True(error.Size > error.Limit);
        // Reactivated from storage, the grain no longer holds the refused attachment.
        await cluster.GrainFactory.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        var reloaded = await grain.Read();
        Assert.Equal("kept", reloaded.Text);
        Assert.Equal(1, reloaded.Writes);
        Assert.Empty(reloaded.Attachment);
    }

    [Fact]
    public async Task A_silo_whose_storage_is_unreachable_fails_to_start_naming_the_endpoint()
    {
        // Azurite's account, on a port where nothing listens.
        const string unreachable = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;"
            + "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;"
            + "TableEndpoint=http://127.0.0.1:1/devstoreaccount1;";
        await using var cluster = CreateCluster(unreachable, AzuriteFixture.UniqueTableName("unreachable"));

        var error = await Record.ExceptionAsync(() => cluster.DeployAsync());

        Assert.NotNull(error);
        // The official provider lets the Azure SDK's failure through (with the client's default
        // retries: "Retry failed after 4 tries … (Connection refused (127.0.0.1:1))"): its message
        // names the endpoint; the exact wording is the SDK's and the system's.
        Assert.Contains("127.0.0.1:1", error.Message);
        Assert.Contains(Chain(error), e => e is Azure.RequestFailedException);
    }

    private static IEnumerable<Exception> Chain(Exception error)
    {
        var pending = new Stack<Exception>([error]);
        while (pending.TryPop(out var e))
        {
            yield return e;
            if (e is AggregateException aggregate)
                foreach (var inner in aggregate.InnerExceptions)
                    pending.Push(inner);
            else if (e.InnerException is not null)
                pending.Push(e.InnerException);
        }
    }
}
