using Listes360.Domain.Persons;
using Listes360.Domain.Registry;
using Listes360.Domain.Security;
using Listes360.Domain.Sequential;
using Listes360.Grains.Security;

namespace Listes360.Grains.Sequential;

/// <summary>
/// The ESMS of a département that declared sequential availability (key: the département code), kept
/// current by their availability grains, so that a search reads one grain instead of hundreds. Only
/// the list of FINESS numbers is stored; the offers are re-read from their grains on activation
/// (a Nord-sized directory would not fit in one table entity).
/// </summary>
[Alias("Listes360.Sequential.IAvailabilityDirectoryGrain")]
public interface IAvailabilityDirectoryGrain : IGrainWithStringKey
{
    [Internal]
    [Alias("RecordAsync")]
    Task RecordAsync(EsmsOffer offer, int version);

    [ReadOnly]
    [Internal]
    [Alias("GetOffersAsync")]
    Task<IReadOnlyList<EsmsOffer>> GetOffersAsync();
}

/// <summary>
/// One shard (key <c>{département}-q{index}</c>, persons spread as the waiting counts are) of the
/// persons with sequential needs, as the search sees them (no names). Kept current by the persons'
/// grains, which re-send their entry on reconcile.
/// </summary>
[Alias("Listes360.Sequential.ICandidateShardGrain")]
public interface ICandidateShardGrain : IGrainWithStringKey
{
    /// <summary>Replaces a person's entry (null removes it); an older version changes nothing.</summary>
    /// <remarks>Returns once a write that includes it is durable. Interleaves: concurrent applies share one write (<see cref="Common.GroupCommit"/>).</remarks>
    [Internal]
    [AlwaysInterleave]
    [Alias("ApplyAsync")]
    Task ApplyAsync(PersonId person, long version, SequentialCandidate? candidate);

    /// <summary>
    /// <see cref="ApplyAsync"/> for the items of a bulk delivery (a list import): each applied by version as alone, their
    /// rows written together.
    /// </summary>
    [Internal]
    [AlwaysInterleave]
    [Alias("ApplyManyAsync")]
    Task ApplyManyAsync(IReadOnlyList<Common.PersonVersioned<SequentialCandidate?>> items);

    /// <summary>The entries, optionally only of persons living in a territory.</summary>
    [ReadOnly]
    [Internal]
    [Alias("GetCandidatesAsync")]
    Task<IReadOnlyList<SequentialCandidate>> GetCandidatesAsync(string? territory);
}

/// <summary>Runs searches for a département (stateless: any silo, several at once).</summary>
[Alias("Listes360.Sequential.ISequentialSearchGrain")]
public interface ISequentialSearchGrain : IGrainWithStringKey
{
    /// <summary>Waiting candidates whose week a combination of at most K ESMS covers, ranked.</summary>
    [ReadOnly]
    [Allow(Role.TerritorialStaff, Role.Admin, Scope = KeyScope.Department, AuditReads = true)]
    [Alias("SearchAsync")]
    Task<SequentialSearchResult> SearchAsync(DateOnly date, [Scoped(KeyScope.Territory)] string? territory, int maxStructures, int first);

    /// <summary>The same, only combinations <paramref name="finess"/> is part of (the ESMS's grain checks access).</summary>
    [ReadOnly]
    [Internal]
    [Alias("SearchForEsmsAsync")]
    Task<SequentialSearchResult> SearchForEsmsAsync(FinessNumber finess, DateOnly date, int maxStructures, int first);
}

public static class SequentialKeys
{
    public static string CandidateShard(string department, int index) => $"{department}-q{index}";
}

/// <summary>
/// The score and distance the search uses, as a silo service: seniority of the request and territory
/// bands by default; the harmonised grid and commune coordinates replace them by registering another
/// instance.
/// </summary>
public sealed class SequentialScoring
{
    public CandidateScore Score { get; init; } = SequentialSearch.Seniority;
    public DistanceFunction Distance { get; init; } = Proximity.Default;
    /// <summary>What the score is, shown with every answer.</summary>
    public string ScoreName { get; init; } = SequentialSearch.DefaultScoreName;
}
