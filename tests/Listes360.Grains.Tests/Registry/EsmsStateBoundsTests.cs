using Listes360.Domain.Candidatures;
using Listes360.Domain.Persons;
using Listes360.Domain;
using Listes360.Domain.Registry;
using Listes360.Domain.Security;
using Listes360.Domain.Validation;
using Listes360.Grains.Registry;
using Listes360.Grains.Security;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace Listes360.Grains.Tests.Registry;

/// <summary>Issue 12, class 2: no sequence of valid calls pushes an ESMS's record past what storage holds.</summary>
[Collection(MemoryClusterCollection.Name)]
public sealed class EsmsStateBoundsTests(MemoryClusterFixture cluster) : IDisposable
{
    private readonly IDisposable _acting = CallerContext.As(new Caller("test-admin", Role.Admin, [], "61", null));

    public void Dispose() => _acting.Dispose();

    private static readonly DateOnly Today = new(2026, 11, 23);

    [Fact]
    public async Task Two_thousand_place_declarations_keep_the_record_small_lose_nothing_and_the_next_write_works()
    {
        var finess = FinessNumber.WithKey("61004200");
        var esms = cluster.Grains.GetGrain<IEsmsGrain>(finess.Value);
        await esms.RegisterAsync(new EsmsRegistrationRequest(finess.Value, "FAM Les Bornes", "437").ToProfile(), "admin");

        for (var i = 0; i < 2_000; i++)
            await esms.SetPlacesAsync(Modality.Residential, 40, i % 41, Today, "directrice");
        var after = await esms.SetPlacesAsync(Modality.Residential, 41, 3, Today, "directrice");

        Assert.Equal((41, 3), (after.Places.Single().Capacity, after.Places.Single().Occupied));
        Assert.InRange(after.PlacesHistory.Count, 1, 2 * FieldLimits.PlacesHistoryKept);
        var serializer = cluster.Cluster.Client.ServiceProvider.GetRequiredService<Serializer>();
        Assert.InRange(serializer.SerializeToArray(after).Length, 1, 64 * 1024);

        var archived = new List<PlacesChange>();
        for (var page = 1; page <= after.ArchivedPlacesPages; page++)
            archived.AddRange(await esms.GetArchivedPlacesChangesAsync(page));
        var all = archived.Concat(after.PlacesHistory).ToList();
        Assert.Equal(Enumerable.Range(0, 2_000).Select(i => i % 41).Append(3), all.Select(c => c.After.Occupied));
        Assert.Empty(await esms.GetArchivedPlacesChangesAsync(after.ArchivedPlacesPages + 1));
    }

    [Fact]
    public async Task Places_dated_ahead_are_refused_not_applied_early()
    {
        var finess = FinessNumber.WithKey("61004201");
        var esms = cluster.Grains.GetGrain<IEsmsGrain>(finess.Value);
        await esms.RegisterAsync(new EsmsRegistrationRequest(finess.Value, "MAS Les Iris", "255").ToProfile(), "admin");
        await esms.SetPlacesAsync(Modality.Residential, 30, 30, Today, "directrice");

        foreach (var date in new[] { new DateOnly(2099, 1, 1), new DateOnly(9999, 12, 31), new DateOnly(1899, 12, 31) })
        {
            var error = await Assert.ThrowsAsync<DomainException>(() => esms.SetPlacesAsync(Modality.Residential, 60, 0, date, "directrice"));
            Assert.Equal(date.Year < 1900 ? "DATE_TOO_EARLY" : "DATE_IN_FUTURE", error.Code);
            Assert.Equal("effectiveDate", error.Field);
        }
        var read = await esms.GetAsync();
        Assert.Equal((30, 30, 2), (read!.Places.Single().Capacity, read.Places.Single().Occupied, read.Version));
    }

    [Fact]
    public async Task A_closed_candidature_stays_in_the_ESMS_view_a_year_after_its_last_change_then_leaves_it_and_is_not_taken_back()
    {
        var finess = FinessNumber.WithKey("61004202");
        var esms = cluster.Grains.GetGrain<IEsmsGrain>(finess.Value);
        await esms.RegisterAsync(new EsmsRegistrationRequest(finess.Value, "FAM Les Tilleuls", "437").ToProfile(), "admin");
        var now = MemoryClusterFixture.Clock.Now;
        EsmsCandidatureView View(string id, CandidatureStatus status, DateTimeOffset at) => new(
            CandidatureId.Parse(id), PersonId.Parse("61-" + id.ToLowerInvariant()), finess, Modality.Residential, KindOfSupport.Fam,
            new DateOnly(2024, 1, 1), status, null, false, 3, at);
        var start = MemoryClusterFixture.Clock.Now;
        try
        {
            using (CallerContext.As(Caller.ServiceItself))
            {
                await esms.ApplyCandidatureAsync(View("C-V1", CandidatureStatus.Admitted, now.AddDays(-10)));
                await esms.ApplyCandidatureAsync(View("C-V2", CandidatureStatus.Withdrawn, now.AddDays(-EsmsViews.ClosedKeptDays - 2)));
                await esms.ApplyCandidatureAsync(View("C-V3", CandidatureStatus.Waiting, now.AddDays(-800)));
            }
            Assert.Equal(["C-V1", "C-V3"], (await esms.GetCandidaturesAsync(false, null, 50)).Items.Select(v => v.Id.Value).Order());

            MemoryClusterFixture.Clock.Now = start.AddDays(EsmsViews.ClosedKeptDays);
            using (CallerContext.As(Caller.ServiceItself))
                await esms.ApplyCandidatureAsync(View("C-V4", CandidatureStatus.Received, MemoryClusterFixture.Clock.Now));
            Assert.Equal(["C-V3", "C-V4"], (await esms.GetCandidaturesAsync(false, null, 50)).Items.Select(v => v.Id.Value).Order());
        }
        finally
        {
            MemoryClusterFixture.Clock.Now = start;
        }
    }
}
