using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Listes360.Domain.Candidatures;
using Listes360.Domain.Grid;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;
using Listes360.Domain.Tests.Grid;
using Listes360.Domain.Vacancies;

namespace Listes360.Domain.Tests.Vacancies;

public class VacancyBookTests
{
    private static readonly DateOnly Today = TestData.Today;
    private static readonly DateTimeOffset Now = TestData.Now;
    private static readonly EsmsProfile Fam = GridTestData.Fam;
    private static readonly CriteriaGrid Grid = GridTestData.Orne();

    private static CriteriaGrid GridPriorityFirst()
    {
        var doc = JsonNode.Parse(GridDocument.DefaultJson("61"))!;
        doc["offers"]!["priorityFirst"] = true;
        return GridDocument.Parse(doc.ToJsonString(), 2, Today.AddYears(-1));
    }

    private static RankedCandidate Entry(int position, string id, CandidatureStatus status = CandidatureStatus.Waiting, params (string Criterion, int Points)[] lines) => new()
    {
        Position = position,
        CandidatureId = CandidatureId.Parse(id),
        PersonId = PersonId.Parse($"61-{id.ToLowerInvariant()}"),
        RequestDate = Today.AddMonths(-position),
        Status = status,
        Score = new Score(lines.Sum(l => l.Points), [.. lines.Select(l => new ScoreLine(l.Criterion, l.Criterion, l.Points, "fait"))], Grid.Version),
    };

    private static RankingResult Ranking(CriteriaGrid grid, params RankedCandidate[] entries) => new()
    {
        Finess = Fam.Finess, Modality = Modality.Residential, Date = Today, GridVersion = grid.Version,
        Entries = [.. entries.Select(e => e with { Score = e.Score with { GridVersion = grid.Version } })], Excluded = [],
    };

    private static readonly RankingResult Top = Ranking(Grid,
        Entry(1, "C-A", CandidatureStatus.Waiting, ("SANS_SOLUTION", 40)),
        Entry(2, "C-B"),
        Entry(3, "C-OFF", CandidatureStatus.Offered),
        Entry(4, "C-C"),
        Entry(5, "C-D", CandidatureStatus.Waiting, ("CRETON", 25)));

    private static (VacancyBook Book, string Id) Opened()
    {
        var change = VacancyBook.Empty(Fam.Finess).OnPlacesDeclared(Fam, Places.Declare(Modality.Residential, 30, 29, Today), Now, "dir");
        return (change.Book, change.Changed.Single().Id);
    }

    private static (VacancyBook Book, string Id) Proposed(int count = 3)
    {
        var (book, id) = Opened();
        return (book.Propose(id, Top, Grid, count, Today, Now, "dir").Book, id);
    }

    private static VacancyBook OfferedTo(string candidature)
    {
        var (book, id) = Proposed();
        return book.Offer(id, CandidatureId.Parse(candidature), Grid, Today, Now, "dir").Book;
    }

    [Fact]
    public void Places_with_vacancies_open_as_many_vacancies_as_free_places_not_already_open()
    {
        var book = VacancyBook.Empty(Fam.Finess);
        var first = book.OnPlacesDeclared(Fam, Places.Declare(Modality.Residential, 30, 28, Today), Now, "dir");
        Assert.Equal(2, first.Changed.Length);
        Assert.All(first.Changed, v => Assert.Equal((VacancyStatus.Open, VacancyOrigin.PlacesDeclared, KindOfSupport.Fam), (v.Status, v.Origin, v.Kind)));
        Assert.Equal(2, first.Changed.Select(v => v.Id).Distinct().Count());
        var again = first.Book.OnPlacesDeclared(Fam, Places.Declare(Modality.Residential, 30, 28, Today), Now, "dir");
        Assert.True(again.IsEmpty);
        var fewer = first.Book.OnPlacesDeclared(Fam, Places.Declare(Modality.Residential, 30, 30, Today), Now, "dir");
        Assert.True(fewer.IsEmpty); // nothing withdrawn silently
        var more = first.Book.OnPlacesDeclared(Fam, Places.Declare(Modality.Residential, 30, 27, Today), Now, "dir");
        Assert.Single(more.Changed);
        Assert.Equal(3, more.Book.Vacancies.Count);
    }

    [Fact]
    public void No_vacancy_when_no_place_is_free()
    {
        Assert.True(VacancyBook.Empty(Fam.Finess).OnPlacesDeclared(Fam, Places.Declare(Modality.Residential, 30, 30, Today), Now, "dir").IsEmpty);
    }

    [Fact]
    public void An_exit_opens_one_vacancy_with_its_reason_and_refuses_a_modality_not_offered_or_a_future_date()
    {
        var book = VacancyBook.Empty(Fam.Finess);
        var exit = book.RecordExit(Fam, Modality.Residential, ExitReason.ReturnHome, Today.AddDays(-2), Today, Now, "dir");
        var v = exit.Changed.Single();
        Assert.Equal((VacancyOrigin.Exit, ExitReason.ReturnHome, Today.AddDays(-2)), (v.Origin, v.ExitReason, v.OpenedOn));
        Assert.Contains("retour à domicile", v.Steps[0].Text);
        Assert.Equal("MODALITY_NOT_OFFERED", Assert.Throws<DomainException>(() => book.RecordExit(Fam, Modality.SemiResidential, ExitReason.Moved, Today, Today, Now, "dir")).Code);
        Assert.Equal("DATE_IN_FUTURE", Assert.Throws<DomainException>(() => book.RecordExit(Fam, Modality.Residential, ExitReason.Moved, Today.AddDays(1), Today, Now, "dir")).Code);
        Assert.Equal("INVALID_EXIT_REASON", Assert.Throws<DomainException>(() => book.RecordExit(Fam, Modality.Residential, (ExitReason)77, Today, Today, Now, "dir")).Code);
    }

    [Fact]
    public void Proposal_is_the_top_n_waiting_candidates_in_ranking_order_and_says_who_was_left_out()
    {
        var (book, id) = Proposed(3);
        var proposal = book.Find(id).Proposal!;
        Assert.Equal(["C-A", "C-B", "C-C"], proposal.Candidates.Select(c => c.CandidatureId.Value));
        Assert.Equal([1, 2, 4], proposal.Candidates.Select(c => c.Rank));
        Assert.Equal([1, 2, 3], proposal.Candidates.Select(c => c.Order));
        Assert.True(proposal.Candidates[0].WithoutSolution);
        Assert.Equal(40, proposal.Candidates[0].Score.Total);
        Assert.Contains(proposal.Notices, n => n.Contains("1 candidature(s) classée(s) non proposée(s)"));
        Assert.Equal(Grid.Version, proposal.GridVersion);
    }

    [Fact]
    public void Urgency_and_creton_first_only_when_the_grid_says_so()
    {
        var priority = GridPriorityFirst();
        var (book, id) = Opened();
        var plain = book.Propose(id, Top, Grid, 5, Today, Now, "dir").Book.Find(id).Proposal!;
        Assert.Equal("C-A", plain.Candidates[0].CandidatureId.Value);
        var first = book.Propose(id, Ranking(priority, [.. Top.Entries]), priority, 5, Today, Now, "dir").Book.Find(id).Proposal!;
        Assert.Equal("C-D", first.Candidates[0].CandidatureId.Value);
        Assert.True(first.Candidates[0].Creton);
        Assert.Equal(5, first.Candidates[0].Rank);
        Assert.Contains(first.Notices, n => n.Contains("amendement Creton"));
    }

    [Fact]
    public void Proposal_refused_with_a_bad_count_a_ranking_of_another_esms_or_an_offer_pending()
    {
        var (book, id) = Opened();
        Assert.Equal("INVALID_COUNT", Assert.Throws<DomainException>(() => book.Propose(id, Top, Grid, 0, Today, Now, "dir")).Code);
        Assert.Equal("RANKING_MISMATCH", Assert.Throws<DomainException>(() => book.Propose(id, Top with { Modality = Modality.SemiResidential }, Grid, 3, Today, Now, "dir")).Code);
        Assert.Equal("VACANCY_NOT_FOUND", Assert.Throws<DomainException>(() => book.Propose("V-610000119-1-99", Top, Grid, 3, Today, Now, "dir")).Code);
        var offered = OfferedTo("C-A");
        Assert.Equal("OFFER_PENDING", Assert.Throws<DomainException>(() => offered.Propose(id, Top, Grid, 3, Today, Now, "dir")).Code);
    }

    [Fact]
    public void Offer_to_a_proposed_candidate_sets_the_grids_deadline()
    {
        var (book, id) = Proposed();
        var v = book.Offer(id, CandidatureId.Parse("C-A"), Grid, Today, Now, "dir").Changed.Single();
        Assert.Equal(VacancyStatus.Offered, v.Status);
        Assert.Equal(Today.AddDays(Grid.Offers.AnswerDeadlineDays), v.PendingOffer!.Deadline);
        Assert.Equal((1, 1), (v.PendingOffer.Order, v.PendingOffer.Rank));
    }

    [Fact]
    public void Offer_refused_to_a_candidate_not_proposed_twice_while_pending_or_on_a_closed_vacancy()
    {
        var (book, id) = Proposed();
        Assert.Equal("NOT_PROPOSED", Assert.Throws<DomainException>(() => book.Offer(id, CandidatureId.Parse("C-D"), Grid, Today, Now, "dir")).Code);
        var offered = book.Offer(id, CandidatureId.Parse("C-A"), Grid, Today, Now, "dir").Book;
        Assert.Equal("OFFER_PENDING", Assert.Throws<DomainException>(() => offered.Offer(id, CandidatureId.Parse("C-B"), Grid, Today, Now, "dir")).Code);
        var declined = offered.Follow(CandidatureId.Parse("C-A"), CandidatureStatus.DeclinedByPerson, CandidatureReason.GeographicDistance, Now.AddDays(1), Grid.Offers, 1, Today, Now).Book;
        Assert.Equal("ALREADY_OFFERED", Assert.Throws<DomainException>(() => declined.Offer(id, CandidatureId.Parse("C-A"), Grid, Today, Now, "dir")).Code);
        var withdrawn = book.Withdraw(id, "Place fermée pour travaux", Now, "dir").Book;
        Assert.Equal("VACANCY_CLOSED", Assert.Throws<DomainException>(() => withdrawn.Offer(id, CandidatureId.Parse("C-A"), Grid, Today, Now, "dir")).Code);
    }

    [Fact]
    public void One_candidature_waits_for_one_vacancy_at_a_time()
    {
        var book = VacancyBook.Empty(Fam.Finess).OnPlacesDeclared(Fam, Places.Declare(Modality.Residential, 30, 28, Today), Now, "dir").Book;
        var (a, b) = (book.Vacancies[0].Id, book.Vacancies[1].Id);
        book = book.Propose(a, Top, Grid, 3, Today, Now, "dir").Book.Propose(b, Top, Grid, 3, Today, Now, "dir").Book;
        book = book.Offer(a, CandidatureId.Parse("C-A"), Grid, Today, Now, "dir").Book;
        Assert.Equal("OFFER_PENDING_ELSEWHERE", Assert.Throws<DomainException>(() => book.Offer(b, CandidatureId.Parse("C-A"), Grid, Today, Now, "dir")).Code);
    }

    [Fact]
    public void An_admission_of_the_offered_candidature_fills_the_vacancy()
    {
        var book = OfferedTo("C-A");
        var change = book.Follow(CandidatureId.Parse("C-A"), CandidatureStatus.Admitted, null, Now.AddDays(2), Grid.Offers, 1, Today, Now);
        var v = change.Changed.Single();
        Assert.Equal((VacancyStatus.Filled, "C-A", 1), (v.Status, v.FilledBy!.Value.Value, v.FilledFromOrder));
        Assert.Equal(OfferOutcome.Admitted, v.Offers.Single().Outcome);
        Assert.Equal("C-A", change.Book.FilledBy(CandidatureId.Parse("C-A"))!.Id == v.Id ? "C-A" : null);
    }

    [Fact]
    public void A_decline_with_a_reason_the_grid_counts_is_counted_and_says_so_and_passes_to_the_next()
    {
        var book = OfferedTo("C-A");
        var v = book.Follow(CandidatureId.Parse("C-A"), CandidatureStatus.DeclinedByPerson, CandidatureReason.PersonRefusesEsmsProject, Now.AddDays(1), Grid.Offers, 1, Today, Now).Changed.Single();
        var offer = v.Offers.Single();
        Assert.Equal((VacancyStatus.Open, OfferOutcome.Declined, true), (v.Status, offer.Outcome, offer.CountsAsRefusal));
        Assert.Contains("compté comme refus d'une offre adaptée", offer.RuleApplied);
        Assert.Equal("C-B", v.NotYetOffered[0].CandidatureId.Value);
        Assert.Contains("Prochain candidat proposé : candidature C-B", v.Steps[^1].Text);
        Assert.Equal(1, v.CountedRefusals);
    }

    [Fact]
    public void A_decline_with_a_reason_the_grid_does_not_count_is_not_counted_and_says_so()
    {
        var book = OfferedTo("C-A");
        var offer = book.Follow(CandidatureId.Parse("C-A"), CandidatureStatus.DeclinedByPerson, CandidatureReason.GeographicDistance, Now.AddDays(1), Grid.Offers, 1, Today, Now).Changed.Single().Offers.Single();
        Assert.False(offer.CountsAsRefusal);
        Assert.Contains("non compté", offer.RuleApplied);
    }

    [Fact]
    public void Back_to_the_list_after_the_deadline_is_an_expired_offer_not_a_refusal()
    {
        var book = OfferedTo("C-A");
        var late = Now.AddDays(Grid.Offers.AnswerDeadlineDays + 2);
        var offer = book.Follow(CandidatureId.Parse("C-A"), CandidatureStatus.Waiting, CandidatureReason.BackToWaitingList, late, Grid.Offers, 1, Today.AddDays(12), late).Changed.Single().Offers.Single();
        Assert.Equal((OfferOutcome.Expired, false), (offer.Outcome, offer.CountsAsRefusal));
        Assert.Contains("Délai de réponse dépassé", offer.RuleApplied);
        var early = book.Follow(CandidatureId.Parse("C-A"), CandidatureStatus.Waiting, null, Now.AddDays(1), Grid.Offers, 1, Today.AddDays(1), Now.AddDays(1)).Changed.Single().Offers.Single();
        Assert.Equal(OfferOutcome.Ended, early.Outcome);
    }

    [Fact]
    public void Changes_of_other_candidatures_older_changes_and_replays_change_nothing()
    {
        var book = OfferedTo("C-A");
        Assert.True(book.Follow(CandidatureId.Parse("C-B"), CandidatureStatus.Admitted, null, Now.AddDays(1), Grid.Offers, 1, Today, Now).IsEmpty);
        Assert.True(book.Follow(CandidatureId.Parse("C-A"), CandidatureStatus.Admitted, null, Now.AddDays(-1), Grid.Offers, 1, Today, Now).IsEmpty);
        Assert.True(book.Follow(CandidatureId.Parse("C-A"), CandidatureStatus.Offered, null, Now, Grid.Offers, 1, Today, Now).IsEmpty);
        var filled = book.Follow(CandidatureId.Parse("C-A"), CandidatureStatus.Admitted, null, Now.AddDays(1), Grid.Offers, 1, Today, Now).Book;
        Assert.True(filled.Follow(CandidatureId.Parse("C-A"), CandidatureStatus.Admitted, null, Now.AddDays(1), Grid.Offers, 1, Today, Now).IsEmpty);
    }

    [Fact]
    public void A_refused_transition_of_the_candidature_takes_the_offer_back()
    {
        var (book, id) = Proposed();
        var offered = book.Offer(id, CandidatureId.Parse("C-A"), Grid, Today, Now, "dir").Book;
        var back = offered.CancelOffer(id, CandidatureId.Parse("C-A"), Now, "dir").Changed.Single();
        Assert.Equal(VacancyStatus.Open, back.Status);
        Assert.Empty(back.Offers);
        Assert.True(book.CancelOffer(id, CandidatureId.Parse("C-A"), Now, "dir").IsEmpty);
    }

    [Fact]
    public void Withdrawal_needs_a_reason_and_no_pending_offer()
    {
        var (book, id) = Proposed();
        Assert.Equal("REASON_REQUIRED", Assert.Throws<DomainException>(() => book.Withdraw(id, " ", Now, "dir")).Code);
        Assert.Equal("OFFER_PENDING", Assert.Throws<DomainException>(() => OfferedTo("C-A").Withdraw(id, "erreur", Now, "dir")).Code);
        var withdrawn = book.Withdraw(id, "Déclarée par erreur", Now, "dir");
        Assert.Equal((VacancyStatus.Withdrawn, "Déclarée par erreur"), (withdrawn.Changed[0].Status, withdrawn.Changed[0].WithdrawalReason));
        Assert.Equal("VACANCY_CLOSED", Assert.Throws<DomainException>(() => withdrawn.Book.Withdraw(id, "encore", Now, "dir")).Code);
    }

    [Fact]
    public void An_admission_elsewhere_opens_a_linked_vacancy_once()
    {
        var ime = EsmsProfile.Create(TestData.ImeFiness, "IME de test", "183", modalities: [Modality.SemiResidential, Modality.Residential]);
        var exit = new AdmissionElsewhere(ime.Finess, CandidatureId.Parse("C-Y"), Fam.Finess, Today, Modality.Residential);
        var previous = new FilledVacancy("V-610000119-1-1", Today.AddDays(-20), null);
        var change = VacancyBook.Empty(ime.Finess).OnAdmissionElsewhere(ime, exit, previous, Now);
        var v = change.Changed.Single();
        Assert.Equal((VacancyOrigin.AdmissionElsewhere, Modality.Residential, 2, "V-610000119-1-1", "V-610000119-1-1"),
            (v.Origin, v.Modality, v.Chain!.Index, v.Chain.Root, v.Chain.PreviousVacancy));
        Assert.Equal(Today.AddDays(-20), v.Chain.RootOpenedOn);
        Assert.True(change.Book.OnAdmissionElsewhere(ime, exit, previous, Now).IsEmpty);
        var alone = VacancyBook.Empty(ime.Finess).OnAdmissionElsewhere(ime, exit with { LeftModality = null }, null, Now).Changed.Single();
        Assert.Equal((1, alone.Id, Modality.Residential), (alone.Chain!.Index, alone.Chain.Root, alone.Modality));
        Assert.Equal("INVALID_EXIT", Assert.Throws<DomainException>(() => VacancyBook.Empty(ime.Finess).OnAdmissionElsewhere(ime, exit with { AdmittingFiness = ime.Finess }, null, Now)).Code);
    }

    [Fact]
    public void Closed_vacancies_are_bounded_open_ones_kept()
    {
        var book = VacancyBook.Empty(Fam.Finess);
        for (var i = 0; i < VacancyBook.ClosedKept + 5; i++)
        {
            var change = book.RecordExit(Fam, Modality.Residential, ExitReason.Moved, Today, Today, Now, "dir");
            book = change.Book.Withdraw(change.Changed[0].Id, "test", Now, "dir").Book;
        }
        book = book.RecordExit(Fam, Modality.Residential, ExitReason.Moved, Today, Today, Now, "dir").Book;
        Assert.Equal(VacancyBook.ClosedKept + 1, book.Vacancies.Count);
        Assert.Single(book.Vacancies, v => v.IsOpen);
    }

    [Fact]
    public void Vacancy_ids_name_their_esms_and_bad_ids_are_refused_in_french()
    {
        Assert.Equal(Fam.Finess, VacancyIds.FinessOf("V-610000119-1-3"));
        var e = Assert.Throws<DomainException>(() => VacancyIds.FinessOf("X-12"));
        Assert.Equal("INVALID_VACANCY_ID", e.Code);
        Assert.Contains("identifiant de place libérée", e.Message);
    }
}
