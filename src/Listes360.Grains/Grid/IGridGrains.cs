using Listes360.Domain.Candidatures;
using Listes360.Domain.Grid;
using Listes360.Domain.Registry;
using Listes360.Domain.Security;
using Listes360.Grains.Security;

namespace Listes360.Grains.Grid;

/// <summary>
/// The admission criteria grid of one département (key: the département code): every published
/// version, kept. The first activation installs the shipped default grid as version 1 when the
/// département has one. Publishing a version re-ranks every ranking of the département.
/// </summary>
[Alias("Listes360.Grid.IGridGrain")]
public interface IGridGrain : IGrainWithStringKey
{
    /// <summary>The version in force on a date (today when null), null when none.</summary>
    [ReadOnly, AlwaysInterleave]
    [Allow(Role.EsmsDirector, Role.TerritorialStaff, Role.MdphReferent, Role.Observatory, Role.Admin, Scope = KeyScope.Department)]
    [Alias("GetInForceAsync")]
    Task<CriteriaGrid?> GetInForceAsync(DateOnly? date);

    /// <summary>Every version, oldest first.</summary>
    [ReadOnly, AlwaysInterleave]
    [Allow(Role.EsmsDirector, Role.TerritorialStaff, Role.MdphReferent, Role.Observatory, Role.Admin, Scope = KeyScope.Department)]
    [Alias("GetVersionsAsync")]
    Task<IReadOnlyList<CriteriaGrid>> GetVersionsAsync();

    /// <summary>
    /// Validates and publishes a new version (refused with every fault's JSON path: the version in
    /// force stays), then re-ranks every ESMS and modality of the département.
    /// </summary>
    [Allow(Role.Admin, Scope = KeyScope.Department)]
    [Alias("PublishAsync")]
    Task<GridPublication> PublishAsync(string json, string by);

    /// <summary>The versions after <paramref name="knownVersion"/> (all for 0): rankings check before serving.</summary>
    [ReadOnly, AlwaysInterleave]
    [Internal]
    [Alias("GetVersionsAfterAsync")]
    Task<IReadOnlyList<CriteriaGrid>> GetVersionsAfterAsync(int knownVersion);

    /// <summary>A ranking grain of the département, to re-rank on publication.</summary>
    /// <remarks>
    /// One-way: a ranking registers itself while applying facts, and a publication holds this grain
    /// while it refreshes every ranking; a ranking waiting here while the publication waits for it
    /// would hold both until the call timeout. A registration lost is made again at the ranking's next
    /// activation, and a ranking not refreshed checks the version in force before serving anyway.
    /// </remarks>
    [Internal, OneWay]
    [Alias("RegisterRankingAsync")]
    Task RegisterRankingAsync(string rankingKey);

    /// <summary>
    /// Rankings of the département about to receive facts together (an import's bulk delivery): stored in one write,
    /// before their facts leave, instead of one write of this grain per new ranking (1,433 at the Nord's onboarding).
    /// </summary>
    /// <remarks>Not one-way: the caller is no ranking (see <see cref="RegisterRankingAsync"/>).</remarks>
    [Internal]
    [Alias("RegisterRankingsAsync")]
    Task RegisterRankingsAsync(IReadOnlyList<string> rankingKeys);
}

/// <summary>A published version and the re-ranking it caused.</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Grid.GridPublication")]
public sealed record GridPublication(
    [property: Id(0)] CriteriaGrid Grid,
    [property: Id(1)] int RankingsRefreshed,
    [property: Id(2)] int RankingsFailed,
    [property: Id(3)] int CandidatesRanked);

/// <summary>
/// The ranking of one ESMS for one modality (key: <see cref="RankingKeys.Of"/>): the versions of the
/// facts of the candidatures to it (sent by the persons' grains; older versions in archive pages,
/// <see cref="FactsRetention"/>), and today's ranking cached in memory, refreshed when facts change or
/// a grid is published. Rankings of a past date within <see cref="FactsRetention.WindowDays"/> days are
/// recomputed from the kept versions with the grid in force then.
/// </summary>
[Alias("Listes360.Grid.IRankingGrain")]
public partial interface IRankingGrain : IGrainWithStringKey
{
    /// <summary>The ranking on a date (today when null; never a future date, nor one before the window: RANKING_HISTORY_EXPIRED).</summary>
    [ReadOnly]
    [Allow(Role.EsmsDirector, Role.TerritorialStaff, Role.MdphReferent, Role.Admin, Scope = KeyScope.Finess, AuditReads = true)]
    [Alias("GetAsync")]
    Task<RankingResult> GetAsync(DateOnly? date);

    /// <summary>Where one candidature stands today, and the median wait of similar admitted requests.</summary>
    [ReadOnly]
    [Allow(Role.EsmsDirector, Role.TerritorialStaff, Role.MdphReferent, Role.Admin, Scope = KeyScope.Finess)]
    [Alias("GetPositionAsync")]
    Task<CandidaturePosition?> GetPositionAsync(CandidatureId candidature);

    /// <summary>
    /// Where each of these candidatures stands today, in one call (a page of a list asks this once per
    /// ranking, not once per row); candidatures unknown to the ranking are left out.
    /// </summary>
    [ReadOnly]
    [Allow(Role.EsmsDirector, Role.TerritorialStaff, Role.MdphReferent, Role.Admin, Scope = KeyScope.Finess)]
    [Alias("GetPositionsAsync")]
    Task<IReadOnlyList<CandidaturePosition>> GetPositionsAsync(IReadOnlyList<CandidatureId> candidatures);

    /// <summary>
    /// The first <paramref name="top"/> (1–100) of today's ranking under the grid in force and under a draft
    /// grid document (not published, as if it were in force today), with each candidature's change: reads,
    /// changes nothing. The draft is validated as publishing would (INVALID_GRID with every fault's JSON path).
    /// Administration of the département only: a draft is the administrator's unpublished work (a director
    /// sees its ranking under the grid once published, not drafts).
    /// </summary>
    [ReadOnly]
    [Allow(Role.Admin, Scope = KeyScope.Finess, AuditReads = true)]
    [Alias("PreviewAsync")]
    Task<RankingPreview> PreviewAsync(string draftJson, int top);

    /// <summary>Records the facts of a candidature (a new version when they changed).</summary>
    [Internal]
    [Alias("ApplyFactsAsync")]
    Task ApplyFactsAsync(CandidateFacts facts);

    /// <summary><see cref="ApplyFactsAsync"/> for many candidatures in one write (a list import delivering its persons' facts in bulk).</summary>
    [Internal]
    [Alias("ApplyManyFactsAsync")]
    Task ApplyManyFactsAsync(IReadOnlyList<CandidateFacts> facts);

    /// <summary>A grid was published: keep it and re-rank today; returns the number of candidates ranked.</summary>
    [Internal]
    [Alias("RefreshAsync")]
    Task<int> RefreshAsync(CriteriaGrid grid);
}

/// <summary>Where a candidature stands in its ESMS's ranking.</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Grid.CandidaturePosition")]
public sealed record CandidaturePosition
{
    [Id(0)] public required CandidatureId CandidatureId { get; init; }
    [Id(1)] public required DateOnly Date { get; init; }
    [Id(2)] public required int GridVersion { get; init; }
    /// <summary>1 for the first; null when not ranked (see <see cref="NotRankedBecause"/>).</summary>
    [Id(3)] public int? Position { get; init; }
    [Id(4)] public required int EligibleCandidates { get; init; }
    [Id(5)] public RankedCandidate? Entry { get; init; }
    [Id(6)] public IReadOnlyList<EligibilityRefusal> NotRankedBecause { get; init; } = [];
    [Id(7)] public required WaitingTime SimilarRequests { get; init; }
}

/// <summary>Admissions of a département (key: département), for the median wait of similar requests (the most recent ones, <see cref="AdmissionWindow"/>).</summary>
[Alias("Listes360.Grid.IAdmissionStatsGrain")]
public interface IAdmissionStatsGrain : IGrainWithStringKey
{
    /// <remarks>Returns once a write that includes it is durable. Interleaves: the admissions of the département arriving together share one write (<see cref="Common.GroupCommit"/>).</remarks>
    [Internal]
    [AlwaysInterleave]
    [Alias("RecordAsync")]
    Task RecordAsync(AdmissionRecord admission);

    /// <summary>An admission undone (data-entry error, failed trial period).</summary>
    /// <remarks>Interleaves as <see cref="RecordAsync"/>.</remarks>
    [Internal]
    [AlwaysInterleave]
    [Alias("RemoveAsync")]
    Task RemoveAsync(string candidatureId);

    [ReadOnly]
    [Internal]
    [Alias("MedianAsync")]
    Task<WaitingTime> MedianAsync(KindOfSupport kind, string? territory);
}

public static class RankingKeys
{
    /// <summary><c>610000010|RESIDENTIAL</c>: the FINESS first, so that access rules read it.</summary>
    public static string Of(FinessNumber finess, Modality modality) => $"{finess.Value}|{modality.ToString().ToUpperInvariant()}";

    public static (FinessNumber Finess, Modality Modality) Parse(string key)
    {
        var parts = key.Split('|');
        return (FinessNumber.Parse(parts[0]), Enum.Parse<Modality>(parts[1], ignoreCase: true));
    }
}
