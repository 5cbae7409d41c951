using Listes360.Domain.Grid;
using Listes360.Domain.Registry;
using Listes360.Domain.Security;
using Listes360.Grains.Grid;
using Listes360.Grains.Security;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Orleans.TestingHost;

namespace Listes360.Grains.Tests.Grid;

/// <summary>The département's admission statistics take admissions arriving together (they interleave and share writes): none is lost, in memory or in storage.</summary>
[Collection(MemoryClusterCollection.Name)]
public sealed class AdmissionStatsGrainTests(MemoryClusterFixture cluster)
{
    private const string Department = "973";
    private const string Territory = "249730001";

    private static AdmissionRecord Admission(int n) =>
        new($"C{n:D4}", KindOfSupport.Fam, Territory, new DateOnly(2025, 1, 1), new DateOnly(2025, 1, 1).AddDays(10 * n));

    private async Task<AdmissionStatsState> StoredAsync()
    {
        var storage = ((InProcessSiloHandle)cluster.Cluster.Primary!).SiloHost.Services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Main);
        var stored = new GrainState<AdmissionStatsState>(new AdmissionStatsState());
        await storage.ReadStateAsync("admissions", GrainId.Create(GrainType.Create("admissionstats"), IdSpan.Create(Department)), stored);
        return stored.State!;
    }

    [Fact]
    public async Task Admissions_and_removals_arriving_together_are_all_recorded_and_stored()
    {
        using var service = CallerContext.As(new Caller("service", Role.System, [], Department, null));
        var stats = cluster.Grains.GetGrain<IAdmissionStatsGrain>(Department);

        await Task.WhenAll(Enumerable.Range(1, 30).Select(n => stats.RecordAsync(Admission(n))));

        var median = await stats.MedianAsync(KindOfSupport.Fam, Territory);
        Assert.Equal((30, 150), (median.Admissions, median.MedianDays));
        Assert.Equal(30, (await StoredAsync()).Samples[AdmissionWindow.KeyOf(KindOfSupport.Fam, Territory)].Count);

        await Task.WhenAll(Enumerable.Range(1, 10).Select(n => stats.RemoveAsync($"C{n:D4}")));

        Assert.Equal(20, (await stats.MedianAsync(KindOfSupport.Fam, Territory)).Admissions);
        Assert.Equal(Enumerable.Range(11, 20).Select(n => $"C{n:D4}"),
            (await StoredAsync()).Samples[AdmissionWindow.KeyOf(KindOfSupport.Fam, Territory)].Select(s => s.CandidatureId));
    }

    [Fact]
    public async Task A_caller_outside_the_service_is_refused()
    {
        using var director = CallerContext.As(new Caller("directrice", Role.EsmsDirector, ["973000018"], Department, null));

        var error = await Assert.ThrowsAsync<Listes360.Domain.DomainException>(() => cluster.Grains.GetGrain<IAdmissionStatsGrain>(Department).RecordAsync(Admission(99)));

        Assert.Equal("FORBIDDEN", error.Code);
    }
}
