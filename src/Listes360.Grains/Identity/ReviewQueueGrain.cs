using Listes360.Domain;
using Listes360.Grains.Common;

namespace Listes360.Grains.Identity;

/// <summary>The first shape of the queue, one entity written whole at each change (over 1 MB past ~3,000 items): read once to move it to rows, then cleared.</summary>
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

    /// <summary>The ids of the expired items.</summary>
    public static IReadOnlyList<string> ExpiredIds(IEnumerable<ReviewItem> items, DateTimeOffset now) =>
        items.Where(i => Expired(i, now)).Select(i => i.Id).ToList();

    /// <summary>Drops the expired items; returns how many.</summary>
    public static int DropExpired(Dictionary<string, ReviewItem> items, DateTimeOffset now)
    {
        var expired = ExpiredIds(items.Values, now);
        foreach (var id in expired)
            items.Remove(id);
        return expired.Count;
    }
}

/// <summary>
/// The département's queue of possible duplicates for the MDPH referent. Stored as one row per item
/// (<see cref="KeyedRowsState{T}"/>): a large département's onboarding queues thousands of pairs, each with two records,
/// beyond what one entity holds (1 MB); an add or a decision writes its items, not the queue.
/// </summary>
public sealed class ReviewQueueGrain(
    [PersistentState("review-queue", StorageNames.Main)] IPersistentState<ReviewQueueState> legacy,
    IKeyedRowStorage storage,
    Orleans.Serialization.Serializer serializer,
    TimeProvider clock) : Grain, IReviewQueueGrain
{
    private const string StateName = "review-queue";
    private const string What = "la file de vérification du département";

    private KeyedRowsState<ReviewItem> items = null!;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        items = new KeyedRowsState<ReviewItem>(storage, serializer, this.GetGrainId(), StateName);
        await items.ReadAsync();
        if (!items.Exists && legacy.RecordExists)
        {
            foreach (var (id, item) in legacy.State.Items)
                items.Set(id, item);
            await items.MoveFromWholeStateAsync(legacy);
        }
        PublishLength();
        await base.OnActivateAsync(cancellationToken);
    }

    /// <summary>The queue's pending items for the service's metrics (<see cref="Telemetry.ServiceMetrics"/>).</summary>
    private void PublishLength() =>
        Telemetry.ServiceMetrics.SetReviewQueue(this.GetPrimaryKeyString(), items.Rows.Values.Count(i => i.Status == ReviewStatus.Pending));

    private void DropExpired()
    {
        foreach (var id in ReviewRetention.ExpiredIds(items.Rows.Values, clock.GetUtcNow()))
            items.Remove(id);
    }

    public async Task<IReadOnlyList<string>> AddAsync(IReadOnlyList<ReviewItem> added)
    {
        var ids = added.Where(item => !items.Rows.ContainsKey(item.Id)).DistinctBy(item => item.Id).ToList();
        if (ids.Count > 0)
        {
            foreach (var item in ids)
                items.Set(item.Id, item);
            DropExpired();
            await items.WriteAsync(What);
            PublishLength();
        }
        return ids.Select(item => item.Id).ToList();
    }

    public async Task WithdrawAsync(IReadOnlyList<string> itemIds)
    {
        var removed = itemIds.Distinct(StringComparer.Ordinal)
            .Where(id => items.Rows.TryGetValue(id, out var item) && item.Status == ReviewStatus.Pending).ToList();
        if (removed.Count > 0)
        {
            foreach (var id in removed)
                items.Remove(id);
            await items.WriteAsync(What);
            PublishLength();
        }
    }

    public Task<Page<ReviewItem>> ListAsync(bool pendingOnly, string? after, int first)
    {
        var ordered = items.Rows.Values
            .Where(i => !pendingOnly || i.Status == ReviewStatus.Pending)
            .OrderBy(SortKey, StringComparer.Ordinal)
            .ToList();
        return Task.FromResult(Paging.Of(ordered, SortKey, after, first));
    }

    public async Task<ReviewItem> ResolveAsync(string itemId, ReviewDecision decision, string? survivor, string reason, string by)
    {
        var item = items.Rows.GetValueOrDefault(itemId ?? "")
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
        var resolved = items.Rows[item.Id] with
        {
            Status = decision == ReviewDecision.Merge ? ReviewStatus.Merged : ReviewStatus.DifferentPersons,
            ResolvedBy = by,
            ResolvedAt = clock.GetUtcNow(),
            Reason = reason.Trim(),
        };
        items.Set(item.Id, resolved);
        DropExpired();
        await items.WriteAsync(What);
        PublishLength();
        return resolved;
    }

    public static string SortKey(ReviewItem item) => $"{item.QueuedAt.UtcTicks:D19}|{item.Id}";
}
