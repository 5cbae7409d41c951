using System.Collections.Immutable;
using Listes360.Domain.Registry;

namespace Listes360.Domain.Projections;

/// <summary>
/// A cell key: a kind of support (or <c>null</c> for "all kinds", where a person counts once whatever
/// the number of kinds they wait for) and a territory (EPCI code, or <see cref="UnknownTerritory"/>).
/// </summary>
[GenerateSerializer, Immutable, Alias("Listes360.Projections.WaitingKey")]
public readonly record struct WaitingKey(
    [property: Id(0)] KindOfSupport? Kind,
    [property: Id(1)] string Territory)
{
    /// <summary>The territory of persons whose commune of residence is unknown or outside the département.</summary>
    public const string UnknownTerritory = "?";
}

/// <summary>
/// The counts of one cell. Person counts are distinct persons (each person contributes 0 or 1);
/// <see cref="Entries"/> is the sum of list lengths (live candidatures).
/// </summary>
[GenerateSerializer, Immutable, Alias("Listes360.Projections.WaitingCell")]
public readonly record struct WaitingCell
{
    /// <summary>Distinct persons waiting (<see cref="WaitingList.WaitingListRows.ReasonOf"/>): a live candidature not "waiting for a preferred ESMS", or oriented, at home without solution, without candidature yet.</summary>
    [Id(0)] public long Persons { get; init; }
    /// <summary>Among <see cref="Persons"/>: situation "at home without solution".</summary>
    [Id(1)] public long PersonsWithoutSolution { get; init; }
    /// <summary>Among <see cref="Persons"/>: a solution by default (Creton, hospital, Belgium, partial…).</summary>
    [Id(2)] public long PersonsWithInadequateSolution { get; init; }
    /// <summary>Among <see cref="Persons"/>: situation not recorded.</summary>
    [Id(3)] public long PersonsSituationUnknown { get; init; }
    /// <summary>Distinct persons whose only live candidatures are "waiting for a preferred ESMS" (counted apart).</summary>
    [Id(4)] public long PersonsWaitingForPreferred { get; init; }
    /// <summary>Live candidatures: the sum of the ESMS' list lengths.</summary>
    [Id(5)] public long Entries { get; init; }
    /// <summary>Among <see cref="Entries"/>: those "waiting for a preferred ESMS".</summary>
    [Id(6)] public long PreferredEntries { get; init; }

    public bool IsZero => this == default;

    public static WaitingCell operator +(WaitingCell a, WaitingCell b) => new()
    {
        Persons = a.Persons + b.Persons,
        PersonsWithoutSolution = a.PersonsWithoutSolution + b.PersonsWithoutSolution,
        PersonsWithInadequateSolution = a.PersonsWithInadequateSolution + b.PersonsWithInadequateSolution,
        PersonsSituationUnknown = a.PersonsSituationUnknown + b.PersonsSituationUnknown,
        PersonsWaitingForPreferred = a.PersonsWaitingForPreferred + b.PersonsWaitingForPreferred,
        Entries = a.Entries + b.Entries,
        PreferredEntries = a.PreferredEntries + b.PreferredEntries,
    };

    public static WaitingCell operator -(WaitingCell a) => new()
    {
        Persons = -a.Persons,
        PersonsWithoutSolution = -a.PersonsWithoutSolution,
        PersonsWithInadequateSolution = -a.PersonsWithInadequateSolution,
        PersonsSituationUnknown = -a.PersonsSituationUnknown,
        PersonsWaitingForPreferred = -a.PersonsWaitingForPreferred,
        Entries = -a.Entries,
        PreferredEntries = -a.PreferredEntries,
    };

    public static WaitingCell operator -(WaitingCell a, WaitingCell b) => a + -b;
}

/// <summary>
/// Waiting counts per (kind, territory): a commutative monoid under <see cref="Combine"/> with
/// <see cref="Empty"/> as identity (and a group: <see cref="Subtract"/> removes a person's previous
/// contribution). Cells that add up to zero are dropped, so equal counts have equal cells.
/// </summary>
/// <remarks>
/// Only (kind, territory) and (all kinds, territory) cells are stored: since a person has one
/// territory, the totals over territories are sums (<see cref="ForKind"/>, <see cref="Total"/>).
/// Distinct-person counts stay exact when merging shards as long as each person is in exactly one
/// shard (<see cref="WaitingSharding"/> shards by person id).
/// </remarks>
[GenerateSerializer, Immutable, Alias("Listes360.Projections.WaitingCounts")]
public sealed record WaitingCounts
{
    [Id(0)] public ImmutableDictionary<WaitingKey, WaitingCell> Cells { get; init; } = ImmutableDictionary<WaitingKey, WaitingCell>.Empty;

    public static readonly WaitingCounts Empty = new();

    public static WaitingCounts Of(IEnumerable<KeyValuePair<WaitingKey, WaitingCell>> cells) =>
        cells.Aggregate(Empty, (acc, kv) => acc.Add(kv.Key, kv.Value));

    public WaitingCounts Add(WaitingKey key, WaitingCell cell)
    {
        var sum = Cells.GetValueOrDefault(key) + cell;
        return new WaitingCounts { Cells = sum.IsZero ? Cells.Remove(key) : Cells.SetItem(key, sum) };
    }

    /// <summary>The monoid operation: pointwise sum.</summary>
    public static WaitingCounts Combine(WaitingCounts a, WaitingCounts b)
    {
        var (big, small) = a.Cells.Count >= b.Cells.Count ? (a, b) : (b, a);
        return small.Cells.Aggregate(big, (acc, kv) => acc.Add(kv.Key, kv.Value));
    }

    public static WaitingCounts Combine(IEnumerable<WaitingCounts> all) => all.Aggregate(Empty, Combine);

    /// <summary>The inverse: <c>Combine(Subtract(a, b), b) == a</c>.</summary>
    public static WaitingCounts Subtract(WaitingCounts a, WaitingCounts b) =>
        b.Cells.Aggregate(a, (acc, kv) => acc.Add(kv.Key, -kv.Value));

    public WaitingCell this[WaitingKey key] => Cells.GetValueOrDefault(key);

    /// <summary>One kind in one territory.</summary>
    public WaitingCell Get(KindOfSupport kind, string territory) => this[new WaitingKey(kind, territory)];

    /// <summary>All kinds in one territory (distinct persons).</summary>
    public WaitingCell ForTerritory(string territory) => this[new WaitingKey(null, territory)];

    /// <summary>One kind in the whole département.</summary>
    public WaitingCell ForKind(KindOfSupport kind) =>
        Cells.Where(kv => kv.Key.Kind == kind).Aggregate(default(WaitingCell), (acc, kv) => acc + kv.Value);

    /// <summary>The département: distinct persons waiting, and the sum of list lengths.</summary>
    public WaitingCell Total() =>
        Cells.Where(kv => kv.Key.Kind is null).Aggregate(default(WaitingCell), (acc, kv) => acc + kv.Value);

    public bool Equals(WaitingCounts? other) =>
        other is not null && Cells.Count == other.Cells.Count && Cells.All(kv => other.Cells.TryGetValue(kv.Key, out var v) && v == kv.Value);

    public override int GetHashCode() =>
        Cells.Aggregate(Cells.Count, (h, kv) => h ^ HashCode.Combine(kv.Key, kv.Value));

    public override string ToString()
    {
        var total = Total();
        return $"WaitingCounts({Cells.Count} cellules, {total.Persons} personnes en attente, {total.Entries} inscriptions)";
    }
}
