namespace Listes360.Domain.Candidatures;

/// <summary>A code of an ANS value set, with its official display text.</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Candidatures.AnsCode")]
public sealed record AnsCode(
    [property: Id(0)] string System,
    [property: Id(1)] string Code,
    [property: Id(2)] string Display);

/// <summary>
/// The ANS vocabularies used by ViaTrajectoire and the ESMS' record software for the follow-up of
/// orientations (terminology package ans.fr.terminologies 1.12.0, see
/// <c>shared/reference/ans-statuts-orientation.md</c>), copied as explicit data.
/// </summary>
public static class AnsVocabulary
{
    /// <summary>JDV_J252 — statut de la personne dans l'ESMS (codes from TRE_R357).</summary>
    public const string StatusSystem = "JDV_J252";
    /// <summary>OID of JDV_J252.</summary>
    public const string StatusSystemOid = "1.2.250.1.213.3.4.116";
    /// <summary>JDV_J251 — motif du statut de la personne dans l'ESMS (codes from TRE_R358).</summary>
    public const string ReasonSystem = "JDV_J251";
    /// <summary>OID of JDV_J251.</summary>
    public const string ReasonSystemOid = "1.2.250.1.213.3.4.115";

    public static readonly IReadOnlyDictionary<string, AnsCode> Statuses = new[]
    {
        ("37", "Décision d'orientation annulée"),
        ("39", "Notification envoyée"),
        ("40", "Notification lue"),
        ("41", "Contact effectué"),
        ("42", "Liste d'attente. En cours d'analyse, demande d'admission reçue dans l'ESMS"),
        ("72", "Liste d'attente. Admissible dans l'ESMS"),
        ("71", "Liste d'attente. Admis dans l'ESMS"),
        ("43", "Période d'essai en cours dans l'ESMS"),
        ("44", "Période d'essai non concluante dans l'ESMS"),
        ("45", "Admission impossible signalée"),
        ("46", "Admission impossible entérinée"),
        ("47", "Usager entré"),
        ("48", "Usager sorti"),
        ("49", "Notification annulée"),
        ("51", "Demande de réorientation dans l'ESMS"),
        ("54", "Notification réactivée"),
    }.ToDictionary(p => p.Item1, p => new AnsCode(StatusSystem, p.Item1, p.Item2));

    public static readonly IReadOnlyDictionary<string, AnsCode> Reasons = new[]
    {
        ("86", "Le plateau technique n'est pas adapté à la prise en charge de l'usager"),
        ("109", "Déménagement"),
        ("112", "Erreur d'utilisation du logiciel"),
        ("113", "Eloignement géographique"),
        ("114", "Les ressources de l'ESMS ne sont pas suffisantes"),
        ("115", "L'ESMS n'est pas adapté au projet de vie actuel de l'usager"),
        ("116", "Le type de handicap ne relève pas de l'ESMS"),
        ("117", "La situation de l'usager a changé, l'ESMS n'est pas adapté"),
        ("118", "L'usager ou son représentant légal refuse de s'inscrire dans l'ESMS"),
        ("119", "L'usager a été admis dans un autre ESMS, l'orientation n'est plus pertinente"),
        ("120", "L'usager a déménagé, l'orientation n'est plus pertinente géographiquement"),
        ("121", "L'usager ou son représentant légal refuse d'adhérer au projet de vie de l'ESMS"),
        ("122", "L'âge de l'usager est incompatible"),
        ("124", "L'usager est décédé"),
        ("127", "L'usager a fait valoir ses droits à la retraite (ESAT)"),
        ("148", "L'ESMS n'a pas réussi à joindre l'usager"),
        ("150", "L'usager a pris contact avec l'ESMS"),
        ("151", "L'ESMS a pris contact avec l'usager"),
        ("152", "L'usager a visité l'ESMS"),
        ("153", "L'ESMS a envoyé une documentation à l'usager"),
        ("168", "Pour placer l'usager en liste d'attente"),
        ("170", "Pour prendre en charge l'usager à temps adapté"),
        ("173", "Une autre décision annule et remplace cette décision"),
        ("174", "Décision clôturée par la MDPH"),
    }.ToDictionary(p => p.Item1, p => new AnsCode(ReasonSystem, p.Item1, p.Item2));
}
