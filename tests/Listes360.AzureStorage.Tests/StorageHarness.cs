using Listes360.Testing;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;

namespace Listes360.AzureStorage.Tests;

/// <summary>
/// The provider as a silo would build it (same registration, options post-configuration and
/// serializer resolution) but without a silo, so each test gets a fresh table in milliseconds.
/// </summary>
internal sealed class StorageHarness : IAsyncDisposable
{
    public const string ProviderName = "tables";

    private readonly ServiceProvider _services;

    private StorageHarness(ServiceProvider services, IGrainStorage storage, string tableName)
    {
        _services = services;
        Storage = storage;
        TableName = tableName;
    }

    public IGrainStorage Storage { get; }
    public string TableName { get; }

    public static async Task<StorageHarness> StartAsync(AzuriteFixture azurite)
    {
        var tableName = AzuriteFixture.UniqueTableName("state");
        var services = BuildServices(o =>
        {
            o.ConnectionString = azurite.ConnectionString;
            o.TableName = tableName;
        });
        var storage = services.GetRequiredKeyedService<IGrainStorage>(ProviderName);
        await ((AzureTableGrainStorage)storage).InitAsync(CancellationToken.None);
        return new StorageHarness(services, storage, tableName);
    }

    public static ServiceProvider BuildServices(Action<AzureTableGrainStorageOptions> configure)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSerializer(serializer => serializer.AddAssembly(typeof(TestState).Assembly));
        services.AddSingleton<IGrainStorageSerializer, OrleansGrainStorageSerializer>();
        services.AddAzureTableGrainStorage(ProviderName, configure);
        return services.BuildServiceProvider();
    }

    public async Task<TestGrainState<T>> ReadAsync<T>(GrainId grainId, string stateName = "state")
        where T : new()
    {
        var state = new TestGrainState<T>(new T());
        await Storage.ReadStateAsync(stateName, grainId, state);
        return state;
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}

/// <summary>An <see cref="IGrainState{T}"/> whose state is never null, as a grain's is after activation.</summary>
internal sealed class TestGrainState<T>(T state) : IGrainState<T>
{
    [System.Diagnostics.CodeAnalysis.AllowNull]
    public T State { get; set; } = state;
    public string? ETag { get; set; }
    public bool RecordExists { get; set; }
}
