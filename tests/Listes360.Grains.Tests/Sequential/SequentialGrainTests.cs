using Listes360.Domain;
using Listes360.Domain.Candidatures;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;
using Listes360.Domain.Security;
using Listes360.Domain.Sequential;
using Listes360.Grains.Persons;
using Listes360.Grains.Registry;
using Listes360.Grains.Security;
using Listes360.Grains.Sequential;
using Listes360.Grains.Tests.Registry;

namespace Listes360.Grains.Tests.Sequential;

[Collection(MemoryClusterCollection.Name)]
public sealed class SequentialGrainTests(MemoryClusterFixture cluster) : IDisposable
{
    private static int _next = 8_000;
    private readonly IDisposable _acting = CallerContext.As(new Caller("conseillère", Role.Admin, [], "61", null));

    public void Dispose() => _acting.Dispose();

    private static DateOnly Today => DateOnly.FromDateTime(MemoryClusterFixture.Clock.Now.UtcDateTime);

    private static int _weeks;

    /// <summary>
    /// Each test's week, apart from the others' (declarations run that week only), so that the
    /// availability other tests leave in the shared cluster never enters its combinations.
    /// </summary>
    private readonly DateOnly Start = Today.AddDays(7 * Interlocked.Increment(ref _weeks));

    private static int Days(params DayOfWeek[] days) => days.Aggregate(0, (m, d) => m | WeekSlots.Mask(d, DayPart.FullDay));
    private static readonly int MonToWed = Days(DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday);
    private static readonly int ThuFri = Days(DayOfWeek.Thursday, DayOfWeek.Friday);

    [Fact]
    public async Task A_declaration_beyond_the_capacity_is_refused_and_changes_nothing()
    {
        var finess = await NewEsmsAsync(capacity: 4);
        var availability = Availability(finess);
        await availability.DeclareAsync(Modality.SemiResidential, MonToWed, 3, Start, Start.AddDays(6), "directrice");

        var error = await Assert.ThrowsAsync<DomainException>(() => availability.DeclareAsync(Modality.SemiResidential, Days(DayOfWeek.Monday), 2, Start, Start.AddDays(6), "directrice"));

        Assert.Equal("CAPACITY_EXCEEDED", error.Code);
        var view = await availability.GetAsync(Start);
        Assert.Single(view.Declarations);
        Assert.Equal(3, view.Free.First(f => f.HalfDay == 0).Places);
    }

    [Fact]
    public async Task A_director_declares_only_for_their_own_esms()
    {
        var own = await NewEsmsAsync();
        var other = await NewEsmsAsync();
        using var director = CallerContext.As(new Caller("directrice", Role.EsmsDirector, [own], "61", null));

        await Availability(own).DeclareAsync(Modality.SemiResidential, MonToWed, 1, Start, Start.AddDays(6), "directrice");
        var error = await Assert.ThrowsAsync<DomainException>(() => Availability(other).DeclareAsync(Modality.SemiResidential, MonToWed, 1, Start, Start.AddDays(6), "directrice"));

        Assert.Equal("FORBIDDEN", error.Code);
    }

    [Fact]
    public async Task The_search_and_the_reverse_query_find_three_plus_two_days_and_the_proposal_offers_both()
    {
        var (a, b) = (await NewEsmsAsync(), await NewEsmsAsync());
        await Availability(a).DeclareAsync(Modality.SemiResidential, MonToWed, 1, Start, Start.AddDays(6), "directrice A");
        await Availability(b).DeclareAsync(Modality.SemiResidential, ThuFri, 1, Start, Start.AddDays(6), "directrice B");
        var person = await NewWaitingPersonAsync(days: 5);

        var search = await Search().SearchAsync(Start, null, 3, 200);
        var combination = search.Combinations.First(c => c.Person == person && c.Parts.All(p => p.Finess.Value == a || p.Finess.Value == b));
        Assert.Equal([a, b], combination.Parts.Select(p => p.Finess.Value).Order());
        foreach (var esms in new[] { a, b })
            Assert.Contains((await Availability(esms).FindCandidatesAsync(Start, 3, 200)).Combinations, c => c.Person == person);

        var proposal = await Sequential(person).ProposeSequentialAsync(Start, Parts(combination), "conseillère");

        var offered = (await Person(person).GetAsync())!.Candidatures.Where(c => c.Status == CandidatureStatus.Offered).ToList();
        Assert.Equal([a, b], offered.Select(c => c.Finess.Value).Order());
        Assert.Equal(proposal.Candidatures.Select(c => c.Value).Order(), offered.Select(c => c.Id.Value).Order());
        Assert.Empty((await Availability(a).GetAsync(Start)).Free);
        Assert.DoesNotContain((await Search().SearchAsync(Start, null, 3, 200)).Combinations, c => c.Person == person);
    }

    [Fact]
    public async Task Combinations_rank_by_the_harmonised_grid_in_force()
    {
        var (a, b) = (await NewEsmsAsync(), await NewEsmsAsync());
        await Availability(a).DeclareAsync(Modality.SemiResidential, MonToWed, 1, Start, Start.AddDays(6), "directrice A");
        await Availability(b).DeclareAsync(Modality.SemiResidential, ThuFri, 1, Start, Start.AddDays(6), "directrice B");
        // Same needs, same request dates: only the situation differs, which the Orne's grid weighs.
        var inHospital = await NewWaitingPersonAsync(days: 5, SituationKind.InHospital);
        var atHome = await NewWaitingPersonAsync(days: 5, SituationKind.AtHomeWithoutSolution);

        var search = await Availability(a).FindCandidatesAsync(Start, 3, 200);

        var ours = search.Combinations.Where(c => c.Person == atHome || c.Person == inHospital).ToList();
        Assert.Equal([atHome, inHospital], ours.Select(c => c.Person).Distinct());
        Assert.True(ours[0].Score > ours[^1].Score, $"{ours[0].Score} puis {ours[^1].Score}");
        Assert.StartsWith("grille d'admission harmonisée, version ", search.ScoreName);
    }

    [Fact]
    public async Task The_proposal_rolls_back_when_the_second_esms_refuses()
    {
        var (a, b) = (await NewEsmsAsync(), await NewEsmsAsync());
        await Availability(a).DeclareAsync(Modality.SemiResidential, MonToWed, 1, Start, Start.AddDays(6), "directrice A");
        await Availability(b).DeclareAsync(Modality.SemiResidential, ThuFri, 1, Start, Start.AddDays(6), "directrice B");
        var first = await NewWaitingPersonAsync(days: 5);
        var second = await NewWaitingPersonAsync(days: 2);
        var combination = (await Availability(a).FindCandidatesAsync(Start, 3, 200)).Combinations.First(c => c.Person == first && c.Parts.All(p => p.Finess.Value == a || p.Finess.Value == b));
        // Meanwhile, another staff gives B's Thursday and Friday to someone else.
        await Sequential(second).ProposeSequentialAsync(Start, [new ProposalPart(FinessNumber.Parse(b), Modality.SemiResidential, ThuFri)], "autre conseiller");

        var error = await Assert.ThrowsAsync<DomainException>(() => Sequential(first).ProposeSequentialAsync(Start, Parts(combination), "conseillère"));

        Assert.Equal("CONFLICT", error.Code);
        Assert.Contains("jeudi", error.Message);
        Assert.DoesNotContain((await Person(first).GetAsync())!.Candidatures, c => c.Status == CandidatureStatus.Offered || c.Finess.Value == a);
        var freeInA = await Availability(a).GetAsync(Start);
        Assert.Empty(freeInA.Reservations);
        Assert.Equal(6, freeInA.Free.Count);
    }

    [Fact]
    public async Task The_proposal_rolls_back_when_the_second_esms_does_not_answer()
    {
        var (a, b) = (await NewEsmsAsync(), await NewEsmsAsync());
        await Availability(a).DeclareAsync(Modality.SemiResidential, MonToWed, 1, Start, Start.AddDays(6), "directrice A");
        await Availability(b).DeclareAsync(Modality.SemiResidential, ThuFri, 1, Start, Start.AddDays(6), "directrice B");
        var person = await NewWaitingPersonAsync(days: 5);
        var combination = (await Search().SearchAsync(Start, null, 3, 200)).Combinations.First(c => c.Person == person && c.Parts.All(p => p.Finess.Value == a || p.Finess.Value == b));

        DomainException error;
        using (FaultInjection.Fail(nameof(IEsmsAvailabilityGrain.ConfirmAsync), b))
            error = await Assert.ThrowsAsync<DomainException>(() => Sequential(person).ProposeSequentialAsync(Start, Parts(combination), "conseillère"));

        Assert.Equal("ESMS_UNAVAILABLE", error.Code);
        Assert.DoesNotContain((await Person(person).GetAsync())!.Candidatures, c => c.Status == CandidatureStatus.Offered);
        Assert.Empty((await Availability(a).GetAsync(Start)).Reservations);
        Assert.Empty((await Availability(b).GetAsync(Start)).Reservations);
        // Healed, the same proposal goes through.
        await Sequential(person).ProposeSequentialAsync(Start, Parts(combination), "conseillère");
    }

    [Fact]
    public async Task Two_staffs_proposing_the_same_slot_at_once_exactly_one_wins()
    {
        var finess = await NewEsmsAsync();
        await Availability(finess).DeclareAsync(Modality.SemiResidential, Days(DayOfWeek.Monday), 1, Start, Start.AddDays(6), "directrice");
        var persons = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => NewWaitingPersonAsync(days: 1)));
        var part = new ProposalPart(FinessNumber.Parse(finess), Modality.SemiResidential, Days(DayOfWeek.Monday));

        var outcomes = await Task.WhenAll(persons.Select(async p =>
        {
            try
            {
                await Sequential(p).ProposeSequentialAsync(Start, [part], "conseiller " + p);
                return "OK";
            }
            catch (DomainException e)
            {
                return e.Code;
            }
        }));

        Assert.Equal(1, outcomes.Count(o => o == "OK"));
        Assert.All(outcomes.Where(o => o != "OK"), o => Assert.Equal("CONFLICT", o));
        var offered = 0;
        foreach (var p in persons)
            offered += (await Person(p).GetAsync())!.Candidatures.Count(c => c.Status == CandidatureStatus.Offered);
        Assert.Equal(1, offered);
    }

    [Fact]
    public async Task A_declined_offer_frees_its_place()
    {
        var finess = await NewEsmsAsync();
        await Availability(finess).DeclareAsync(Modality.SemiResidential, MonToWed, 1, Start, Start.AddDays(6), "directrice");
        var person = await NewWaitingPersonAsync(days: 3);
        var proposal = await Sequential(person).ProposeSequentialAsync(Start,
            [new ProposalPart(FinessNumber.Parse(finess), Modality.SemiResidential, MonToWed)], "conseillère");
        Assert.Empty((await Availability(finess).GetAsync(Start)).Free);

        await Person(person).ChangeCandidatureStatusAsync(proposal.Candidatures[0], CandidatureStatus.DeclinedByPerson, CandidatureReason.GeographicDistance, "conseillère");

        Assert.Equal(6, (await Availability(finess).GetAsync(Start)).Free.Count);
    }

    private static ProposalPart[] Parts(SequentialCombination combination) =>
        combination.Parts.Select(p => new ProposalPart(p.Finess, p.Modality, p.HalfDays)).ToArray();

    private IEsmsAvailabilityGrain Availability(string finess) => cluster.Grains.GetGrain<IEsmsAvailabilityGrain>(finess);
    private ISequentialSearchGrain Search() => cluster.Grains.GetGrain<ISequentialSearchGrain>("61");
    private IPersonGrain Person(PersonId id) => cluster.Grains.GetGrain<IPersonGrain>(id.Value);
    private IPersonSequentialGrain Sequential(PersonId id) => cluster.Grains.GetGrain<IPersonSequentialGrain>(id.Value);

    /// <summary>A foyer de vie with <paramref name="capacity"/> places of semi-internat.</summary>
    private async Task<string> NewEsmsAsync(int capacity = 10)
    {
        var finess = Listes360.Domain.Registry.FinessNumber.WithKey("61" + Interlocked.Increment(ref _next).ToString("D6")).Value;
        var esms = cluster.Grains.GetGrain<IEsmsGrain>(finess);
        await esms.RegisterAsync(EsmsGrainTests.Profile(finess, "Foyer " + finess, "382"), "admin");
        await esms.SetPlacesAsync(Modality.SemiResidential, capacity, 0, Today.AddYears(-1), "admin");
        return finess;
    }

    /// <summary>An adult oriented towards foyer de vie, on another foyer's waiting list, needing so many days of semi-internat.</summary>
    private async Task<PersonId> NewWaitingPersonAsync(int days, SituationKind situation = SituationKind.AtHomeWithoutSolution)
    {
        var id = PersonId.New("61");
        var person = Person(id);
        var identity = PersonIdentity.Create("Lefèvre", ["Sacha"], new DateOnly(1995, 6, 1), Sex.Male, Today, residenceCommune: "61001");
        await person.CreateAsync(identity, new Situation { Kind = situation, Since = new DateOnly(2025, 1, 1) }, null, true, "x");
        await person.AddOrientationAsync(Orientation.Create("CDAPH-" + Guid.NewGuid().ToString("N")[..6], KindOfSupport.FoyerDeVie, new DateOnly(2025, 1, 1), null), "x");
        var waitingList = await person.CreateCandidatureAsync(FinessNumber.Parse(await NewEsmsAsync()), Modality.Residential, Today.AddMonths(-3), "x");
        await person.ChangeCandidatureStatusAsync(waitingList.Id, CandidatureStatus.UnderReview, null, "x");
        await person.ChangeCandidatureStatusAsync(waitingList.Id, CandidatureStatus.Waiting, null, "x");
        await Sequential(id).SetSequentialNeedsAsync(SequentialNeeds.Create(days, NeedUnit.Days, [Modality.SemiResidential], null, null, Today, "x", MemoryClusterFixture.Clock.Now));
        return id;
    }
}
