using Listes360.Domain;
using Listes360.Domain.Candidatures;
using Listes360.Domain.Grid;
using Listes360.Domain.Registry;
using Listes360.Grains.Common;
using Listes360.Grains.Registry;
using Listes360.Domain.Time;

namespace Listes360.Grains.Grid;

[GenerateSerializer, Alias("Listes360.Grid.RankingState")]
public sealed class RankingState
{
    /// <summary>
    /// Each open candidature's facts, by candidature id, in recording order (one version per day at most):
    /// the current version and the superseded ones not yet archived (<see cref="FactsRetention.SupersededKept"/> at most, with <see cref="Pool"/>).
    /// </summary>
    [Id(0)] public Dictionary<string, List<TimedFacts>> Facts { get; set; } = [];
    /// <summary>No longer written: the ranking registers with the grid once per activation (kept so stored states still read).</summary>
    [Id(1)] public bool Registered { get; set; }
    /// <summary>The archive pages (<see cref="IRankingArchiveGrain"/>) that past rankings of the window may need.</summary>
    [Id(2)] public List<FactsPage> Pages { get; set; } = [];
    /// <summary>The number of pages ever written (the next page is this plus one).</summary>
    [Id(3)] public int PagesWritten { get; set; }
    /// <summary>Superseded versions of candidatures closed since the last page, waiting for the next one.</summary>
    [Id(4)] public List<SupersededFacts> Pool { get; set; } = [];
    /// <summary>The closed candidatures (closed within the window), by id.</summary>
    [Id(5)] public Dictionary<string, ClosedCandidature> Closed { get; set; } = [];
}

/// <summary>
/// Holds the facts history of one ESMS + modality and serves its ranking, bounded by
/// <see cref="FactsRetention"/>: current facts and a few superseded versions in its own state, older
/// versions in archive pages, past rankings on the window only. Today's ranking, the grids and the
/// ESMS profile are caches in memory, never persisted: the reads ([ReadOnly], which may interleave)
/// only replace them whole, and only the writes change the state.
/// </summary>
public sealed partial class RankingGrain(
    [PersistentState("ranking", StorageNames.Main)] IPersistentState<RankingState> state,
    TimeProvider clock) : Grain, IRankingGrain
{
    private List<CriteriaGrid>? grids;
    private EsmsProfile? profile;
    private RankingResult? today;

    private (FinessNumber Finess, Modality Modality) Key => RankingKeys.Parse(this.GetPrimaryKeyString());
    private DateOnly Today => ParisDate.Today(clock);
    private IGridGrain GridGrain => GrainFactory.GetGrain<IGridGrain>(Key.Finess.Department);

    /// <summary>A state written before the closed markers: its closed candidatures take them in memory (persisted with the next change).</summary>
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var s = state.State;
        FactsRetention.MarkClosed(s.Facts, s.Pool, s.Closed);
        return Task.CompletedTask;
    }

    public async Task<RankingResult> GetAsync(DateOnly? date)
    {
        var now = Today;
        var day = date ?? now;
        if (day > now)
            throw new DomainException("FUTURE_RANKING", $"Un classement porte sur aujourd'hui ou une date passée ; le {day:dd/MM/yyyy} est à venir.", "date");
        FactsRetention.RequireInWindow(day, now);
        await EnsureCurrentAsync();
        if (day == now)
            return today is { } cached && cached.Date == now ? cached : today = Compute(day, Current(day));
        var archived = await Task.WhenAll(state.State.Pages.Where(p => p.MayHold(day))
            .Select(p => GrainFactory.GetGrain<IRankingArchiveGrain>(RankingArchiveGrain.Key(this.GetPrimaryKeyString(), p.Number)).GetAsync()));
        return Compute(day, FactsRetention.AsOf(state.State.Facts, archived.SelectMany(a => a).Concat(state.State.Pool), day));
    }

    public async Task<CandidaturePosition?> GetPositionAsync(CandidatureId candidature) =>
        (await GetPositionsAsync([candidature])) is [var position] ? position : null;

    public async Task<IReadOnlyList<CandidaturePosition>> GetPositionsAsync(IReadOnlyList<CandidatureId> candidatures)
    {
        var known = candidatures.Distinct().Select(c => (Id: c, Known: KnownOf(c))).Where(x => x.Known is not null).ToList();
        if (known.Count == 0)
            return [];
        // One ranking, and one median per kind of support, for the whole batch.
        var ranking = await GetAsync(null);
        var medians = new Dictionary<KindOfSupport, WaitingTime>();
        var positions = new List<CandidaturePosition>(known.Count);
        foreach (var (candidature, facts) in known)
        {
            var (kind, status) = facts!.Value;
            if (!medians.TryGetValue(kind, out var median))
                medians[kind] = median = await GrainFactory.GetGrain<IAdmissionStatsGrain>(Key.Finess.Department).MedianAsync(kind, profile?.Territory);
            positions.Add(PositionOf(candidature, status, ranking, median));
        }
        return positions;
    }

    /// <summary>The kind and status of a candidature this ranking knows: open (its facts) or closed (its marker).</summary>
    private (KindOfSupport Kind, CandidatureStatus Status)? KnownOf(CandidatureId candidature) =>
        state.State.Facts.TryGetValue(candidature.Value, out var versions)
            ? (versions[^1].Facts.Kind, versions[^1].Facts.Status)
            : state.State.Closed.TryGetValue(candidature.Value, out var closed) ? (closed.Kind, closed.Status) : null;

    private static CandidaturePosition PositionOf(CandidatureId candidature, CandidatureStatus status, RankingResult ranking, WaitingTime median)
    {
        var entry = ranking.Entries.FirstOrDefault(e => e.CandidatureId == candidature);
        return new CandidaturePosition
        {
            CandidatureId = candidature,
            Date = ranking.Date,
            GridVersion = ranking.GridVersion,
            Position = entry?.Position,
            EligibleCandidates = ranking.Entries.Length,
            Entry = entry,
            NotRankedBecause = entry is not null
                ? []
                : ranking.Excluded.FirstOrDefault(x => x.CandidatureId == candidature)?.Reasons
                    ?? [new EligibilityRefusal("CLOSED", $"La candidature est close ({status.Label()}) : elle n'est plus classée.", "status")],
            SimilarRequests = median,
        };
    }

    public async Task<RankingPreview> PreviewAsync(string draftJson, int top)
    {
        RankingPreviews.RequireTop(top);
        var now = Today;
        await EnsureCurrentAsync();
        var versions = grids!.OrderBy(g => g.Version).ToList();
        var current = GridHistory.InForce(versions, now)
            ?? throw new DomainException("NO_GRID", $"Aucune grille de critères n'est en vigueur dans le département {Key.Finess.Department} au {now:dd/MM/yyyy} : un administrateur doit en publier une.", "date");
        // The version and the checks publishing would give (GridGrain.PublishAsync), on the same document.
        var draft = GridDocument.Parse(draftJson, versions.Count == 0 ? 1 : versions[^1].Version + 1, now);
        GridHistory.RequirePublishable(draft, Key.Finess.Department, versions, now);
        return RankingPreviews.Of(current, draft, profile!, Key.Modality, Current(now), now, top);
    }

    private bool registeredInThisActivation;

    public Task ApplyFactsAsync(CandidateFacts facts) => ApplyManyFactsAsync([facts]);

    public async Task ApplyManyFactsAsync(IReadOnlyList<CandidateFacts> facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var s = state.State;
        var recorded = new List<(CandidatureStatus? Before, CandidateFacts After)>();
        foreach (var item in facts)
        {
            var (changed, before) = FactsRetention.Record(s.Facts, s.Pool, s.Closed, item, Today);
            if (changed)
                recorded.Add((before, item));
        }
        if (recorded.Count == 0)
            return;
        await CompactAsync();
        await WriteOrRollBackAsync();
        today = null;
        if (!registeredInThisActivation)
        {
            // One-way (see IGridGrain.RegisterRankingAsync): sent once per activation, so a registration lost is made again.
            await GridGrain.RegisterRankingAsync(this.GetPrimaryKeyString());
            registeredInThisActivation = true;
        }
        foreach (var (before, after) in recorded)
            await RecordAdmissionAsync(before, after);
    }

    /// <summary>
    /// Applies <see cref="FactsRetention"/> before the write: superseded versions past the bound move to
    /// archive pages (stored first, so a failed write loses nothing: the page is stored again), closed
    /// candidatures and pages that only served dates before the window are dropped.
    /// </summary>
    private async Task CompactAsync()
    {
        var s = state.State;
        if (FactsRetention.SupersededCount(s.Facts, s.Pool) >= FactsRetention.SupersededKept)
        {
            var pages = new List<FactsPage>();
            foreach (var chunk in FactsRetention.Superseded(s.Facts, s.Pool).Chunk(FactsRetention.SupersededKept))
            {
                var number = s.PagesWritten + pages.Count + 1;
                await GrainFactory.GetGrain<IRankingArchiveGrain>(RankingArchiveGrain.Key(this.GetPrimaryKeyString(), number)).StoreAsync(chunk);
                pages.Add(FactsRetention.PageOf(number, chunk));
            }
            FactsRetention.KeepCurrentOnly(s.Facts, s.Pool);
            s.Pages.AddRange(pages);
            s.PagesWritten += pages.Count;
        }
        FactsRetention.DropClosedBeforeWindow(s.Closed, Today);
        foreach (var page in FactsRetention.PagesBeforeWindow(s.Pages, Today))
        {
            await GrainFactory.GetGrain<IRankingArchiveGrain>(RankingArchiveGrain.Key(this.GetPrimaryKeyString(), page.Number)).ClearAsync();
            s.Pages.Remove(page);
        }
    }

    public async Task<int> RefreshAsync(CriteriaGrid grid)
    {
        profile = null;
        today = null;
        await EnsureCurrentAsync();
        if (!grids!.Any(g => g.Version == grid.Version))
            grids = [.. grids!, grid];
        var ranking = Compute(Today, Current(Today));
        today = ranking;
        return ranking.Entries.Length;
    }

    /// <summary>The grids and the ESMS profile are loaded, and no newer grid exists (a newer one drops today's ranking).</summary>
    private async Task EnsureCurrentAsync()
    {
        profile ??= await GrainFactory.GetGrain<IEsmsGrain>(Key.Finess.Value).GetProfileAsync()
            ?? throw new DomainException("UNKNOWN_ESMS", $"Aucun ESMS n'est enregistré sous le numéro FINESS {Key.Finess}.", "finess");
        var known = grids ?? [];
        var newer = await GridGrain.GetVersionsAfterAsync(known.Count == 0 ? 0 : known.Max(g => g.Version));
        // Another read may have taken the same versions meanwhile (reads interleave): merged by version, the list replaced whole.
        var current = grids ?? [];
        var added = newer.Where(n => !current.Any(g => g.Version == n.Version)).ToList();
        if (grids is null || added.Count > 0)
        {
            grids = [.. current, .. added];
            today = null;
        }
    }

    /// <summary>The facts at the end of a day the state's versions cover (today: no archive needed).</summary>
    private IEnumerable<CandidateFacts> Current(DateOnly day) =>
        state.State.Facts.Values.Select(v => FactsHistory.AsOf(v, day)).OfType<CandidateFacts>();

    private RankingResult Compute(DateOnly day, IEnumerable<CandidateFacts> facts)
    {
        var grid = GridHistory.InForce(grids!, day)
            ?? throw new DomainException("NO_GRID", $"Aucune grille de critères n'est en vigueur dans le département {Key.Finess.Department} au {day:dd/MM/yyyy} : un administrateur doit en publier une.", "date");
        return Ranking.Rank(grid, profile!, Key.Modality, facts, day);
    }

    private async Task RecordAdmissionAsync(CandidatureStatus? before, CandidateFacts after)
    {
        var stats = GrainFactory.GetGrain<IAdmissionStatsGrain>(Key.Finess.Department);
        if (after.Status == CandidatureStatus.Admitted && before != CandidatureStatus.Admitted)
        {
            profile ??= await GrainFactory.GetGrain<IEsmsGrain>(Key.Finess.Value).GetProfileAsync();
            await stats.RecordAsync(new AdmissionRecord(after.CandidatureId.Value, after.Kind, profile?.Territory, after.RequestDate, after.StatusSince));
        }
        else if (before == CandidatureStatus.Admitted && after.Status != CandidatureStatus.Admitted)
            await stats.RemoveAsync(after.CandidatureId.Value);
    }

    private async Task WriteOrRollBackAsync()
    {
        await state.WriteOrRestoreAsync("ce classement");
    }
}
