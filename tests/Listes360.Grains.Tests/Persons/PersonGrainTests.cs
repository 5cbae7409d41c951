using Listes360.Domain;
using Listes360.Domain.Candidatures;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;
using Listes360.Domain.Security;
using Listes360.Grains.Department;
using Listes360.Grains.Persons;
using Listes360.Grains.Registry;
using Listes360.Grains.Security;
using Listes360.Grains.Tests.Registry;

namespace Listes360.Grains.Tests.Persons;

[Collection(MemoryClusterCollection.Name)]
public sealed class PersonGrainTests(MemoryClusterFixture cluster) : IDisposable
{
    private static int _next = 7_000;
    private readonly IDisposable _acting = CallerContext.As(new Caller("conseillère", Role.Admin, [], "61", null));

    public void Dispose() => _acting.Dispose();

    private static DateOnly Today => DateOnly.FromDateTime(MemoryClusterFixture.Clock.Now.UtcDateTime);

    [Fact]
    public async Task Parallel_candidatures_and_status_changes_on_one_person_are_all_kept()
    {
        var person = await NewPersonAsync(KindOfSupport.Mas);
        var esms = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => NewEsmsAsync("255")));

        var created = await Task.WhenAll(esms.Select(f => person.CreateCandidatureAsync(FinessNumber.Parse(f), Modality.Residential, Today, "x")));
        await Task.WhenAll(created.Select(c => person.ChangeCandidatureStatusAsync(c.Id, CandidatureStatus.UnderReview, null, "y")));

        var snapshot = (await person.GetAsync())!;
        Assert.Equal(20, snapshot.Candidatures.Count);
        Assert.All(snapshot.Candidatures, c => Assert.Equal(CandidatureStatus.UnderReview, c.Status));
        Assert.Equal(42, snapshot.Version); // creation, orientation, 20 candidatures, 20 changes: none lost
        foreach (var finess in esms)
            Assert.Equal(CandidatureStatus.UnderReview, (await ViewAsync(finess, snapshot.Record.Id)).Status);
    }

    [Fact]
    public async Task A_view_that_could_not_be_delivered_is_repaired_by_the_reconcile_pass()
    {
        var person = await NewPersonAsync(KindOfSupport.Mas);
        var finess = await NewEsmsAsync("255");

        Candidature candidature;
        using (FaultInjection.Fail(nameof(IEsmsGrain.ApplyCandidatureAsync), finess))
            candidature = await person.CreateCandidatureAsync(FinessNumber.Parse(finess), Modality.Residential, Today, "x");

        // Acknowledged by the person's grain (the truth), not yet seen by the ESMS.
        Assert.Single((await person.GetAsync())!.Candidatures);
        Assert.Empty((await cluster.Grains.GetGrain<IEsmsGrain>(finess).GetCandidaturesAsync(false, null, 50)).Items);

        using (CallerContext.As(Caller.ServiceItself))
            await person.ReconcileAsync();

        var view = await ViewAsync(finess, candidature.PersonId);
        Assert.Equal(candidature.Id, view.Id);
        Assert.Equal(candidature.Version, view.Version);
    }

    [Fact]
    public async Task The_pass_reconcile_answers_after_the_write_and_the_view_follows_in_a_turn_of_its_own()
    {
        var person = await NewPersonAsync(KindOfSupport.Mas);
        var finess = await NewEsmsAsync("255");

        Candidature candidature;
        using (FaultInjection.Fail(nameof(IEsmsGrain.ApplyCandidatureAsync), finess))
            candidature = await person.CreateCandidatureAsync(FinessNumber.Parse(finess), Modality.Residential, Today, "x");
        Assert.Empty((await cluster.Grains.GetGrain<IEsmsGrain>(finess).GetCandidaturesAsync(false, null, 50)).Items);

        using (CallerContext.As(Caller.ServiceItself))
            await person.ReconcileThenDeliverAsync();

        // Delivered by the person's outbox timer just after the answer, not within it.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while ((await cluster.Grains.GetGrain<IEsmsGrain>(finess).GetCandidaturesAsync(false, null, 50)).Items.Count == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "la vue de l'ESMS n'a pas suivi la réconciliation en 20 s");
            await Task.Delay(50);
        }
        var view = await ViewAsync(finess, candidature.PersonId);
        Assert.Equal(candidature.Id, view.Id);
        Assert.True(view.Version >= candidature.Version);
    }

    /// <summary>
    /// The server that ran a keyed mutation died after the write and before its answer was kept: the
    /// client's retry runs again, and the record answers as the first time instead of refusing it.
    /// </summary>
    [Fact]
    public async Task A_keyed_operation_run_again_answers_as_the_first_time()
    {
        var person = await NewPersonAsync(KindOfSupport.Mas);
        var finess = await NewEsmsAsync("255");

        Candidature first, again;
        PersonSnapshot admitted, admittedAgain;
        try
        {
            RequestContext.Set(Listes360.Grains.Idempotency.OperationKey.ContextKey, "caller-key-1");
            first = await person.CreateCandidatureAsync(FinessNumber.Parse(finess), Modality.Residential, Today, "x");
            again = await person.CreateCandidatureAsync(FinessNumber.Parse(finess), Modality.Residential, Today, "x");
            RequestContext.Set(Listes360.Grains.Idempotency.OperationKey.ContextKey, "caller-key-2");
            admitted = await person.ChangeCandidatureStatusAsync(first.Id, CandidatureStatus.UnderReview, null, "x");
            admittedAgain = await person.ChangeCandidatureStatusAsync(first.Id, CandidatureStatus.UnderReview, null, "x");
        }
        finally
        {
            RequestContext.Remove(Listes360.Grains.Idempotency.OperationKey.ContextKey);
        }

        Assert.Equal(first.Id, again.Id);
        Assert.Equal(admitted.Version, admittedAgain.Version);
        Assert.Single(admittedAgain.Candidatures);
        // Without the key, the same requests are what they are: a duplicate, a transition to the same status.
        var duplicate = await Assert.ThrowsAsync<DomainException>(() => person.CreateCandidatureAsync(FinessNumber.Parse(finess), Modality.Residential, Today, "x"));
        Assert.Equal("DUPLICATE_CANDIDATURE", duplicate.Code);
        await Assert.ThrowsAsync<DomainException>(() => person.ChangeCandidatureStatusAsync(first.Id, CandidatureStatus.UnderReview, null, "x"));
    }

    /// <summary>An ESMS grain unreachable for a moment (its silo died): the view arrives a few seconds later, without waiting for the daily pass.</summary>
    [Fact]
    public async Task A_view_that_could_not_be_delivered_is_delivered_again_a_few_seconds_later()
    {
        var person = await NewPersonAsync(KindOfSupport.Mas);
        var finess = await NewEsmsAsync("255");

        Candidature candidature;
        using (FaultInjection.Fail(nameof(IEsmsGrain.ApplyCandidatureAsync), finess))
            candidature = await person.CreateCandidatureAsync(FinessNumber.Parse(finess), Modality.Residential, Today, "x");

        var deadline = DateTime.UtcNow.AddSeconds(15);
        var delivered = false;
        while (!delivered && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
            delivered = (await cluster.Grains.GetGrain<IEsmsGrain>(finess).GetCandidaturesAsync(false, null, 50)).Items.Any(v => v.Id == candidature.Id);
        }
        Assert.True(delivered, "la vue de l'ESMS n'a pas été redélivrée sans passe de réconciliation");
    }

    [Fact]
    public async Task Delivering_an_older_view_again_changes_nothing()
    {
        var person = await NewPersonAsync(KindOfSupport.Mas);
        var finess = await NewEsmsAsync("255");
        var created = await person.CreateCandidatureAsync(FinessNumber.Parse(finess), Modality.Residential, Today, "x");
        await person.ChangeCandidatureStatusAsync(created.Id, CandidatureStatus.UnderReview, null, "x");

        using (CallerContext.As(Caller.ServiceItself))
            await cluster.Grains.GetGrain<IEsmsGrain>(finess).ApplyCandidatureAsync(EsmsCandidatureView.Of(created));

        Assert.Equal(CandidatureStatus.UnderReview, (await ViewAsync(finess, created.PersonId)).Status);
    }

    [Fact]
    public async Task Internal_operations_are_refused_to_outside_callers()
    {
        var finess = await NewEsmsAsync("255");

        var error = await Assert.ThrowsAsync<DomainException>(() => cluster.Grains.GetGrain<IEsmsGrain>(finess)
            .ApplyCandidatureAsync(new EsmsCandidatureView(CandidatureId.New(), PersonId.New("61"), FinessNumber.Parse(finess), Modality.Residential,
                KindOfSupport.Mas, Today, CandidatureStatus.Admitted, null, false, 99, MemoryClusterFixture.Clock.Now)));

        Assert.Equal("FORBIDDEN", error.Code);
        Assert.Empty((await cluster.Grains.GetGrain<IEsmsGrain>(finess).GetCandidaturesAsync(false, null, 50)).Items);
    }

    [Fact]
    public async Task Candidatures_expire_when_the_orientation_ends()
    {
        var person = await NewPersonAsync(KindOfSupport.Mas, validTo: Today.AddDays(10));
        var finess = await NewEsmsAsync("255");
        var created = await person.CreateCandidatureAsync(FinessNumber.Parse(finess), Modality.Residential, Today, "x");
        var start = MemoryClusterFixture.Clock.Now;
        try
        {
            MemoryClusterFixture.Clock.Now = start.AddDays(10);
            using (CallerContext.As(Caller.ServiceItself))
                await person.ReconcileAsync();
            Assert.Equal(CandidatureStatus.Received, (await person.GetAsync())!.Candidatures.Single().Status); // last valid day

            MemoryClusterFixture.Clock.Now = start.AddDays(11);
            using (CallerContext.As(Caller.ServiceItself))
                await person.ReconcileAsync();
        }
        finally
        {
            MemoryClusterFixture.Clock.Now = start;
        }

        var expired = (await person.GetAsync())!.Candidatures.Single();
        Assert.Equal(CandidatureStatus.Expired, expired.Status);
        Assert.Equal(CandidatureStatus.Expired, (await ViewAsync(finess, created.PersonId)).Status);
    }

    [Fact]
    public async Task The_waiting_counts_follow_the_person()
    {
        var person = await NewPersonAsync(KindOfSupport.Mas);
        var id = (await person.GetAsync())!.Record.Id;
        var shard = cluster.Grains.GetGrain<IWaitingShardGrain>(new DepartmentTopology { WaitingShards = 4 }.ShardOf(id));
        var before = (await shard.GetCountsAsync()).Total();

        await person.CreateCandidatureAsync(FinessNumber.Parse(await NewEsmsAsync("255")), Modality.Residential, Today, "x");
        await person.CreateCandidatureAsync(FinessNumber.Parse(await NewEsmsAsync("255")), Modality.Residential, Today, "x");

        var after = (await shard.GetCountsAsync()).Total();
        // Oriented and at home without solution, the person already waited before applying (one rule with the list):
        // the candidatures add list entries, not a person.
        Assert.Equal(before.Persons, after.Persons);
        Assert.Equal(before.PersonsWithoutSolution, after.PersonsWithoutSolution);
        Assert.Equal(before.Entries + 2, after.Entries);
    }

    [Fact]
    public async Task A_director_reaches_a_person_only_through_their_esms_and_sees_only_its_candidatures()
    {
        var person = await NewPersonAsync(KindOfSupport.Mas);
        var (own, other) = (await NewEsmsAsync("255"), await NewEsmsAsync("255"));
        var atOther = await person.CreateCandidatureAsync(FinessNumber.Parse(other), Modality.Residential, Today, "x");
        var director = new Caller("directrice", Role.EsmsDirector, [own], "61", null);

        using (CallerContext.As(director))
        {
            var unrelated = await Assert.ThrowsAsync<DomainException>(() => person.GetAsync());
            var unknown = await Assert.ThrowsAsync<DomainException>(() => cluster.Grains.GetGrain<IPersonGrain>(PersonId.New("61").Value).GetAsync());
            Assert.Equal(("FORBIDDEN", unrelated.Message), (unknown.Code, unknown.Message));
            var byIdAlone = await Assert.ThrowsAsync<DomainException>(() => person.CreateCandidatureAsync(FinessNumber.Parse(own), Modality.Residential, Today, "d"));
            Assert.Equal(unrelated.Message, byIdAlone.Message);
        }
        Assert.Single((await person.GetAsync())!.Candidatures);

        await person.CreateCandidatureAsync(FinessNumber.Parse(own), Modality.Residential, Today, "x");
        foreach (var status in new[] { CandidatureStatus.UnderReview, CandidatureStatus.Waiting, CandidatureStatus.Offered, CandidatureStatus.Admitted })
            await person.ChangeCandidatureStatusAsync(atOther.Id, status, null, "x");

        using (CallerContext.As(director))
        {
            var seen = (await person.GetAsync())!;
            var mine = Assert.Single(seen.Candidatures);
            Assert.Equal((own, CandidatureStatus.SolutionFoundElsewhere), (mine.Finess.Value, mine.Status));
            Assert.True(seen.SolutionFoundElsewhere);
            Assert.Empty(seen.MergedPersons!);
        }
    }

    private async Task<IPersonGrain> NewPersonAsync(KindOfSupport orientation, DateOnly? validTo = null)
    {
        var person = cluster.Grains.GetGrain<IPersonGrain>(PersonId.New("61").Value);
        var identity = PersonIdentity.Create("Durand", ["Camille"], new DateOnly(1985, 3, 4), Sex.Female, Today, residenceCommune: "61001");
        await person.CreateAsync(identity, new Situation { Kind = SituationKind.AtHomeWithoutSolution, Since = new DateOnly(2025, 1, 1) }, null, true, "x");
        await person.AddOrientationAsync(Orientation.Create("CDAPH-" + Guid.NewGuid().ToString("N")[..6], orientation, new DateOnly(2025, 1, 1), validTo), "x");
        return person;
    }

    private async Task<string> NewEsmsAsync(string category)
    {
        var finess = Listes360.Domain.Registry.FinessNumber.WithKey("61" + Interlocked.Increment(ref _next).ToString("D6")).Value;
        await cluster.Grains.GetGrain<IEsmsGrain>(finess).RegisterAsync(EsmsGrainTests.Profile(finess, "ESMS " + finess, category), "admin");
        return finess;
    }

    private async Task<EsmsCandidatureView> ViewAsync(string finess, PersonId person) =>
        (await cluster.Grains.GetGrain<IEsmsGrain>(finess).GetCandidaturesAsync(false, null, 200)).Items.Single(v => v.PersonId == person);
}
