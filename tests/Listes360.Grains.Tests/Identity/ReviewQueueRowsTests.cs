using Listes360.Domain.Identity;
using Listes360.Domain.Persons;
using Listes360.Domain.Security;
using Listes360.Grains.Common;
using Listes360.Grains.Identity;
using Listes360.Grains.Security;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Orleans.TestingHost;

namespace Listes360.Grains.Tests.Identity;

/// <summary>
/// The review queue kept as one row per item (issue 20: the Nord's onboarding queued over 1 MB of pairs in one entity,
/// and Azure refused the write): what an add and a withdrawal write, and a queue of the first shape moved to rows.
/// </summary>
[Collection(MemoryClusterCollection.Name)]
public sealed class ReviewQueueRowsTests(MemoryClusterFixture cluster)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);

    private IServiceProvider Silo => ((InProcessSiloHandle)cluster.Cluster.Primary!).SiloHost.Services;

    private static GrainId QueueId(string department) => GrainId.Create(GrainType.Create("reviewqueue"), IdSpan.Create(department));

    private static ReviewItem Item(string a, string b)
    {
        var identity = PersonIdentity.Create("Durand", ["Camille"], new DateOnly(1990, 1, 1), Sex.Female, new DateOnly(2026, 11, 30));
        return new ReviewItem(ReviewItem.IdOf(a, b), a, MatchRecords.Of(a, identity), b, MatchRecords.Of(b, identity),
            new MatchResult(0.7, MatchZone.Possible, []), "liste", Now, ReviewStatus.Pending);
    }

    [Fact]
    public async Task Each_item_is_its_own_row_an_add_writes_only_the_new_ones_and_a_withdrawal_deletes_its_row()
    {
        using var service = CallerContext.As(new Caller("service", Role.System, [], "46", null));
        var queue = cluster.Grains.GetGrain<IReviewQueueGrain>("46");
        var rows = Silo.GetRequiredService<IKeyedRowStorage>();

        Assert.Equal(["46-a~46-b", "46-c~46-d"], await queue.AddAsync([Item("46-a", "46-b"), Item("46-c", "46-d")]));
        var stored = await rows.ReadAsync(QueueId("46"), "review-queue");
        Assert.Equal(["46-a~46-b", "46-c~46-d"], stored.Rows.Keys.Order(StringComparer.Ordinal));

        // An item already queued adds nothing, and no write is made.
        Assert.Empty(await queue.AddAsync([Item("46-a", "46-b")]));
        Assert.Equal(stored.ETag, (await rows.ReadAsync(QueueId("46"), "review-queue")).ETag);

        await queue.WithdrawAsync(["46-a~46-b"]);
        Assert.Equal(["46-c~46-d"], (await rows.ReadAsync(QueueId("46"), "review-queue")).Rows.Keys);
        Assert.Equal("46-c~46-d", Assert.Single((await queue.ListAsync(pendingOnly: true, null, 10)).Items).Id);
    }

    [Fact]
    public async Task A_queue_stored_whole_is_moved_to_rows_at_activation_and_its_old_entity_cleared()
    {
        using var service = CallerContext.As(new Caller("service", Role.System, [], "47", null));
        var legacy = new ReviewQueueState();
        foreach (var item in new[] { Item("47-a", "47-b"), Item("47-c", "47-d") })
            legacy.Items[item.Id] = item;
        var storage = Silo.GetRequiredKeyedService<IGrainStorage>(StorageNames.Main);
        await storage.WriteStateAsync("review-queue", QueueId("47"), new GrainState<ReviewQueueState>(legacy));

        var listed = await cluster.Grains.GetGrain<IReviewQueueGrain>("47").ListAsync(pendingOnly: true, null, 10);

        Assert.Equal(["47-a~47-b", "47-c~47-d"], listed.Items.Select(i => i.Id).Order(StringComparer.Ordinal));
        Assert.Equal(2, (await Silo.GetRequiredService<IKeyedRowStorage>().ReadAsync(QueueId("47"), "review-queue")).Rows.Count);
        var after = new GrainState<ReviewQueueState>(new ReviewQueueState());
        await storage.ReadStateAsync("review-queue", QueueId("47"), after);
        Assert.False(after.RecordExists);
    }
}
