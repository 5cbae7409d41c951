using Listes360.Domain;
using Listes360.Domain.Candidatures;

namespace Listes360.Fhir;

/// <summary>A move of the state machine asked by a J252 status and its J251 reason; <see cref="NoChange"/> when the candidature is already there.</summary>
public sealed record SdoTransition(CandidatureStatus Target, CandidatureReason? Reason, bool NoChange);

/// <summary>
/// Between the J252 / J251 codes of an SDOTask and the harmonised statuses of Listes360, both ways,
/// as pure functions. Incoming, a code is read as the status it means for this candidature (an
/// « admission impossible » is a refusal by the ESMS, a decline by the person or a withdrawal, according
/// to its reason); the move itself is then the state machine's, which may refuse it.
/// </summary>
public static class SdoStatusTranslation
{
    /// <summary>J252 statuses Listes360 has no equivalent for (notifications and exits are the SI-SDO's and the MDPH's).</summary>
    private static readonly IReadOnlySet<string> Unsupported = new HashSet<string> { "39", "40", "41", "48", "49", "51", "54" };

    /// <summary>
    /// The move that J252 <paramref name="status"/> with J251 <paramref name="reason"/> asks of <paramref name="current"/>;
    /// refused (<see cref="DomainException"/>, code <c>UNSUPPORTED_STATUS</c> or <c>UNSUPPORTED_REASON</c>) when Listes360 has no equivalent.
    /// </summary>
    public static SdoTransition Translate(string status, string? reason, Candidature current)
    {
        if (!AnsVocabulary.Statuses.TryGetValue(status, out var statusCode))
            throw new DomainException("UNSUPPORTED_STATUS", $"Le statut « {status} » n'appartient pas au jeu de valeurs JDV_J252.", "statutESMS");
        if (Unsupported.Contains(status))
            throw new DomainException("UNSUPPORTED_STATUS",
                $"Le statut J252 {status} « {statusCode.Display} » n'a pas d'équivalent dans Listes360 (les notifications, sorties et réorientations restent l'affaire du SI-SDO et de la MDPH) : "
                + "statuts acceptés 37, 42, 71, 72, 43, 44, 45, 46, 47.", "statutESMS");
        CandidatureReason? harmonised = null;
        if (reason is not null)
        {
            if (!AnsVocabulary.Reasons.TryGetValue(reason, out var reasonCode))
                throw new DomainException("UNSUPPORTED_REASON", $"Le motif « {reason} » n'appartient pas au jeu de valeurs JDV_J251.", "motifESMS");
            harmonised = CandidatureReasons.FromAnsCode(reason)
                ?? throw new DomainException("UNSUPPORTED_REASON",
                    $"Le motif J251 {reason} « {reasonCode.Display} » n'a pas d'équivalent dans Listes360 : motifs acceptés "
                    + string.Join(", ", CandidatureReasons.All.Where(r => r.Ans is not null).Select(r => r.Ans!.Code).Distinct()) + ".", "motifESMS");
        }
        var target = status switch
        {
            // « Reçue, en cours d'analyse »: a received candidature is now under review; an incomplete one stays so.
            "42" => current.Status is CandidatureStatus.Incomplete or CandidatureStatus.UnderReview
                ? current.Status
                : CandidatureStatus.UnderReview,
            "72" => CandidatureStatus.Waiting,
            "71" => CandidatureStatus.Offered,
            "43" or "47" => CandidatureStatus.Admitted,
            "44" => CandidatureStatus.RefusedByEsms,
            "37" => CandidatureStatus.Expired,
            // 45 and 46: an admission impossible; who makes it impossible is the reason's.
            _ => ImpossibleAdmission(harmonised, current),
        };
        if (status == "44")
            harmonised = CandidatureReason.TrialPeriodInconclusive;
        var noChange = target == current.Status
            && (harmonised is null || current.History.IsDefaultOrEmpty || current.History[^1].Reason == harmonised);
        return new SdoTransition(target, harmonised, noChange);
    }

    private static CandidatureStatus ImpossibleAdmission(CandidatureReason? reason, Candidature current)
    {
        if (reason is not { } r)
            return CandidatureStatus.RefusedByEsms; // the state machine asks for the reason, in French
        var allowed = r.Info().AllowedFor;
        if (allowed.Contains(CandidatureStatus.RefusedByEsms))
            return CandidatureStatus.RefusedByEsms;
        if (allowed.Contains(CandidatureStatus.DeclinedByPerson) && (current.Status == CandidatureStatus.Offered || !allowed.Contains(CandidatureStatus.Withdrawn)))
            return CandidatureStatus.DeclinedByPerson;
        if (allowed.Contains(CandidatureStatus.Withdrawn))
            return CandidatureStatus.Withdrawn;
        return allowed.Contains(CandidatureStatus.Expired) ? CandidatureStatus.Expired : CandidatureStatus.RefusedByEsms;
    }

    /// <summary>The J252 status and J251 reason (null when the ANS has none) of a candidature's status and last reason.</summary>
    public static (AnsCode Status, AnsCode? Reason) ToAns(CandidatureStatus status, CandidatureReason? reason) =>
        (status.Info().Ans, reason?.Info().Ans);

    /// <summary>J252 statuses that need a J251 reason in Listes360 (the harmonised status they mean requires one).</summary>
    public static readonly IReadOnlySet<string> StatusesRequiringReason = new HashSet<string> { "37", "45", "46" };
}
