using Listes360.Domain.Geography;
using Listes360.Domain.Paging;
using Listes360.Domain.WaitingList;
using Listes360.Grains.WaitingList;

namespace Listes360.Application.WaitingList;

/// <summary>What a reader of the departmental list asks: filter, order, an optional name search, a page.</summary>
/// <param name="ScoreKind">The kind of support whose grid scores <see cref="WaitingListOrder.GridScore"/> compares (that order only).</param>
public sealed record WaitingListRequest(string Department, WaitingListFilter Filter, WaitingListOrder Order, string? Search, string? After, int First,
    Domain.Registry.KindOfSupport? ScoreKind = null);

/// <summary>A page of the list: its rows in order (each with its sort key, the cursor of a page ending on it), how many match, whether more follow.</summary>
public sealed record WaitingListPage(IReadOnlyList<SortedEntry> Rows, int TotalCount, bool HasNextPage);

/// <summary>
/// The departmental list's reads, shared by GraphQL, the CSV export and the web pages: a fan-out over
/// the département's list shards (each answers its own sorted page, with the caller's scope applied by
/// the grain), merged here; no grain holds the whole list. Acts as the caller already set for the request.
/// </summary>
public sealed class WaitingListQueries(ListShardReferences shards)
{
    public async Task<WaitingListPage> ListAsync(WaitingListRequest request)
    {
        var department = DepartmentCodes.Parse(request.Department);
        PageLimits.Check(request.First);
        var filter = request.Filter.Validated();
        if (request.Search is not null)
            _ = SearchText.Parse(request.Search); // refused in French before any shard is asked
        // The order is checked here too, so that a refusal comes once, before any shard is asked (the shards check it again).
        WaitingListOrdering.Check(request.Order, request.ScoreKind, Grains.Security.CallerContext.Current);
        var afterKey = request.After is null ? null : Cursor.Decode(request.After);
        // A name search sorts by relevance, whatever the order asked.
        var byScore = request.Search is null && request.Order is WaitingListOrder.GridScore or WaitingListOrder.RiskProbability;
        var pages = await Task.WhenAll(shards.Of(department).Select(shard => byScore
            ? shard.PageByScoreAsync(filter, request.Order, request.ScoreKind, afterKey, request.First + 1)
            : shard.PageAsync(filter, request.Order, request.Search, afterKey, request.First + 1)));
        var merged = WaitingListShard.Merge(pages, request.First + 1);
        return new WaitingListPage([.. merged.Rows.Take(request.First)], merged.TotalCount, merged.Rows.Length > request.First);
    }

    /// <summary>Every matching row, page by page (the CSV export: each page read is audited).</summary>
    public async IAsyncEnumerable<WaitingListEntry> AllAsync(WaitingListRequest request)
    {
        var next = request with { First = PageLimits.MaxPageSize, After = null };
        while (true)
        {
            var page = await ListAsync(next);
            foreach (var row in page.Rows) yield return row.Entry;
            if (!page.HasNextPage || page.Rows.Count == 0) yield break;
            next = next with { After = Cursor.Encode(page.Rows[^1].SortKey) };
        }
    }

    /// <summary>The caller's worklist in the département: late items first, then by date.</summary>
    public async Task<IReadOnlyList<WorklistRow>> WorklistAsync(string department)
    {
        var code = DepartmentCodes.Parse(department);
        var parts = await Task.WhenAll(shards.Of(code).Select(shard => shard.WorklistAsync()));
        return [.. parts.SelectMany(p => p)
            .OrderByDescending(r => r.Item.Urgency).ThenBy(r => r.Item.Due).ThenBy(r => r.Item.Kind).ThenBy(r => r.Item.Person.Value, StringComparer.Ordinal)];
    }
}
