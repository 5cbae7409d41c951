using Listes360.Domain;
using Listes360.Domain.Candidatures;
using Listes360.Domain.Identity;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;
using Listes360.Domain.Security;
using Listes360.Grains.Grid;
using Listes360.Grains.Lists;
using Listes360.Grains.Registry;
using Listes360.Grains.Security;
using Listes360.Grains.Tests.Registry;

namespace Listes360.Grains.Tests.Lists;

/// <summary>
/// A list import delivers its persons' effects in bulk (issue 20): one batch per ESMS and per ranking
/// instead of one apply per row; what a receiver refused, each person delivers itself after its grace
/// (3 s in the test cluster). Département 78: no other test's persons there.
/// </summary>
[Collection(MemoryClusterCollection.Name)]
public sealed class ListImportBulkDeliveryTests(MemoryClusterFixture cluster) : IDisposable
{
    private const string Department = "78";
    private static int _next;
    private readonly IDisposable _acting = CallerContext.As(new Caller("admin", Role.Admin, [], Department, null));

    public void Dispose() => _acting.Dispose();

    private static DateOnly Today => DateOnly.FromDateTime(MemoryClusterFixture.Clock.Now.UtcDateTime);

    private async Task<string> NewMasAsync()
    {
        var finess = FinessNumber.WithKey(Department + (100 + Interlocked.Increment(ref _next)).ToString("D6")).Value;
        await cluster.Grains.GetGrain<IEsmsGrain>(finess).RegisterAsync(EsmsGrainTests.Profile(finess, "MAS de l'import groupé", "255"), "admin");
        return finess;
    }

    private static readonly string[] Surnames = ["Aubert", "Besnard", "Chevallier", "Delaunay", "Esnault", "Fouquet"];
    private static readonly string[] FirstNames = ["Armand", "Brice", "Cyprien", "Damien", "Elouan", "Firmin"];

    /// <summary>Rows of distinct persons (no two alike: none goes to review), all new to the département.</summary>
    private static ListImportRow[] Rows(string family, int count, int test) =>
        [.. Enumerable.Range(0, count).Select(i =>
        {
            var identity = PersonIdentity.Create($"{Surnames[i]}-{family}", [FirstNames[i]], new DateOnly(1970 + 3 * i, 1 + (i + test) % 12, 4 + test), Sex.Male, Today);
            return new ListImportRow(i + 2, identity, MatchRecords.Of($"liste.csv:{i + 2}", identity, null, null), null,
                new ListOrientation($"CDAPH-{family}-{i}", KindOfSupport.Mas, Today.AddYears(-1), null), Modality.Residential, Today.AddDays(-10 - i), false);
        })];

    private async Task<int> OpenViewsAsync(string finess) =>
        (await cluster.Grains.GetGrain<IEsmsGrain>(finess).GetCandidaturesAsync(openOnly: true, after: null, first: 100)).Items.Count;

    [Fact]
    public async Task A_chunk_reaches_its_esms_and_ranking_in_one_batch_each_and_the_persons_do_not_send_it_again()
    {
        var finess = await NewMasAsync();
        var ranking = RankingKeys.Of(FinessNumber.Parse(finess), Modality.Residential);

        var results = await cluster.Grains.GetGrain<IListImportGrain>(finess).ImportAsync(Rows("Groupé", 6, test: 0), "liste.csv", "admin");

        Assert.All(results, r => Assert.Equal(ListRowOutcome.Created, r.Outcome));
        Assert.Equal(6, await OpenViewsAsync(finess)); // delivered before the import answers
        Assert.Equal(1, CallCounter.Count(nameof(IEsmsGrain.ApplyCandidaturesAsync), finess));
        Assert.Equal(1, CallCounter.Count(nameof(IRankingGrain.ApplyManyFactsAsync), ranking));
        // The grid knew the ranking before its facts left: one registration call for the delivery.
        Assert.Equal(1, CallCounter.Count(nameof(IGridGrain.RegisterRankingsAsync), Department));
        // Past the grace, the acknowledged persons have sent nothing themselves.
        await Task.Delay(TimeSpan.FromSeconds(4));
        Assert.Equal(0, CallCounter.Count(nameof(IEsmsGrain.ApplyCandidatureAsync), finess));
        Assert.Equal(0, CallCounter.Count(nameof(IRankingGrain.ApplyFactsAsync), ranking));
    }

    [Fact]
    public async Task What_a_receiver_refused_in_bulk_each_person_delivers_itself_after_the_grace()
    {
        var finess = await NewMasAsync();
        IReadOnlyList<ListRowResult> results;
        using (FaultInjection.Fail(nameof(IEsmsGrain.ApplyCandidaturesAsync), finess))
            results = await cluster.Grains.GetGrain<IListImportGrain>(finess).ImportAsync(Rows("Différé", 4, test: 1), "liste.csv", "admin");

        // The rows are accepted (each person's write is the acknowledged point); the ESMS view comes later.
        Assert.All(results, r => Assert.Equal(ListRowOutcome.Created, r.Outcome));
        Assert.Equal(0, await OpenViewsAsync(finess));
        for (var wait = 0; wait < 150 && await OpenViewsAsync(finess) < 4; wait++)
            await Task.Delay(100);
        Assert.Equal(4, await OpenViewsAsync(finess));
        Assert.Equal(4, CallCounter.Count(nameof(IEsmsGrain.ApplyCandidatureAsync), finess)); // one by each person
    }

    [Fact]
    public async Task A_batch_with_a_view_of_another_esms_changes_nothing()
    {
        var finess = await NewMasAsync();
        var other = await NewMasAsync();
        await cluster.Grains.GetGrain<IListImportGrain>(finess).ImportAsync(Rows("Voisin", 2, test: 2), "liste.csv", "admin");
        await cluster.Grains.GetGrain<IListImportGrain>(other).ImportAsync(Rows("Étranger", 1, test: 3), "liste.csv", "admin");
        var mine = (await cluster.Grains.GetGrain<IEsmsGrain>(finess).GetCandidaturesAsync(true, null, 10)).Items;
        var stranger = (await cluster.Grains.GetGrain<IEsmsGrain>(other).GetCandidaturesAsync(true, null, 10)).Items.Single();

        using var service = CallerContext.As(new Caller("service", Role.System, [], Department, null));
        var newer = mine.Select(v => v with { Version = v.Version + 1, Status = CandidatureStatus.Withdrawn }).ToList();
        var e = await Assert.ThrowsAsync<DomainException>(() => cluster.Grains.GetGrain<IEsmsGrain>(finess).ApplyCandidaturesAsync([.. newer, stranger]));

        Assert.Equal("INVALID_CANDIDATURE", e.Code);
        Assert.Equal(2, await OpenViewsAsync(finess));
    }
}
