using Listes360.Domain;
using Listes360.Grains.Common;

namespace Listes360.Grains.Identity;

[GenerateSerializer, Alias("Listes360.Identity.ReviewQueueState")]
public sealed class ReviewQueueState
{
    [Id(0)] public Dictionary<string, ReviewItem> Items { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>
/// How a review queue stays bounded: pending items are all kept (the referent's work); a resolved
/// one is kept <see cref="ResolvedKeptDays"/> days after its resolution, then dropped at the next
/// write (the merge itself stays in the persons' and the identity grain's records, and in the audit).
/// </summary>
public static class ReviewRetention
{
    public const int ResolvedKeptDays = 366;

    public static bool Expired(ReviewItem item, DateTimeOffset now) =>
        item.Status != ReviewStatus.Pending && item.ResolvedAt is { } at && at < now.AddDays(-ResolvedKeptDays);

    /// <summary>Drops the expired items; returns how many.</summary>
    public static int DropExpired(Dictionary<string, ReviewItem> items, DateTimeOffset now)
    {
        var expired = items.Where(i => Expired(i.Value, now)).Select(i => i.Key).ToList();
        foreach (var id in expired)
            items.Remove(id);
        return expired.Count;
    }
}

public sealed class ReviewQueueGrain(
    [PersistentState("review-queue", StorageNames.Main)] IPersistentState<ReviewQueueState> state,
    TimeProvider clock) : Grain, IReviewQueueGrain
{
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        PublishLength();
        return base.OnActivateAsync(cancellationToken);
    }

    /// <summary>The queue's pending items for the service's metrics (<see cref="Telemetry.ServiceMetrics"/>).</summary>
    private void PublishLength() =>
        Telemetry.ServiceMetrics.SetReviewQueue(this.GetPrimaryKeyString(), state.State.Items.Values.Count(i => i.Status == ReviewStatus.Pending));

    public async Task<IReadOnlyList<string>> AddAsync(IReadOnlyList<ReviewItem> items)
    {
        var added = items.Where(item => state.State.Items.TryAdd(item.Id, item)).Select(item => item.Id).ToList();
        if (added.Count > 0)
        {
            ReviewRetention.DropExpired(state.State.Items, clock.GetUtcNow());
            await state.WriteOrRestoreAsync("la file de vérification du département");
            PublishLength();
        }
        return added;
    }

    public async Task WithdrawAsync(IReadOnlyList<string> itemIds)
    {
        var removed = itemIds.Count(id => state.State.Items.TryGetValue(id, out var item) && item.Status == ReviewStatus.Pending && state.State.Items.Remove(id));
        if (removed > 0)
        {
            await state.WriteOrRestoreAsync("la file de vérification du département");
            PublishLength();
        }
    }

    public Task<Page<ReviewItem>> ListAsync(bool pendingOnly, string? after, int first)
    {
        var ordered = state.State.Items.Values
            .Where(i => !pendingOnly || i.Status == ReviewStatus.Pending)
            .OrderBy(SortKey, StringComparer.Ordinal)
            .ToList();
        return Task.FromResult(Paging.Of(ordered, SortKey, after, first));
    }

    public async Task<ReviewItem> ResolveAsync(string itemId, ReviewDecision decision, string? survivor, string reason, string by)
    {
        var item = state.State.Items.GetValueOrDefault(itemId ?? "")
            ?? throw new DomainException("UNKNOWN_REVIEW_ITEM", $"Aucun doublon possible « {itemId} » dans la file du département {this.GetPrimaryKeyString()}.", "itemId");
        if (item.Status != ReviewStatus.Pending)
            throw new DomainException("REVIEW_ALREADY_RESOLVED", $"Ce doublon possible a déjà été traité ({item.ResolvedBy}, {item.ResolvedAt:dd/MM/yyyy HH:mm}).", "itemId");
        _ = Domain.Validation.FieldRules.Reason(reason);
        if (decision == ReviewDecision.Merge)
        {
            var keep = survivor ?? item.ExistingPerson;
            if (keep != item.ExistingPerson && keep != item.NewPerson)
                throw new DomainException("INVALID_MERGE", $"La personne gardée doit être {item.ExistingPerson} ou {item.NewPerson}.", "survivor");
            var other = keep == item.ExistingPerson ? item.NewPerson : item.ExistingPerson;
            await GrainFactory.GetGrain<IIdentityGrain>(this.GetPrimaryKeyString()).MergeAsync(keep, other, reason, by);
        }
        else if (decision != ReviewDecision.DifferentPersons)
        {
            throw new DomainException("INVALID_DECISION", $"Décision inconnue ({decision}).", "decision");
        }
        // Re-read: an AddAsync may have run while the merge was awaited.
        var resolved = state.State.Items[item.Id] with
        {
            Status = decision == ReviewDecision.Merge ? ReviewStatus.Merged : ReviewStatus.DifferentPersons,
            ResolvedBy = by,
            ResolvedAt = clock.GetUtcNow(),
            Reason = reason.Trim(),
        };
        state.State.Items[item.Id] = resolved;
        ReviewRetention.DropExpired(state.State.Items, clock.GetUtcNow());
        await state.WriteOrRestoreAsync("la file de vérification du département");
        PublishLength();
        return resolved;
    }

    public static string SortKey(ReviewItem item) => $"{item.QueuedAt.UtcTicks:D19}|{item.Id}";
}
