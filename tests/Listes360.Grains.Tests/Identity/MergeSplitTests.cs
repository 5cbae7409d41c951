using Listes360.Domain;
using Listes360.Domain.Identity;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;
using Listes360.Domain.Security;
using Listes360.Grains.Identity;
using Listes360.Grains.Persons;
using Listes360.Grains.Registry;
using Listes360.Grains.Security;
using Listes360.Grains.Tests.Registry;

namespace Listes360.Grains.Tests.Identity;

/// <summary>Identity resolution, the review queue, merge and split, in département 53 (no other test's persons there).</summary>
[Collection(MemoryClusterCollection.Name)]
public sealed class MergeSplitTests(MemoryClusterFixture cluster) : IDisposable
{
    private const string Department = "53";
    private static int _next = 500;
    private readonly IDisposable _acting = CallerContext.As(new Caller("référente MDPH", Role.MdphReferent, [], Department, null));

    public void Dispose() => _acting.Dispose();

    private static DateOnly Today => DateOnly.FromDateTime(MemoryClusterFixture.Clock.Now.UtcDateTime);

    private IIdentityGrain Identity => cluster.Grains.GetGrain<IIdentityGrain>(Department);

    [Fact]
    public async Task Merge_moves_every_candidature_and_split_returns_each_to_its_person_both_audited()
    {
        var (a, aCandidatures) = await PersonWithCandidaturesAsync("Lebrun", "Claire", new DateOnly(1980, 5, 6), 2);
        var (b, bCandidatures) = await PersonWithCandidaturesAsync("Le Brun", "Claire", new DateOnly(1980, 6, 5), 3);
        var auditBefore = MemoryClusterFixture.Audit.Entries.Count;

        var merge = await Identity.MergeAsync(a, b, "même personne : dossier MDPH vérifié", "référente MDPH");

        Assert.Equal(b, merge.From);
        var merged = (await Person(a).GetAsync())!;
        Assert.Equal(aCandidatures.Concat(bCandidatures).Order(), merged.Candidatures.Select(c => c.Id.Value).Order());
        Assert.All(merged.Candidatures, c => Assert.Equal(a, c.PersonId.Value));
        Assert.Equal(new[] { b }, merged.MergedPersons);
        Assert.Equal(a, (await Person(b).GetAsync())!.Record.Id.Value); // the tombstone redirects reads
        var refused = await Assert.ThrowsAsync<DomainException>(() => Person(b).UpdateSituationAsync(
            new Situation { Kind = SituationKind.InHospital, Since = Today }, null, "x"));
        Assert.Equal("PERSON_MERGED", refused.Code);
        foreach (var (finess, candidature) in await ViewsAsync(aCandidatures.Concat(bCandidatures)))
            Assert.Equal(a, candidature.PersonId.Value);

        var split = await Identity.SplitAsync(b, "homonymes : dates de naissance vérifiées", "référente MDPH");

        Assert.True(split.Split);
        Assert.Equal(aCandidatures.Order(), (await Person(a).GetAsync())!.Candidatures.Select(c => c.Id.Value).Order());
        var back = (await Person(b).GetAsync())!;
        Assert.Equal(b, back.Record.Id.Value);
        Assert.Equal(bCandidatures.Order(), back.Candidatures.Select(c => c.Id.Value).Order());
        Assert.All(back.Candidatures, c => Assert.Equal(b, c.PersonId.Value));
        foreach (var (finess, candidature) in await ViewsAsync(bCandidatures))
            Assert.Equal(b, candidature.PersonId.Value);

        var audit = MemoryClusterFixture.Audit.Entries.Skip(auditBefore).Where(e => e.Outcome == AuditOutcome.Done).ToList();
        var mergeEntry = Assert.Single(audit, e => e.Operation == "IIdentityGrain.MergeAsync");
        Assert.Equal("référente MDPH", mergeEntry.Subject);
        Assert.Equal($"survivor={a} ; merged={b} ; reason=même personne : dossier MDPH vérifié", mergeEntry.Detail);
        var splitEntry = Assert.Single(audit, e => e.Operation == "IIdentityGrain.SplitAsync");
        Assert.Equal($"merged={b} ; reason=homonymes : dates de naissance vérifiées", splitEntry.Detail);
    }

    [Fact]
    public async Task A_merge_interrupted_before_the_tombstone_is_finished_by_the_next_call_never_left_half_done()
    {
        var (a, aCandidatures) = await PersonWithCandidaturesAsync("Marchal", "Inès", new DateOnly(1975, 2, 3), 1);
        var (b, bCandidatures) = await PersonWithCandidaturesAsync("Marechal", "Ines", new DateOnly(1975, 2, 3), 2);

        using (FaultInjection.Fail("BecomeTombstoneAsync", b))
            await Assert.ThrowsAnyAsync<Exception>(() => Identity.MergeAsync(a, b, "même personne", "référente MDPH"));

        // In between: the survivor holds everything, the merged person is not a tombstone yet.
        Assert.Equal(aCandidatures.Concat(bCandidatures).Order(), (await Person(a).GetAsync())!.Candidatures.Select(c => c.Id.Value).Order());
        Assert.Equal(b, (await Person(b).GetAsync())!.Record.Id.Value);

        // The next identity operation finishes it first: this merge is then already done.
        var again = await Assert.ThrowsAsync<DomainException>(() => Identity.MergeAsync(a, b, "même personne", "référente MDPH"));
        Assert.Equal("PERSON_MERGED", again.Code);
        Assert.Equal(a, (await Person(b).GetAsync())!.Record.Id.Value);

        var split = await Identity.SplitAsync(b, "vérification", "référente MDPH");
        Assert.Equal(bCandidatures.Order(), (await Person(b).GetAsync())!.Candidatures.Select(c => c.Id.Value).Order());
        Assert.True(split.Split);
    }

    [Fact]
    public async Task A_possible_duplicate_is_queued_side_by_side_and_the_referent_resolves_it()
    {
        var first = MatchRecords.Of("saisie", IdentityOf("Hamon", "Gaëlle", new DateOnly(1975, 3, 14)), "53000", "Laval");
        var resolved = await Identity.ResolveAsync([new IdentityRequest(first, true, "test")]);
        Assert.Equal(IdentityOutcome.NewPerson, resolved[0].Outcome);
        var again = await Identity.ResolveAsync([new IdentityRequest(first with { RecordId = "autre" }, true, "test")]);
        Assert.Equal(IdentityOutcome.SamePerson, again[0].Outcome);
        Assert.Equal(resolved[0].PersonId, again[0].PersonId);

        // A variant the domain engine puts in the grey zone (names close, date off, no strong key).
        Domain.Identity.Records.PersonRecord[] variants =
        [
            MatchRecords.Of("liste", IdentityOf("Hamon", "Gaelle", new DateOnly(1975, 3, 17)), null, null),
            MatchRecords.Of("liste", IdentityOf("Hamond", "Gaelle", new DateOnly(1975, 3, 27)), null, null),
            MatchRecords.Of("liste", IdentityOf("Hamon", "Gwenaelle", new DateOnly(1975, 8, 14)), null, null),
            MatchRecords.Of("liste", IdentityOf("Amon", "Gaelle", new DateOnly(1976, 3, 14)), null, null),
            MatchRecords.Of("liste", IdentityOf("Hamon", "Gaelle", new DateOnly(1957, 3, 14)), null, null),
            MatchRecords.Of("liste", IdentityOf("Hamon", "Gael", new DateOnly(1975, 4, 14)), null, null),
        ];
        var variant = variants.First(v => IdentityResolver.Decide(v, [("p", first)]).Outcome == IdentityOutcome.Review);
        var queued = await Identity.ResolveAsync([new IdentityRequest(variant, true, "liste.csv, ligne 2")]);

        Assert.Equal(IdentityOutcome.Review, queued[0].Outcome);
        var queue = cluster.Grains.GetGrain<IReviewQueueGrain>(Department);
        var item = (await queue.ListAsync(true, null, 200)).Items.Single(i => i.NewPerson == queued[0].PersonId);
        Assert.Equal(resolved[0].PersonId, item.ExistingPerson);
        Assert.Equal("Hamon", item.Existing.LastName);
        Assert.Equal(variant.BirthDate, item.New.BirthDate);
        Assert.NotEmpty(item.Match.Reasons);
        Assert.Equal("liste.csv, ligne 2", item.Source);

        var done = await queue.ResolveAsync(item.Id, ReviewDecision.DifferentPersons, null, "deux sœurs jumelles", "référente MDPH");
        Assert.Equal(ReviewStatus.DifferentPersons, done.Status);
        Assert.DoesNotContain((await queue.ListAsync(true, null, 200)).Items, i => i.Id == item.Id);
        await Identity.ResolveAsync([new IdentityRequest(variant with { RecordId = "x" }, true, "liste.csv, ligne 2")]);
        Assert.DoesNotContain((await queue.ListAsync(true, null, 200)).Items, i => i.Id == item.Id); // answered pairs stay answered
    }

    [Fact]
    public async Task Merging_needs_a_reason_and_the_mdph_referent_or_an_administrator()
    {
        var (a, _) = await PersonWithCandidaturesAsync("Rault", "Yves", new DateOnly(1970, 1, 2), 1);
        var (b, _) = await PersonWithCandidaturesAsync("Rault", "Yves", new DateOnly(1970, 2, 1), 1);
        Assert.Equal("REASON_REQUIRED", (await Assert.ThrowsAsync<DomainException>(() => Identity.MergeAsync(a, b, " ", "x"))).Code);
        using (CallerContext.As(new Caller("conseiller", Role.TerritorialStaff, [], Department, null)))
            Assert.Equal("FORBIDDEN", (await Assert.ThrowsAsync<DomainException>(() => Identity.MergeAsync(a, b, "doublon", "x"))).Code);
        Assert.Empty((await Person(a).GetAsync())!.MergedPersons!);
    }

    private static PersonIdentity IdentityOf(string name, string first, DateOnly birth) =>
        PersonIdentity.Create(name, [first], birth, Sex.Female, Today);

    private IPersonGrain Person(string id) => cluster.Grains.GetGrain<IPersonGrain>(id);

    private async Task<(string Id, List<string> Candidatures)> PersonWithCandidaturesAsync(string name, string first, DateOnly birth, int count)
    {
        var id = PersonId.New(Department).Value;
        using var _ = CallerContext.As(new Caller("admin", Role.Admin, [], Department, null));
        await Person(id).CreateAsync(IdentityOf(name, first, birth), null, null, false, "admin");
        await Person(id).AddOrientationAsync(Orientation.Create($"CDAPH-{id}", KindOfSupport.Mas, Today.AddYears(-1), null), "admin");
        var candidatures = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var finess = Listes360.Domain.Registry.FinessNumber.WithKey(Department + Interlocked.Increment(ref _next).ToString("D6", System.Globalization.CultureInfo.InvariantCulture)).Value;
            await cluster.Grains.GetGrain<IEsmsGrain>(finess).RegisterAsync(EsmsGrainTests.Profile(finess, "MAS " + finess, "255"), "admin");
            candidatures.Add((await Person(id).CreateCandidatureAsync(FinessNumber.Parse(finess), Modality.Residential, Today, "admin")).Id.Value);
        }
        return (id, candidatures);
    }

    private async Task<List<(string Finess, EsmsCandidatureView View)>> ViewsAsync(IEnumerable<string> candidatures)
    {
        using var _ = CallerContext.As(new Caller("admin", Role.Admin, [], Department, null));
        var found = new List<(string, EsmsCandidatureView)>();
        foreach (var id in candidatures)
        {
            // Each test ESMS has one candidature: find it by scanning this test's ESMS.
            for (var n = 501; n <= _next; n++)
            {
                var finess = Listes360.Domain.Registry.FinessNumber.WithKey(Department + n.ToString("D6", System.Globalization.CultureInfo.InvariantCulture)).Value;
                var views = await cluster.Grains.GetGrain<IEsmsGrain>(finess).GetCandidaturesAsync(false, null, 10);
                if (views.Items.FirstOrDefault(v => v.Id.Value == id) is { } view)
                    found.Add((finess, view));
            }
        }
        Assert.Equal(candidatures.Count(), found.Count);
        return found;
    }
}
