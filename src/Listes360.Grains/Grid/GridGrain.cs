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

    /// <summary>
    /// A registration is written with the others that arrive within this delay: each new ranking registers itself, and an
    /// onboarding creates a thousand of them in a few minutes, each a write of this whole state (1,404 writes at 5,000
    /// persons). A registration lost with the activation is made again at the ranking's next activation, and a ranking
    /// checks the version in force before serving (see <see cref="IGridGrain.RegisterRankingAsync"/>).
    /// </summary>
    public static readonly TimeSpan RegistrationsWrittenWithin = TimeSpan.FromSeconds(5);

    private IGrainTimer? registrationsWrite;

    public Task RegisterRankingAsync(string rankingKey)
    {
        // Not interleaved with a publication (one turn at a time), whose write carries the registrations made before it.
        if (state.State.Rankings.Add(rankingKey))
            registrationsWrite ??= this.RegisterGrainTimer(_ => WriteRegistrationsAsync(),
                new GrainTimerCreationOptions(RegistrationsWrittenWithin, Timeout.InfiniteTimeSpan) { Interleave = false, KeepAlive = true });
        return Task.CompletedTask;
    }

    private async Task WriteRegistrationsAsync()
    {
        if (registrationsWrite is null)
            return;
        registrationsWrite.Dispose();
        registrationsWrite = null;
        await WriteOrRollBackAsync();
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await WriteRegistrationsAsync();
        await base.OnDeactivateAsync(reason, cancellationToken);
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
