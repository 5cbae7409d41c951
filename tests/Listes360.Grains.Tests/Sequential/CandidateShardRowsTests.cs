using Listes360.Domain.Persons;
using Listes360.Domain.Registry;
using Listes360.Domain.Security;
using Listes360.Domain.Sequential;
using Listes360.Grains.Common;
using Listes360.Grains.Security;
using Listes360.Grains.Sequential;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Orleans.TestingHost;

namespace Listes360.Grains.Tests.Sequential;

/// <summary>The sequential candidates' shards kept as one row per person (issue 20): what an apply stores, and a shard stored whole moved to rows.</summary>
[Collection(MemoryClusterCollection.Name)]
public sealed class CandidateShardRowsTests(MemoryClusterFixture cluster)
{
    private IServiceProvider Silo => ((InProcessSiloHandle)cluster.Cluster.Primary!).SiloHost.Services;

    private static GrainId ShardId(string key) => GrainId.Create(GrainType.Create("candidateshard"), IdSpan.Create(key));

    private static SequentialCandidate Candidate(string person, string territory) => new()
    {
        Person = PersonId.Parse(person),
        BirthDate = new DateOnly(2004, 2, 1),
        Needs = new SequentialNeeds
        {
            Amount = 3,
            Unit = NeedUnit.Days,
            Modalities = [Modality.SemiResidential],
            From = new DateOnly(2026, 1, 5),
            UpdatedBy = "conseillère",
            UpdatedAt = MemoryClusterFixture.Clock.Now,
        },
        Home = new HomeLocation("61001", territory),
        Waiting = true,
    };

    [Fact]
    public async Task Each_person_is_a_row_an_older_version_changes_nothing_and_a_removal_keeps_its_version()
    {
        using var service = CallerContext.As(new Caller("service", Role.System, [], "61", null));
        const string key = "61-q900";
        var shard = cluster.Grains.GetGrain<ICandidateShardGrain>(key);
        var rows = Silo.GetRequiredService<IKeyedRowStorage>();

        await shard.ApplyManyAsync([new(PersonId.Parse("61-sa"), 3, Candidate("61-sa", "246100001")), new(PersonId.Parse("61-sb"), 1, Candidate("61-sb", "246100002"))]);
        var stored = await rows.ReadAsync(ShardId(key), "sequential-candidates");
        Assert.Equal(["p:61-sa", "p:61-sb"], stored.Rows.Keys.Order(StringComparer.Ordinal));

        await shard.ApplyAsync(PersonId.Parse("61-sa"), 2, null);
        Assert.Equal(stored.ETag, (await rows.ReadAsync(ShardId(key), "sequential-candidates")).ETag);
        await shard.ApplyAsync(PersonId.Parse("61-sa"), 4, null);
        await shard.ApplyAsync(PersonId.Parse("61-sa"), 3, Candidate("61-sa", "246100001"));

        Assert.Equal(["61-sb"], (await shard.GetCandidatesAsync(null)).Select(c => c.Person.Value));
        Assert.Empty(await shard.GetCandidatesAsync("246100001"));
    }

    [Fact]
    public async Task A_shard_stored_whole_is_moved_to_rows_at_activation_and_its_entity_cleared()
    {
        using var service = CallerContext.As(new Caller("service", Role.System, [], "61", null));
        const string key = "61-q901";
        var storage = Silo.GetRequiredKeyedService<IGrainStorage>(StorageNames.Main);
        var whole = new CandidateShardState();
        whole.Candidates["61-sc"] = Candidate("61-sc", "246100001");
        whole.Versions["61-sc"] = 5;
        whole.Versions["61-sd"] = 2;
        await storage.WriteStateAsync("sequential-candidates", ShardId(key), new GrainState<CandidateShardState>(whole));
        var shard = cluster.Grains.GetGrain<ICandidateShardGrain>(key);

        Assert.Equal(["61-sc"], (await shard.GetCandidatesAsync(null)).Select(c => c.Person.Value));
        // The removal's version came along: an older entry stays out.
        await shard.ApplyAsync(PersonId.Parse("61-sd"), 1, Candidate("61-sd", "246100002"));
        Assert.Single(await shard.GetCandidatesAsync(null));

        var rows = await Silo.GetRequiredService<IKeyedRowStorage>().ReadAsync(ShardId(key), "sequential-candidates");
        Assert.Equal(["p:61-sc", "p:61-sd"], rows.Rows.Keys.Order(StringComparer.Ordinal));
        var after = new GrainState<CandidateShardState>(new CandidateShardState());
        await storage.ReadStateAsync("sequential-candidates", ShardId(key), after);
        Assert.False(after.RecordExists);
    }
}
