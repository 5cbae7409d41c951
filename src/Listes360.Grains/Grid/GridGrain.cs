using Listes360.Domain;
using Listes360.Domain.Grid;
using Listes360.Grains.Common;
using Microsoft.Extensions.Logging;
using Listes360.Domain.Time;

namespace Listes360.Grains.Grid;

[GenerateSerializer, Alias("Listes360.Grid.GridState")]
public sealed class GridState
{
    [Id(0)] public List<CriteriaGrid> Versions { get; set; } = [];
    [Id(1)] public HashSet<string> Rankings { get; set; } = [];
}

public sealed class GridGrain(
    [PersistentState("grid", StorageNames.Main)] IPersistentState<GridState> state,
    TimeProvider clock,
    ILogger<GridGrain> logger) : Grain, IGridGrain
{
    /// <summary>The shipped default grid ranks from this date, so that every ranking date has a grid.</summary>
    public static readonly DateOnly DefaultGridEffectiveFrom = new(2000, 1, 1);

    /// <summary>Rankings refreshed at once during a re-ranking (the silo has 2 cores; more only queues).</summary>
    private const int RefreshParallelism = 32;

    private string Department => this.GetPrimaryKeyString();
    private DateOnly Today => ParisDate.Today(clock);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Versions.Count == 0 && GridDocument.HasDefault(Department))
        {
            var grid = GridDocument.Parse(GridDocument.DefaultJson(Department), 1, DefaultGridEffectiveFrom) with
            {
                PublishedAt = clock.GetUtcNow(),
                PublishedBy = "système (grille par défaut livrée avec Listes360)",
            };
            state.State.Versions.Add(grid);
            await WriteOrRollBackAsync();
        }
    }

    public Task<CriteriaGrid?> GetInForceAsync(DateOnly? date) =>
        Task.FromResult(GridHistory.InForce(state.State.Versions, date ?? Today));

    public Task<IReadOnlyList<CriteriaGrid>> GetVersionsAsync() =>
        Task.FromResult<IReadOnlyList<CriteriaGrid>>(state.State.Versions.ToList());

    public Task<IReadOnlyList<CriteriaGrid>> GetVersionsAfterAsync(int knownVersion) =>
        Task.FromResult<IReadOnlyList<CriteriaGrid>>(state.State.Versions.Where(v => v.Version > knownVersion).ToList());

    public async Task<GridPublication> PublishAsync(string json, string by)
    {
        var versions = state.State.Versions;
        var grid = GridDocument.Parse(json, versions.Count == 0 ? 1 : versions[^1].Version + 1, Today) with
        {
            PublishedAt = clock.GetUtcNow(),
            PublishedBy = by,
        };
        GridHistory.RequirePublishable(grid, Department, versions, Today);
        versions.Add(grid);
        await WriteOrRollBackAsync();
        return await RerankAsync(grid);
    }

    public async Task RegisterRankingAsync(string rankingKey)
    {
        // Written at once, not batched by a timer: a write landing seconds after the request that caused it is a change
        // nobody asked for at that moment (the security suite's refused requests saw one), for 1,400 small writes at
        // 5,000 persons; see bench/results/onboarding.md.
        if (state.State.Rankings.Add(rankingKey))
            await WriteOrRollBackAsync();
    }

    public async Task RegisterRankingsAsync(IReadOnlyList<string> rankingKeys)
    {
        ArgumentNullException.ThrowIfNull(rankingKeys);
        var added = 0;
        foreach (var key in rankingKeys)
            added += state.State.Rankings.Add(key) ? 1 : 0;
        if (added > 0)
            await WriteOrRollBackAsync();
    }

    /// <summary>
    /// Every ranking of the département takes the new version and re-ranks today. A ranking that
    /// fails here is not stale for long: each ranking checks the latest version before serving.
    /// </summary>
    private async Task<GridPublication> RerankAsync(CriteriaGrid grid)
    {
        var refreshed = 0;
        var failed = 0;
        var ranked = 0;
        // Calls start from the grain's own context (not the thread pool), so that they are grain calls.
        foreach (var batch in state.State.Rankings.Order(StringComparer.Ordinal).Chunk(RefreshParallelism))
            await Task.WhenAll(batch.Select(async key =>
            {
                try
                {
                    // Awaited first: « ranked += await … » would read « ranked » before the await and lose the other batches' counts.
                    var n = await GrainFactory.GetGrain<IRankingGrain>(key).RefreshAsync(grid);
                    ranked += n;
                    refreshed++;
                }
                catch (Exception e)
                {
                    failed++;
                    logger.LogWarning(e, "Reclassement différé pour {Ranking} après la grille v{Version}", key, grid.Version);
                }
            }));
        return new GridPublication(grid, refreshed, failed, ranked);
    }

    private async Task WriteOrRollBackAsync()
    {
        await state.WriteOrRestoreAsync("les versions de la grille du département");
    }
}
