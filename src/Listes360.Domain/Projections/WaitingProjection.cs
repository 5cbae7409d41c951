using System.Collections.Immutable;
using System.Text;
using Listes360.Domain.Candidatures;
using Listes360.Domain.Persons;

namespace Listes360.Domain.Projections;

/// <summary>What the projection needs of a person besides their candidatures.</summary>
/// <param name="Territory">The territory (EPCI code) of the commune of residence, <c>null</c> when unknown.</param>
/// <param name="Situation">The current situation, <c>null</c> when not recorded.</param>
public sealed record PersonContext(string? Territory, Situation? Situation);

/// <summary>
/// Pure counting of the departmental waiting list: distinct persons waiting (and among them those
/// without solution) vs the sum of the ESMS' list lengths, by kind of support and territory (the
/// person's territory of residence), with "waiting for a preferred ESMS" counted apart.
/// </summary>
public static class WaitingProjection
{
    /// <summary>
    /// One person's contribution: for each kind they have live candidatures for, and for "all kinds",
    /// in their territory, 1 person (in the right solution bucket) or 1 person waiting for a preferred
    /// ESMS, and their number of live entries. Only open candidatures count (RECEIVED … OFFERED);
    /// SOLUTION_FOUND_ELSEWHERE does not (the person has a solution, pending confirmation).
    /// </summary>
    public static WaitingCounts ContributionOf(PersonId person, PersonContext context, IEnumerable<Candidature> candidatures)
    {
        var live = candidatures.Where(c => c.IsOpen).ToList();
        var stranger = live.FirstOrDefault(c => c.PersonId != person);
        if (stranger is not null)
            throw new DomainException("PERSON_MISMATCH", $"La candidature {stranger.Id} ne concerne pas la personne {person}.", "candidatureId");
        if (live.Count == 0) return WaitingCounts.Empty;
        var territory = string.IsNullOrWhiteSpace(context.Territory) ? WaitingKey.UnknownTerritory : context.Territory.Trim();
        var cells = live.GroupBy(c => c.Kind)
            .Select(g => KeyValuePair.Create(new WaitingKey(g.Key, territory), Cell(g.ToList(), context.Situation)))
            .Append(KeyValuePair.Create(new WaitingKey(null, territory), Cell(live, context.Situation)));
        return WaitingCounts.Of(cells);
    }

    /// <summary>
    /// One person's contribution by the one rule of who waits (<see cref="WaitingList.WaitingListRows.ReasonOf"/>),
    /// the same as the departmental list's rows: their open candidatures (<see cref="ContributionOf(PersonId, PersonContext, IEnumerable{Candidature})"/>),
    /// or, at home without solution with an orientation in force and no candidature yet, one person
    /// waiting for each kind they are oriented to (and once for all kinds), with no list entry.
    /// </summary>
    /// <param name="id">The id the person's file counts under (its own; the record's when not given).</param>
    public static WaitingCounts ContributionOf(PersonRecord person, string? territory, IReadOnlyCollection<Candidature> candidatures, DateOnly today, PersonId? id = null)
    {
        var context = new PersonContext(territory, person.Situation);
        if (WaitingList.WaitingListRows.ReasonOf(person, candidatures, today) != WaitingList.WaitingReason.OrientedWithoutCandidature)
            return ContributionOf(id ?? person.Id, context, candidatures);
        var place = string.IsNullOrWhiteSpace(territory) ? WaitingKey.UnknownTerritory : territory.Trim();
        var level = person.Situation?.SolutionLevel;
        var cell = new WaitingCell
        {
            Persons = 1,
            PersonsWithoutSolution = level == SolutionLevel.None ? 1 : 0,
            PersonsWithInadequateSolution = level == SolutionLevel.Inadequate ? 1 : 0,
            PersonsSituationUnknown = level is null ? 1 : 0,
        };
        return WaitingCounts.Of(person.OrientationsValidOn(today).Select(o => o.Kind).Distinct()
            .Select(kind => KeyValuePair.Create(new WaitingKey(kind, place), cell))
            .Append(KeyValuePair.Create(new WaitingKey(null, place), cell)));
    }

    private static WaitingCell Cell(IReadOnlyCollection<Candidature> live, Situation? situation)
    {
        var preferred = live.Count(c => c.WaitingForPreferred);
        var waiting = preferred < live.Count ? 1 : 0;
        var level = situation?.SolutionLevel;
        return new WaitingCell
        {
            Persons = waiting,
            PersonsWithoutSolution = waiting == 1 && level == SolutionLevel.None ? 1 : 0,
            PersonsWithInadequateSolution = waiting == 1 && level == SolutionLevel.Inadequate ? 1 : 0,
            PersonsSituationUnknown = waiting == 1 && level is null ? 1 : 0,
            PersonsWaitingForPreferred = waiting == 0 ? 1 : 0,
            Entries = live.Count,
            PreferredEntries = preferred,
        };
    }

    /// <summary>
    /// Counts a whole set of candidatures: grouped by person, each person's context from
    /// <paramref name="persons"/> (a person missing there has an unknown territory and situation).
    /// </summary>
    public static WaitingCounts Count(IEnumerable<Candidature> candidatures, IReadOnlyDictionary<PersonId, PersonContext> persons) =>
        WaitingCounts.Combine(candidatures.GroupBy(c => c.PersonId)
            .Select(g => ContributionOf(g.Key, persons.GetValueOrDefault(g.Key) ?? new PersonContext(null, null), g)));
}

/// <summary>One person's last applied contribution in a shard.</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Projections.PersonContribution")]
public sealed record PersonContribution(
    [property: Id(0)] long Version,
    [property: Id(1)] WaitingCounts Counts);

/// <summary>
/// The state of one shard of the waiting-count projection: the persons whose id hashes to it, each
/// with the version of their last applied contribution, and the shard's totals.
/// </summary>
/// <remarks>
/// <para>Why shards, and how many. Azure Table storage caps an entity at 1 MiB (and a property at
/// 64 KiB, 252 properties). A stored contribution costs about 60–100 bytes (id, version, two or three
/// cells of seven small integers, varint-encoded by Orleans). The Orne (~2,000 persons waiting) would
/// fit in one entity (~200 KB) and gets 2 shards; the Nord (~20,000 persons, ~80,000 candidatures) would be ~2 MB: over the cap.
/// So the projection is split by <see cref="WaitingSharding.ShardOf"/> = stable hash of the person id
/// mod N, N = <see cref="WaitingSharding.RecommendedShardCount"/> (16 for the Nord: ~1,250 persons and
/// ~125 KB a shard; 256 for the national case). Each person lives in exactly one shard, so
/// distinct-person counts of different shards simply add up: an aggregator sums the N shards'
/// <see cref="Totals"/> (a few hundred cells, ~10 KB) with <see cref="WaitingCounts.Combine(WaitingCounts, WaitingCounts)"/>,
/// in any order, any grouping.</para>
/// <para>Idempotence. A person grain sends (version, contribution) after each change;
/// <see cref="Apply"/> ignores a version not greater than the stored one, so redelivery and
/// reordering are harmless, and a rebuild from the person grains gives the same totals. A person who
/// stops waiting keeps an empty entry (their last version) so that a late, older message cannot
/// bring them back; such tombstones can be pruned once no older message can still arrive.</para>
/// </remarks>
[GenerateSerializer, Immutable, Alias("Listes360.Projections.WaitingShard")]
public sealed record WaitingShard
{
    [Id(0)] public required int ShardIndex { get; init; }
    [Id(1)] public required int ShardCount { get; init; }
    [Id(2)] public ImmutableDictionary<PersonId, PersonContribution> Contributions { get; init; } = ImmutableDictionary<PersonId, PersonContribution>.Empty;
    [Id(3)] public WaitingCounts Totals { get; init; } = WaitingCounts.Empty;

    public static WaitingShard Create(int shardIndex, int shardCount)
    {
        WaitingSharding.RequireShardCount(shardCount);
        if (shardIndex < 0 || shardIndex >= shardCount)
            throw new DomainException("INVALID_SHARD", $"L'indice de fragment {shardIndex} doit être compris entre 0 et {shardCount - 1}.", "shard");
        return new WaitingShard { ShardIndex = shardIndex, ShardCount = shardCount };
    }

    /// <summary>
    /// Replaces <paramref name="person"/>'s contribution if <paramref name="version"/> is newer; returns
    /// the shard unchanged (same instance) otherwise. An empty contribution removes the person.
    /// </summary>
    public WaitingShard Apply(PersonId person, long version, WaitingCounts contribution)
    {
        if (WaitingSharding.ShardOf(person, ShardCount) != ShardIndex)
            throw new DomainException("WRONG_SHARD",
                $"La personne {person} relève du fragment {WaitingSharding.ShardOf(person, ShardCount)}, pas du fragment {ShardIndex}.", "personId");
        var previous = Contributions.GetValueOrDefault(person);
        if (previous is not null && version <= previous.Version) return this;
        var totals = WaitingCounts.Combine(WaitingCounts.Subtract(Totals, previous?.Counts ?? WaitingCounts.Empty), contribution);
        return this with
        {
            Totals = totals,
            // An empty contribution still records the version, so an older, non-empty one arriving late is ignored.
            Contributions = Contributions.SetItem(person, new PersonContribution(version, contribution)),
        };
    }
}

/// <summary>Stable sharding of persons for the departmental projections.</summary>
public static class WaitingSharding
{
    /// <summary>Persons per shard the recommendation aims at (~100 KB of state a shard).</summary>
    public const int TargetPersonsPerShard = 1_250;

    /// <summary>
    /// The shard of a person: FNV-1a (32 bits) of the id's UTF-8 bytes, mod <paramref name="shardCount"/>.
    /// Stable across processes and .NET versions (unlike <see cref="string.GetHashCode()"/>).
    /// </summary>
    public static int ShardOf(PersonId person, int shardCount)
    {
        RequireShardCount(shardCount);
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(person.Value))
        {
            hash ^= b;
            hash *= 16777619u;
        }
        return (int)(hash % (uint)shardCount);
    }

    /// <summary>The smallest power of two giving at most <see cref="TargetPersonsPerShard"/> persons a shard (1 to 1024).</summary>
    public static int RecommendedShardCount(int expectedPersons)
    {
        var n = 1;
        while (n < 1024 && (long)n * TargetPersonsPerShard < expectedPersons) n *= 2;
        return n;
    }

    internal static void RequireShardCount(int shardCount)
    {
        if (shardCount is < 1 or > 4096)
            throw new DomainException("INVALID_SHARD", $"Le nombre de fragments doit être compris entre 1 et 4096 (reçu {shardCount}).", "shardCount");
    }
}
