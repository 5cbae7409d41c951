using Listes360.Domain.Identity;
using Listes360.Domain.Persons;
using Listes360.Domain.Security;
using Listes360.Grains.Identity;
using Listes360.Grains.Security;

namespace Listes360.Grains.Tests.Identity;

/// <summary>
/// A resolution of the requests just previewed takes the preview's decisions (an import previews then resolves each
/// chunk), and decides again when anything changed in between (département 86, no other test's persons there).
/// </summary>
[Collection(MemoryClusterCollection.Name)]
public sealed class IdentityPreviewReuseTests(MemoryClusterFixture cluster) : IDisposable
{
    private const string Department = "86";
    private readonly IDisposable _acting = CallerContext.As(new Caller("service", Role.System, [], Department, null));

    public void Dispose() => _acting.Dispose();

    private IIdentityGrain Identity => cluster.Grains.GetGrain<IIdentityGrain>(Department);

    private static DateOnly Today => DateOnly.FromDateTime(MemoryClusterFixture.Clock.Now.UtcDateTime);

    private static IdentityRequest Request(string last, string first, DateOnly birth, string source) =>
        new(MatchRecords.Of(source, PersonIdentity.Create(last, [first], birth, Sex.Male, Today), "86000", "Poitiers"), true, source);

    [Fact]
    public async Task Resolving_the_requests_just_previewed_gives_the_persons_the_preview_announced()
    {
        IdentityRequest[] requests = [Request("Texier", "Baptiste", new DateOnly(1992, 3, 14), "liste.csv, ligne 2"),
            Request("Morin", "Jules", new DateOnly(1990, 7, 1), "liste.csv, ligne 3")];

        var preview = await Identity.PreviewAsync(requests);
        var resolved = await Identity.ResolveAsync([.. requests]);

        Assert.All(preview, p => Assert.Equal(IdentityOutcome.NewPerson, p.Outcome));
        // A new person's id is drawn at each decision: the same ids show the preview's decisions were kept.
        Assert.Equal(preview.Select(p => p.PersonId), resolved.Select(r => r.PersonId));
        Assert.All(resolved, r => Assert.True(r.RecordAdded));
        // Resolved once: the same requests now join the persons created.
        var again = await Identity.ResolveAsync(requests);
        Assert.All(again, r => Assert.Equal(IdentityOutcome.SamePerson, r.Outcome));
        Assert.Equal(resolved.Select(r => r.PersonId), again.Select(r => r.PersonId));
    }

    [Fact]
    public async Task A_preview_followed_by_another_resolution_is_decided_again()
    {
        var request = Request("Brunet", "Hugo", new DateOnly(1995, 11, 20), "liste-a.csv, ligne 2");
        var preview = await Identity.PreviewAsync([request]);
        Assert.Equal(IdentityOutcome.NewPerson, preview[0].Outcome);

        // Another list creates the same person in between.
        var other = await Identity.ResolveAsync([request with { Source = "liste-b.csv, ligne 7" }]);
        var resolved = await Identity.ResolveAsync([request]);

        Assert.Equal(IdentityOutcome.SamePerson, resolved[0].Outcome);
        Assert.Equal(other[0].PersonId, resolved[0].PersonId);
        Assert.NotEqual(preview[0].PersonId, resolved[0].PersonId);
    }

    [Fact]
    public async Task A_resolution_of_other_requests_than_the_preview_is_decided_for_them()
    {
        var previewed = Request("Roux", "Léo", new DateOnly(1988, 2, 2), "liste.csv, ligne 2");
        var resolvedInstead = Request("Roux", "Léa", new DateOnly(1987, 5, 9), "liste.csv, ligne 3");
        var preview = await Identity.PreviewAsync([previewed]);

        var resolved = await Identity.ResolveAsync([resolvedInstead]);

        Assert.Equal(IdentityOutcome.NewPerson, resolved[0].Outcome);
        Assert.NotEqual(preview[0].PersonId, resolved[0].PersonId);
        // The person previewed was never created: resolving them now creates them.
        var later = await Identity.ResolveAsync([previewed]);
        Assert.Equal(IdentityOutcome.NewPerson, later[0].Outcome);
        Assert.NotEqual(resolved[0].PersonId, later[0].PersonId);
    }
}
