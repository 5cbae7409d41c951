using Listes360.Domain.Candidatures;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;
using Listes360.Domain.Security;
using Listes360.Grains.Common;
using Listes360.Grains.Registry;
using Listes360.Grains.Security;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Core.Internal;
using Orleans.Storage;
using Orleans.TestingHost;

namespace Listes360.Grains.Tests.Registry;

/// <summary>
/// An ESMS stored as rows (issue 20: written whole, an admission or a list row cost every candidature of the ESMS):
/// what a candidature's change writes, what a closed view leaving writes, and an ESMS of the first shape moved to rows.
/// </summary>
[Collection(MemoryClusterCollection.Name)]
public sealed class EsmsRowsTests(MemoryClusterFixture cluster) : IDisposable
{
    private readonly IDisposable acting = CallerContext.As(new Caller("test-admin", Role.Admin, [], "61", null));

    public void Dispose() => acting.Dispose();

    private IServiceProvider Silo => ((InProcessSiloHandle)cluster.Cluster.Primary!).SiloHost.Services;

    private IKeyedRowStorage Rows => Silo.GetRequiredService<IKeyedRowStorage>();

    private static GrainId EsmsId(FinessNumber finess) => GrainId.Create(GrainType.Create("esms"), IdSpan.Create(finess.Value));

    private static EsmsCandidatureView View(FinessNumber finess, string id, CandidatureStatus status, DateTimeOffset at) => new(
        CandidatureId.Parse(id), PersonId.Parse("61-" + id.ToLowerInvariant()), finess, Modality.Residential, KindOfSupport.Fam,
        new DateOnly(2024, 1, 1), status, null, false, 3, at);

    [Fact]
    public async Task A_candidature_s_change_writes_its_own_row_and_leaves_the_record_and_the_other_views_as_stored()
    {
        var finess = FinessNumber.WithKey("61004300");
        var esms = cluster.Grains.GetGrain<IEsmsGrain>(finess.Value);
        await esms.RegisterAsync(new EsmsRegistrationRequest(finess.Value, "FAM Les Aulnes", "437").ToProfile(), "admin");
        var now = MemoryClusterFixture.Clock.Now;
        using (CallerContext.As(Caller.ServiceItself))
        {
            await esms.ApplyCandidatureAsync(View(finess, "C-R1", CandidatureStatus.Waiting, now));
            await esms.ApplyCandidatureAsync(View(finess, "C-R2", CandidatureStatus.Waiting, now));
        }
        var before = await Rows.ReadAsync(EsmsId(finess), "esms");
        Assert.Equal(["c:C-R1", "c:C-R2", "record"], before.Rows.Keys.Order(StringComparer.Ordinal));

        var changed = View(finess, "C-R2", CandidatureStatus.SolutionFoundElsewhere, now) with { Version = 4 };
        using (CallerContext.As(Caller.ServiceItself))
            await esms.ApplyCandidatureAsync(changed);

        var after = await Rows.ReadAsync(EsmsId(finess), "esms");
        Assert.NotEqual(before.ETag, after.ETag);
        // The memory storage keeps a copy of each row written: the same array is a row this write did not send.
        Assert.Same(before.Rows["record"], after.Rows["record"]);
        Assert.Same(before.Rows["c:C-R1"], after.Rows["c:C-R1"]);
        Assert.NotEqual(before.Rows["c:C-R2"], after.Rows["c:C-R2"]);

        // A new activation reads the rows back: the ESMS as it was left.
        await esms.AsReference<IGrainManagementExtension>().DeactivateOnIdle();
        var read = await esms.GetAsync();
        Assert.Equal(("FAM Les Aulnes", 1, 1), (read!.Profile.Name, read.OpenCandidatures, read.SolutionFoundElsewhere));
    }

    [Fact]
    public async Task A_closed_view_leaving_the_ESMS_after_a_year_deletes_its_row()
    {
        var finess = FinessNumber.WithKey("61004301");
        var esms = cluster.Grains.GetGrain<IEsmsGrain>(finess.Value);
        await esms.RegisterAsync(new EsmsRegistrationRequest(finess.Value, "MAS Les Saules", "255").ToProfile(), "admin");
        var start = MemoryClusterFixture.Clock.Now;
        try
        {
            using (CallerContext.As(Caller.ServiceItself))
                await esms.ApplyCandidatureAsync(View(finess, "C-R3", CandidatureStatus.Withdrawn, start));
            Assert.Contains("c:C-R3", (await Rows.ReadAsync(EsmsId(finess), "esms")).Rows.Keys);

            MemoryClusterFixture.Clock.Now = start.AddDays(EsmsViews.ClosedKeptDays + 2);
            using (CallerContext.As(Caller.ServiceItself))
                await esms.ApplyCandidatureAsync(View(finess, "C-R4", CandidatureStatus.Received, MemoryClusterFixture.Clock.Now));

            Assert.Equal(["c:C-R4", "record"], (await Rows.ReadAsync(EsmsId(finess), "esms")).Rows.Keys.Order(StringComparer.Ordinal));
        }
        finally
        {
            MemoryClusterFixture.Clock.Now = start;
        }
    }

    [Fact]
    public async Task An_ESMS_stored_whole_is_moved_to_rows_at_activation_and_its_old_entity_cleared()
    {
        var finess = FinessNumber.WithKey("61004302");
        var now = MemoryClusterFixture.Clock.Now;
        var legacy = new EsmsState
        {
            Profile = new EsmsRegistrationRequest(finess.Value, "IME Les Prés", "183").ToProfile(),
            Version = 3,
        };
        foreach (var id in new[] { "C-R5", "C-R6" })
            legacy.Candidatures[id] = View(finess, id, CandidatureStatus.Waiting, now);
        var storage = Silo.GetRequiredKeyedService<IGrainStorage>(StorageNames.Main);
        await storage.WriteStateAsync("esms", EsmsId(finess), new GrainState<EsmsState>(legacy));

        var read = await cluster.Grains.GetGrain<IEsmsGrain>(finess.Value).GetAsync();

        Assert.Equal(("IME Les Prés", 3, 2), (read!.Profile.Name, read.Version, read.OpenCandidatures));
        Assert.Equal(["c:C-R5", "c:C-R6", "record"], (await Rows.ReadAsync(EsmsId(finess), "esms")).Rows.Keys.Order(StringComparer.Ordinal));
        var after = new GrainState<EsmsState>(new EsmsState());
        await storage.ReadStateAsync("esms", EsmsId(finess), after);
        Assert.False(after.RecordExists);
    }
}
