using FsCheck;
using FsCheck.Xunit;
using Listes360.Domain.Candidatures;
using static Listes360.Domain.Tests.TestData;

namespace Listes360.Domain.Tests.Candidatures;

public class StateMachineTests
{
    [Fact]
    public void Creation_is_received_version_1_with_one_history_entry()
    {
        var c = Candidature();
        Assert.Equal(CandidatureStatus.Received, c.Status);
        Assert.Equal(1, c.Version);
        var entry = Assert.Single(c.History);
        Assert.Equal(CandidatureEvent.Created, entry.Event);
        Assert.Null(entry.From);
        Assert.Equal(CandidatureStatus.Received, entry.To);
        Assert.Equal(Staff, entry.By);
    }

    [Fact]
    public void Main_path_to_admitted()
    {
        var c = Candidature().At(CandidatureStatus.Admitted);
        Assert.Equal(CandidatureStatus.Admitted, c.Status);
        Assert.Equal(5, c.Version);
        Assert.Equal(
            [CandidatureStatus.Received, CandidatureStatus.UnderReview, CandidatureStatus.Waiting, CandidatureStatus.Offered, CandidatureStatus.Admitted],
            c.History.Select(h => h.To));
    }

    [Fact]
    public void Transition_records_reason_time_and_actor()
    {
        var at = Now.AddHours(3);
        var c = CandidatureStateMachine.Transition(Candidature().At(CandidatureStatus.UnderReview), CandidatureStatus.RefusedByEsms,
            CandidatureReason.AgeIncompatible, at, "director-61");
        var last = c.History[^1];
        Assert.Equal((CandidatureStatus?)CandidatureStatus.UnderReview, last.From);
        Assert.Equal(CandidatureStatus.RefusedByEsms, last.To);
        Assert.Equal(CandidatureReason.AgeIncompatible, last.Reason);
        Assert.Equal(at, last.At);
        Assert.Equal("director-61", last.By);
        Assert.Equal(c.Version, last.Version);
    }

    [Fact]
    public void Forbidden_transition_names_both_statuses_in_french()
    {
        var c = Candidature().At(CandidatureStatus.Waiting);
        var ex = Assert.Throws<DomainException>(() => CandidatureStateMachine.Transition(c, CandidatureStatus.Admitted, null, Now, Staff));
        Assert.Equal("FORBIDDEN_TRANSITION", ex.Code);
        Assert.Contains("« En liste d'attente »", ex.Message);
        Assert.Contains("« Admis·e »", ex.Message);
        Assert.Contains("« Place proposée »", ex.Message);
    }

    [Fact]
    public void Final_statuses_are_final()
    {
        var c = CandidatureStateMachine.Transition(Candidature(), CandidatureStatus.Withdrawn, CandidatureReason.Deceased, Now, Staff);
        var ex = Assert.Throws<DomainException>(() => CandidatureStateMachine.Transition(c, CandidatureStatus.Waiting, null, Now, Staff));
        Assert.Equal("FORBIDDEN_TRANSITION", ex.Code);
        Assert.Contains("définitif", ex.Message);
    }

    [Fact]
    public void Same_status_is_forbidden()
    {
        var ex = Assert.Throws<DomainException>(() => CandidatureStateMachine.Transition(Candidature(), CandidatureStatus.Received, null, Now, Staff));
        Assert.Equal("FORBIDDEN_TRANSITION", ex.Code);
        Assert.Contains("déjà", ex.Message);
    }

    [Theory]
    [InlineData(CandidatureStatus.RefusedByEsms)]
    [InlineData(CandidatureStatus.Withdrawn)]
    [InlineData(CandidatureStatus.Expired)]
    [InlineData(CandidatureStatus.SolutionFoundElsewhere)]
    public void Side_exits_require_a_reason(CandidatureStatus target)
    {
        var ex = Assert.Throws<DomainException>(() => CandidatureStateMachine.Transition(Candidature(), target, null, Now, Staff));
        Assert.Equal("REASON_REQUIRED", ex.Code);
        Assert.Equal("reason", ex.Field);
        Assert.Contains("exige un motif", ex.Message);
    }

    [Fact]
    public void Declined_requires_a_reason()
    {
        var offered = Candidature().At(CandidatureStatus.Offered);
        Assert.Equal("REASON_REQUIRED", Assert.Throws<DomainException>(() =>
            CandidatureStateMachine.Transition(offered, CandidatureStatus.DeclinedByPerson, null, Now, Staff)).Code);
        var declined = CandidatureStateMachine.Transition(offered, CandidatureStatus.DeclinedByPerson, CandidatureReason.GeographicDistance, Now, Staff);
        Assert.Equal(CandidatureStatus.DeclinedByPerson, declined.Status);
    }

    [Fact]
    public void Reason_must_fit_the_target()
    {
        var ex = Assert.Throws<DomainException>(() =>
            CandidatureStateMachine.Transition(Candidature(), CandidatureStatus.RefusedByEsms, CandidatureReason.Deceased, Now, Staff));
        Assert.Equal("INVALID_REASON", ex.Code);
        Assert.Contains("« Décès de la personne »", ex.Message);
        Assert.Contains("« Refusée par l'ESMS »", ex.Message);
        Assert.Contains("Âge incompatible", ex.Message);
        Assert.Equal("INVALID_REASON", Assert.Throws<DomainException>(() =>
            CandidatureStateMachine.Transition(Candidature(), CandidatureStatus.UnderReview, CandidatureReason.Deceased, Now, Staff)).Code);
    }

    [Fact]
    public void Actor_is_required()
    {
        Assert.Equal("INVALID_ACTOR", Assert.Throws<DomainException>(() =>
            CandidatureStateMachine.Transition(Candidature(), CandidatureStatus.UnderReview, null, Now, " ")).Code);
    }

    [Fact]
    public void Offer_can_go_back_to_waiting()
    {
        var c = CandidatureStateMachine.Transition(Candidature().At(CandidatureStatus.Offered), CandidatureStatus.Waiting,
            CandidatureReason.BackToWaitingList, Now, Staff);
        Assert.Equal(CandidatureStatus.Waiting, c.Status);
    }

    [Fact]
    public void Incomplete_and_under_review_go_back_and_forth()
    {
        var c = CandidatureStateMachine.Transition(Candidature(), CandidatureStatus.Incomplete, null, Now, Staff);
        c = CandidatureStateMachine.Transition(c, CandidatureStatus.UnderReview, null, Now, Staff);
        c = CandidatureStateMachine.Transition(c, CandidatureStatus.Incomplete, null, Now, Staff);
        Assert.Equal(4, c.Version);
    }

    [Fact]
    public void Solution_found_elsewhere_reverses_to_the_status_it_left_only()
    {
        var waiting = Candidature().At(CandidatureStatus.Waiting);
        var sfe = CandidatureStateMachine.Transition(waiting, CandidatureStatus.SolutionFoundElsewhere, CandidatureReason.AdmittedElsewhere, Now, Actors.System);
        Assert.Equal(CandidatureStatus.Waiting, sfe.StatusBeforeSolutionElsewhere);
        Assert.Equal([CandidatureStatus.Waiting, CandidatureStatus.Withdrawn, CandidatureStatus.Expired],
            CandidatureStateMachine.Targets(sfe).Order());

        var ex = Assert.Throws<DomainException>(() => CandidatureStateMachine.Transition(sfe, CandidatureStatus.Offered, null, Now, Staff));
        Assert.Equal("FORBIDDEN_TRANSITION", ex.Code);
        Assert.Contains("« En liste d'attente »", ex.Message);

        var back = CandidatureStateMachine.ReverseSolutionFoundElsewhere(sfe, Now, Staff);
        Assert.Equal(CandidatureStatus.Waiting, back.Status);
        Assert.Equal(CandidatureReason.AdmissionElsewhereCancelled, back.History[^1].Reason);
    }

    [Fact]
    public void Solution_found_elsewhere_is_confirmed_as_withdrawn_with_reason_119()
    {
        var sfe = CandidatureStateMachine.Transition(Candidature(), CandidatureStatus.SolutionFoundElsewhere, CandidatureReason.AdmittedElsewhere, Now, Actors.System);
        var confirmed = CandidatureStateMachine.ConfirmSolutionFoundElsewhere(sfe, Now, Staff);
        Assert.Equal(CandidatureStatus.Withdrawn, confirmed.Status);
        Assert.Equal("119", confirmed.History[^1].Reason!.Value.Info().Ans!.Code);
    }

    [Fact]
    public void Reversal_of_something_else_is_refused() =>
        Assert.Equal("FORBIDDEN_TRANSITION", Assert.Throws<DomainException>(() =>
            CandidatureStateMachine.ReverseSolutionFoundElsewhere(Candidature(), Now, Staff)).Code);

    [Fact]
    public void Expires_when_the_orientation_ends()
    {
        var c = CandidatureStateMachine.Expire(Candidature().At(CandidatureStatus.Waiting), Now);
        Assert.Equal(CandidatureStatus.Expired, c.Status);
        Assert.Equal(CandidatureReason.OrientationEnded, c.History[^1].Reason);
        Assert.Equal(Actors.System, c.History[^1].By);
        Assert.Equal("FORBIDDEN_TRANSITION", Assert.Throws<DomainException>(() =>
            CandidatureStateMachine.Expire(Candidature().At(CandidatureStatus.Admitted), Now)).Code);
    }

    [Fact]
    public void Admission_corrections_need_their_specific_reason()
    {
        var admitted = Candidature().At(CandidatureStatus.Admitted);
        Assert.Equal("INVALID_REASON", Assert.Throws<DomainException>(() =>
            CandidatureStateMachine.Transition(admitted, CandidatureStatus.RefusedByEsms, CandidatureReason.AgeIncompatible, Now, Staff)).Code);
        Assert.Equal("REASON_REQUIRED", Assert.Throws<DomainException>(() =>
            CandidatureStateMachine.Transition(admitted, CandidatureStatus.Withdrawn, null, Now, Staff)).Code);
        Assert.Equal(CandidatureStatus.RefusedByEsms,
            CandidatureStateMachine.Transition(admitted, CandidatureStatus.RefusedByEsms, CandidatureReason.TrialPeriodInconclusive, Now, Staff).Status);
        Assert.Equal(CandidatureStatus.Withdrawn,
            CandidatureStateMachine.Transition(admitted, CandidatureStatus.Withdrawn, CandidatureReason.DataEntryError, Now, Staff).Status);
    }

    [Fact]
    public void Preferred_flag_versions_and_only_on_open()
    {
        var c = Candidature().At(CandidatureStatus.Waiting);
        var marked = CandidatureStateMachine.SetWaitingForPreferred(c, true, Now, Staff);
        Assert.True(marked.WaitingForPreferred);
        Assert.Equal(c.Version + 1, marked.Version);
        Assert.Equal(CandidatureEvent.MarkedWaitingForPreferred, marked.History[^1].Event);
        Assert.Same(marked, CandidatureStateMachine.SetWaitingForPreferred(marked, true, Now, Staff));
        Assert.Equal("CANDIDATURE_NOT_OPEN", Assert.Throws<DomainException>(() =>
            CandidatureStateMachine.SetWaitingForPreferred(Candidature().At(CandidatureStatus.Admitted), true, Now, Staff)).Code);
    }

    /// <summary>Drives a candidature with arbitrary choices among the allowed targets, with a fitting reason.</summary>
    internal static Candidature RandomWalk(Candidature c, int[] choices)
    {
        var at = Now;
        foreach (var choice in choices)
        {
            var targets = CandidatureStateMachine.Targets(c);
            if (targets.Count == 0) break;
            var target = targets[Math.Abs(choice % targets.Count)];
            var allowed = CandidatureStateMachine.Transitions.Single(t => t.From == c.Status && t.To == target);
            var reasons = allowed.OnlyReasons.Count > 0 ? allowed.OnlyReasons : CandidatureReasons.AllowedFor(target);
            CandidatureReason? reason = target.Info().RequiresReason || allowed.OnlyReasons.Count > 0 || (choice & 1) == 1 && reasons.Count > 0
                ? reasons[Math.Abs(choice / 7 % reasons.Count)]
                : null;
            at = at.AddMinutes(1 + Math.Abs(choice % 100));
            c = CandidatureStateMachine.Transition(c, target, reason, at, Staff);
            if ((choice & 2) == 2 && c.IsOpen)
                c = CandidatureStateMachine.SetWaitingForPreferred(c, !c.WaitingForPreferred, at, Staff);
        }
        return c;
    }

    [Property(MaxTest = 300)]
    public bool Any_sequence_of_allowed_transitions_keeps_history_consistent(int[] choices)
    {
        var start = Candidature();
        var c = RandomWalk(start, choices);
        var history = c.History;
        var consistent = history[0].Event == CandidatureEvent.Created && history[0].Version == 1 && history[0].From is null;
        for (var i = 1; i < history.Length; i++)
        {
            consistent &= history[i].From == history[i - 1].To;
            consistent &= history[i].Version == history[i - 1].Version + 1;
            consistent &= history[i].At >= history[i - 1].At;
            consistent &= !history[i].To.Info().RequiresReason || history[i].Event != CandidatureEvent.StatusChanged || history[i].Reason is not null;
            consistent &= history[i].Reason is not { } r || r.Info().AllowedFor.Contains(history[i].To);
        }
        return consistent && c.Version == history.Length && history[^1].To == c.Status && history[^1].Version == c.Version;
    }

    [Property(MaxTest = 300)]
    public bool Version_strictly_increases_on_each_change(int[] choices, int extra)
    {
        var before = RandomWalk(Candidature(), choices);
        var targets = CandidatureStateMachine.Targets(before);
        if (targets.Count == 0) return true;
        var target = targets[Math.Abs(extra % targets.Count)];
        var reason = CandidatureStateMachine.Transitions.Single(t => t.From == before.Status && t.To == target) is { OnlyReasons.Count: > 0 } only
            ? only.OnlyReasons[0]
            : target.Info().RequiresReason ? CandidatureReasons.AllowedFor(target)[0] : (CandidatureReason?)null;
        var after = CandidatureStateMachine.Transition(before, target, reason, Now.AddYears(1), Staff);
        return after.Version == before.Version + 1 && after.History.Length == before.History.Length + 1;
    }

    [Property(MaxTest = 200)]
    public bool Any_forbidden_transition_throws_and_changes_nothing(int[] choices, int pick)
    {
        var c = RandomWalk(Candidature(), choices);
        var allowed = CandidatureStateMachine.Targets(c);
        var forbidden = Enum.GetValues<CandidatureStatus>().Where(s => !allowed.Contains(s)).ToArray();
        var target = forbidden[Math.Abs(pick % forbidden.Length)];
        var versionBefore = c.Version;
        try
        {
            CandidatureStateMachine.Transition(c, target, CandidatureReasons.AllowedFor(target).FirstOrDefault(), Now, Staff);
            return false;
        }
        catch (DomainException ex)
        {
            return ex.Code == "FORBIDDEN_TRANSITION" && c.Version == versionBefore;
        }
    }
}
