using Listes360.Domain;
using Listes360.Domain.Registry;
using Listes360.Domain.Security;
using Listes360.Grains.Registry;
using Listes360.Grains.Security;

namespace Listes360.Grains.Tests.Registry;

[Collection(MemoryClusterCollection.Name)]
public sealed class EsmsGrainTests(MemoryClusterFixture cluster) : IDisposable
{
    private readonly IDisposable _acting = CallerContext.As(new Caller("test-admin", Role.Admin, [], "61", null));

    public void Dispose() => _acting.Dispose();

    private static readonly DateOnly Today = new(2026, 11, 23);

    private IEsmsGrain Esms(string finess) => cluster.Grains.GetGrain<IEsmsGrain>(finess);

    internal static EsmsProfile Profile(string finess, string name, string category) =>
        new EsmsRegistrationRequest(finess, name, category).ToProfile();

    [Fact]
    public async Task An_unregistered_esms_reads_as_null()
    {
        Assert.Null(await Esms("610010001").GetAsync());
    }

    [Fact]
    public async Task Registering_the_same_identity_twice_changes_nothing()
    {
        var first = await Esms("610010019").RegisterAsync(Profile("610010019", "IME La Garenne", "183"), "admin");
        var second = await Esms("610010019").RegisterAsync(Profile("610010019", " IME La Garenne ", "183"), "admin");

        Assert.True(first.Changed);
        Assert.False(second.Changed);
        Assert.Equal(1, second.Esms.Version);
    }

    [Fact]
    public async Task Invalid_places_are_refused_and_the_state_stays()
    {
        var esms = Esms("610010027");
        await esms.RegisterAsync(Profile("610010027", "FAM Les Prés", "437"), "admin");
        await esms.SetPlacesAsync(Modality.Residential, 20, 18, Today, "directrice");

        var error = await Assert.ThrowsAsync<DomainException>(() => esms.SetPlacesAsync(Modality.Residential, -1, 0, Today, "directrice"));

        Assert.Equal("INVALID_PLACES", error.Code);
        var read = await esms.GetAsync();
        Assert.Equal(18, read!.Places.Single().Occupied);
        Assert.Equal(2, read.Version);
    }

    [Fact]
    public async Task Places_of_an_unregistered_esms_are_refused()
    {
        var error = await Assert.ThrowsAsync<DomainException>(() => Esms("610010035").SetPlacesAsync(Modality.Residential, 5, 0, Today, "x"));

        Assert.Equal("UNKNOWN_ESMS", error.Code);
        Assert.Null(await Esms("610010035").GetAsync());
    }

    [Fact]
    public async Task Parallel_place_updates_are_all_kept_in_order()
    {
        var esms = Esms("610009995");
        await esms.RegisterAsync(Profile("610009995", "MAS du Houlme", "255"), "admin");

        var updates = Enumerable.Range(1, 50)
            .Select(occupied => esms.SetPlacesAsync(Modality.Residential, 60, occupied, Today, $"agent-{occupied}"));
        await Task.WhenAll(updates);

        var read = await esms.GetAsync();
        Assert.Equal(51, read!.Version);
        Assert.Equal(50, read.PlacesHistory.Count);
        Assert.Equal(Enumerable.Range(1, 50).Order(), read.PlacesHistory.Select(c => c.After.Occupied).Order());
        // Each change's "before" is the previous change's "after": none was overwritten unseen.
        for (var i = 1; i < read.PlacesHistory.Count; i++)
            Assert.Equal(read.PlacesHistory[i - 1].After, read.PlacesHistory[i].Before);
    }
}
