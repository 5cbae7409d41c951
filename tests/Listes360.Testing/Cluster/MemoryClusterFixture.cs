using Listes360.Grains;
using Listes360.Grains.Security;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Hosting;
using Orleans.TestingHost;
using Xunit;

namespace Listes360.Testing.Cluster;

/// <summary>
/// A one-silo test cluster whose grain storage is in MEMORY: for grain behaviour only. Durability
/// is tested against Azurite (storage and API tests), never here. Each test assembly declares its own
/// collection over it (xunit only sees collection definitions in the test assembly itself).
/// </summary>
public sealed class MemoryClusterFixture : IAsyncLifetime
{
    public TestCluster Cluster { get; } = new TestClusterBuilder(1).AddSiloBuilderConfigurator<MemoryStorage>().Build();

    public IGrainFactory Grains => Cluster.GrainFactory;

    /// <summary>The in-process silo's audit trail (TestingHost runs the silo in this process).</summary>
    public static InMemoryAuditTrail Audit { get; } = new();

    /// <summary>The silo's observatory pseudonym key (a fixed test secret).</summary>
    public static Listes360.Domain.Risk.ObservatoryPseudonyms Pseudonyms { get; } = new(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());

    /// <summary>The silo's clock, settable by tests (expiry, ages).</summary>
    public static SettableClock Clock { get; } = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));

    /// <summary>How the silo cuts reconcile passes: small batches, so that a pass over a few dozen persons has several; the pause is settable by tests.</summary>
    public static Listes360.Grains.Department.ReconcileBatching Batching { get; } = new() { BatchSize = 10, Parallelism = 4, Pause = TimeSpan.FromMilliseconds(20) };

    /// <summary>The silo's reminder table (in memory), to see which reminders grains hold.</summary>
    public IReminderTable Reminders => ((InProcessSiloHandle)Cluster.Primary!).SiloHost.Services.GetRequiredService<IReminderTable>();

    /// <summary>What the daily pass asked to delete of the expired idempotency records (storage-specific, recorded here).</summary>
    public static RecordedExpiredIdempotencyRecords ExpiredIdempotency { get; } = new();

    public Task InitializeAsync() => Cluster.DeployAsync();

    public async Task DisposeAsync() => await Cluster.DisposeAsync();

    private sealed class MemoryStorage : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            // Orleans' binary serializer, as the Azure Table storage of the service (the memory storage's default, JSON, cannot read immutable collections).
            siloBuilder.AddMemoryGrainStorage(StorageNames.Main, options => options.Configure<Orleans.Serialization.Serializer>((o, serializer) =>
                o.GrainStorageSerializer = new Orleans.Storage.OrleansGrainStorageSerializer(serializer)));
            siloBuilder.Services.AddSingleton<Listes360.Grains.Common.IKeyedRowStorage, Listes360.Grains.Common.MemoryKeyedRowStorage>();
            siloBuilder.UseInMemoryReminderService();
            siloBuilder.Services.AddSingleton(Batching);
            siloBuilder.Services.AddSingleton<Listes360.Grains.Idempotency.IExpiredIdempotencyRecords>(ExpiredIdempotency);
            siloBuilder.Services.AddSingleton<TimeProvider>(Clock);
            siloBuilder.Services.AddSingleton(new Listes360.Grains.Department.DepartmentTopology { WaitingShards = 4 });
            siloBuilder.Services.AddSingleton(new Listes360.Domain.WaitingList.NameVocabularies());
            siloBuilder.Services.AddSingleton(new Listes360.Grains.Identity.IdentityTopology { Shards = 4 });
            siloBuilder.Services.AddSingleton(Pseudonyms);
            // A bulk delivery that failed is made good by each person after this grace: short, so that tests see it.
            siloBuilder.Services.AddSingleton(new Listes360.Grains.Persons.BulkDeliveryGrace { Delay = TimeSpan.FromSeconds(3) });
            siloBuilder.Services.AddSingleton(Audit);
            siloBuilder.Services.AddSingleton<IAuditTrail>(Audit);
            siloBuilder.Services.AddSingleton(Listes360.Domain.Security.EsmsReferences.FromSecrets(null, null));
            siloBuilder.AddIncomingGrainCallFilter<AuthorizationFilter>();
            siloBuilder.AddIncomingGrainCallFilter<FaultInjection>();
            siloBuilder.AddIncomingGrainCallFilter<CallCounter>();
        }
    }
}

/// <summary>Records the dates the daily pass asks <see cref="Listes360.Grains.Idempotency.IExpiredIdempotencyRecords"/> to delete before.</summary>
public sealed class RecordedExpiredIdempotencyRecords : Listes360.Grains.Idempotency.IExpiredIdempotencyRecords
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<DateTimeOffset> _calls = new();

    public IReadOnlyCollection<DateTimeOffset> Calls => _calls;

    public Task<int> DeleteAsync(DateTimeOffset writtenBefore, CancellationToken cancellationToken = default)
    {
        _calls.Enqueue(writtenBefore);
        return Task.FromResult(0);
    }
}
