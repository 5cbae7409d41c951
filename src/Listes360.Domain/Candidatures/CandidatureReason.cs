namespace Listes360.Domain.Candidatures;

/// <summary>Harmonised reasons for a status. Numeric values are persisted: never renumber.</summary>
public enum CandidatureReason
{
    // Refusal by the ESMS
    TechnicalPlatformUnsuited = 1,
    InsufficientResources = 2,
    LifeProjectMismatch = 3,
    DisabilityTypeMismatch = 4,
    AgeIncompatible = 5,
    GeographicDistance = 6,
    SituationChanged = 7,
    TrialPeriodInconclusive = 8,
    // The person's side
    PersonRefusesToRegister = 20,
    PersonRefusesEsmsProject = 21,
    // Withdrawal
    Moved = 30,
    Deceased = 31,
    AdmittedElsewhere = 32,
    Retirement = 33,
    PersonUnreachable = 34,
    DataEntryError = 35,
    // Expiry
    OrientationEnded = 40,
    OrientationReplaced = 41,
    // Back to an open status
    BackToWaitingList = 50,
    AdmissionElsewhereCancelled = 51,
}

/// <summary>What Listes360 knows of a reason.</summary>
/// <param name="Reason">The reason.</param>
/// <param name="Code">Stable code, e.g. <c>AGE_INCOMPATIBLE</c>.</param>
/// <param name="Label">French label.</param>
/// <param name="AllowedFor">The target statuses it may explain.</param>
/// <param name="Ans">Its JDV_J251 code, <c>null</c> when the ANS has none.</param>
/// <param name="AnsIsApproximate">The ANS code is the nearest, not an exact equivalent.</param>
/// <param name="AlsoFromAns">Other JDV_J251 codes read as this reason on import.</param>
public sealed record CandidatureReasonInfo(
    CandidatureReason Reason,
    string Code,
    string Label,
    IReadOnlyList<CandidatureStatus> AllowedFor,
    AnsCode? Ans,
    bool AnsIsApproximate,
    IReadOnlyList<string> AlsoFromAns);

public static class CandidatureReasons
{
    private static CandidatureReasonInfo R(CandidatureReason r, string code, string label, string? ans, CandidatureStatus[] allowedFor,
        bool approximate = false, params string[] alsoFromAns) =>
        new(r, code, label, allowedFor, ans is null ? null : AnsVocabulary.Reasons[ans], approximate, alsoFromAns);

    private const CandidatureStatus Refused = CandidatureStatus.RefusedByEsms;
    private const CandidatureStatus Declined = CandidatureStatus.DeclinedByPerson;
    private const CandidatureStatus Withdrawn = CandidatureStatus.Withdrawn;
    private const CandidatureStatus Expired = CandidatureStatus.Expired;
    private const CandidatureStatus Elsewhere = CandidatureStatus.SolutionFoundElsewhere;

    /// <summary>
    /// Explicit mapping of every harmonised reason to JDV_J251 (display text in <see cref="CandidatureReasonInfo.Ans"/>).
    /// Choices: « déménagement » is 120 (the orientation is no longer relevant geographically) and 109
    /// is read as the same reason; the end of an orientation's validity is 174 « décision clôturée par
    /// la MDPH » (approximate: a decision that lapses is not closed); a trial period that fails has no
    /// reason code (it is the J252 status 44) and goes out as 46 without reason; going back to an open
    /// status uses 168 « pour placer l'usager en liste d'attente »; an admission elsewhere that is
    /// cancelled has no ANS reason.
    /// </summary>
    public static readonly IReadOnlyList<CandidatureReasonInfo> All =
    [
        R(CandidatureReason.TechnicalPlatformUnsuited, "PLATEAU_TECHNIQUE_INADAPTE", "Plateau technique inadapté à l'accompagnement", "86", [Refused]),
        R(CandidatureReason.InsufficientResources, "RESSOURCES_INSUFFISANTES", "Ressources de l'ESMS insuffisantes", "114", [Refused]),
        R(CandidatureReason.LifeProjectMismatch, "PROJET_DE_VIE_INADAPTE", "ESMS non adapté au projet de vie actuel de la personne", "115", [Refused]),
        R(CandidatureReason.DisabilityTypeMismatch, "TYPE_DE_HANDICAP", "Le type de handicap ne relève pas de l'ESMS", "116", [Refused]),
        R(CandidatureReason.AgeIncompatible, "AGE_INCOMPATIBLE", "Âge incompatible avec l'ESMS", "122", [Refused]),
        R(CandidatureReason.GeographicDistance, "ELOIGNEMENT", "Éloignement géographique", "113", [Refused, Declined, Withdrawn]),
        R(CandidatureReason.SituationChanged, "SITUATION_CHANGEE", "La situation de la personne a changé, l'ESMS n'est plus adapté", "117", [Refused, Withdrawn]),
        R(CandidatureReason.TrialPeriodInconclusive, "PERIODE_ESSAI_NON_CONCLUANTE", "Période d'essai non concluante", null, [Refused]),
        R(CandidatureReason.PersonRefusesToRegister, "REFUS_INSCRIPTION", "La personne ou son représentant légal refuse l'inscription dans l'ESMS", "118", [Declined, Withdrawn]),
        R(CandidatureReason.PersonRefusesEsmsProject, "REFUS_PROJET_ESMS", "La personne ou son représentant légal refuse d'adhérer au projet de l'ESMS", "121", [Declined]),
        R(CandidatureReason.Moved, "DEMENAGEMENT", "Déménagement", "120", [Withdrawn], false, "109"),
        R(CandidatureReason.Deceased, "DECES", "Décès de la personne", "124", [Withdrawn]),
        R(CandidatureReason.AdmittedElsewhere, "ADMIS_AILLEURS", "Admission dans un autre ESMS", "119", [Withdrawn, Elsewhere]),
        R(CandidatureReason.Retirement, "RETRAITE", "Départ à la retraite (ESAT)", "127", [Withdrawn]),
        R(CandidatureReason.PersonUnreachable, "PERSONNE_INJOIGNABLE", "L'ESMS n'a pas réussi à joindre la personne", "148", [Withdrawn]),
        R(CandidatureReason.DataEntryError, "ERREUR_DE_SAISIE", "Erreur de saisie", "112", [Withdrawn]),
        R(CandidatureReason.OrientationEnded, "FIN_ORIENTATION", "Fin de validité de l'orientation", "174", [Expired], approximate: true),
        R(CandidatureReason.OrientationReplaced, "ORIENTATION_REMPLACEE", "Une autre décision d'orientation annule et remplace la précédente", "173", [Expired]),
        R(CandidatureReason.BackToWaitingList, "RETOUR_LISTE_ATTENTE", "Retour en liste d'attente (offre non aboutie)", "168",
            [CandidatureStatus.Waiting, CandidatureStatus.UnderReview, CandidatureStatus.Received, CandidatureStatus.Incomplete], approximate: true),
        R(CandidatureReason.AdmissionElsewhereCancelled, "ADMISSION_AILLEURS_ANNULEE", "L'admission dans l'autre ESMS n'a pas abouti",
            null, [CandidatureStatus.Received, CandidatureStatus.Incomplete, CandidatureStatus.UnderReview, CandidatureStatus.Waiting, CandidatureStatus.Offered]),
    ];

    private static readonly Dictionary<CandidatureReason, CandidatureReasonInfo> ByReason = All.ToDictionary(r => r.Reason);
    private static readonly Dictionary<string, CandidatureReasonInfo> ByCode = All.ToDictionary(r => r.Code, StringComparer.OrdinalIgnoreCase);
    private static readonly Dictionary<string, CandidatureReasonInfo> ByAns = All
        .SelectMany(r => (r.Ans is null ? [] : new[] { r.Ans.Code }).Concat(r.AlsoFromAns).Select(c => (c, r)))
        .ToDictionary(p => p.c, p => p.r);

    public static CandidatureReasonInfo Info(this CandidatureReason reason) =>
        ByReason.TryGetValue(reason, out var info)
            ? info
            : throw new DomainException("INVALID_REASON", $"Motif inconnu ({(int)reason}).", "reason");

    public static string Label(this CandidatureReason reason) => reason.Info().Label;

    public static CandidatureReason FromCode(string? code) =>
        code is not null && ByCode.TryGetValue(code.Trim(), out var info)
            ? info.Reason
            : throw new DomainException("INVALID_REASON",
                $"Motif « {code} » inconnu. Motifs admis : {string.Join(", ", All.Select(r => r.Code))}.", "reason");

    /// <summary>The harmonised reason of a JDV_J251 code (imports from ViaTrajectoire or a DUI), or <c>null</c>.</summary>
    public static CandidatureReason? FromAnsCode(string? ansCode) =>
        ansCode is not null && ByAns.TryGetValue(ansCode.Trim(), out var info) ? info.Reason : null;

    /// <summary>The reasons that may explain a transition into <paramref name="status"/>.</summary>
    public static IReadOnlyList<CandidatureReason> AllowedFor(CandidatureStatus status) =>
        All.Where(r => r.AllowedFor.Contains(status)).Select(r => r.Reason).ToArray();
}
