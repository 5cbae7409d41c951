using Listes360.Domain;
using Listes360.Domain.Candidatures;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;
using Listes360.Domain.Security;
using Listes360.Domain.Vacancies;
using Listes360.Grains.Persons;
using Listes360.Grains.Registry;
using Listes360.Grains.Security;
using Listes360.Grains.Tests.Registry;
using Listes360.Grains.Vacancies;

namespace Listes360.Grains.Tests.Vacancies;

/// <summary>Vacancies on the memory cluster, in the Orne with its shipped grid (made-up persons and FINESS numbers).</summary>
[Collection(MemoryClusterCollection.Name)]
public sealed partial class VacancyGrainTests(MemoryClusterFixture cluster) : IDisposable
{
    private static int _next = 7_100;
    private readonly IDisposable _acting = CallerContext.As(new Caller("admin-61", Role.Admin, [], "61", null));

    public void Dispose() => _acting.Dispose();

    private static DateOnly Today => DateOnly.FromDateTime(MemoryClusterFixture.Clock.Now.UtcDateTime);

    private static IDisposable As(Role role, string? finess = null, string? territory = null) =>
        CallerContext.As(new Caller($"{role}-x", role, finess is null ? [] : [finess], "61", territory));

    private async Task<string> NewEsmsAsync(string category)
    {
        var finess = FinessNumber.WithKey("61" + Interlocked.Increment(ref _next).ToString("D6")).Value;
        await cluster.Grains.GetGrain<IEsmsGrain>(finess).RegisterAsync(EsmsGrainTests.Profile(finess, "ESMS " + finess, category), "admin");
        return finess;
    }

    private async Task<IPersonGrain> NewPersonAsync(Situation situation, DateOnly birthDate, KindOfSupport orientation)
    {
        var person = cluster.Grains.GetGrain<IPersonGrain>(PersonId.New("61").Value);
        await person.CreateAsync(PersonIdentity.Create("Durand", ["Camille"], birthDate, Sex.Female, Today, residenceCommune: "61001"), situation, null, true, "x");
        await person.AddOrientationAsync(Orientation.Create("CDAPH-" + Guid.NewGuid().ToString("N")[..6], orientation, new DateOnly(2025, 1, 1), null), "x");
        return person;
    }

    /// <summary>A candidature walked to WAITING (the status a vacancy is offered from).</summary>
    private static async Task<Candidature> WaitingAsync(IPersonGrain person, string finess, Modality modality, int daysAgo)
    {
        var c = await person.CreateCandidatureAsync(FinessNumber.Parse(finess), modality, Today.AddDays(-daysAgo), "x");
        await person.ChangeCandidatureStatusAsync(c.Id, CandidatureStatus.UnderReview, null, "x");
        await person.ChangeCandidatureStatusAsync(c.Id, CandidatureStatus.Waiting, null, "x");
        return c;
    }

    private IVacancyGrain Vacancies(string finess) => cluster.Grains.GetGrain<IVacancyGrain>(finess);

    private static async Task<Vacancy> OfferAsync(IVacancyGrain grain, IPersonGrain person, string vacancy, CandidatureId candidature)
    {
        await grain.OfferAsync(vacancy, candidature, "dir");
        await person.ChangeCandidatureStatusAsync(candidature, CandidatureStatus.Offered, null, "dir");
        return (await grain.GetAsync(vacancy))!;
    }

    /// <summary>
    /// Issue 19's acceptance on the grains: a young adult under Creton in an IME is admitted to a FAM through
    /// the FAM's vacancy → the IME gets a vacancy linked to it, proposing the top of the IME's ranking; the
    /// first declines (counted per the grid), the second is admitted → closed; the chain of two is seen without names.
    /// </summary>
    [Fact]
    public async Task A_creton_admission_to_a_fam_frees_an_ime_place_offered_down_the_ime_ranking_and_the_chain_is_seen_without_names()
    {
        var ime = await NewEsmsAsync("183");
        var fam = await NewEsmsAsync("448");
        var young = await NewPersonAsync(new Situation { Kind = SituationKind.InChildrenEsmsUnderCreton, Since = new DateOnly(2024, 9, 1), Esms = FinessNumber.Parse(ime) },
            new DateOnly(2004, 3, 1), KindOfSupport.Fam);
        var toFam = await WaitingAsync(young, fam, Modality.Residential, 200);
        var first = await NewPersonAsync(new Situation { Kind = SituationKind.AtHomeWithoutSolution, Since = new DateOnly(2025, 1, 1) }, new DateOnly(2015, 6, 1), KindOfSupport.Ime);
        var second = await NewPersonAsync(new Situation { Kind = SituationKind.AtHomeWithoutSolution, Since = new DateOnly(2025, 6, 1) }, new DateOnly(2016, 6, 1), KindOfSupport.Ime);
        var third = await NewPersonAsync(new Situation { Kind = SituationKind.SchoolWithPartialSupport, Since = new DateOnly(2024, 1, 1) }, new DateOnly(2017, 6, 1), KindOfSupport.Ime);
        var c1 = await WaitingAsync(first, ime, Modality.Residential, 300);
        var c2 = await WaitingAsync(second, ime, Modality.Residential, 100);
        var c3 = await WaitingAsync(third, ime, Modality.Residential, 400);

        // The FAM declares one free place: a vacancy opens, proposing the young adult.
        using (As(Role.EsmsDirector, fam))
            await cluster.Grains.GetGrain<IEsmsGrain>(fam).SetPlacesAsync(Modality.Residential, 40, 39, Today, "dir-fam");
        var famVacancy = Assert.Single(await Vacancies(fam).ListAsync(openOnly: true));
        Assert.Equal(VacancyOrigin.PlacesDeclared, famVacancy.Origin);
        Assert.Equal(toFam.Id, famVacancy.Proposal!.Candidates[0].CandidatureId);
        Assert.True(famVacancy.Proposal.Candidates[0].Creton);
        Assert.Equal(1, famVacancy.Proposal.GridVersion);

        using (As(Role.EsmsDirector, fam))
        {
            await OfferAsync(Vacancies(fam), young, famVacancy.Id, toFam.Id);
            await young.ChangeCandidatureStatusAsync(toFam.Id, CandidatureStatus.Admitted, null, "dir-fam");
        }
        famVacancy = (await Vacancies(fam).GetAsync(famVacancy.Id))!;
        Assert.Equal((VacancyStatus.Filled, toFam.Id), (famVacancy.Status, famVacancy.FilledBy));

        // The IME has a vacancy of its own, linked to the FAM's, proposing the top of the IME ranking.
        var imeVacancy = Assert.Single(await Vacancies(ime).ListAsync(openOnly: true));
        Assert.Equal(VacancyOrigin.AdmissionElsewhere, imeVacancy.Origin);
        Assert.Equal((2, famVacancy.Id, famVacancy.Id), (imeVacancy.Chain!.Index, imeVacancy.Chain.Root, imeVacancy.Chain.PreviousVacancy));
        var ranking = await cluster.Grains.GetGrain<Listes360.Grains.Grid.IRankingGrain>(
            Listes360.Grains.Grid.RankingKeys.Of(FinessNumber.Parse(ime), imeVacancy.Modality)).GetAsync(null);
        Assert.Equal(Modality.Residential, imeVacancy.Modality); // the first lasting modality of the IME: the file names no admission there
        Assert.Equal(ranking.Entries.Take(3).Select(e => e.CandidatureId), imeVacancy.Proposal!.Candidates.Select(c => c.CandidatureId));
        Assert.Equal([c1.Id, c2.Id, c3.Id], imeVacancy.Proposal.Candidates.Select(c => c.CandidatureId));
        Assert.Equal([1, 2, 3], imeVacancy.Proposal.Candidates.Select(c => c.Rank));

        // Offered to the first, who declines (a reason the grid counts), then to the second, admitted.
        using (As(Role.EsmsDirector, ime))
        {
            await OfferAsync(Vacancies(ime), first, imeVacancy.Id, c1.Id);
            await first.ChangeCandidatureStatusAsync(c1.Id, CandidatureStatus.DeclinedByPerson, CandidatureReason.PersonRefusesEsmsProject, "dir-ime");
            imeVacancy = (await Vacancies(ime).GetAsync(imeVacancy.Id))!;
            Assert.Equal(VacancyStatus.Open, imeVacancy.Status);
            var declined = Assert.Single(imeVacancy.Offers);
            Assert.Equal((OfferOutcome.Declined, true), (declined.Outcome, declined.CountsAsRefusal));
            Assert.Equal(c2.Id, imeVacancy.NotYetOffered[0].CandidatureId);
            await OfferAsync(Vacancies(ime), second, imeVacancy.Id, c2.Id);
            await second.ChangeCandidatureStatusAsync(c2.Id, CandidatureStatus.Admitted, null, "dir-ime");
        }
        imeVacancy = (await Vacancies(ime).GetAsync(imeVacancy.Id))!;
        Assert.Equal((VacancyStatus.Filled, c2.Id, 2), (imeVacancy.Status, imeVacancy.FilledBy, imeVacancy.FilledFromOrder));
        Assert.Contains(imeVacancy.Steps, s => s.Code == "DECLINED" && s.Text.Contains("compté comme refus"));

        // The observatory sees the chain of two, without names.
        using (As(Role.Observatory))
        {
            var chain = Assert.Single(await cluster.Grains.GetGrain<IVacancyChainGrain>("61").GetChainsAsync(2), c => c.Root == famVacancy.Id);
            Assert.Equal((2, 2, 0, 1), (chain.Length, chain.Filled, chain.Open, chain.PersonsWithoutSolutionPlaced));
            Assert.Equal([KindOfSupport.Fam, KindOfSupport.Ime], chain.Kinds);
            Assert.NotNull(chain.DaysToLastAdmission);
            var indicators = await cluster.Grains.GetGrain<IVacancyChainGrain>("61").GetIndicatorsAsync();
            Assert.True(indicators.Filled >= 2);
            Assert.Equal("FORBIDDEN", (await Assert.ThrowsAsync<DomainException>(() => Vacancies(ime).ListAsync(false))).Code);
        }
    }

    [Fact]
    public async Task An_exit_opens_a_vacancy_a_director_of_another_esms_and_staff_of_another_territory_are_refused()
    {
        var ime = await NewEsmsAsync("183");
        using (As(Role.EsmsDirector, ime))
        {
            var v = await Vacancies(ime).RecordExitAsync(Modality.SemiResidential, ExitReason.ReturnHome, Today, "dir");
            Assert.Equal((VacancyOrigin.Exit, ExitReason.ReturnHome), (v.Origin, v.ExitReason));
            Assert.NotNull(v.Proposal); // an empty ranking proposes nobody, and says so
            Assert.Contains(v.Proposal!.Notices, n => n.Contains("Aucun candidat proposable"));
            var refused = await Assert.ThrowsAsync<DomainException>(() => Vacancies(ime).WithdrawAsync(v.Id, " ", "dir"));
            Assert.Equal("REASON_REQUIRED", refused.Code);
            Assert.True((await Vacancies(ime).GetAsync(v.Id))!.IsOpen);
            Assert.Equal(VacancyStatus.Withdrawn, (await Vacancies(ime).WithdrawAsync(v.Id, "Place fermée", "dir")).Status);
        }
        using (As(Role.EsmsDirector, "610000994"))
            Assert.Equal("FORBIDDEN", (await Assert.ThrowsAsync<DomainException>(() => Vacancies(ime).ListAsync(false))).Code);
        using (As(Role.EsmsDirector, ime))
            Assert.Equal("VACANCY_NOT_FOUND", (await Assert.ThrowsAsync<DomainException>(() => Vacancies(ime).OfferAsync("V-x", CandidatureId.Parse("C-1"), "d"))).Code);
        var profile = (await cluster.Grains.GetGrain<IEsmsGrain>(ime).GetAsync())!.Profile;
        using (As(Role.TerritorialStaff, territory: "200000000"))
        {
            if (profile.Territory is not null)
                Assert.Empty(await Vacancies(ime).ListAsync(false));
        }
        using (As(Role.TerritorialStaff))
            Assert.NotEmpty(await Vacancies(ime).ListAsync(false));
        using (As(Role.Observatory))
            Assert.Equal("FORBIDDEN", (await Assert.ThrowsAsync<DomainException>(() => Vacancies(ime).RecordExitAsync(Modality.SemiResidential, ExitReason.Moved, Today, "o"))).Code);
    }
}
