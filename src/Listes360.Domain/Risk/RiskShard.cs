using System.Collections.Immutable;
using System.Globalization;
using Listes360.Domain.Candidatures;
using Listes360.Domain.Persons;
using Listes360.Domain.Projections;
using Listes360.Domain.Registry;

namespace Listes360.Domain.Risk;

/// <summary>What the observatory asks of the rupture-risk list. Empty flags: any person in scope; otherwise any of the flags.</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Risk.RiskFilter")]
public sealed record RiskFilter(
    [property: Id(0)] string? Territory,
    [property: Id(1)] ImmutableArray<RiskFlag> Flags,
    [property: Id(2)] double MinProbability)
{
    public static readonly RiskFilter All = new(null, [], 0);

    /// <summary>
    /// The filter as <paramref name="caller"/> may apply it: a territorial staff whose token names a
    /// territory sees that territory only (asking for another one is refused).
    /// </summary>
    public RiskFilter For(Security.Caller? caller) => this with { Territory = Security.AccessPolicy.TerritoryFor(caller, Territory) };

    public bool Matches(RiskEntry entry)
    {
        if (entry.Input is not { IsInScope: true } input)
            return false;
        if (Territory is not null && !string.Equals(RiskProjection.TerritoryKey(input.Territory), Territory, StringComparison.Ordinal))
            return false;
        if (!Flags.IsDefaultOrEmpty && !Flags.Any(f => f == RiskFlag.Creton ? input.Snapshot.Creton : input.Snapshot.TransitionAge))
            return false;
        return (entry.Score?.Probability ?? 0) >= MinProbability;
    }
}

/// <summary>One line of the observatory's rupture-risk list: pseudonymised, no identity.</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Risk.RuptureRiskItem")]
public sealed record RuptureRiskItem
{
    [Id(0)] public required string Pseudonym { get; init; }
    [Id(1)] public required string AgeBand { get; init; }
    [Id(2)] public string? Territory { get; init; }
    [Id(3)] public required ImmutableArray<KindOfSupport> Kinds { get; init; }
    [Id(4)] public SituationKind? Situation { get; init; }
    [Id(5)] public required ImmutableArray<RiskFlag> Flags { get; init; }
    /// <summary><c>null</c> when no model was loaded when the person was last scored.</summary>
    [Id(6)] public double? Probability { get; init; }
    [Id(7)] public required ImmutableArray<RiskFactorText> TopFactors { get; init; }
    [Id(8)] public required DateOnly ComputedOn { get; init; }
    [Id(9)] public string? ModelId { get; init; }
    /// <summary>Orders the list by probability (highest first), then pseudonym; the pagination cursor.</summary>
    [Id(10)] public required string SortKey { get; init; }
}

/// <summary>A top factor as the observatory reads it: code, phrase, weight.</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Risk.RiskFactorText")]
public sealed record RiskFactorText(
    [property: Id(0)] string Code,
    [property: Id(1)] string Text,
    [property: Id(2)] double Contribution);

/// <summary>One shard's page of matching items (sorted), how many match in all, and the period of its pseudonyms.</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Risk.RiskShardPage")]
public sealed record RiskShardPage(
    [property: Id(0)] ImmutableArray<RuptureRiskItem> Items,
    [property: Id(1)] int TotalCount,
    [property: Id(2)] PseudonymPeriod Period);

/// <summary>
/// One shard of a département's risk projection (same sharding as the waiting counts, by person id):
/// each person's latest <see cref="RiskEntry"/>. An entry costs ~150–250 bytes (snapshot, a few
/// kinds and dates, three factors), so the Nord's ~20,000 persons in 16 shards are ~300 KB a shard,
/// under the 1 MiB entity. Versions make redelivery and reordering harmless, as in <see cref="WaitingShard"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("Listes360.Risk.RiskShard")]
public sealed record RiskShard
{
    [Id(0)] public required int ShardIndex { get; init; }
    [Id(1)] public required int ShardCount { get; init; }
    [Id(2)] public ImmutableDictionary<PersonId, RiskEntry> Entries { get; init; } = ImmutableDictionary<PersonId, RiskEntry>.Empty;

    public static RiskShard Create(int shardIndex, int shardCount)
    {
        _ = WaitingShard.Create(shardIndex, shardCount);
        return new RiskShard { ShardIndex = shardIndex, ShardCount = shardCount };
    }

    /// <summary>Whether <paramref name="version"/> is newer than what the shard holds for the person.</summary>
    public bool Accepts(PersonId person, long version)
    {
        if (WaitingSharding.ShardOf(person, ShardCount) != ShardIndex)
            throw new DomainException("WRONG_SHARD",
                $"La personne {person} relève du fragment {WaitingSharding.ShardOf(person, ShardCount)}, pas du fragment {ShardIndex}.", "personId");
        return !Entries.TryGetValue(person, out var known) || version > known.Version;
    }

    /// <summary>Stores the entry if newer; returns the same instance otherwise.</summary>
    public RiskShard Apply(PersonId person, RiskEntry entry) =>
        Accepts(person, entry.Version) ? this with { Entries = Entries.SetItem(person, entry) } : this;

    /// <summary>
    /// The matching items after the cursor <paramref name="afterSortKey"/>, at most <paramref name="take"/>, in list order,
    /// each under its pseudonym of <paramref name="period"/>.
    /// </summary>
    public RiskShardPage Select(RiskFilter filter, string? afterSortKey, int take, ObservatoryPseudonyms pseudonyms, PseudonymPeriod period)
    {
        ArgumentNullException.ThrowIfNull(pseudonyms);
        var matching = Entries.Where(kv => filter.Matches(kv.Value)).Select(kv => ItemOf(pseudonyms.Of(kv.Key, period), kv.Value)).ToList();
        var page = matching
            .Where(i => afterSortKey is null || string.CompareOrdinal(i.SortKey, afterSortKey) > 0)
            .OrderBy(i => i.SortKey, StringComparer.Ordinal)
            .Take(take)
            .ToImmutableArray();
        return new RiskShardPage(page, matching.Count, period);
    }

    /// <summary>The observatory's line for an entry, under <paramref name="pseudonym"/>: no id, no exact age.</summary>
    public static RuptureRiskItem ItemOf(string pseudonym, RiskEntry entry)
    {
        var input = entry.Input ?? throw new DomainException("NOT_IN_SCOPE", $"La personne {pseudonym} n'est pas dans la liste des risques.", "personId");
        var p = entry.Score?.Probability;
        var flags = ImmutableArray.CreateBuilder<RiskFlag>();
        if (input.Snapshot.Creton) flags.Add(RiskFlag.Creton);
        if (input.Snapshot.TransitionAge) flags.Add(RiskFlag.TransitionAge);
        return new RuptureRiskItem
        {
            Pseudonym = pseudonym,
            AgeBand = RiskProjection.AgeBandOf(input.Snapshot.AgeYears),
            Territory = input.Territory,
            Kinds = input.Kinds,
            Situation = input.Snapshot.Situation,
            Flags = flags.ToImmutable(),
            Probability = p,
            TopFactors = entry.Score is null
                ? []
                : entry.Score.TopFactors.Where(f => f.Feature >= 0 && f.Feature < RiskFeatures.Count)
                    .Select(f => new RiskFactorText(RiskFeatures.All[f.Feature].Code, RiskFeatures.All[f.Feature].Describe(input.Snapshot), f.Contribution))
                    .ToImmutableArray(),
            ComputedOn = input.ComputedOn,
            ModelId = entry.ModelId,
            SortKey = string.Create(CultureInfo.InvariantCulture, $"{1_000_000 - (int)Math.Round((p ?? 0) * 1_000_000):D7}|{pseudonym}"),
        };
    }

    /// <summary>This shard's part of the indicators on <paramref name="date"/> (see <see cref="RiskIndicators"/>).</summary>
    public RiskIndicatorPart IndicatorsOn(DateOnly date)
    {
        var creton = 0;
        var transition = 0;
        var waiting = new Dictionary<WaitingKey, List<int>>();
        var outcomes = new Dictionary<OutcomeKey, int>();
        var from = date.AddDays(-365);
        var months = new Dictionary<string, int>(StringComparer.Ordinal);
        var firstMonth = new DateOnly(date.Year, date.Month, 1).AddMonths(-11);
        foreach (var input in Entries.Values.Select(e => e.Input).OfType<PersonRiskInput>())
        {
            if (input.Snapshot.Creton) creton++;
            if (input.Snapshot.TransitionAge) transition++;
            var territory = RiskProjection.TerritoryKey(input.Territory);
            if (input.IsWaiting)
                foreach (var w in input.Waiting.Where(w => w.Since <= date))
                {
                    var days = date.DayNumber - w.Since.DayNumber;
                    Add(waiting, new WaitingKey(w.Kind, territory), days);
                    Add(waiting, new WaitingKey(w.Kind, RiskIndicators.AllTerritories), days);
                }
            foreach (var o in input.Outcomes.Where(o => o.Status == CandidatureStatus.Admitted && o.On >= firstMonth && o.On <= date))
            {
                var month = RiskIndicators.MonthOf(o.On);
                months[month] = months.GetValueOrDefault(month) + 1;
            }
            foreach (var o in input.Outcomes.Where(o => o.On > from && o.On <= date))
            {
                var key = new OutcomeKey(o.Status, o.Reason);
                outcomes[key] = outcomes.GetValueOrDefault(key) + 1;
            }
        }
        return new RiskIndicatorPart(creton, transition,
            waiting.ToImmutableDictionary(kv => kv.Key, kv => kv.Value.ToImmutableArray()),
            outcomes.ToImmutableDictionary())
        {
            AdmissionsByMonth = months.ToImmutableDictionary(StringComparer.Ordinal),
        };

        static void Add(Dictionary<WaitingKey, List<int>> d, WaitingKey k, int v)
        {
            if (!d.TryGetValue(k, out var list)) d[k] = list = [];
            list.Add(v);
        }
    }
}

/// <summary>An admission or refusal outcome and its harmonised reason (none for an admission).</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Risk.OutcomeKey")]
public readonly record struct OutcomeKey([property: Id(0)] CandidatureStatus Status, [property: Id(1)] CandidatureReason? Reason);
