using Listes360.Domain.Candidatures;
using Listes360.Domain.Grid;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;
using Listes360.Domain.Security;
using Listes360.Grains.Common;
using Listes360.Grains.Grid;
using Listes360.Grains.Security;
using Listes360.Grains.Tests.Common;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;
using Orleans.TestingHost;

namespace Listes360.Grains.Tests.Grid;

/// <summary>A ranking kept as rows (issue 20, admissions): what a change writes, and a ranking stored whole moved to rows.</summary>
[Collection(MemoryClusterCollection.Name)]
public sealed class RankingRowsTests(MemoryClusterFixture cluster)
{
    private static readonly DateOnly Day = new(2026, 3, 2);
    private static readonly FinessNumber Finess = FinessNumber.WithKey("61009900");
    private static readonly GrainId Grain = GrainId.Create(GrainType.Create("ranking"), IdSpan.Create("test-rows"));

    private Serializer Serializer => cluster.Cluster.Client.ServiceProvider.GetRequiredService<Serializer>();

    private static CandidateFacts Facts(int n, CandidatureStatus status = CandidatureStatus.Waiting, DateOnly? since = null) => new()
    {
        CandidatureId = CandidatureId.Parse($"C{n:D4}"),
        PersonId = PersonId.Parse($"61-p{n:D4}"),
        Finess = Finess,
        Modality = Modality.Residential,
        Kind = KindOfSupport.Fam,
        RequestDate = new DateOnly(2025, 1, 1),
        Status = status,
        StatusSince = since ?? new DateOnly(2025, 1, 1),
        BirthDate = new DateOnly(1990, 5, 1),
    };

    [Fact]
    public async Task A_change_writes_the_rows_of_its_candidature_not_the_ranking()
    {
        var storage = new RecordingRowStorage();
        var rows = new RankingRows(storage, Serializer, Grain, "ranking");
        for (var n = 1; n <= 40; n++)
            rows.Record(Facts(n), Day);
        await rows.WriteAsync("ce classement");
        Assert.Equal(Enumerable.Range(1, 40).Select(n => $"f:C{n:D4}"), storage.LastWrite);

        rows.Record(Facts(1, CandidatureStatus.Offered, Day.AddDays(3)), Day.AddDays(3));
        await rows.WriteAsync("ce classement");
        Assert.Equal(["f:C0001"], storage.LastWrite);

        // The admission closes it: its versions leave for the superseded pool, a marker stays.
        var (changed, before) = rows.Record(Facts(1, CandidatureStatus.Admitted, Day.AddDays(5)), Day.AddDays(5));
        await rows.WriteAsync("ce classement");
        Assert.True(changed);
        Assert.Equal(CandidatureStatus.Offered, before);
        Assert.Equal(["c:C0001", "f:C0001", "h", "s:0", "s:1"], storage.LastWrite);

        var read = new RankingRows(storage, Serializer, Grain, "ranking");
        await read.ReadAsync();
        Assert.Equal(39, read.Facts.Count);
        Assert.Equal(CandidatureStatus.Admitted, read.Closed["C0001"].Status);
        Assert.Equal([Day, Day.AddDays(3)], read.Pool.Values.Select(s => s.RecordedOn).Order());

        // The next superseded version takes the next number, after a fresh read too.
        read.Record(Facts(2, CandidatureStatus.Offered, Day.AddDays(6)), Day.AddDays(6));
        read.Record(Facts(2, CandidatureStatus.Withdrawn, Day.AddDays(8)), Day.AddDays(8));
        await read.WriteAsync("ce classement");
        Assert.Equal(["c:C0002", "f:C0002", "h", "s:2", "s:3"], storage.LastWrite);
    }

    [Fact]
    public async Task Archiving_deletes_the_superseded_rows_and_keeps_each_current_version()
    {
        var storage = new RecordingRowStorage();
        var rows = new RankingRows(storage, Serializer, Grain, "ranking");
        rows.Record(Facts(1), Day);
        rows.Record(Facts(2), Day);
        rows.Record(Facts(3), Day);
        await rows.WriteAsync("ce classement");
        rows.Record(Facts(2, CandidatureStatus.Offered, Day.AddDays(1)), Day.AddDays(1));
        rows.Record(Facts(3, CandidatureStatus.Withdrawn, Day.AddDays(1)), Day.AddDays(1));
        await rows.WriteAsync("ce classement");

        var superseded = rows.Superseded();
        Assert.Equal(2, superseded.Count);
        rows.Archived([FactsRetention.PageOf(1, superseded)]);
        await rows.WriteAsync("ce classement");

        Assert.Equal(["f:C0002", "h", "s:0"], storage.LastWrite);
        var read = new RankingRows(storage, Serializer, Grain, "ranking");
        await read.ReadAsync();
        Assert.Empty(read.Pool);
        Assert.Equal([1, 1], read.Facts.Values.Select(v => v.Count));
        Assert.Equal(CandidatureStatus.Offered, read.Facts["C0002"].Single().Facts.Status);
        Assert.Equal((1, 1), (read.Pages.Count, read.PagesWritten));
    }

    [Fact]
    public async Task A_ranking_stored_whole_moves_to_rows_with_markers_for_candidatures_closed_before_them()
    {
        var storage = new RecordingRowStorage();
        var whole = new RankingState();
        whole.Facts["C0001"] = [new TimedFacts(Day, Facts(1))];
        // Written before the closed markers: a list ending with its closing.
        whole.Facts["C0002"] = [new TimedFacts(Day, Facts(2)), new TimedFacts(Day.AddDays(2), Facts(2, CandidatureStatus.Admitted, Day.AddDays(2)))];
        whole.Closed["C0003"] = new ClosedCandidature(Day, CandidatureStatus.Withdrawn, KindOfSupport.Fam);
        whole.Pool.Add(new SupersededFacts(Day.AddDays(-3), Day, Facts(3)));
        whole.Pages.Add(new FactsPage(1, Day.AddDays(-30), Day.AddDays(-10), 256));
        whole.PagesWritten = 1;
        var legacy = new WholeState<RankingState>(whole);

        var rows = new RankingRows(storage, Serializer, Grain, "ranking");
        await rows.MoveFromWholeStateAsync(legacy);

        Assert.True(legacy.Cleared);
        var read = new RankingRows(storage, Serializer, Grain, "ranking");
        await read.ReadAsync();
        Assert.Equal(["C0001"], read.Facts.Keys);
        Assert.Equal([CandidatureStatus.Admitted, CandidatureStatus.Withdrawn], read.Closed.OrderBy(c => c.Key).Select(c => c.Value.Status));
        Assert.Equal(2, read.Pool.Count);
        Assert.Equal((1, 1), (read.Pages.Count, read.PagesWritten));
    }

    [Fact]
    public async Task The_grain_moves_a_ranking_stored_whole_to_rows_at_activation()
    {
        using var service = CallerContext.As(new Caller("service", Role.System, [], "61", null));
        var finess = FinessNumber.WithKey("61009901");
        var key = RankingKeys.Of(finess, Modality.Residential);
        var id = GrainId.Create(GrainType.Create("ranking"), IdSpan.Create(key));
        var silo = ((InProcessSiloHandle)cluster.Cluster.Primary!).SiloHost.Services;
        var storage = silo.GetRequiredKeyedService<IGrainStorage>(StorageNames.Main);
        var whole = new RankingState();
        whole.Facts["C0001"] = [new TimedFacts(Day, Facts(1) with { Finess = finess })];
        await storage.WriteStateAsync("ranking", id, new GrainState<RankingState>(whole));

        await cluster.Grains.GetGrain<IRankingGrain>(key).ApplyFactsAsync(Facts(2) with { Finess = finess });

        var rows = await silo.GetRequiredService<IKeyedRowStorage>().ReadAsync(id, "ranking");
        Assert.Equal(["f:C0001", "f:C0002", "h"], rows.Rows.Keys.Order(StringComparer.Ordinal));
        var after = new GrainState<RankingState>(new RankingState());
        await storage.ReadStateAsync("ranking", id, after);
        Assert.False(after.RecordExists);
    }
}
