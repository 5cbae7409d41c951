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
    /// <summary>Every version of each candidature's facts, by candidature id, in recording order (one per day at most).</summary>
    [Id(0)] public Dictionary<string, List<TimedFacts>> Facts { get; set; } = [];
    [Id(1)] public bool Registered { get; set; }
}

/// <summary>
/// Holds the facts history of one ESMS + modality and serves its ranking. Today's ranking is cached in
/// memory (recomputed after a facts change, a grid publication, or at the first query of a new day);
/// past dates are recomputed from the history, which is what makes them reproducible.
/// </summary>
public sealed class RankingGrain(
    [PersistentState("ranking", StorageNames.Main)] IPersistentState<RankingState> state,
    TimeProvider clock) : Grain, IRankingGrain
{
    private List<CriteriaGrid>? grids;
    private EsmsProfile? profile;
    private RankingResult? today;

    private (FinessNumber Finess, Modality Modality) Key => RankingKeys.Parse(this.GetPrimaryKeyString());
    private DateOnly Today => ParisDate.Today(clock);
    private IGridGrain GridGrain => GrainFactory.GetGrain<IGridGrain>(Key.Finess.Department);

    public async Task<RankingResult> GetAsync(DateOnly? date)
    {
        var day = date ?? Today;
        if (day > Today)
            throw new DomainException("FUTURE_RANKING", $"Un classement porte sur aujourd'hui ou une date passée ; le {day:dd/MM/yyyy} est à venir.", "date");
        await EnsureCurrentAsync();
        if (day == Today)
            return today ??= Compute(day);
        return Compute(day);
    }

    public async Task<CandidaturePosition?> GetPositionAsync(CandidatureId candidature) =>
        (await GetPositionsAsync([candidature])) is [var position] ? position : null;

    public async Task<IReadOnlyList<CandidaturePosition>> GetPositionsAsync(IReadOnlyList<CandidatureId> candidatures)
    {
        var known = candidatures.Distinct().Where(c => state.State.Facts.ContainsKey(c.Value)).ToList();
        if (known.Count == 0)
            return [];
        // One ranking, and one median per kind of support, for the whole batch.
        var ranking = await GetAsync(null);
        var medians = new Dictionary<KindOfSupport, WaitingTime>();
        var positions = new List<CandidaturePosition>(known.Count);
        foreach (var candidature in known)
        {
            var facts = state.State.Facts[candidature.Value][^1].Facts;
            if (!medians.TryGetValue(facts.Kind, out var median))
                medians[facts.Kind] = median = await GrainFactory.GetGrain<IAdmissionStatsGrain>(Key.Finess.Department).MedianAsync(facts.Kind, profile?.Territory);
            positions.Add(PositionOf(candidature, facts, ranking, median));
        }
        return positions;
    }

    private static CandidaturePosition PositionOf(CandidatureId candidature, CandidateFacts facts, RankingResult ranking, WaitingTime median)
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
                    ?? [new EligibilityRefusal("CLOSED", $"La candidature est close ({facts.Status.Label()}) : elle n'est plus classée.", "status")],
            SimilarRequests = median,
        };
    }

    public async Task ApplyFactsAsync(CandidateFacts facts)
    {
        var s = state.State;
        if (!s.Facts.TryGetValue(facts.CandidatureId.Value, out var versions))
            s.Facts[facts.CandidatureId.Value] = versions = [];
        var previous = versions.Count == 0 ? null : versions[^1];
        if (previous is not null && previous.Facts.Equals(facts))
            return;
        var day = Today;
        // One version per day: a ranking of a past date reads the facts as they were at its end.
        if (previous is not null && previous.RecordedOn == day)
            versions[^1] = new TimedFacts(day, facts);
        else
            versions.Add(new TimedFacts(day, facts));
        var register = !s.Registered;
        s.Registered = true;
        await WriteOrRollBackAsync();
        today = null;
        if (register)
            await GridGrain.RegisterRankingAsync(this.GetPrimaryKeyString());
        await RecordAdmissionAsync(previous?.Facts, facts);
    }

    public async Task<int> RefreshAsync(CriteriaGrid grid)
    {
        profile = null;
        today = null;
        await EnsureCurrentAsync();
        var known = grids!;
        if (!known.Any(g => g.Version == grid.Version))
            known.Add(grid);
        today = Compute(Today);
        return today.Entries.Length;
    }

    /// <summary>The grids and the ESMS profile are loaded, and no newer grid exists; a new day drops the cache.</summary>
    private async Task EnsureCurrentAsync()
    {
        profile ??= await GrainFactory.GetGrain<IEsmsGrain>(Key.Finess.Value).GetProfileAsync()
            ?? throw new DomainException("UNKNOWN_ESMS", $"Aucun ESMS n'est enregistré sous le numéro FINESS {Key.Finess}.", "finess");
        grids ??= [];
        var newer = await GridGrain.GetVersionsAfterAsync(grids.Count == 0 ? 0 : grids.Max(g => g.Version));
        if (newer.Count > 0)
        {
            grids.AddRange(newer);
            today = null;
        }
        if (today is not null && today.Date != Today)
            today = null;
    }

    private RankingResult Compute(DateOnly day)
    {
        var grid = GridHistory.InForce(grids!, day)
            ?? throw new DomainException("NO_GRID", $"Aucune grille de critères n'est en vigueur dans le département {Key.Finess.Department} au {day:dd/MM/yyyy} : un administrateur doit en publier une.", "date");
        var facts = state.State.Facts.Values.Select(v => FactsHistory.AsOf(v, day)).OfType<CandidateFacts>();
        return Ranking.Rank(grid, profile!, Key.Modality, facts, day);
    }

    private async Task RecordAdmissionAsync(CandidateFacts? before, CandidateFacts after)
    {
        var stats = GrainFactory.GetGrain<IAdmissionStatsGrain>(Key.Finess.Department);
        if (after.Status == CandidatureStatus.Admitted && before?.Status != CandidatureStatus.Admitted)
        {
            profile ??= await GrainFactory.GetGrain<IEsmsGrain>(Key.Finess.Value).GetProfileAsync();
            await stats.RecordAsync(new AdmissionRecord(after.CandidatureId.Value, after.Kind, profile?.Territory, after.RequestDate, after.StatusSince));
        }
        else if (before?.Status == CandidatureStatus.Admitted && after.Status != CandidatureStatus.Admitted)
            await stats.RemoveAsync(after.CandidatureId.Value);
    }

    private async Task WriteOrRollBackAsync()
    {
        await state.WriteOrRestoreAsync("ce classement");
    }
}
