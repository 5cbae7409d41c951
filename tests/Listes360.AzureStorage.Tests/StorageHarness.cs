using Azure.Data.Tables;
using Listes360.AzureStorage.GrainState;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;

namespace Listes360.AzureStorage.Tests;

/// <summary>
/// Grain storage exactly as the service registers it (<see cref="GrainStateStorage.AddListes360GrainStorage"/>:
/// the official Azure Table provider behind <c>SafeKeyGrainStorage</c>), built and started without a
/// silo: the registrations go into a plain service collection, and the silo lifecycle is played by a
/// small stand-in that starts its observers in stage order, as a silo would (the official provider
/// creates its table there). Each test gets a fresh table in milliseconds.
/// </summary>
internal sealed class StorageHarness : IAsyncDisposable
{
    public const string ProviderName = "tables";
    public const string ServiceId = "listes360-tests";

    private readonly ServiceProvider _services;
    private readonly StartedLifecycle _lifecycle;

    private StorageHarness(ServiceProvider services, StartedLifecycle lifecycle, IGrainStorage storage, string tableName)
    {
        _services = services;
        _lifecycle = lifecycle;
        Storage = storage;
        TableName = tableName;
    }

    /// <summary>The storage grains see: the name they give in <c>[PersistentState(…, "tables")]</c>.</summary>
    public IGrainStorage Storage { get; }
    public string TableName { get; }

    public static async Task<StorageHarness> StartAsync(TableServiceClient client, string tableName)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSerializer(serializer => serializer.AddAssembly(typeof(TestState).Assembly));
        new ServicesOnlySiloBuilder(services).AddListes360GrainStorage(ProviderName, client, tableName, ServiceId);
        var provider = services.BuildServiceProvider();
        try
        {
            // What a silo does at start: validate the providers' options, then run its lifecycle.
            foreach (var validator in provider.GetServices<IConfigurationValidator>())
                validator.ValidateConfiguration();
            var storage = provider.GetRequiredKeyedService<IGrainStorage>(ProviderName);
            var lifecycle = new StartedLifecycle();
            foreach (var participant in provider.GetServices<ILifecycleParticipant<ISiloLifecycle>>())
                participant.Participate(lifecycle);
            await lifecycle.StartAsync();
            return new StorageHarness(provider, lifecycle, storage, tableName);
        }
        catch
        {
            await provider.DisposeAsync();
            throw;
        }
    }

    public async Task<TestGrainState<T>> ReadAsync<T>(GrainId grainId, string stateName = "state")
        where T : new()
    {
        var state = new TestGrainState<T>(new T());
        await Storage.ReadStateAsync(stateName, grainId, state);
        return state;
    }

    public async ValueTask DisposeAsync()
    {
        await _lifecycle.StopAsync();
        await _services.DisposeAsync();
    }

    private sealed class ServicesOnlySiloBuilder(IServiceCollection services) : ISiloBuilder
    {
        public IServiceCollection Services { get; } = services;
        public IConfiguration Configuration { get; } = new ConfigurationBuilder().Build();
    }

    /// <summary>The silo lifecycle reduced to what providers use: subscribe, start by stage, stop in reverse.</summary>
    private sealed class StartedLifecycle : ISiloLifecycle
    {
        private readonly List<(int Stage, ILifecycleObserver Observer)> _observers = [];

        public int HighestCompletedStage { get; private set; } = int.MinValue;
        public int LowestStoppedStage { get; private set; } = int.MaxValue;

        public IDisposable Subscribe(string observerName, int stage, ILifecycleObserver observer)
        {
            var entry = (stage, observer);
            _observers.Add(entry);
            return new Unsubscribe(() => _observers.Remove(entry));
        }

        public async Task StartAsync()
        {
            foreach (var stage in _observers.GroupBy(o => o.Stage).OrderBy(g => g.Key).ToList())
            {
                await Task.WhenAll(stage.Select(o => o.Observer.OnStart(CancellationToken.None)));
                HighestCompletedStage = stage.Key;
            }
        }

        public async Task StopAsync()
        {
            foreach (var stage in _observers.GroupBy(o => o.Stage).Where(g => g.Key <= HighestCompletedStage).OrderByDescending(g => g.Key).ToList())
            {
                await Task.WhenAll(stage.Select(o => o.Observer.OnStop(CancellationToken.None)));
                LowestStoppedStage = stage.Key;
            }
        }

        private sealed class Unsubscribe(Action action) : IDisposable
        {
            public void Dispose() => action();
        }
    }
}

/// <summary>An <see cref="IGrainState{T}"/> whose state is never null, as a grain's is after activation.</summary>
internal sealed class TestGrainState<T>(T state) : IGrainState<T>
{
    [System.Diagnostics.CodeAnalysis.AllowNull]
    public T State { get; set; } = state;
    public string? ETag { get; set; }
    public bool RecordExists { get; set; }
}
