using FsCheck;
using FsCheck.Xunit;
using Listes360.Domain.Candidatures;
using Listes360.Domain.Persons;
using Listes360.Domain.Projections;
using Listes360.Domain.Registry;
using static Listes360.Domain.Tests.TestData;

namespace Listes360.Domain.Tests.Projections;

public class WaitingProjectionTests
{
    private const string Alencon = "246100663";
    private const string Flers = "200035814";

    private static Situation At(SituationKind kind) => new() { Kind = kind, Since = Today.AddYears(-1) };

    [Fact]
    public void Distinct_persons_vs_sum_of_list_lengths()
    {
        // Person A waits on three lists (2 IME, 1 ITEP), at home without solution; person B on one IME list, in hospital.
        var a = new[]
        {
            Candidature(KindOfSupport.Ime, person: "61-a"),
            Candidature(KindOfSupport.Ime, person: "61-a", finess: OtherImeFiness).At(CandidatureStatus.Waiting),
            Candidature(KindOfSupport.Itep, person: "61-a"),
            Candidature(KindOfSupport.Iem, person: "61-a").At(CandidatureStatus.Admitted), // not live
        };
        var b = new[] { Candidature(KindOfSupport.Ime, person: "61-b").At(CandidatureStatus.Offered) };
        var persons = new Dictionary<PersonId, PersonContext>
        {
            [PersonId.Parse("61-a")] = new(Alencon, At(SituationKind.AtHomeWithoutSolution)),
            [PersonId.Parse("61-b")] = new(Alencon, At(SituationKind.InHospital)),
        };

        var counts = WaitingProjection.Count([.. a, .. b], persons);

        var total = counts.Total();
        Assert.Equal(2, total.Persons);
        Assert.Equal(4, total.Entries);
        Assert.Equal(1, total.PersonsWithoutSolution);
        Assert.Equal(1, total.PersonsWithInadequateSolution);
        var ime = counts.Get(KindOfSupport.Ime, Alencon);
        Assert.Equal(2, ime.Persons);
        Assert.Equal(3, ime.Entries);
        Assert.Equal(1, counts.ForKind(KindOfSupport.Itep).Persons);
        Assert.Equal(0, counts.ForKind(KindOfSupport.Iem).Entries);
        Assert.Equal(total, counts.ForTerritory(Alencon));
    }

    [Fact]
    public void Waiting_for_a_preferred_esms_is_counted_apart()
    {
        var admitted = Candidature(person: "61-p", id: "C-adm").At(CandidatureStatus.Admitted);
        var preferred = CandidatureStateMachine.SetWaitingForPreferred(
            Candidature(person: "61-p", finess: OtherImeFiness, id: "C-pref").At(CandidatureStatus.Waiting), true, Now, Staff);
        var counts = WaitingProjection.ContributionOf(PersonId.Parse("61-p"), new PersonContext(Flers, At(SituationKind.InChildrenEsms)), [admitted, preferred]);
        var cell = counts.Get(KindOfSupport.Ime, Flers);
        Assert.Equal(0, cell.Persons);
        Assert.Equal(1, cell.PersonsWaitingForPreferred);
        Assert.Equal(1, cell.Entries);
        Assert.Equal(1, cell.PreferredEntries);
    }

    [Fact]
    public void Unknown_territory_and_situation_have_their_bucket()
    {
        var counts = WaitingProjection.ContributionOf(PersonId.Parse("61-x"), new PersonContext(null, null), [Candidature(person: "61-x")]);
        var cell = counts.ForTerritory(WaitingKey.UnknownTerritory);
        Assert.Equal(1, cell.Persons);
        Assert.Equal(1, cell.PersonsSituationUnknown);
    }

    [Fact]
    public void Solution_found_elsewhere_is_not_live()
    {
        var sfe = CandidatureStateMachine.Transition(Candidature(person: "61-s"), CandidatureStatus.SolutionFoundElsewhere,
            CandidatureReason.AdmittedElsewhere, Now, Actors.System);
        Assert.Equal(WaitingCounts.Empty, WaitingProjection.ContributionOf(PersonId.Parse("61-s"), new PersonContext(Alencon, null), [sfe]));
    }

    [Fact]
    public void Shard_applies_versions_idempotently()
    {
        var id = PersonId.Parse("61-a");
        var shard = WaitingShard.Create(WaitingSharding.ShardOf(id, 8), 8);
        var v1 = WaitingProjection.ContributionOf(id, new PersonContext(Alencon, null), [Candidature(person: "61-a")]);
        var v2 = WaitingProjection.ContributionOf(id, new PersonContext(Flers, null), [Candidature(person: "61-a"), Candidature(KindOfSupport.Itep, person: "61-a")]);

        var s1 = shard.Apply(id, 1, v1);
        Assert.Equal(v1, s1.Totals);
        Assert.Same(s1, s1.Apply(id, 1, v1));
        var s2 = s1.Apply(id, 2, v2);
        Assert.Equal(v2, s2.Totals);
        Assert.Same(s2, s2.Apply(id, 1, v1)); // late, older message
        var s3 = s2.Apply(id, 3, WaitingCounts.Empty);
        Assert.Equal(WaitingCounts.Empty, s3.Totals);
        Assert.Same(s3, s3.Apply(id, 2, v2));
    }

    [Fact]
    public void Shard_refuses_persons_of_another_shard()
    {
        var id = PersonId.Parse("61-a");
        var other = (WaitingSharding.ShardOf(id, 8) + 1) % 8;
        Assert.Equal("WRONG_SHARD", Assert.Throws<DomainException>(() => WaitingShard.Create(other, 8).Apply(id, 1, WaitingCounts.Empty)).Code);
        Assert.Equal("INVALID_SHARD", Assert.Throws<DomainException>(() => WaitingShard.Create(8, 8)).Code);
    }

    [Fact]
    public void Sharding_is_stable_and_sized_for_nord()
    {
        Assert.Equal(WaitingSharding.ShardOf(PersonId.Parse("61-abc"), 16), WaitingSharding.ShardOf(PersonId.Parse("61-abc"), 16));
        Assert.Equal(1, WaitingSharding.RecommendedShardCount(1_000));
        Assert.Equal(2, WaitingSharding.RecommendedShardCount(2_000));
        Assert.Equal(16, WaitingSharding.RecommendedShardCount(20_000));
        Assert.Equal(256, WaitingSharding.RecommendedShardCount(300_000));
    }

    // ---- properties: a commutative monoid, and sharding by person does not change the totals ----

    private static readonly KindOfSupport[] Kinds = [KindOfSupport.Ime, KindOfSupport.Itep, KindOfSupport.Sessad, KindOfSupport.Mas, KindOfSupport.Esat];
    private static readonly string[] Territories = [Alencon, Flers, "200068450"];

    /// <summary>Builds persons and candidatures from arbitrary integers.</summary>
    private static (List<Candidature> Candidatures, Dictionary<PersonId, PersonContext> Persons) World(int[] seeds)
    {
        var candidatures = new List<Candidature>();
        var persons = new Dictionary<PersonId, PersonContext>();
        for (var i = 0; i < seeds.Length && i < 60; i++)
        {
            var s = Math.Abs(seeds[i]);
            var person = PersonId.Parse($"61-p{s % 17}");
            var situations = Enum.GetValues<SituationKind>();
            persons.TryAdd(person, new PersonContext(s % 11 == 0 ? null : Territories[s % Territories.Length],
                s % 13 == 0 ? null : At(situations[s % situations.Length])));
            var c = Candidature(Kinds[s / 3 % Kinds.Length], person: person.Value, id: $"C-{i}");
            c = Candidatures.StateMachineTests.RandomWalk(c, [s, s / 5, s / 25]);
            candidatures.Add(c);
        }
        return (candidatures, persons);
    }

    private static WaitingCounts Counts(int[] seeds)
    {
        var (c, p) = World(seeds);
        return WaitingProjection.Count(c, p);
    }

    [Property(MaxTest = 100)]
    public bool Combine_is_commutative_and_associative_with_identity(int[] x, int[] y, int[] z)
    {
        var (a, b, c) = (Counts(x), Counts(y), Counts(z));
        return WaitingCounts.Combine(a, b).Equals(WaitingCounts.Combine(b, a))
            && WaitingCounts.Combine(WaitingCounts.Combine(a, b), c).Equals(WaitingCounts.Combine(a, WaitingCounts.Combine(b, c)))
            && WaitingCounts.Combine(a, WaitingCounts.Empty).Equals(a)
            && WaitingCounts.Combine(WaitingCounts.Subtract(a, b), b).Equals(a);
    }

    [Property(MaxTest = 100)]
    public bool Sharded_counts_merge_to_the_global_counts(int[] seeds, PositiveInt shards)
    {
        var (candidatures, persons) = World(seeds);
        var n = 1 + shards.Get % 7;
        var global = WaitingProjection.Count(candidatures, persons);
        var states = Enumerable.Range(0, n).Select(i => WaitingShard.Create(i, n)).ToArray();
        foreach (var group in candidatures.GroupBy(c => c.PersonId))
        {
            var contribution = WaitingProjection.ContributionOf(group.Key, persons[group.Key], group);
            var i = WaitingSharding.ShardOf(group.Key, n);
            states[i] = states[i].Apply(group.Key, 1, contribution);
        }
        var merged = WaitingCounts.Combine(states.Reverse().Select(s => s.Totals));
        return merged.Equals(global);
    }

    [Property(MaxTest = 100)]
    public bool Distinct_persons_never_exceed_entries_and_add_up(int[] seeds)
    {
        var counts = Counts(seeds);
        return counts.Cells.Values.All(c =>
            c.Persons + c.PersonsWaitingForPreferred <= c.Entries
            && c.PersonsWithoutSolution + c.PersonsWithInadequateSolution + c.PersonsSituationUnknown <= c.Persons
            && c.PreferredEntries <= c.Entries
            && c.Persons >= 0 && c.Entries > 0);
    }

    [Property(MaxTest = 100)]
    public bool Replaying_contributions_in_any_order_gives_the_latest(int[] seeds, int[] order)
    {
        var (candidatures, persons) = World(seeds);
        var id = PersonId.Parse("61-p1");
        var shard = WaitingShard.Create(WaitingSharding.ShardOf(id, 1), 1);
        var versions = Enumerable.Range(1, 5).Select(v => (Version: (long)v,
            Counts: WaitingProjection.ContributionOf(id, new PersonContext(Territories[v % 3], null),
                candidatures.Where(c => c.PersonId == id).Take(v)))).ToList();
        var shuffled = versions.Select((v, i) => (v, key: order.Length == 0 ? i : order[i % order.Length] ^ i)).OrderBy(p => p.key).Select(p => p.v);
        foreach (var (version, counts) in shuffled.Concat(versions))
            shard = shard.Apply(id, version, counts);
        return shard.Totals.Equals(versions[^1].Counts);
    }
}
