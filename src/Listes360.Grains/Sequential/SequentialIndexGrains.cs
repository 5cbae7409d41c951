using Listes360.Domain.Persons;
using Listes360.Domain.Projections;
using Listes360.Domain.Sequential;
using Listes360.Grains.Common;
using Listes360.Grains.Department;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace Listes360.Grains.Sequential;

[GenerateSerializer, Alias("Listes360.Sequential.AvailabilityDirectoryState")]
public sealed class AvailabilityDirectoryState
{
    [Id(0)] public HashSet<string> Finess { get; set; } = [];
}

public sealed class AvailabilityDirectoryGrain(
    [PersistentState("availability-directory", StorageNames.Main)] IPersistentState<AvailabilityDirectoryState> state) : Grain, IAvailabilityDirectoryGrain
{
    private readonly Dictionary<string, (EsmsOffer Offer, int Version)> _offers = new(StringComparer.Ordinal);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        foreach (var batch in state.State.Finess.Chunk(16))
        {
            var offers = await Task.WhenAll(batch.Select(f => GrainFactory.GetGrain<IEsmsAvailabilityGrain>(f).GetOfferAsync()));
            foreach (var offer in offers.OfType<EsmsOffer>())
                _offers.TryAdd(offer.Profile.Finess.Value, (offer, 0));
        }
    }

    public async Task RecordAsync(EsmsOffer offer, int version)
    {
        var finess = offer.Profile.Finess.Value;
        if (_offers.TryGetValue(finess, out var known) && known.Version >= version && known.Version > 0)
            return;
        _offers[finess] = (offer, version);
        if (state.State.Finess.Add(finess))
            await state.WriteStateAsync();
    }

    public Task<IReadOnlyList<EsmsOffer>> GetOffersAsync() =>
        Task.FromResult<IReadOnlyList<EsmsOffer>>(_offers.Values.Select(o => o.Offer).ToList());
}

/// <summary>The first shape of a shard, one entity written whole at each change: read once to move it to rows, then cleared.</summary>
[GenerateSerializer, Alias("Listes360.Sequential.CandidateShardState")]
public sealed class CandidateShardState
{
    [Id(0)] public Dictionary<string, SequentialCandidate> Candidates { get; set; } = [];
    [Id(1)] public Dictionary<string, long> Versions { get; set; } = [];
}

/// <summary>A person's row in a shard of the sequential candidates: the version applied and the entry (null: none, kept so an older version changes nothing).</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Sequential.CandidateShardRow")]
public sealed record CandidateShardRow([property: Id(0)] long Version, [property: Id(1)] SequentialCandidate? Candidate);

/// <summary>
/// A shard of the sequential candidates, stored as one row per person (<see cref="KeyedRowsWriter{T}"/>): an apply
/// writes its person's row, not the shard, whose size grows with the département (written whole, an admission wrote
/// a shard of a thousand entries).
/// </summary>
public sealed class CandidateShardGrain(
    [PersistentState("sequential-candidates", StorageNames.Main)] IPersistentState<CandidateShardState> legacy,
    IKeyedRowStorage storage,
    Serializer serializer) : Grain, ICandidateShardGrain
{
    private readonly Dictionary<PersonId, CandidateShardRow> rows = [];
    private KeyedRowsWriter<CandidateShardRow> rowWriter = null!;
    private GroupCommit? commit;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        rowWriter = new KeyedRowsWriter<CandidateShardRow>(storage, serializer, this.GetGrainId(), "sequential-candidates",
            key => rows.GetValueOrDefault(PersonRowKeys.PersonOf(key)));
        var stored = await rowWriter.ReadAsync();
        if (!rowWriter.Exists && legacy.State.Versions.Count > 0)
        {
            var whole = legacy.State;
            foreach (var (person, version) in whole.Versions)
                rows[PersonId.Parse(person)] = new CandidateShardRow(version, whole.Candidates.GetValueOrDefault(person));
            await rowWriter.MoveFromWholeStateAsync(legacy, rows.Keys.Select(PersonRowKeys.Of));
            return;
        }
        foreach (var (key, row) in stored)
            rows[PersonRowKeys.PersonOf(key)] = row;
    }

    public Task ApplyManyAsync(IReadOnlyList<PersonVersioned<SequentialCandidate?>> items) =>
        Task.WhenAll(items.Select(i => ApplyAsync(i.Person, i.Version, i.Value)));

    public async Task ApplyAsync(PersonId person, long version, SequentialCandidate? candidate)
    {
        if (rows.TryGetValue(person, out var known) && known.Version >= version)
            return;
        // No await until the row is changed: interleaved applies share one write.
        rows[person] = new CandidateShardRow(version, candidate);
        rowWriter.Changed(PersonRowKeys.Of(person));
        await (commit ??= new GroupCommit(rowWriter.WriteAsync, DeactivateOnIdle)).CommitAsync();
    }

    public Task<IReadOnlyList<SequentialCandidate>> GetCandidatesAsync(string? territory) =>
        Task.FromResult<IReadOnlyList<SequentialCandidate>>(rows.Values.Select(r => r.Candidate).OfType<SequentialCandidate>()
            .Where(c => territory is null || c.Home.Territory == territory).ToList());
}

[StatelessWorker]
public sealed class SequentialSearchGrain(DepartmentTopology topology, TimeProvider clock, IServiceProvider services) : Grain, ISequentialSearchGrain
{
    /// <summary>A scoring registered in the silo overrides the grid (tests, or a département's choice).</summary>
    private SequentialScoring? RegisteredScoring => services.GetService<SequentialScoring>();
    private static readonly SequentialScoring DefaultScoring = new();

    public Task<SequentialSearchResult> SearchAsync(DateOnly date, string? territory, int maxStructures, int first) =>
        RunAsync(new SequentialQuery { Date = date, Territory = territory, MaxStructures = maxStructures, First = first, Now = clock.GetUtcNow() });

    public Task<SequentialSearchResult> SearchForEsmsAsync(Domain.Registry.FinessNumber finess, DateOnly date, int maxStructures, int first) =>
        RunAsync(new SequentialQuery { Date = date, RequiredEsms = finess, MaxStructures = maxStructures, First = first, Now = clock.GetUtcNow() });

    private async Task<SequentialSearchResult> RunAsync(SequentialQuery query)
    {
        var department = this.GetPrimaryKeyString();
        var offers = GrainFactory.GetGrain<IAvailabilityDirectoryGrain>(department).GetOffersAsync();
        var scoring = ScoringAsync(department, query.Date);
        var shards = await Task.WhenAll(Enumerable.Range(0, topology.WaitingShards)
            .Select(i => GrainFactory.GetGrain<ICandidateShardGrain>(SequentialKeys.CandidateShard(department, i)).GetCandidatesAsync(query.Territory)));
        var (score, distance, name) = await scoring;
        return SequentialSearch.Search(query, shards.SelectMany(s => s), await offers, score, distance) with { ScoreName = name };
    }

    /// <summary>
    /// By default combinations rank by the département's harmonised grid in force on the date, as each
    /// ESMS's ranking does; seniority only where no grid is in force.
    /// </summary>
    private async Task<(CandidateScore Score, DistanceFunction Distance, string Name)> ScoringAsync(string department, DateOnly date)
    {
        if (RegisteredScoring is { } registered)
            return (registered.Score, registered.Distance, registered.ScoreName);
        var grid = await GrainFactory.GetGrain<Grid.IGridGrain>(department).GetInForceAsync(date);
        return grid is null
            ? (DefaultScoring.Score, DefaultScoring.Distance, DefaultScoring.ScoreName)
            : (SequentialSearch.GridScore(grid), DefaultScoring.Distance, SequentialSearch.GridScoreName(grid));
    }
}

internal static class CandidateSharding
{
    public static string ShardOf(DepartmentTopology topology, PersonId person) =>
        SequentialKeys.CandidateShard(Domain.Security.AccessPolicy.DepartmentOfKey(person.Value), WaitingSharding.ShardOf(person, topology.WaitingShards));
}
