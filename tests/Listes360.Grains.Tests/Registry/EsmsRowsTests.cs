using Listes360.Domain.Candidatures;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;
using Listes360.Domain.Security;
using Listes360.Grains.Common;
using Listes360.Grains.Registry;
using Listes360.Grains.Security;
using Listes360.Grains.Tests.Common;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;
using Orleans.TestingHost;

namespace Listes360.Grains.Tests.Registry;

/// <summary>An ESMS kept as rows (issue 20, admissions): what a change writes, and an ESMS stored whole moved to rows.</summary>
[Collection(MemoryClusterCollection.Name)]
public sealed class EsmsRowsTests(MemoryClusterFixture cluster)
{
    private static readonly GrainId Grain = GrainId.Create(GrainType.Create("esms"), IdSpan.Create("test-rows"));

    private Serializer Serializer => cluster.Cluster.Client.ServiceProvider.GetRequiredService<Serializer>();

    private static EsmsCandidatureView View(string finess, int n, CandidatureStatus status = CandidatureStatus.Waiting, int version = 1) =>
        new(CandidatureId.Parse($"C{n:D4}"), PersonId.Parse($"61-p{n:D4}"), FinessNumber.Parse(finess), Modality.Residential, KindOfSupport.Fam,
            new DateOnly(2025, 1, 1), status, null, false, version, MemoryClusterFixture.Clock.Now);

    [Fact]
    public async Task A_candidature_change_writes_its_view_and_the_outbox_only_when_it_holds_or_held_something()
    {
        var storage = new RecordingRowStorage();
        var rows = new EsmsRows(storage, Serializer, Grain, "esms");
        rows.State.Profile = EsmsGrainTests.Profile("610099004", "FAM Les Tilleuls", "437");
        rows.RecordChanged();
        for (var n = 1; n <= 30; n++)
        {
            rows.State.Candidatures[$"C{n:D4}"] = View("610099004", n);
            rows.CandidatureChanged($"C{n:D4}");
        }
        await rows.WriteAsync("la fiche de cet ESMS");
        Assert.Equal(["e", .. Enumerable.Range(1, 30).Select(n => $"v:C{n:D4}")], storage.LastWrite);

        // An admission the vacancy follows: the view and the outbox.
        var admitted = View("610099004", 1, CandidatureStatus.Admitted, 2);
        rows.State.Candidatures["C0001"] = admitted;
        rows.CandidatureChanged("C0001");
        rows.State.Pending.Put("candidature/C0001", new CandidatureToVacancies(admitted));
        await rows.WriteAsync("la fiche de cet ESMS");
        Assert.Equal(["o", "v:C0001"], storage.LastWrite);

        // Delivered meanwhile: the next change deletes the outbox's row; the one after leaves it alone.
        rows.State.Pending.Clear();
        rows.State.Candidatures["C0002"] = View("610099004", 2, CandidatureStatus.Withdrawn, 2);
        rows.CandidatureChanged("C0002");
        await rows.WriteAsync("la fiche de cet ESMS");
        Assert.Equal(["o", "v:C0002"], storage.LastWrite);
        rows.State.Candidatures.Remove("C0003");
        rows.CandidatureChanged("C0003");
        await rows.WriteAsync("la fiche de cet ESMS");
        Assert.Equal(["v:C0003"], storage.LastWrite);

        var read = new EsmsRows(storage, Serializer, Grain, "esms");
        await read.ReadAsync();
        Assert.Equal("FAM Les Tilleuls", read.State.Profile!.Name);
        Assert.Equal(29, read.State.Candidatures.Count);
        Assert.Equal(CandidatureStatus.Admitted, read.State.Candidatures["C0001"].Status);
        Assert.True(read.State.Pending.IsEmpty);
    }

    [Fact]
    public async Task The_grain_moves_an_esms_stored_whole_to_rows_at_activation_and_clears_its_entity()
    {
        using var admin = CallerContext.As(new Caller("admin", Role.Admin, [], "61", null));
        var finess = FinessNumber.WithKey("61009902").Value;
        var id = GrainId.Create(GrainType.Create("esms"), IdSpan.Create(finess));
        var silo = ((InProcessSiloHandle)cluster.Cluster.Primary!).SiloHost.Services;
        var storage = silo.GetRequiredKeyedService<IGrainStorage>(StorageNames.Main);
        var whole = new EsmsState { Profile = EsmsGrainTests.Profile(finess, "MAS Le Verger", "255"), Version = 3 };
        whole.Candidatures["C0001"] = View(finess, 1);
        whole.Candidatures["C0002"] = View(finess, 2, CandidatureStatus.SolutionFoundElsewhere, 2);
        await storage.WriteStateAsync("esms", id, new GrainState<EsmsState>(whole));

        var snapshot = await cluster.Grains.GetGrain<IEsmsGrain>(finess).GetAsync();

        Assert.Equal(("MAS Le Verger", 3, 1, 1), (snapshot!.Profile.Name, snapshot.Version, snapshot.OpenCandidatures, snapshot.SolutionFoundElsewhere));
        var rows = await silo.GetRequiredService<IKeyedRowStorage>().ReadAsync(id, "esms");
        Assert.Equal(["e", "v:C0001", "v:C0002"], rows.Rows.Keys.Order(StringComparer.Ordinal));
        var after = new GrainState<EsmsState>(new EsmsState());
        await storage.ReadStateAsync("esms", id, after);
        Assert.False(after.RecordExists);
    }
}
