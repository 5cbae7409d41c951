using Listes360.Domain;
using Listes360.Domain.Identity;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;
using Listes360.Domain.Security;
using Listes360.Grains.Identity;
using Listes360.Grains.Lists;
using Listes360.Grains.Persons;
using Listes360.Grains.Registry;
using Listes360.Grains.Security;
using Listes360.Grains.Tests.Registry;
using MatchRecord = Listes360.Domain.Identity.Records.PersonRecord;

namespace Listes360.Grains.Tests.Lists;

/// <summary>
/// A list row its person refuses leaves the département's identity index and review queue as they were
/// (issue 12, class 6), in département 79 (no other test's persons there).
/// </summary>
[Collection(MemoryClusterCollection.Name)]
public sealed class ListImportRefusalTests(MemoryClusterFixture cluster) : IDisposable
{
    private const string Department = "79";
    private readonly IDisposable _acting = CallerContext.As(new Caller("admin", Role.Admin, [], Department, null));

    public void Dispose() => _acting.Dispose();

    private static DateOnly Today => DateOnly.FromDateTime(MemoryClusterFixture.Clock.Now.UtcDateTime);

    private IIdentityGrain Identity => cluster.Grains.GetGrain<IIdentityGrain>(Department);

    [Fact]
    public async Task Rows_refused_by_their_person_are_rejected_with_the_code_and_leave_no_index_entry()
    {
        var finess = FinessNumber.WithKey(Department + "000101").Value;
        await cluster.Grains.GetGrain<IEsmsGrain>(finess).RegisterAsync(EsmsGrainTests.Profile(finess, "MAS des Essais", "255"), "admin");
        var from = Today.AddYears(-1);

        // Known with decision CDAPH-R1 (MAS from a year ago), indexed without an address.
        var known = IdentityOf("Renaud", "Lise", new DateOnly(1981, 4, 5));
        var knownId = (await Identity.ResolveAsync([new IdentityRequest(MatchRecords.Of("saisie", known), true, "saisie")]))[0].PersonId!;
        await cluster.Grains.GetGrain<IPersonGrain>(knownId).CreateAsync(known, null, null, false, "admin");
        await cluster.Grains.GetGrain<IPersonGrain>(knownId).AddOrientationAsync(Orientation.Create("CDAPH-R1", KindOfSupport.Mas, from, null), "admin");

        var stranger = IdentityOf("Quéré", "Noam", new DateOnly(1979, 9, 10));
        ListImportRow[] rows =
        [
            // The known person, with an address the index has not seen, and her decision with another start.
            Row(2, known, "79000", "Niort", "CDAPH-R1", from.AddMonths(1)),
            // A new person whose second row gives his own decision with other terms: the first row only is taken.
            Row(3, stranger, null, null, "CDAPH-Q1", from),
            Row(4, stranger, "79000", "Niort", "CDAPH-Q1", from.AddMonths(2)),
        ];

        var results = await cluster.Grains.GetGrain<IListImportGrain>(finess).ImportAsync(rows, "liste.csv", "admin");

        Assert.Equal(ListRowOutcome.Rejected, results[0].Outcome);
        Assert.Equal("DUPLICATE_ORIENTATION", results[0].Code);
        Assert.Equal(ListRowOutcome.Created, results[1].Outcome);
        Assert.Equal(ListRowOutcome.Rejected, results[2].Outcome);
        Assert.Equal("DUPLICATE_ORIENTATION", results[2].Code);

        // Neither refused spelling reached the index: each person is found with their accepted record only.
        var knownEntries = await IndexedAsync(rows[0].Match);
        Assert.Equal([knownId], knownEntries.Select(e => e.PersonId).Distinct());
        Assert.DoesNotContain(knownEntries, e => MatchRecords.SameContent(e.Record, rows[0].Match.For(knownId)));
        var strangerEntries = (await IndexedAsync(rows[2].Match)).Where(e => e.PersonId == results[1].PersonId).ToList();
        Assert.NotEmpty(strangerEntries); // once per shard of his keys
        Assert.All(strangerEntries, e => Assert.True(MatchRecords.SameContent(e.Record, rows[1].Match.For(results[1].PersonId!))));
        Assert.Empty((await cluster.Grains.GetGrain<IPersonGrain>(knownId).GetAsync())!.Candidatures);
    }

    [Fact]
    public async Task Withdrawing_what_a_resolution_added_removes_exactly_it_and_is_idempotent()
    {
        var record = MatchRecords.Of("liste", IdentityOf("Baudry", "Maëlys", new DateOnly(1985, 11, 12)), "79200", "Parthenay");
        var resolved = (await Identity.ResolveAsync([new IdentityRequest(record, true, "liste.csv, ligne 2")]))[0];
        Assert.True(resolved.RecordAdded);
        var indexed = new IndexedRecord(resolved.PersonId!, record.For(resolved.PersonId!));
        Assert.Contains(await IndexedAsync(record), e => e.PersonId == resolved.PersonId);

        using var service = AsService();
        await Identity.WithdrawAsync([indexed], []);
        await Identity.WithdrawAsync([indexed], []);

        Assert.DoesNotContain(await IndexedAsync(record), e => e.PersonId == resolved.PersonId);
        Assert.Equal(IdentityOutcome.NewPerson, (await Identity.PreviewAsync([new IdentityRequest(record, true, "x")]))[0].Outcome);
    }

    /// <summary>The index, the preview and the withdrawal are the service's own operations.</summary>
    private static IDisposable AsService() => CallerContext.As(new Caller("service", Role.System, [], Department, null));

    private static PersonIdentity IdentityOf(string name, string first, DateOnly birth) =>
        PersonIdentity.Create(name, [first], birth, Sex.Female, Today);

    private static ListImportRow Row(int line, PersonIdentity identity, string? postcode, string? commune, string decision, DateOnly validFrom) =>
        new(line, identity, MatchRecords.Of($"liste.csv:{line}", identity, postcode, commune), null,
            new ListOrientation(decision, KindOfSupport.Mas, validFrom, null), Modality.Residential, Today.AddDays(-3), false);

    /// <summary>Every index entry sharing a blocking key with <paramref name="record"/>, read from the shards.</summary>
    private async Task<List<IndexedRecord>> IndexedAsync(MatchRecord record)
    {
        using var service = AsService();
        var topology = new IdentityTopology();
        var found = new List<IndexedRecord>();
        foreach (var shard in Blocking.Keys(record).GroupBy(topology.ShardOf))
            found.AddRange(await cluster.Grains.GetGrain<IIdentityShardGrain>(IdentityTopology.ShardKey(Department, shard.Key)).FindAsync(shard.ToList()));
        return found;
    }
}
