using System.Reflection;
using Listes360.Domain;
using Listes360.Domain.Registry;
using Listes360.Domain.Security;
using Listes360.Grains.Registry;
using Listes360.Grains.Security;

namespace Listes360.Grains.Tests.Security;

[Collection(MemoryClusterCollection.Name)]
public sealed class AuthorizationFilterTests(MemoryClusterFixture cluster)
{
    private static readonly Caller Admin = new("admin", Role.Admin, [], "61", null);

    [Fact]
    public void Every_grain_method_declares_who_may_call_it()
    {
        var grainInterfaces = typeof(IEsmsGrain).Assembly.GetTypes()
            .Where(t => t.IsInterface && typeof(IAddressable).IsAssignableFrom(t));

        var missing = grainInterfaces
            .SelectMany(i => i.GetMethods())
            .Where(m => m.GetCustomAttribute<AllowAttribute>() is null == m.GetCustomAttribute<InternalAttribute>() is null)
            .Select(m => $"{m.DeclaringType!.Name}.{m.Name}")
            .ToList();

        Assert.True(missing.Count == 0, "Méthodes sans règle d'accès (ou avec deux) : " + string.Join(", ", missing));
        Assert.NotEmpty(grainInterfaces);
    }

    [Fact]
    public async Task A_call_without_identity_is_refused()
    {
        var error = await Assert.ThrowsAsync<DomainException>(() => cluster.Grains.GetGrain<IEsmsGrain>("610008880").GetAsync());

        Assert.Equal("FORBIDDEN", error.Code);
        Assert.Contains("sans identité", error.Message);
    }

    [Fact]
    public async Task A_director_is_refused_another_esms_and_it_stays_unchanged()
    {
        using (CallerContext.As(Admin))
            await cluster.Grains.GetGrain<IEsmsGrain>("610008898").RegisterAsync(Listes360.Grains.Tests.Registry.EsmsGrainTests.Profile("610008898", "ESAT du Pays d'Auge", "246"), "admin");

        using (CallerContext.As(new Caller("dir", Role.EsmsDirector, ["610008906"], null, null)))
        {
            var error = await Assert.ThrowsAsync<DomainException>(() =>
                cluster.Grains.GetGrain<IEsmsGrain>("610008898").SetPlacesAsync(Modality.SemiResidential, 10, 0, new DateOnly(2026, 11, 23), "dir"));
            Assert.Equal("FORBIDDEN", error.Code);
        }

        using (CallerContext.As(Admin))
            Assert.Empty((await cluster.Grains.GetGrain<IEsmsGrain>("610008898").GetAsync())!.Places);
    }

    [Fact]
    public async Task Writes_and_denials_are_audited_with_the_caller_and_plain_reads_are_not()
    {
        using (CallerContext.As(Admin))
        {
            await cluster.Grains.GetGrain<IEsmsGrain>("610008922").RegisterAsync(Listes360.Grains.Tests.Registry.EsmsGrainTests.Profile("610008922", "FAM La Vallée", "437"), "admin");
            await cluster.Grains.GetGrain<IEsmsGrain>("610008922").GetAsync();
        }
        using (CallerContext.As(new Caller("intrus", Role.EsmsDirector, ["610000069"], null, null)))
            await Assert.ThrowsAsync<DomainException>(() => cluster.Grains.GetGrain<IEsmsGrain>("610008922").SetPlacesAsync(Modality.Residential, 1, 0, new DateOnly(2026, 11, 23), "intrus"));

        var entries = MemoryClusterFixture.Audit.Entries.Where(e => e.Target == "610008922").ToList();
        var write = Assert.Single(entries, e => e.Outcome == AuditOutcome.Done);
        Assert.Equal(("admin", Role.Admin, "IEsmsGrain.RegisterAsync", AuditKind.Write), (write.Subject, write.Role, write.Operation, write.Kind));
        var denied = Assert.Single(entries, e => e.Outcome == AuditOutcome.Denied);
        Assert.Equal(("intrus", "IEsmsGrain.SetPlacesAsync"), (denied.Subject, denied.Operation));
        Assert.DoesNotContain(entries, e => e.Operation == "IEsmsGrain.GetAsync");
    }

    [Fact]
    public async Task A_director_acts_on_their_own_esms()
    {
        using (CallerContext.As(Admin))
            await cluster.Grains.GetGrain<IEsmsGrain>("610008914").RegisterAsync(Listes360.Grains.Tests.Registry.EsmsGrainTests.Profile("610008914", "SAVS de l'Orne", "446"), "admin");

        using (CallerContext.As(new Caller("dir", Role.EsmsDirector, ["610008914"], null, null)))
        {
            var updated = await cluster.Grains.GetGrain<IEsmsGrain>("610008914").SetPlacesAsync(Modality.InCommunity, 30, 25, new DateOnly(2026, 11, 23), "dir");
            Assert.Equal(5, updated.Places.Single().Vacancies);
        }
    }
}
