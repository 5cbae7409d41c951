using Listes360.Domain.Grid;
using Listes360.Grains.Security;

namespace Listes360.Grains.Grid;

/// <summary>
/// One page of a ranking's superseded facts versions, keyed « ranking key/page » (1, 2, …): the ranking
/// grain keeps each candidature's current facts and moves the superseded versions here, a page at a
/// time (<see cref="FactsRetention"/>), so that its own state stays bounded and past rankings of the
/// window stay exact.
/// </summary>
[Alias("Listes360.Grid.IRankingArchiveGrain")]
public interface IRankingArchiveGrain : IGrainWithStringKey
{
    /// <summary>Stores the page; idempotent (a retry after a failed ranking write stores it again).</summary>
    [Internal]
    [Alias("StoreAsync")]
    Task StoreAsync(IReadOnlyList<SupersededFacts> versions);

    [ReadOnly]
    [Internal]
    [Alias("GetAsync")]
    Task<IReadOnlyList<SupersededFacts>> GetAsync();

    /// <summary>Deletes the page (every version on it superseded before the window).</summary>
    [Internal]
    [Alias("ClearAsync")]
    Task ClearAsync();
}
