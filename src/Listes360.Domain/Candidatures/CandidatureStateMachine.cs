using System.Collections.Frozen;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;

namespace Listes360.Domain.Candidatures;

/// <summary>An allowed transition; <see cref="OnlyReasons"/> restricts the reasons when not empty.</summary>
public sealed record AllowedTransition(CandidatureStatus From, CandidatureStatus To, IReadOnlyList<CandidatureReason> OnlyReasons);

/// <summary>
/// The harmonised state machine of candidatures (DESIGN.md):
/// RECEIVED → INCOMPLETE ↔ UNDER_REVIEW → WAITING → OFFERED → ADMITTED, side exits REFUSED_BY_ESMS,
/// DECLINED_BY_PERSON, WITHDRAWN, EXPIRED, and SOLUTION_FOUND_ELSEWHERE (automatic, reversible).
/// </summary>
/// <remarks>
/// Besides the main path: every open status may go to WITHDRAWN, EXPIRED and SOLUTION_FOUND_ELSEWHERE;
/// RECEIVED, INCOMPLETE, UNDER_REVIEW, WAITING and OFFERED may be refused by the ESMS; OFFERED may go
/// back to WAITING (offer not taken up, the person stays on the list). SOLUTION_FOUND_ELSEWHERE goes
/// back to the open status it left (and only that one: <see cref="Candidature.StatusBeforeSolutionElsewhere"/>),
/// or is confirmed as WITHDRAWN, or EXPIRED. Two corrections leave ADMITTED: REFUSED_BY_ESMS for a
/// trial period that fails, WITHDRAWN for an admission entered by mistake. REFUSED_BY_ESMS,
/// DECLINED_BY_PERSON, WITHDRAWN and EXPIRED are final: a new request is a new candidature.
/// </remarks>
public static class CandidatureStateMachine
{
    private static readonly CandidatureStatus[] Open =
        [CandidatureStatus.Received, CandidatureStatus.Incomplete, CandidatureStatus.UnderReview, CandidatureStatus.Waiting, CandidatureStatus.Offered];

    /// <summary>Every allowed transition, as data.</summary>
    public static readonly IReadOnlyList<AllowedTransition> Transitions = BuildTransitions();

    private static readonly FrozenDictionary<(CandidatureStatus, CandidatureStatus), AllowedTransition> ByPair =
        Transitions.ToFrozenDictionary(t => (t.From, t.To));

    private static List<AllowedTransition> BuildTransitions()
    {
        var list = new List<AllowedTransition>();
        void Add(CandidatureStatus from, CandidatureStatus to, params CandidatureReason[] only) => list.Add(new(from, to, only));

        Add(CandidatureStatus.Received, CandidatureStatus.Incomplete);
        Add(CandidatureStatus.Received, CandidatureStatus.UnderReview);
        Add(CandidatureStatus.Incomplete, CandidatureStatus.UnderReview);
        Add(CandidatureStatus.UnderReview, CandidatureStatus.Incomplete);
        Add(CandidatureStatus.UnderReview, CandidatureStatus.Waiting);
        Add(CandidatureStatus.Waiting, CandidatureStatus.Offered);
        Add(CandidatureStatus.Offered, CandidatureStatus.Admitted);
        Add(CandidatureStatus.Offered, CandidatureStatus.DeclinedByPerson);
        Add(CandidatureStatus.Offered, CandidatureStatus.Waiting);
        foreach (var open in Open)
        {
            Add(open, CandidatureStatus.RefusedByEsms);
            Add(open, CandidatureStatus.Withdrawn);
            Add(open, CandidatureStatus.Expired);
            Add(open, CandidatureStatus.SolutionFoundElsewhere);
            // Reversal: checked against the status actually left (StatusBeforeSolutionElsewhere).
            Add(CandidatureStatus.SolutionFoundElsewhere, open);
        }
        Add(CandidatureStatus.SolutionFoundElsewhere, CandidatureStatus.Withdrawn);
        Add(CandidatureStatus.SolutionFoundElsewhere, CandidatureStatus.Expired);
        Add(CandidatureStatus.Admitted, CandidatureStatus.RefusedByEsms, CandidatureReason.TrialPeriodInconclusive);
        Add(CandidatureStatus.Admitted, CandidatureStatus.Withdrawn, CandidatureReason.DataEntryError);
        return list;
    }

    /// <summary>The statuses a candidature in <paramref name="current"/> may move to (ignoring the reversal's exact target).</summary>
    public static IReadOnlyList<CandidatureStatus> Targets(CandidatureStatus current) =>
        Transitions.Where(t => t.From == current).Select(t => t.To).ToArray();

    /// <summary>The statuses this very candidature may move to (the reversal only to the status it left).</summary>
    public static IReadOnlyList<CandidatureStatus> Targets(Candidature candidature) =>
        Targets(candidature.Status)
            .Where(t => candidature.Status != CandidatureStatus.SolutionFoundElsewhere || !t.IsOpen() || t == candidature.StatusBeforeSolutionElsewhere)
            .ToArray();

    /// <summary>
    /// Moves <paramref name="current"/> to <paramref name="target"/>. Returns the new record (version + 1,
    /// one history entry) or throws <see cref="DomainException"/>: <c>FORBIDDEN_TRANSITION</c> (French
    /// message naming both statuses), <c>REASON_REQUIRED</c>, <c>INVALID_REASON</c>, <c>INVALID_ACTOR</c>.
    /// </summary>
    /// <param name="cause">The candidature whose admission caused this change, for automatic effects.</param>
    public static Candidature Transition(Candidature current, CandidatureStatus target, CandidatureReason? reason, DateTimeOffset at, string by,
        CandidatureId? cause = null)
    {
        RequireActor(by);
        var targetInfo = target.Info();
        var from = current.Status;
        if (!ByPair.TryGetValue((from, target), out var allowed))
            throw Forbidden(from, target, from == target
                ? "La candidature est déjà à ce statut."
                : Targets(current) is { Count: > 0 } targets
                    ? $"Statuts possibles : {string.Join(", ", targets.Select(t => $"« {t.Label()} »"))}."
                    : "Ce statut est définitif : une nouvelle demande est une nouvelle candidature.");
        if (from == CandidatureStatus.SolutionFoundElsewhere && target.IsOpen() && current.StatusBeforeSolutionElsewhere is { } left && left != target)
            throw Forbidden(from, target, $"Le retour n'est possible que vers le statut quitté, « {left.Label()} ».");
        if (reason is { } r)
        {
            var reasonInfo = r.Info();
            if (!reasonInfo.AllowedFor.Contains(target))
                throw new DomainException("INVALID_REASON",
                    $"Le motif « {reasonInfo.Label} » ne peut pas justifier le statut « {targetInfo.Label} ». Motifs admis : {DescribeReasons(allowed, target)}.", "reason");
            if (allowed.OnlyReasons.Count > 0 && !allowed.OnlyReasons.Contains(r))
                throw new DomainException("INVALID_REASON",
                    $"Du statut « {from.Label()} » au statut « {targetInfo.Label} », seul le motif {DescribeReasons(allowed, target)} est admis.", "reason");
        }
        else if (targetInfo.RequiresReason || allowed.OnlyReasons.Count > 0)
        {
            throw new DomainException("REASON_REQUIRED",
                $"Le passage au statut « {targetInfo.Label} » exige un motif : {DescribeReasons(allowed, target)}.", "reason");
        }
        return Apply(current, CandidatureEvent.StatusChanged, target, reason, at, by, cause);
    }

    /// <summary>Back from SOLUTION_FOUND_ELSEWHERE to the open status it left (the conseiller's reversal).</summary>
    public static Candidature ReverseSolutionFoundElsewhere(Candidature current, DateTimeOffset at, string by,
        CandidatureReason? reason = CandidatureReason.AdmissionElsewhereCancelled)
    {
        if (current.Status != CandidatureStatus.SolutionFoundElsewhere || current.StatusBeforeSolutionElsewhere is not { } left)
            throw Forbidden(current.Status, current.Status,
                $"Seule une candidature au statut « {CandidatureStatus.SolutionFoundElsewhere.Label()} » peut être rétablie.");
        return Transition(current, left, reason, at, by);
    }

    /// <summary>Confirms SOLUTION_FOUND_ELSEWHERE as WITHDRAWN (reason: admitted elsewhere).</summary>
    public static Candidature ConfirmSolutionFoundElsewhere(Candidature current, DateTimeOffset at, string by) =>
        Transition(current, CandidatureStatus.Withdrawn, CandidatureReason.AdmittedElsewhere, at, by);

    /// <summary>
    /// EXPIRED when the orientation it relies on has ended (reason <see cref="CandidatureReason.OrientationEnded"/>).
    /// Only open or SOLUTION_FOUND_ELSEWHERE candidatures expire.
    /// </summary>
    public static Candidature Expire(Candidature current, DateTimeOffset at, string by = Actors.System,
        CandidatureReason reason = CandidatureReason.OrientationEnded) =>
        Transition(current, CandidatureStatus.Expired, reason, at, by);

    /// <summary>
    /// Sets or clears the "waiting for a preferred ESMS" flag of an open candidature (version + 1).
    /// Use <see cref="AdmissionEffects.KeepAsPreferred"/> to enforce one per person and kind.
    /// </summary>
    public static Candidature SetWaitingForPreferred(Candidature current, bool waitingForPreferred, DateTimeOffset at, string by)
    {
        RequireActor(by);
        if (!current.IsOpen)
            throw new DomainException("CANDIDATURE_NOT_OPEN",
                $"Seule une candidature en cours peut être gardée « en attente d'un ESMS préféré » (statut actuel : « {current.Status.Label()} »).", "waitingForPreferred");
        if (current.WaitingForPreferred == waitingForPreferred) return current;
        return Apply(current with { WaitingForPreferred = waitingForPreferred },
            waitingForPreferred ? CandidatureEvent.MarkedWaitingForPreferred : CandidatureEvent.UnmarkedWaitingForPreferred,
            current.Status, null, at, by, null);
    }

    /// <summary>
    /// The candidature now belongs to <paramref name="person"/> (merge of duplicates, or the split that
    /// undoes it): same status and history, one more version so that every view takes the new owner.
    /// </summary>
    public static Candidature MoveTo(Candidature current, PersonId person, bool split, DateTimeOffset at, string by)
    {
        RequireActor(by);
        return Apply(current with { PersonId = person }, split ? CandidatureEvent.PersonSplit : CandidatureEvent.PersonMerged,
            current.Status, null, at, by, null);
    }

    internal static void RequireActor(string? by)
    {
        if (string.IsNullOrWhiteSpace(by))
            throw new DomainException("INVALID_ACTOR", "L'auteur de la modification est obligatoire.", "by");
    }

    private static Candidature Apply(Candidature current, CandidatureEvent evt, CandidatureStatus target, CandidatureReason? reason,
        DateTimeOffset at, string by, CandidatureId? cause)
    {
        var version = checked(current.Version + 1);
        Validation.FieldRules.RequireRoom(current.History.IsDefault ? 0 : current.History.Length, Validation.FieldLimits.CandidatureHistoryMaxCount,
            "status", $"les changements de statut de la candidature {current.Id}");
        return current with
        {
            Status = target,
            Version = version,
            History = current.History.Add(new CandidatureHistoryEntry
            {
                Version = version,
                Event = evt,
                From = current.Status,
                To = target,
                Reason = reason,
                At = at,
                By = by.Trim(),
                Cause = cause,
            }),
        };
    }

    private static DomainException Forbidden(CandidatureStatus from, CandidatureStatus to, string detail) =>
        new("FORBIDDEN_TRANSITION", $"Passage interdit du statut « {from.Label()} » au statut « {to.Label()} ». {detail}", "status");

    private static string DescribeReasons(AllowedTransition allowed, CandidatureStatus target) =>
        string.Join(", ", (allowed.OnlyReasons.Count > 0 ? allowed.OnlyReasons : CandidatureReasons.AllowedFor(target))
            .Select(r => $"« {r.Label()} »"));
}
