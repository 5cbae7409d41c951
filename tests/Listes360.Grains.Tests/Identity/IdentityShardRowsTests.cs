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

/// <summary>The identity index's shards kept as rows: what a change writes, and a shard of the first shape moved to rows.</summary>
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
    public async Task Adding_a_record_writes_its_person_and_its_blocks_and_removing_it_deletes_them()
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
        Assert.Equal(blocks.Select(k => "b:" + k).Append("p:44-a").Order(StringComparer.Ordinal), stored.Rows.Keys.Order(StringComparer.Ordinal));
        Assert.Single(await shard.FindAsync(blocks));

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
        Assert.Equal(keys.Count + 1, rows.Rows.Count);
        var after = new GrainState<IdentityShardState>(new IdentityShardState());
        await storage.ReadStateAsync("identity-shard", ShardId(2), after);
        Assert.False(after.RecordExists);
    }
}
