using Listes360.Domain.Candidatures;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;
using Listes360.Domain.WaitingList;
using static Listes360.Domain.Tests.TestData;

namespace Listes360.Domain.Tests.WaitingList;

public class WorklistTests
{
    private static readonly FinessNumber MasFiness = FinessNumber.Parse("610000093");

    private static Candidature CreatedAt(DateTimeOffset at, KindOfSupport kind = KindOfSupport.Ime, FinessNumber? finess = null) =>
        Domain.Candidatures.Candidature.Create(CandidatureId.Parse($"C-{Guid.NewGuid():N}"), PersonId.Parse("61-test-person"), finess ?? ImeFiness,
            Modality.SemiResidential, kind, Today.AddMonths(-6), at, Staff);

    private static Candidature Then(Candidature c, CandidatureStatus status, DateTimeOffset at, CandidatureReason? reason = null) =>
        CandidatureStateMachine.Transition(c, status, reason, at, Staff);

    private static Candidature OfferedOn(DateTimeOffset at)
    {
        var c = CreatedAt(at.AddDays(-30));
        c = Then(c, CandidatureStatus.UnderReview, at.AddDays(-20));
        c = Then(c, CandidatureStatus.Waiting, at.AddDays(-10));
        return Then(c, CandidatureStatus.Offered, at);
    }

    private static PersonRecord Born(DateOnly birth, SituationKind? situation, params Orientation[] orientations) =>
        Person(birth, orientations) with { Situation = situation is { } k ? Situation.Create(k, Today.AddYears(-1), null, null, Today) : null };

    private static readonly DateOnly Child = Today.AddYears(-12);

    [Fact]
    public void An_orientation_the_person_waits_under_ending_within_three_months_asks_for_a_renewal()
    {
        var end = Today.AddMonths(2);
        var person = Born(Child, SituationKind.InChildrenEsms, Orientation(KindOfSupport.Ime, to: end));
        var item = Assert.Single(WorklistRules.For(person, [CreatedAt(Now.AddDays(-10))], Today));
        Assert.Equal(WorklistItemKind.OrientationEnding, item.Kind);
        Assert.Equal(WorklistUrgency.Soon, item.Urgency);
        Assert.Equal(end, item.Due);
        Assert.Equal(ImeFiness, item.Esms);
        Assert.Contains($"prend fin le {end:dd/MM/yyyy}", item.Why);
        Assert.Contains("renouvellement", item.Why);
    }

    [Fact]
    public void An_orientation_ending_later_or_already_renewed_asks_for_nothing()
    {
        var candidature = CreatedAt(Now.AddDays(-10));
        Assert.Empty(WorklistRules.For(Born(Child, SituationKind.InChildrenEsms, Orientation(KindOfSupport.Ime, to: Today.AddMonths(4))), [candidature], Today));
        var renewed = Born(Child, SituationKind.InChildrenEsms,
            Orientation(KindOfSupport.Ime, to: Today.AddMonths(1)), Orientation(KindOfSupport.Ime, from: Today.AddMonths(-1), to: Today.AddYears(3)));
        Assert.Empty(WorklistRules.For(renewed, [candidature], Today));
    }

    [Fact]
    public void An_orientation_that_ended_while_waiting_is_late_with_the_candidatures_it_closed()
    {
        var end = Today.AddMonths(-1);
        var expired = CandidatureStateMachine.Expire(CreatedAt(Now.AddMonths(-5)), Now.AddMonths(-1).AddDays(1));
        var person = Born(Child, SituationKind.AtHomeWithoutSolution, Orientation(KindOfSupport.Ime, from: Today.AddYears(-2), to: end));
        var item = Assert.Single(WorklistRules.For(person, [expired], Today), i => i.Kind == WorklistItemKind.OrientationEnded);
        Assert.Equal(WorklistUrgency.Late, item.Urgency);
        Assert.Contains("1 candidature(s) ont été closes", item.Why);
        Assert.Contains("CDAPH", item.Why);
    }

    [Fact]
    public void An_offer_past_its_answer_deadline_is_late_and_one_within_it_is_not_listed()
    {
        var person = Born(Child, SituationKind.InChildrenEsms, Orientation(KindOfSupport.Ime));
        var late = Assert.Single(WorklistRules.For(person, [OfferedOn(Now.AddDays(-20))], Today));
        Assert.Equal(WorklistItemKind.OfferOverdue, late.Kind);
        Assert.Equal(WorklistUrgency.Late, late.Urgency);
        Assert.Equal(Today.AddDays(-20 + 15), late.Due);
        Assert.Empty(WorklistRules.For(person, [OfferedOn(Now.AddDays(-15))], Today)); // the deadline day itself is in time
        Assert.Single(WorklistRules.For(person, [OfferedOn(Now.AddDays(-15))], Today, new WorklistSettings { OfferAnswerDeadlineDays = 10 }));
    }

    [Fact]
    public void A_solution_found_elsewhere_is_to_confirm_soon_then_late()
    {
        var person = Born(Child, SituationKind.InChildrenEsms, Orientation(KindOfSupport.Ime));
        var recent = Then(CreatedAt(Now.AddDays(-60)), CandidatureStatus.SolutionFoundElsewhere, Now.AddDays(-5), CandidatureReason.AdmittedElsewhere);
        var old = Then(CreatedAt(Now.AddDays(-90)), CandidatureStatus.SolutionFoundElsewhere, Now.AddDays(-40), CandidatureReason.AdmittedElsewhere);
        Assert.Equal(WorklistUrgency.Soon, Assert.Single(WorklistRules.For(person, [recent], Today)).Urgency);
        Assert.Equal(WorklistUrgency.Late, Assert.Single(WorklistRules.For(person, [old], Today)).Urgency);
    }

    [Fact]
    public void Creton_without_an_open_adult_candidature_is_late_and_an_adult_candidature_clears_it()
    {
        var person = Born(Today.AddYears(-21), SituationKind.InChildrenEsmsUnderCreton, Orientation(KindOfSupport.Mas));
        var item = Assert.Single(WorklistRules.For(person, [], Today));
        Assert.Equal(WorklistItemKind.CretonWithoutAdultCandidature, item.Kind);
        Assert.Equal(WorklistUrgency.Late, item.Urgency);
        Assert.Contains("Creton", item.Why);
        Assert.DoesNotContain(WorklistRules.For(person, [CreatedAt(Now.AddDays(-3), KindOfSupport.Mas, MasFiness)], Today),
            i => i.Kind == WorklistItemKind.CretonWithoutAdultCandidature);
    }

    [Fact]
    public void A_seventeen_year_old_in_a_children_setting_without_an_adult_candidature_is_due_at_twenty()
    {
        var birth = Today.AddYears(-17);
        var person = Born(birth, SituationKind.InChildrenEsms, Orientation(KindOfSupport.Ime), Orientation(KindOfSupport.Mas));
        var item = Assert.Single(WorklistRules.For(person, [], Today));
        Assert.Equal(WorklistItemKind.TransitionWithoutAdultCandidature, item.Kind);
        Assert.Equal(birth.AddYears(20), item.Due);
        Assert.Contains("17 ans", item.Why);
    }

    [Fact]
    public void A_waiting_person_without_news_for_six_months_is_listed_and_a_recent_change_clears_it()
    {
        var person = Born(Child, null, Orientation(KindOfSupport.Ime, from: Today.AddYears(-2)));
        var old = CreatedAt(Now.AddMonths(-8));
        var item = Assert.Single(WorklistRules.For(person, [old], Today));
        Assert.Equal(WorklistItemKind.NoNews, item.Kind);
        Assert.Contains($"depuis le {Today.AddMonths(-8):dd/MM/yyyy}", item.Why);
        Assert.Empty(WorklistRules.For(person, [Then(old, CandidatureStatus.UnderReview, Now.AddMonths(-1))], Today));
        Assert.Empty(WorklistRules.For(person, [old], Today, new WorklistSettings { NoNewsAfterMonths = 12 }));
    }

    [Fact]
    public void Late_items_come_first_then_by_date()
    {
        var person = Born(Today.AddYears(-21), SituationKind.InChildrenEsmsUnderCreton, Orientation(KindOfSupport.Ime, to: Today.AddMonths(1)), Orientation(KindOfSupport.Mas));
        var items = WorklistRules.For(person, [OfferedOn(Now.AddDays(-30)), CreatedAt(Now.AddDays(-2))], Today);
        Assert.Equal([WorklistItemKind.OfferOverdue, WorklistItemKind.CretonWithoutAdultCandidature, WorklistItemKind.OrientationEnding], items.Select(i => i.Kind));
    }
}

public class StatusSinceTests
{
    [Fact]
    public void Status_since_is_the_paris_day_of_the_last_status_change_and_marks_do_not_move_it()
    {
        // 23:30 UTC on 31 December is already 1 January in Paris.
        var at = new DateTimeOffset(2025, 12, 31, 23, 30, 0, TimeSpan.Zero);
        var c = Domain.Candidatures.Candidature.Create(CandidatureId.Parse("C-since"), PersonId.Parse("61-test-person"), ImeFiness,
            Modality.SemiResidential, KindOfSupport.Ime, new DateOnly(2025, 12, 1), at, Staff);
        Assert.Equal(new DateOnly(2026, 1, 1), c.StatusSince);
        var marked = CandidatureStateMachine.SetWaitingForPreferred(c, true, at.AddDays(10), Staff);
        Assert.Equal(new DateOnly(2026, 1, 1), marked.StatusSince);
        var waiting = CandidatureStateMachine.Transition(marked, CandidatureStatus.UnderReview, null, at.AddDays(20), Staff);
        Assert.Equal(new DateOnly(2026, 1, 21), waiting.StatusSince);
    }

    [Fact]
    public void Every_kind_of_item_has_its_own_french_label()
    {
        var labels = Enum.GetValues<WorklistItemKind>().Select(k => k.Label()).ToList();
        Assert.Equal(labels.Count, labels.Distinct().Count());
        Assert.All(labels, l => Assert.False(string.IsNullOrWhiteSpace(l)));
        Assert.Equal("Place libérée : candidat proposé", WorklistItemKind.VacancyProposed.Label());
    }
}
