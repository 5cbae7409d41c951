using Listes360.Domain.Candidatures;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;
using static Listes360.Domain.Tests.TestData;

namespace Listes360.Domain.Tests.Persons;

public class PersonTimelineTests
{
    [Fact]
    public void The_path_is_in_date_order_with_who_and_why_for_every_change()
    {
        var person = Person(Today.AddYears(-14), Orientation(KindOfSupport.Ime, from: Today.AddYears(-3), to: Today.AddYears(-1)),
                Orientation(KindOfSupport.Ime, from: Today.AddYears(-1), to: Today.AddYears(2))) with
        {
            Situation = Situation.Create(SituationKind.AtHomeWithoutSolution, Today.AddMonths(-7), null, null, Today),
            Urgency = UrgencyFlag.Create(UrgencySource.TerritorialStaff, Today.AddMonths(-2), "Aidant hospitalisé", "conseillere-1", Today),
        };
        var c = Domain.Candidatures.Candidature.Create(CandidatureId.Parse("C-t1"), person.Id, ImeFiness, Modality.SemiResidential, KindOfSupport.Ime,
            Today.AddMonths(-6), Now.AddMonths(-6), "directeur-1");
        c = CandidatureStateMachine.Transition(c, CandidatureStatus.UnderReview, null, Now.AddMonths(-5), "directeur-1");
        c = CandidatureStateMachine.Transition(c, CandidatureStatus.Withdrawn, CandidatureReason.Moved, Now.AddMonths(-1), "conseillere-1");

        var timeline = PersonTimeline.Of(person, [c], Today);

        Assert.Equal(timeline.OrderBy(e => e.Date).Select(e => e.Date), timeline.Select(e => e.Date));
        Assert.Equal(
            [TimelineEventKind.OrientationDecided, TimelineEventKind.OrientationDecided, TimelineEventKind.OrientationEnded,
             TimelineEventKind.Situation, TimelineEventKind.CandidatureCreated, TimelineEventKind.CandidatureStatusChanged,
             TimelineEventKind.Urgency, TimelineEventKind.CandidatureStatusChanged],
            timeline.Select(e => e.Kind));
        var withdrawn = timeline[^1];
        Assert.Equal("conseillere-1", withdrawn.By);
        Assert.Equal(c.Id, withdrawn.Candidature);
        Assert.Contains("« En cours d'examen » → « ", withdrawn.Text);
        Assert.Contains("motif", withdrawn.Text);
        Assert.Contains("Aidant hospitalisé", timeline.Single(e => e.Kind == TimelineEventKind.Urgency).Text);
        Assert.Contains("À domicile sans solution", timeline.Single(e => e.Kind == TimelineEventKind.Situation).Text);
    }

    [Fact]
    public void Merges_and_splits_of_duplicate_files_are_steps_of_the_path()
    {
        var person = Person(Today.AddYears(-30), Orientation(KindOfSupport.Mas));
        var c = Domain.Candidatures.Candidature.Create(CandidatureId.Parse("C-t2"), PersonId.Parse("61-other"), ImeFiness, Modality.Residential, KindOfSupport.Mas,
            Today.AddMonths(-6), Now.AddMonths(-6), "directeur-1");
        c = CandidatureStateMachine.MoveTo(c, person.Id, split: false, Now.AddMonths(-2), "admin-1");
        c = CandidatureStateMachine.MoveTo(c, PersonId.Parse("61-other"), split: true, Now.AddMonths(-1), "admin-1");
        var kinds = PersonTimeline.Of(person, [c], Today).Select(e => e.Kind).ToArray();
        Assert.Equal([TimelineEventKind.OrientationDecided, TimelineEventKind.CandidatureCreated, TimelineEventKind.Merged, TimelineEventKind.Split], kinds);
    }
}
