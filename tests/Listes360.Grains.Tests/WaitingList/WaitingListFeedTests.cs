using Listes360.Domain;
using Listes360.Domain.Candidatures;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;
using Listes360.Domain.Security;
using Listes360.Domain.WaitingList;
using Listes360.Grains.Department;
using Listes360.Grains.Identity;
using Listes360.Grains.Persons;
using Listes360.Grains.Registry;
using Listes360.Grains.Security;
using Listes360.Grains.Tests.Registry;
using Listes360.Grains.WaitingList;

namespace Listes360.Grains.Tests.WaitingList;

/// <summary>
/// The list is fed by the person grains and stays equal to what the persons say, after admissions,
/// merges and splits. Département 72: no other test's persons there, so the list is this test's.
/// </summary>
[Collection(MemoryClusterCollection.Name)]
public sealed class WaitingListFeedTests(MemoryClusterFixture cluster) : IDisposable
{
    private const string Department = "72";
    private static readonly DepartmentTopology Topology = new() { WaitingShards = 4 };
    private static int _next = 900;
    private readonly IDisposable _acting = CallerContext.As(new Caller("référente MDPH", Role.MdphReferent, [], Department, null));
    private readonly List<string> persons = [];

    public void Dispose() => _acting.Dispose();

    private static DateOnly Today => DateOnly.FromDateTime(MemoryClusterFixture.Clock.Now.UtcDateTime);

    private IPersonGrain Person(string id) => cluster.Grains.GetGrain<IPersonGrain>(id);

    private async Task<string> PersonAsync(string name, string first, int candidatures, SituationKind situation = SituationKind.InHospital)
    {
        var id = PersonId.New(Department).Value;
        persons.Add(id);
        using var admin = CallerContext.As(new Caller("admin", Role.Admin, [], Department, null));
        await Person(id).CreateAsync(PersonIdentity.Create(name, [first], new DateOnly(1990, 4, 2), Sex.Female, Today, residenceCommune: "72181"),
            new Situation { Kind = situation, Since = Today.AddYears(-1) }, null, false, "admin");
        await Person(id).AddOrientationAsync(Orientation.Create($"CDAPH-{id}", KindOfSupport.Mas, Today.AddYears(-1), null), "admin");
        for (var i = 0; i < candidatures; i++)
        {
            var finess = FinessNumber.WithKey(Department + Interlocked.Increment(ref _next).ToString("D6", System.Globalization.CultureInfo.InvariantCulture)).Value;
            await cluster.Grains.GetGrain<IEsmsGrain>(finess).RegisterAsync(EsmsGrainTests.Profile(finess, "MAS " + finess, "255"), "admin");
            await Person(id).CreateCandidatureAsync(FinessNumber.Parse(finess), Modality.Residential, Today, "admin");
        }
        return id;
    }

    /// <summary>Every row of the département's list, from every shard.</summary>
    private async Task<string[]> ListAsync()
    {
        var pages = await Task.WhenAll(Topology.ListShardsOf(Department).Select(k =>
            cluster.Grains.GetGrain<IWaitingListShardGrain>(k).PageAsync(WaitingListFilter.All, WaitingListOrder.Name, null, null, 200)));
        return WaitingListShard.Merge(pages, 1000).Rows.Select(r => r.Entry.Person.Value).Order().ToArray();
    }

    /// <summary>What the persons themselves say: the one rule applied to each person's file.</summary>
    private async Task<string[]> ExpectedAsync()
    {
        var expected = new List<string>();
        foreach (var id in persons)
        {
            var snapshot = (await Person(id).GetAsync())!;
            if (snapshot.Record.Id.Value != id) continue; // merged: read through the survivor
            var reason = WaitingListRows.ReasonOf(snapshot.Record, snapshot.Candidatures.ToList(), Today);
            if (reason is WaitingReason.OpenCandidature or WaitingReason.OrientedWithoutCandidature) expected.Add(id);
        }
        return [.. expected.Order()];
    }

    [Fact]
    public async Task The_list_follows_the_persons_through_admissions_merges_and_splits()
    {
        var a = await PersonAsync("Lelièvre", "Claire", 2);
        var b = await PersonAsync("Lelievre", "Claire", 1);
        var c = await PersonAsync("Morin", "Zoé", 0, SituationKind.AtHomeWithoutSolution); // oriented, without solution, no candidature yet
        var d = await PersonAsync("Henry", "Paul", 0); // in hospital, no candidature: not on the list
        Assert.Equal(new[] { a, b, c }.Order(), await ListAsync());
        Assert.Equal(await ExpectedAsync(), await ListAsync());

        // An admission moves the person out of the list at once.
        var admitted = (await Person(b).GetAsync())!.Candidatures.Single();
        using (CallerContext.As(new Caller("admin", Role.Admin, [], Department, null)))
            foreach (var status in new[] { CandidatureStatus.UnderReview, CandidatureStatus.Waiting, CandidatureStatus.Offered, CandidatureStatus.Admitted })
                await Person(b).ChangeCandidatureStatusAsync(admitted.Id, status, null, "admin");
        Assert.Equal(new[] { a, c }.Order(), await ListAsync());
        Assert.Equal(await ExpectedAsync(), await ListAsync());

        // A merge shows one row, a split two again.
        var identity = cluster.Grains.GetGrain<IIdentityGrain>(Department);
        await identity.MergeAsync(a, c, "même personne : dossier MDPH vérifié", "référente MDPH");
        Assert.Equal(new[] { a }, await ListAsync());
        Assert.Equal(await ExpectedAsync(), await ListAsync());
        await identity.SplitAsync(c, "personnes différentes : dates vérifiées", "référente MDPH");
        Assert.Equal(new[] { a, c }.Order(), await ListAsync());
        Assert.Equal(await ExpectedAsync(), await ListAsync());
        Assert.DoesNotContain(d, await ListAsync());
    }

    [Fact]
    public async Task A_row_carries_the_persons_open_candidatures_and_is_found_by_a_misspelled_name()
    {
        var id = await PersonAsync("Vandenbroucke", "Ysaline", 2);
        var page = await cluster.Grains.GetGrain<IWaitingListShardGrain>(Topology.ListShardOf(PersonId.Parse(id)))
            .PageAsync(WaitingListFilter.All, WaitingListOrder.Name, "vandenbrouke ysaline", null, 10);
        var row = Assert.Single(page.Rows, r => r.Entry.Person.Value == id).Entry;
        Assert.Equal(2, row.Candidatures.Length);
        Assert.Equal(Today, row.OldestRequest);
        Assert.Equal(WaitingReason.OpenCandidature, row.Reason);
    }
}
