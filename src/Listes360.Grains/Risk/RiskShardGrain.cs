using System.Collections.Immutable;
using Listes360.Domain.Persons;
using Listes360.Domain.Risk;
using Listes360.Grains.Common;
using Listes360.Grains.Department;
using Microsoft.Extensions.DependencyInjection;
using Listes360.Domain.Time;

namespace Listes360.Grains.Risk;

/// <summary>The first shape of a shard, one entity written whole at each change: read once to move it to rows, then cleared.</summary>
[GenerateSerializer, Alias("Listes360.Risk.RiskShardState")]
public sealed class RiskShardState
{
    [Id(0)] public RiskShard? Shard { get; set; }
}

/// <summary>
/// Scores with the silo's <see cref="IRiskScorer"/> (loaded at silo start; without one, persons are
/// listed with their flags and no probability). A new version whose input and score equal the
/// stored ones is taken in memory without a write: the daily pass re-sends every person, and most
/// days nothing moves for them (durations count in whole months, ages in years). Stored as one row per person
/// (<see cref="KeyedRowsWriter{T}"/>): an apply writes its person's row, not the shard.
/// </summary>
public sealed class RiskShardGrain(
    [PersistentState("risk", StorageNames.Main)] IPersistentState<RiskShardState> legacy,
    IKeyedRowStorage storage,
    Orleans.Serialization.Serializer serializer,
    DepartmentTopology topology,
    IServiceProvider services) : Grain, IRiskShardGrain
{
    private readonly IRiskScorer? scorer = services.GetService<IRiskScorer>();
    private readonly ObservatoryPseudonyms? pseudonyms = services.GetService<ObservatoryPseudonyms>();
    private readonly TimeProvider clock = services.GetService<TimeProvider>() ?? TimeProvider.System;

    private RiskShard held = null!;
    private RiskShard Shard => held;
    private KeyedRowsWriter<RiskEntry> rowWriter = null!;
    private GroupCommit? commit;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        rowWriter = new KeyedRowsWriter<RiskEntry>(storage, serializer, this.GetGrainId(), "risk",
            key => Shard.Entries.GetValueOrDefault(PersonRowKeys.PersonOf(key)));
        var stored = await rowWriter.ReadAsync();
        held = RiskShard.Create(ShardIndex(), topology.WaitingShards);
        if (!rowWriter.Exists && legacy.State.Shard is { } whole)
        {
            held = whole;
            await rowWriter.MoveFromWholeStateAsync(legacy, whole.Entries.Keys.Select(PersonRowKeys.Of));
            return;
        }
        held = held with { Entries = stored.ToImmutableDictionary(kv => PersonRowKeys.PersonOf(kv.Key), kv => kv.Value) };
    }

    public Task ApplyManyAsync(IReadOnlyList<Common.PersonVersioned<PersonRiskInput>> items) =>
        Task.WhenAll(items.Select(i => ApplyAsync(i.Person, i.Version, i.Value)));

    public async Task ApplyAsync(PersonId person, long version, PersonRiskInput input)
    {
        if (!Shard.Accepts(person, version))
            return;
        if (!input.RankQuestions.IsDefaultOrEmpty)
            input = RiskProjection.WithOutlook(input, await RankOutlookReader.ReadAsync(GrainFactory, input.RankQuestions));
        // No await until the state is replaced: interleaved applies each see and replace a whole shard.
        var shard = Shard;
        if (!shard.Accepts(person, version))
            return;
        var score = input.IsInScope ? scorer?.Score(input.Snapshot) : null;
        var entry = new RiskEntry(version, input, score, score is null ? null : scorer!.Provenance.ModelId);
        var known = shard.Entries.GetValueOrDefault(person);
        held = shard.Apply(person, entry);
        if (known is not null && Same(known, entry))
            return;
        rowWriter.Changed(PersonRowKeys.Of(person));
        await (commit ??= new GroupCommit(rowWriter.WriteAsync, DeactivateOnIdle)).CommitAsync();
    }

    private static bool Same(RiskEntry a, RiskEntry b) =>
        a.ModelId == b.ModelId
        && Equals(a.Score?.Probability, b.Score?.Probability)
        && (a.Score?.TopFactors ?? []).SequenceEqual(b.Score?.TopFactors ?? [])
        && a.Input is { } x && b.Input is { } y
        && x.Snapshot == y.Snapshot && x.Territory == y.Territory && x.IsWaiting == y.IsWaiting
        && x.Kinds.SequenceEqual(y.Kinds) && x.RankQuestions.SequenceEqual(y.RankQuestions) && x.Waiting.SequenceEqual(y.Waiting) && x.Outcomes.SequenceEqual(y.Outcomes);

    /// <summary>Pseudonyms of the current quarter (the silo's clock); refused without a département secret.</summary>
    public Task<RiskShardPage> SelectAsync(RiskFilter filter, string? afterSortKey, int take)
    {
        var scoped = filter.For(Security.CallerContext.Current);
        var keys = pseudonyms ?? throw ObservatoryPseudonyms.Missing();
        var period = PseudonymPeriod.Of(ParisDate.Today(clock));
        return Task.FromResult(Shard.Select(scoped, afterSortKey, take, keys, period));
    }

    public Task<IReadOnlyDictionary<PersonId, double>> ProbabilitiesAsync(IReadOnlyList<PersonId> persons)
    {
        var entries = Shard.Entries;
        var found = new Dictionary<PersonId, double>();
        foreach (var person in persons)
            if (entries.TryGetValue(person, out var entry) && entry.Score is { } score)
                found[person] = score.Probability;
        return Task.FromResult<IReadOnlyDictionary<PersonId, double>>(found);
    }

    public Task<RiskIndicatorPart> IndicatorsAsync(DateOnly date) => Task.FromResult(Shard.IndicatorsOn(date));

    private int ShardIndex() => DepartmentTopology.IndexOfShardKey(this.GetPrimaryKeyString(), "-r");
}
