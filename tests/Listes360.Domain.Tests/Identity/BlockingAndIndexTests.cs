using Listes360.Domain.Identity;
using Listes360.Domain.Identity.Records;
using static Listes360.Domain.Tests.Identity.Persons;

namespace Listes360.Domain.Tests.Identity;

public class BlockingAndIndexTests
{
    private static readonly string[] LastNames = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau", "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier"];
    private static readonly string[] FirstNames = ["Jean", "Marie", "Pierre", "Sophie", "Luc", "Anne", "Paul", "Julie", "Louis", "Emma", "Hugo", "Léa", "Jules", "Chloé", "Noah", "Inès"];

    /// <summary>Fictitious records: <paramref name="persons"/> persons written 3 times each, with a typo in one.</summary>
    private static List<(PersonRecord Record, int Person)> Synthetic(int persons, int seed = 1)
    {
        var random = new Random(seed);
        var result = new List<(PersonRecord, int)>();
        for (var p = 0; p < persons; p++)
        {
            var last = LastNames[random.Next(LastNames.Length)];
            var first = FirstNames[random.Next(FirstNames.Length)];
            var birth = new DateOnly(1950, 1, 1).AddDays(random.Next(0, 365 * 70)).ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
            var postcode = $"61{random.Next(0, 10)}00";
            for (var k = 0; k < 3; k++)
            {
                var writtenLast = k == 2 ? last.ToUpperInvariant() + "E" : last;
                result.Add((Record(writtenLast, first, birth, postcode: postcode, id: $"p{p}-{k}"), p));
            }
        }
        return result;
    }

    [Fact]
    public void Keys_cover_names_dates_place_and_strong_keys()
    {
        var keys = Blocking.Keys(Prepared("Lefèvre", "Jean-Pierre", "19870403", mdph: "61-2010-42", nirHash: "abc", postcode: "61000"));
        Assert.Contains("NA:LFVR:1987", keys);
        Assert.Contains("PD:JN:19870403", keys);
        Assert.Contains("MD:201042", keys); // the number without its département: « 61-2010-42 » and « 201042 » share the block
        Assert.Contains("NH:abc", keys);
        Assert.Contains(keys, k => k.StartsWith("CI:61000:", StringComparison.Ordinal));
        Assert.Contains(keys, k => k.StartsWith("NP:", StringComparison.Ordinal));
        Assert.Equal(keys.Length, keys.Distinct().Count());
        // The keys that seldom hold two persons: the first name with the full date, the date with the initial, the strong keys.
        Assert.Equal(["DI:19870304:L", "MD:201042", "NH:abc", "PD:JN:19870403"], keys.Where(Blocking.IsNarrow).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Swapped_day_and_month_and_changed_last_name_still_share_a_block()
    {
        var a = Blocking.Keys(Prepared("Martin", "Sophie", "19650912"));
        var b = Blocking.Keys(Prepared("Durand", "Sophie", "19650912"));
        var c = Blocking.Keys(Prepared("Martin", "Sofie", "19651209"));
        Assert.NotEmpty(a.Intersect(b));
        Assert.NotEmpty(a.Intersect(c));
    }

    [Fact]
    public void Compared_pairs_stay_linear()
    {
        foreach (var persons in new[] { 1000, 4000 })
        {
            var records = Synthetic(persons).Select(x => x.Record).ToList();
            var result = Deduplicator.Run(records);
            Assert.True(result.PairsCompared < 50L * records.Count, $"{result.PairsCompared} pairs for {records.Count} records");
        }
    }

    [Fact]
    public void Block_cap_bounds_the_cost_of_a_very_common_key()
    {
        var records = Enumerable.Range(0, 1000).Select(i => Record("Martin", "Jean", "19800101", id: $"m{i}")).ToList();
        var index = new IdentityIndex(MatchScorer.Default, new BlockingOptions(MaxBlockSize: 50));
        var pairs = 0L;
        foreach (var record in records) index.CompareThenAdd(PreparedRecord.From(record), (_, _, _) => pairs++);
        Assert.True(pairs <= 50L * 1000, $"{pairs}");
        Assert.True(index.SaturatedBlocks > 0);
        Assert.Equal(pairs, index.PairsCompared);
    }

    [Fact]
    public void Deduplication_finds_the_persons_and_is_deterministic()
    {
        var data = Synthetic(300, seed: 5);
        var records = data.Select(x => x.Record).ToList();
        var first = Deduplicator.Run(records);
        var second = Deduplicator.Run(records);
        Assert.Equal(first.ClusterIds, second.ClusterIds);
        Assert.Equal("P000001", first.ClusterIds[0]);
        // Every person's three records end in one cluster.
        foreach (var group in data.Select((x, i) => (x.Person, Cluster: first.ClusterIds[i])).GroupBy(x => x.Person))
        {
            Assert.Single(group.Select(x => x.Cluster).Distinct());
        }
    }

    [Fact]
    public void Incremental_match_of_one_new_record_against_existing_persons()
    {
        var index = new IdentityIndex(MatchScorer.Default);
        index.Add(Prepared("Martin", "Sophie", "19650912"));
        index.Add(Prepared("Bernard", "Luc", "19700101"));
        index.Add(Prepared("Martin", "Paul", "19650912"));
        var candidates = index.Match(Prepared("MARTIN", "Sophie", "19651209"));
        var best = Assert.Single(candidates);
        Assert.Equal(0, best.Index);
        Assert.NotEqual(MatchZone.Different, best.Result.Zone);
        Assert.NotEmpty(best.Result.Reasons);
        Assert.Equal(3, index.Count);
    }

    [Fact]
    public void Match_against_a_given_block_without_an_index()
    {
        var existing = new[] { Record("Martin", "Sophie", "19650912", id: "a"), Record("Dupont", "Marc", "19501212", id: "b") };
        var found = IdentityIndex.MatchAgainst(Record("martin", "sophie", "19650912", id: "new"), existing);
        Assert.Equal("a", Assert.Single(found).RecordId);
        Assert.Equal(MatchZone.Same, found[0].Result.Zone);
    }

    [Fact]
    public void Review_lists_one_pair_per_pair_of_clusters()
    {
        var scorer = new MatchScorer(new MatchThresholds(Same: 8, Possible: 2));
        var records = new[]
        {
            Record("Martin", "Jean", "19800101", id: "son-1"),
            Record("MARTIN", "Jean", "19800101", id: "son-2"),
            Record("Martin", "Jean", "19850715", id: "homonym"),
        };
        var result = Deduplicator.Run(records, scorer);
        Assert.Equal(["P000001", "P000001", "P000002"], result.ClusterIds);
        var pair = Assert.Single(result.ReviewPairs);
        Assert.Equal("homonym", pair.SecondRecordId);
        Assert.Equal(MatchZone.Possible, pair.Result.Zone);
        Assert.Contains(pair.Result.Reasons, r => r.Text == "dates de naissance différentes");
    }

    [Fact]
    public void Union_find_joins_transitively()
    {
        var sets = new UnionFind(5);
        Assert.True(sets.Union(0, 1));
        Assert.True(sets.Union(3, 1));
        Assert.False(sets.Union(0, 3));
        Assert.Equal(sets.Find(0), sets.Find(3));
        Assert.NotEqual(sets.Find(0), sets.Find(2));
    }
}

public class IdentityResolverTests
{
    [Fact]
    public void New_record_joins_the_same_person()
    {
        var candidates = new (string, PersonRecord)[]
        {
            ("person-1", Record("Martin", "Sophie", "19650912", id: "a")),
            ("person-1", Record("DUPONT épouse MARTIN", "Sophie", "19650912", id: "b")),
            ("person-2", Record("Martin", "Paul", "19650912", id: "c")),
        };
        var decision = IdentityResolver.Decide(Record("Dupont", "Sophie", "19650912", id: "new"), candidates);
        Assert.Equal(IdentityOutcome.SamePerson, decision.Outcome);
        Assert.Equal("person-1", decision.PersonId);
        Assert.Equal("b", decision.Matches[0].RecordId);
        Assert.DoesNotContain(decision.Matches, m => m.PersonId == "person-2");
    }

    [Fact]
    public void Grey_zone_goes_to_review_and_nothing_close_is_new()
    {
        var candidates = new (string, PersonRecord)[] { ("person-1", Record("Martin", "Jean", "19420715", id: "a")) };
        var review = IdentityResolver.Decide(Record("Martin", "Jean", "19800101", id: "new"), candidates);
        Assert.NotEqual(IdentityOutcome.SamePerson, review.Outcome);
        var fresh = IdentityResolver.Decide(Record("Bernard", "Luc", "19700101", id: "new"), candidates);
        Assert.Equal(IdentityOutcome.NewPerson, fresh.Outcome);
        Assert.Empty(fresh.Matches);
        Assert.Null(fresh.PersonId);
    }

    [Fact]
    public void Keys_of_a_raw_record_equal_those_of_its_prepared_form()
    {
        var record = Record("Le Goff", "Anne-Marie", "19450102");
        Assert.Equal(Blocking.Keys(PreparedRecord.From(record)), Blocking.Keys(record));
    }
}
