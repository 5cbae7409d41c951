namespace Listes360.Domain.Candidatures;

/// <summary>
/// The harmonised statuses of a candidature (DESIGN.md). Numeric values are persisted: never
/// renumber. "Waiting for a preferred ESMS" is not a status but a flag on an open candidature
/// (<see cref="Candidature.WaitingForPreferred"/>), so that it keeps its place in the state machine.
/// </summary>
public enum CandidatureStatus
{
    Received = 1,
    Incomplete = 2,
    UnderReview = 3,
    Waiting = 4,
    Offered = 5,
    Admitted = 6,
    RefusedByEsms = 7,
    DeclinedByPerson = 8,
    Withdrawn = 9,
    Expired = 10,
    SolutionFoundElsewhere = 11,
}

/// <summary>What Listes360 knows of a status.</summary>
/// <param name="Status">The status.</param>
/// <param name="Code">Stable code (the GraphQL enum value), e.g. <c>UNDER_REVIEW</c>.</param>
/// <param name="Label">French label.</param>
/// <param name="IsOpen">On a waiting list (a "live entry"): received, incomplete, under review, waiting, offered.</param>
/// <param name="IsFinal">No transition leaves it, except the documented corrections.</param>
/// <param name="RequiresReason">A transition into it must give a reason.</param>
/// <param name="Ans">Its ANS JDV_J252 code.</param>
/// <param name="AnsIsApproximate">The ANS code is the nearest, not an exact equivalent.</param>
/// <param name="AnsNote">Why the mapping is approximate (French, shown to administrators).</param>
public sealed record CandidatureStatusInfo(
    CandidatureStatus Status,
    string Code,
    string Label,
    bool IsOpen,
    bool IsFinal,
    bool RequiresReason,
    AnsCode Ans,
    bool AnsIsApproximate,
    string? AnsNote);

public static class CandidatureStatuses
{
    private static CandidatureStatusInfo S(CandidatureStatus s, string code, string label, bool open, bool final, bool reason,
        string ans, string? approximate = null) =>
        new(s, code, label, open, final, reason, AnsVocabulary.Statuses[ans], approximate is not null, approximate);

    /// <summary>Explicit mapping of every status to JDV_J252; approximate ones say why.</summary>
    public static readonly IReadOnlyList<CandidatureStatusInfo> All =
    [
        S(CandidatureStatus.Received, "RECEIVED", "Candidature reçue", open: true, final: false, reason: false, "42"),
        S(CandidatureStatus.Incomplete, "INCOMPLETE", "Dossier incomplet", open: true, final: false, reason: false, "42",
            "JDV_J252 n'a pas de statut « dossier incomplet » : la demande reste « reçue, en cours d'analyse » (42)."),
        S(CandidatureStatus.UnderReview, "UNDER_REVIEW", "En cours d'examen", open: true, final: false, reason: false, "42"),
        S(CandidatureStatus.Waiting, "WAITING", "En liste d'attente", open: true, final: false, reason: false, "72"),
        S(CandidatureStatus.Offered, "OFFERED", "Place proposée", open: true, final: false, reason: false, "71",
            "« Admis dans l'ESMS » (71) est la décision d'admission avant l'entrée ; Listes360 la nomme « place proposée » tant que la personne n'a pas accepté."),
        S(CandidatureStatus.Admitted, "ADMITTED", "Admis·e", open: false, final: true, reason: false, "47",
            "Listes360 ne distingue pas la période d'essai (43) de l'entrée : « admis » correspond à « usager entré » (47)."),
        S(CandidatureStatus.RefusedByEsms, "REFUSED_BY_ESMS", "Refusée par l'ESMS", open: false, final: true, reason: true, "46"),
        S(CandidatureStatus.DeclinedByPerson, "DECLINED_BY_PERSON", "Déclinée par la personne", open: false, final: true, reason: true, "46",
            "JDV_J252 ne distingue pas qui rend l'admission impossible : le motif (118, 121, 113) dit que c'est la personne."),
        S(CandidatureStatus.Withdrawn, "WITHDRAWN", "Retirée", open: false, final: true, reason: true, "46",
            "Le retrait (déménagement, décès, solution ailleurs) est une « admission impossible entérinée » (46) avec son motif (120, 124, 119…)."),
        S(CandidatureStatus.Expired, "EXPIRED", "Expirée (fin de l'orientation)", open: false, final: true, reason: true, "37",
            "JDV_J252 n'a pas de statut « orientation échue » : le plus proche est « décision d'orientation annulée » (37), motif 174 ou 173."),
        S(CandidatureStatus.SolutionFoundElsewhere, "SOLUTION_FOUND_ELSEWHERE", "Solution trouvée ailleurs (à confirmer)", open: false, final: false, reason: true, "45",
            "Provisoire et réversible par le conseiller : « admission impossible signalée » (45), motif 119 ; sa confirmation (retrait) devient « entérinée » (46)."),
    ];

    private static readonly Dictionary<CandidatureStatus, CandidatureStatusInfo> ByStatus = All.ToDictionary(s => s.Status);
    private static readonly Dictionary<string, CandidatureStatusInfo> ByCode = All.ToDictionary(s => s.Code, StringComparer.OrdinalIgnoreCase);

    public static CandidatureStatusInfo Info(this CandidatureStatus status) =>
        ByStatus.TryGetValue(status, out var info)
            ? info
            : throw new DomainException("UNKNOWN_STATUS", $"Statut de candidature inconnu ({(int)status}).", "status");

    public static string Label(this CandidatureStatus status) => status.Info().Label;
    public static bool IsOpen(this CandidatureStatus status) => status.Info().IsOpen;
    public static string Code(this CandidatureStatus status) => status.Info().Code;

    public static CandidatureStatus FromCode(string? code) =>
        code is not null && ByCode.TryGetValue(code.Trim(), out var info)
            ? info.Status
            : throw new DomainException("UNKNOWN_STATUS",
                $"Statut de candidature « {code} » inconnu. Statuts admis : {string.Join(", ", All.Select(s => s.Code))}.", "status");
}
