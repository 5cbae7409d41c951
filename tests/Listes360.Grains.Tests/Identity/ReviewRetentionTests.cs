using Listes360.Domain.Identity;
using Listes360.Domain.Persons;
using Listes360.Grains.Identity;

namespace Listes360.Grains.Tests.Identity;

public sealed class ReviewRetentionTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);

    private static ReviewItem Item(string a, string b, ReviewStatus status, DateTimeOffset? resolvedAt)
    {
        var identity = PersonIdentity.Create("Durand", ["Camille"], new DateOnly(1990, 1, 1), Sex.Female, new DateOnly(2026, 11, 30));
        return new ReviewItem(ReviewItem.IdOf(a, b), a, MatchRecords.Of(a, identity), b, MatchRecords.Of(b, identity),
            new MatchResult(0.7, MatchZone.Possible, []), "liste", Now.AddDays(-800), status, resolvedAt is null ? null : "référent", resolvedAt, resolvedAt is null ? null : "vérifié");
    }

    [Fact]
    public void Resolved_items_leave_the_queue_a_year_after_their_resolution_pending_ones_never()
    {
        var items = new[]
        {
            Item("61-a", "61-b", ReviewStatus.Pending, null),
            Item("61-c", "61-d", ReviewStatus.Merged, Now.AddDays(-ReviewRetention.ResolvedKeptDays - 1)),
            Item("61-e", "61-f", ReviewStatus.DifferentPersons, Now.AddDays(-ReviewRetention.ResolvedKeptDays + 1)),
        }.ToDictionary(i => i.Id);

        Assert.Equal(1, ReviewRetention.DropExpired(items, Now));
        Assert.Equal(["61-a~61-b", "61-e~61-f"], items.Keys.Order());
        Assert.Equal(0, ReviewRetention.DropExpired(items, Now));
    }
}
