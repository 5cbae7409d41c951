using System.Collections.Immutable;
using Listes360.Domain;
using Listes360.Domain.Projections;
using Listes360.Domain.Risk;
using Listes360.Grains.Common;
using Listes360.Grains.Department;
using Listes360.Grains.Risk;
using Listes360.Domain.Paging;
using Microsoft.Extensions.DependencyInjection;

namespace Listes360.Application.Observatory;

/// <summary>A page of the rupture-risk list and the model that scored it.</summary>
/// <param name="Period">The quarter of the page's pseudonyms: a person keeps a pseudonym within it only.</param>
public sealed record RuptureRiskPage(IReadOnlyList<RuptureRiskItem> Items, string? EndCursor, bool HasNextPage, int TotalCount, ModelProvenance? Model,
    PseudonymPeriod Period);

/// <summary>The observatory's indicators of a département on a date, and the model's provenance.</summary>
public sealed record DepartmentIndicators(string Department, WaitingCounts Counts, RiskIndicatorSummary Risk, ModelProvenance? Model);

/// <summary>
/// The observatory's reads, shared by GraphQL and the CSV exports: a fan-out over the département's
/// risk shards (each answers its own sorted page, merged here), so no grain holds the whole list.
/// </summary>
public sealed class RiskQueries(IGrainFactory grains, DepartmentTopology topology, IServiceProvider services)
{
    private ModelProvenance? Model => services.GetService<IRiskScorer>()?.Provenance;

    public async Task<RuptureRiskPage> ListAsync(string department, RiskFilter filter, string? after, int first)
    {
        PageLimits.Check(first);
        if (filter.MinProbability is < 0 or > 1 or double.NaN)
            throw new DomainException("INVALID_PROBABILITY", $"La probabilité minimale doit être comprise entre 0 et 1 (reçu : {filter.MinProbability}).", "minProbability");
        filter = filter with { Territory = string.IsNullOrWhiteSpace(filter.Territory) ? null : filter.Territory.Trim() };
        var (afterPeriod, afterKey) = after is null ? (null, null) : Decode(after);
        var pages = await Task.WhenAll(Enumerable.Range(0, topology.WaitingShards)
            .Select(i => grains.GetGrain<IRiskShardGrain>(RiskTopology.ShardKey(department, i)).SelectAsync(filter, afterKey, first + 1)));
        var period = pages[0].Period;
        if (pages.Any(p => p.Period != period))
            throw new DomainException("PSEUDONYM_PERIOD_CHANGED", "La période des pseudonymes de l'observatoire a changé pendant la requête (nouveau trimestre) : relancez-la.");
        // A cursor sorts by the pseudonyms of its own quarter: past the quarter's end, the order it points into is gone.
        if (afterPeriod is not null && afterPeriod != period.Code)
            throw new DomainException("INVALID_CURSOR",
                $"Le curseur « after » appartient à la période de pseudonymes {afterPeriod}, révolue (période en cours : {period.Code}) : reprenez la liste depuis le début.", "after");
        var merged = pages.SelectMany(p => p.Items).OrderBy(i => i.SortKey, StringComparer.Ordinal).ToList();
        var items = merged.Take(first).ToList();
        return new RuptureRiskPage(items, items.Count > 0 ? Encode(period, items[^1].SortKey) : after, merged.Count > first, pages.Sum(p => p.TotalCount), Model, period);
    }

    /// <summary>Every matching item, page by page (the CSV export).</summary>
    public async IAsyncEnumerable<RuptureRiskItem> AllAsync(string department, RiskFilter filter)
    {
        string? after = null;
        while (true)
        {
            var page = await ListAsync(department, filter, after, Paging.MaxPageSize);
            foreach (var item in page.Items) yield return item;
            if (!page.HasNextPage) yield break;
            after = page.EndCursor;
        }
    }

    public async Task<DepartmentIndicators> IndicatorsAsync(string department, DateOnly date)
    {
        var shards = Enumerable.Range(0, topology.WaitingShards).ToList();
        var counts = Task.WhenAll(shards.Select(i => grains.GetGrain<IWaitingShardGrain>(DepartmentTopology.ShardKey(department, i)).GetCountsAsync()));
        var parts = Task.WhenAll(shards.Select(i => grains.GetGrain<IRiskShardGrain>(RiskTopology.ShardKey(department, i)).IndicatorsAsync(date)));
        return new DepartmentIndicators(department, WaitingCounts.Combine(await counts), RiskIndicators.Merge(date, await parts), Model);
    }

    /// <summary>The département's daily snapshots of the last <paramref name="days"/> days (1 to <see cref="Domain.Observatory.SnapshotHistory.MaxDays"/>), oldest first.</summary>
    public Task<IReadOnlyList<Domain.Observatory.IndicatorSnapshot>> HistoryAsync(string department, int days)
    {
        Domain.Observatory.SnapshotHistory.RequireDays(days);
        return grains.GetGrain<IIndicatorSnapshotGrain>(department).GetSeriesAsync(days);
    }

    // The cursor's key is the pseudonym period and the sort key: a cursor outlives no quarter.
    private static string Encode(PseudonymPeriod period, string key) => Cursor.Encode(CursorKey(period, key));

    /// <summary>What a cursor encodes: the pseudonym period and the sort key (an edge's cursor too).</summary>
    public static string CursorKey(PseudonymPeriod period, string sortKey) => $"{period.Code}/{sortKey}";

    private static (string Period, string Key) Decode(string cursor)
    {
        var text = Cursor.Decode(cursor);
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 ? (text[..slash], text[(slash + 1)..]) : throw Cursor.Invalid();
    }
}
