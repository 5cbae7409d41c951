using Listes360.Domain.Identity;
using Listes360.Domain.Security;
using Listes360.Grains.Common;
using Listes360.Grains.Identity;
using Listes360.Grains.Security;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Orleans.TestingHost;
using MatchRecord = Listes360.Domain.Identity.Records.PersonRecord;

namespace Listes360.Grains.Tests.Identity;

/// <summary>The identity index's shards kept as rows: what a change writes, and shards of the earlier shapes (whole, rows of blocks) moved to person rows.</summary>
[Collection(MemoryClusterCollection.Name)]
public sealed class IdentityShardRowsTests(MemoryClusterFixture cluster)
{
    private const string Department = "44";

    private IServiceProvider Silo => ((InProcessSiloHandle)cluster.Cluster.Primary!).SiloHost.Services;

    private static IDisposable AsService() => CallerContext.As(new Caller("service", Role.System, [], Department, null));

    private static MatchRecord Record(string id, string last, string first, string birth) => new()
    {
        RecordId = id,
        LastName = last,
        FirstName = first,
        BirthDate = birth,
        Postcode = "44000",
    };

    private static GrainId ShardId(int index) => GrainId.Create(GrainType.Create("identityshard"), IdSpan.Create(IdentityTopology.ShardKey(Department, index)));

    [Fact]
    public async Task Adding_a_record_writes_its_person_only_and_removing_it_deletes_it()
    {
        using var service = AsService();
        var topology = Silo.GetRequiredService<IdentityTopology>();
        var record = Record("44-a", "Le Goff", "Maëlle", "20050612");
        var blocks = Blocking.Keys(record).Where(k => topology.ShardOf(k) == 1).ToList();
        Assert.NotEmpty(blocks);
        var shard = cluster.Grains.GetGrain<IIdentityShardGrain>(IdentityTopology.ShardKey(Department, 1));
        var rows = Silo.GetRequiredService<IKeyedRowStorage>();

        await shard.AddAsync([new IndexedRecord("44-a", record)]);
        var stored = await rows.ReadAsync(ShardId(1), "identity-shard");
        // The blocks follow from the records: a person added to a large block does not rewrite the block's list.
        Assert.Equal(["p:44-a"], stored.Rows.Keys);
        foreach (var key in blocks)
            Assert.Single(await shard.FindAsync([key]));

        // The same record again changes nothing: no new version.
        await shard.AddAsync([new IndexedRecord("44-a", record with { RecordId = "liste.csv:2" })]);
        Assert.Equal(stored.ETag, (await rows.ReadAsync(ShardId(1), "identity-shard")).ETag);

        await shard.RemoveAsync([new IndexedRecord("44-a", record)]);
        Assert.Empty((await rows.ReadAsync(ShardId(1), "identity-shard")).Rows);
        Assert.Empty(await shard.FindAsync(blocks));
    }

    [Fact]
    public async Task A_shard_stored_whole_is_moved_to_rows_at_activation_and_its_old_entity_cleared()
    {
        using var service = AsService();
        var topology = Silo.GetRequiredService<IdentityTopology>();
        var record = Record("44-b", "Prigent", "Yann", "19990101");
        var keys = Blocking.Keys(record).Where(k => topology.ShardOf(k) == 2).ToList();
        Assert.NotEmpty(keys);
        var legacy = new IdentityShardState();
        legacy.Persons["44-b"] = [new IndexedRecord("44-b", record)];
        foreach (var key in keys)
            legacy.Blocks[key] = ["44-b"];
        var storage = Silo.GetRequiredKeyedService<IGrainStorage>(StorageNames.Main);
        var written = new GrainState<IdentityShardState>(legacy);
        await storage.WriteStateAsync("identity-shard", ShardId(2), written);

        var found = await cluster.Grains.GetGrain<IIdentityShardGrain>(IdentityTopology.ShardKey(Department, 2)).FindAsync(keys);

        Assert.Equal("44-b", Assert.Single(found).PersonId);
        var rows = await Silo.GetRequiredService<IKeyedRowStorage>().ReadAsync(ShardId(2), "identity-shard");
        Assert.Equal(["p:44-b"], rows.Rows.Keys);
        var after = new GrainState<IdentityShardState>(new IdentityShardState());
        await storage.ReadStateAsync("identity-shard", ShardId(2), after);
        Assert.False(after.RecordExists);
    }

    [Fact]
    public async Task Rows_of_blocks_written_by_the_earlier_code_are_rebuilt_from_the_persons_and_deleted_at_the_next_write()
    {
        using var service = AsService();
        var topology = Silo.GetRequiredService<IdentityTopology>();
        var first = Record("44-c", "Guillou", "Enora", "20010203");
        var second = Record("44-d", "Guillou", "Erwan", "20010203");
        var keys = Blocking.Keys(first).Where(k => topology.ShardOf(k) == 3).ToList();
        Assert.NotEmpty(keys);
        // The earlier shape: a row per person and a row per block listing its persons.
        var rows = Silo.GetRequiredService<IKeyedRowStorage>();
        var serializer = Silo.GetRequiredService<Orleans.Serialization.Serializer>();
        byte[] Row(IdentityShardRow row) => serializer.SerializeToArray(row);
        await rows.WriteAsync(ShardId(3), "identity-shard", null,
            [new KeyedRowChange("p:44-c", Row(new IdentityShardRow { Records = [new IndexedRecord("44-c", first)] })),
             .. keys.Select(k => new KeyedRowChange("b:" + k, Row(new IdentityShardRow { Persons = ["44-c"] })))]);
        var shard = cluster.Grains.GetGrain<IIdentityShardGrain>(IdentityTopology.ShardKey(Department, 3));

        foreach (var key in keys)
            Assert.Equal("44-c", Assert.Single(await shard.FindAsync([key])).PersonId);
        await shard.AddAsync([new IndexedRecord("44-d", second)]);

        var stored = await rows.ReadAsync(ShardId(3), "identity-shard");
        Assert.Equal(["p:44-c", "p:44-d"], stored.Rows.Keys.Order(StringComparer.Ordinal));
        var shared = Blocking.Keys(second).Where(k => topology.ShardOf(k) == 3).Intersect(keys).ToList();
        Assert.NotEmpty(shared);
        foreach (var key in shared)
            Assert.Equal(["44-c", "44-d"], (await shard.FindAsync([key])).Select(r => r.PersonId).Order(StringComparer.Ordinal));
    }
}
