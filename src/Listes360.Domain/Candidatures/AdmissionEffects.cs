using System.Collections.Immutable;
using Listes360.Domain.Registry;

namespace Listes360.Domain.Candidatures;

/// <summary>
/// "One admission ends the waiting elsewhere" (DESIGN.md §2). Pure: given one person's candidatures,
/// returns the candidatures that change (new versions), for the grain to store and publish.
/// </summary>
/// <remarks>
/// "Same kind of support" is <see cref="KindsOfSupport.IsSameKindAs"/>: the same
/// <see cref="SupportFamily"/> (hence the same public), e.g. MAS, FAM/EAM, foyer de vie/EANM and
/// foyer d'hébergement are one family for adults; IME, ITEP, IEM, EEAP, sensory institutes for
/// children; SESSAD is its own family (a child in a SESSAD still waits for an IME). Respite,
/// experimental and ambulatory (CAMSP, CMPP, BAPU) kinds never cause nor undergo the effect. An
/// admission in a temporary or sequential modality is partial and ends nothing; a candidature for a
/// temporary stay is not ended by an admission either (respite stays useful).
/// </remarks>
public static class AdmissionEffects
{
    /// <summary>The open candidatures an admission would move to SOLUTION_FOUND_ELSEWHERE (pure selection).</summary>
    public static ImmutableArray<Candidature> AffectedBy(IEnumerable<Candidature> personCandidatures, Candidature admitted)
    {
        if (!admitted.Modality.IsLasting()) return [];
        return Check(personCandidatures, admitted.PersonId)
            .Where(c => c.Id != admitted.Id
                && c.IsOpen
                && !c.WaitingForPreferred
                && c.Modality != Modality.Temporary
                && c.Kind.IsSameKindAs(admitted.Kind))
            .ToImmutableArray();
    }

    /// <summary>
    /// When <paramref name="admitted"/> (status ADMITTED) is admitted: its person's other open
    /// candidatures of the same kind, not marked "waiting for a preferred ESMS", move to
    /// SOLUTION_FOUND_ELSEWHERE with reason 119 and <see cref="CandidatureHistoryEntry.Cause"/> = the admission.
    /// </summary>
    public static ImmutableArray<Candidature> OnAdmission(IEnumerable<Candidature> personCandidatures, Candidature admitted,
        DateTimeOffset at, string by = Actors.System)
    {
        if (admitted.Status != CandidatureStatus.Admitted)
            throw new DomainException("NOT_ADMITTED",
                $"La candidature {admitted.Id} n'est pas au statut « {CandidatureStatus.Admitted.Label()} » (statut : « {admitted.Status.Label()} »).", "candidatureId");
        return AffectedBy(personCandidatures, admitted)
            .Select(c => CandidatureStateMachine.Transition(c, CandidatureStatus.SolutionFoundElsewhere, CandidatureReason.AdmittedElsewhere, at, by, admitted.Id))
            .ToImmutableArray();
    }

    /// <summary>
    /// The reverse: the admission <paramref name="undone"/> did not hold (trial period failed, entered by
    /// mistake): the candidatures it moved to SOLUTION_FOUND_ELSEWHERE, and still there, go back to the
    /// open status they left. Those the conseiller already confirmed (WITHDRAWN) stay so.
    /// </summary>
    public static ImmutableArray<Candidature> OnAdmissionUndone(IEnumerable<Candidature> personCandidatures, Candidature undone,
        DateTimeOffset at, string by = Actors.System)
    {
        if (undone.Status == CandidatureStatus.Admitted)
            throw new DomainException("STILL_ADMITTED",
                $"La candidature {undone.Id} est toujours au statut « {CandidatureStatus.Admitted.Label()} » : enregistrez d'abord la fin de l'admission.", "candidatureId");
        return Check(personCandidatures, undone.PersonId)
            .Where(c => c.Status == CandidatureStatus.SolutionFoundElsewhere
                && c.History[^1] is { To: CandidatureStatus.SolutionFoundElsewhere } last && last.Cause == undone.Id)
            .Select(c => CandidatureStateMachine.ReverseSolutionFoundElsewhere(c, at, by))
            .ToImmutableArray();
    }

    /// <summary>
    /// The conseiller keeps <paramref name="candidatureId"/> open "waiting for a preferred ESMS": if it
    /// is in SOLUTION_FOUND_ELSEWHERE it first goes back to the status it left, then it is marked. At
    /// most one per person and family: another one already marked gives <c>PREFERRED_ALREADY_MARKED</c>.
    /// Returns the changed candidature.
    /// </summary>
    public static Candidature KeepAsPreferred(IEnumerable<Candidature> personCandidatures, CandidatureId candidatureId,
        DateTimeOffset at, string by)
    {
        var all = Check(personCandidatures, null);
        var target = all.FirstOrDefault(c => c.Id == candidatureId)
            ?? throw new DomainException("CANDIDATURE_NOT_FOUND", $"La candidature {candidatureId} n'appartient pas à cette personne.", "candidatureId");
        var other = all.FirstOrDefault(c => c.Id != candidatureId && c.IsOpen && c.WaitingForPreferred && c.Kind.Info().Family == target.Kind.Info().Family);
        if (other is not null)
            throw new DomainException("PREFERRED_ALREADY_MARKED",
                $"La candidature {other.Id} ({other.Finess}) est déjà gardée en attente d'un ESMS préféré pour ce type d'accompagnement ; retirez d'abord ce choix.", "candidatureId");
        var reopened = target.Status == CandidatureStatus.SolutionFoundElsewhere
            ? CandidatureStateMachine.ReverseSolutionFoundElsewhere(target, at, by)
            : target;
        return CandidatureStateMachine.SetWaitingForPreferred(reopened, true, at, by);
    }

    private static List<Candidature> Check(IEnumerable<Candidature> candidatures, Persons.PersonId? person)
    {
        var list = candidatures.ToList();
        var expected = person ?? list.FirstOrDefault()?.PersonId;
        var stranger = list.FirstOrDefault(c => c.PersonId != expected);
        if (stranger is not null)
            throw new DomainException("PERSON_MISMATCH",
                $"La candidature {stranger.Id} concerne une autre personne : les effets d'une admission ne portent que sur les candidatures de la même personne.", "candidatureId");
        return list;
    }
}
