using Listes360.Domain.Candidatures;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;
using Listes360.Domain.Vacancies;

namespace Listes360.Domain.Tests.Vacancies;

public class VacancyChainTests
{
    private static readonly DateOnly Today = TestData.Today;

    private static VacancySummary S(string id, KindOfSupport kind, int openedDaysAgo, VacancyStatus status, int? closedDaysAgo = null, string? root = null,
        int index = 1, int? order = null, bool withoutSolution = false, int offers = 0, int declined = 0, int counted = 0) => new()
    {
        Id = id, Finess = TestData.ImeFiness, Kind = kind, Modality = Modality.Residential, OpenedOn = Today.AddDays(-openedDaysAgo),
        Origin = index == 1 ? VacancyOrigin.PlacesDeclared : VacancyOrigin.AdmissionElsewhere, Status = status,
        ClosedOn = closedDaysAgo is { } c ? Today.AddDays(-c) : null, ChainRoot = root ?? id, ChainIndex = index, FilledFromOrder = order,
        FilledByPersonWithoutSolution = withoutSolution, Offers = offers, Declined = declined, CountedRefusals = counted, Version = 1,
    };

    [Fact]
    public void A_chain_has_its_length_time_to_last_admission_and_persons_without_solution_placed()
    {
        var chains = VacancyChains.Of("61", [
            S("V-1", KindOfSupport.Fam, 30, VacancyStatus.Filled, 20, order: 1, offers: 1),
            S("V-2", KindOfSupport.Ime, 20, VacancyStatus.Filled, 5, root: "V-1", index: 2, order: 2, withoutSolution: true, offers: 2, declined: 1, counted: 1),
            S("V-3", KindOfSupport.Mas, 3, VacancyStatus.Open),
        ]);
        Assert.Equal(2, chains.Count);
        var chain = chains[0];
        Assert.Equal(("V-1", 2, 2, 0, 25, 1), (chain.Root, chain.Length, chain.Filled, chain.Open, chain.DaysToLastAdmission, chain.PersonsWithoutSolutionPlaced));
        Assert.Equal([KindOfSupport.Fam, KindOfSupport.Ime], chain.Kinds.ToArray());
        Assert.Null(chains[1].DaysToLastAdmission);
        Assert.Single(VacancyChains.Of("61", [S("V-1", KindOfSupport.Fam, 30, VacancyStatus.Open), S("V-9", KindOfSupport.Fam, 3, VacancyStatus.Open)], minLength: 1).Take(1));
        Assert.Empty(VacancyChains.Of("61", [S("V-1", KindOfSupport.Fam, 30, VacancyStatus.Open)], minLength: 2));
    }

    [Fact]
    public void Indicators_median_by_kind_share_from_top_3_and_refusals_per_vacancy()
    {
        var indicators = VacancyChains.Indicators([
            S("V-1", KindOfSupport.Fam, 30, VacancyStatus.Filled, 20, order: 1, offers: 1),
            S("V-2", KindOfSupport.Fam, 40, VacancyStatus.Filled, 10, order: 4, offers: 4, declined: 3, counted: 1),
            S("V-3", KindOfSupport.Ime, 20, VacancyStatus.Filled, 5, order: 2, offers: 2, declined: 1),
            S("V-4", KindOfSupport.Ime, 3, VacancyStatus.Withdrawn, 1),
        ]);
        Assert.Equal((4, 3, 0, 1), (indicators.Vacancies, indicators.Filled, indicators.Open, indicators.Withdrawn));
        Assert.Equal(20.0, indicators.MedianDaysToAdmissionByKind.Single(k => k.Kind == KindOfSupport.Fam).MedianDays); // 10 and 30
        Assert.Equal(15.0, indicators.MedianDaysToAdmissionByKind.Single(k => k.Kind == KindOfSupport.Ime).MedianDays);
        Assert.Equal(2.0 / 3, indicators.ShareFilledFromTop3!.Value, 6);
        Assert.Equal(4.0 / 3, indicators.RefusalsPerVacancy!.Value, 6);
        Assert.Equal(1.0 / 3, indicators.CountedRefusalsPerVacancy!.Value, 6);
        Assert.Null(VacancyChains.Indicators([]).ShareFilledFromTop3);
    }

    [Fact]
    public void A_summary_carries_no_name_nor_candidature()
    {
        var props = typeof(VacancySummary).GetProperties().Select(p => p.Name).ToList();
        Assert.DoesNotContain(props, p => p.Contains("Person") && !p.Contains("WithoutSolution"));
        Assert.DoesNotContain(props, p => p.Contains("Candidature"));
    }

    [Fact]
    public void An_admission_frees_the_place_of_a_person_in_another_esms_only_for_a_lasting_modality()
    {
        var ime = TestData.ImeFiness;
        var fam = FinessNumber.Parse("610000119");
        var person = TestData.Person(new DateOnly(2004, 5, 1)) with
        {
            Situation = new Situation { Kind = SituationKind.InChildrenEsmsUnderCreton, Since = Today.AddYears(-1), Esms = ime },
        };
        var atIme = TestData.Candidature(KindOfSupport.Ime, Modality.Residential, finess: ime).At(CandidatureStatus.Admitted);
        var toFam = TestData.Candidature(KindOfSupport.Fam, Modality.Residential, finess: fam).At(CandidatureStatus.Admitted);
        var left = PlaceLeft.Of(person, [atIme, toFam], toFam, TestData.Now)!;
        Assert.Equal((ime, fam, toFam.Id, Modality.Residential), (left.Exit.LeftFiness, left.Exit.AdmittingFiness, left.Exit.AdmittedCandidature, left.Exit.LeftModality));
        var temporary = TestData.Candidature(KindOfSupport.Fam, Modality.Temporary, finess: fam).At(CandidatureStatus.Admitted);
        Assert.Null(PlaceLeft.Of(person, [temporary], temporary, TestData.Now));
        Assert.Null(PlaceLeft.Of(person with { Situation = person.Situation! with { Esms = null } }, [toFam], toFam, TestData.Now));
        var sameEsms = TestData.Candidature(KindOfSupport.Ime, Modality.SemiResidential, finess: ime).At(CandidatureStatus.Admitted);
        Assert.Null(PlaceLeft.Of(person, [sameEsms], sameEsms, TestData.Now));
        Assert.Null(PlaceLeft.Of(person, [toFam], TestData.Candidature(KindOfSupport.Fam, Modality.Residential, finess: fam).At(CandidatureStatus.Offered), TestData.Now));
    }
}
