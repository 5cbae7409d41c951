using Listes360.Domain;
using Listes360.Domain.Observatory;
using Listes360.Domain.Persons;
using Listes360.Domain.Projections;
using Listes360.Domain.Registry;
using Listes360.Domain.Security;
using Listes360.Grains.Department;
using Listes360.Grains.Persons;
using Listes360.Grains.Security;

namespace Listes360.Grains.Tests.Department;

/// <summary>
/// The daily pass leaves one snapshot of the observatory's indicators per day in the département's
/// snapshot grain (memory storage of the test cluster, through its serializer): each test has its own département.
/// </summary>
[Collection(MemoryClusterCollection.Name)]
public sealed class IndicatorSnapshotGrainTests(MemoryClusterFixture cluster) : IDisposable
{
    private readonly IDisposable _acting = CallerContext.As(Caller.ServiceItself);

    public void Dispose() => _acting.Dispose();

    private static DateOnly Today => Domain.Time.ParisDate.Today(MemoryClusterFixture.Clock);

    [Fact]
    public async Task The_end_of_a_pass_stores_the_days_snapshot_of_the_counts_it_rebuilt_and_a_second_pass_the_same_day_replaces_it()
    {
        await NewOrientedPersonsAsync("03", 3);
        var pass = cluster.Grains.GetGrain<IDepartmentMaintenanceGrain>("03");
        var snapshots = cluster.Grains.GetGrain<IIndicatorSnapshotGrain>("03");

        await pass.StartReconcileAsync();
        var first = Assert.Single(await UntilSnapshotAsync(snapshots, s => s.Count == 1));
        await NewOrientedPersonsAsync("03", 2);
        await pass.StartReconcileAsync();
        // The test clock stands still: the second snapshot is told apart by its counts.
        var series = await UntilSnapshotAsync(snapshots, s => s.Count > 1 || s[0].Total.Persons != first.Total.Persons);

        Assert.Equal(Today, first.Date);
        Assert.Equal(3, first.Total.Persons);
        Assert.Equal(3, first.ForKind(KindOfSupport.Mas).Counts.Persons);
        var replaced = Assert.Single(series);
        Assert.Equal(Today, replaced.Date);
        Assert.Equal(5, replaced.Total.Persons);
        Assert.Equal(await ShardTotalAsync("03"), replaced.Total);
    }

    [Fact]
    public async Task Each_day_adds_its_snapshot_oldest_first()
    {
        await NewOrientedPersonsAsync("05", 2);
        var snapshots = cluster.Grains.GetGrain<IIndicatorSnapshotGrain>("05");
        var start = MemoryClusterFixture.Clock.Now;
        try
        {
            await snapshots.TakeAsync();
            MemoryClusterFixture.Clock.Now = start.AddDays(1);
            await NewOrientedPersonsAsync("05", 1);
            await snapshots.TakeAsync();
        }
        finally
        {
            MemoryClusterFixture.Clock.Now = start;
        }

        var series = await snapshots.GetSeriesAsync(SnapshotHistory.MaxDays);
        Assert.Equal([Today, Today.AddDays(1)], series.Select(s => s.Date));
        Assert.Equal([2L, 3L], series.Select(s => s.Total.Persons));
        Assert.Single(await snapshots.GetSeriesAsync(1));
        Assert.Equal("INVALID_DAYS", (await Assert.ThrowsAsync<DomainException>(() => snapshots.GetSeriesAsync(0))).Code);
    }

    [Fact]
    public async Task The_observatory_of_the_departement_reads_the_series_a_director_or_another_departement_does_not_and_no_one_takes_one_from_outside()
    {
        var snapshots = cluster.Grains.GetGrain<IIndicatorSnapshotGrain>("07");
        await snapshots.TakeAsync();

        using (CallerContext.As(new Caller("observatoire-07", Role.Observatory, [], "07", null)))
        {
            Assert.Single(await snapshots.GetSeriesAsync(30));
            Assert.Equal("FORBIDDEN", (await Assert.ThrowsAsync<DomainException>(() => snapshots.TakeAsync())).Code);
        }
        using (CallerContext.As(new Caller("observatoire-61", Role.Observatory, [], "61", null)))
            Assert.Equal("FORBIDDEN", (await Assert.ThrowsAsync<DomainException>(() => snapshots.GetSeriesAsync(30))).Code);
        using (CallerContext.As(new Caller("direction", Role.EsmsDirector, ["070000018"], "07", null)))
            Assert.Equal("FORBIDDEN", (await Assert.ThrowsAsync<DomainException>(() => snapshots.GetSeriesAsync(30))).Code);
        using (CallerContext.As(new Caller("agent-07", Role.TerritorialStaff, [], "07", null)))
            Assert.Single(await snapshots.GetSeriesAsync(30));
    }

    private async Task<SnapshotCounts> ShardTotalAsync(string department)
    {
        var counts = await Task.WhenAll(Enumerable.Range(0, 4)
            .Select(i => cluster.Grains.GetGrain<IWaitingShardGrain>(DepartmentTopology.ShardKey(department, i)).GetCountsAsync()));
        return SnapshotCounts.Of(WaitingCounts.Combine(counts).Total());
    }

    private static async Task<IReadOnlyList<IndicatorSnapshot>> UntilSnapshotAsync(IIndicatorSnapshotGrain grain, Func<IReadOnlyList<IndicatorSnapshot>, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var series = await grain.GetSeriesAsync(SnapshotHistory.MaxDays);
            if (done(series))
                return series;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Instantané attendu non enregistré en 30 s ({series.Count} jours)");
            await Task.Delay(20);
        }
    }

    /// <summary>Persons oriented to a MAS, at home without solution: each waits (a distinct person, no candidature yet).</summary>
    private async Task NewOrientedPersonsAsync(string department, int count)
    {
        using (CallerContext.As(new Caller("agent", Role.Admin, [], department, null)))
            for (var i = 0; i < count; i++)
            {
                var id = PersonId.New(department);
                var person = cluster.Grains.GetGrain<IPersonGrain>(id.Value);
                await person.CreateAsync(PersonIdentity.Create("Martin", ["Louise"], new DateOnly(1990, 5, 6), Sex.Female, Today),
                    new Situation { Kind = SituationKind.AtHomeWithoutSolution, Since = new DateOnly(2025, 1, 1) }, null, true, "x");
                await person.AddOrientationAsync(Orientation.Create($"CDAPH-{i}", KindOfSupport.Mas, new DateOnly(2025, 1, 1), new DateOnly(2030, 1, 1)), "x");
            }
    }
}
