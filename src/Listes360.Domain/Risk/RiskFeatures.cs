using Listes360.Domain.Persons;

namespace Listes360.Domain.Risk;

/// <summary>One feature of the model: stable code, and how a social worker reads it for a person.</summary>
/// <param name="Code">Stable code (history CSV, metrics, the API's factor codes).</param>
/// <param name="Describe">The French phrase for this person's value, as shown among the top factors.</param>
public sealed record RiskFeature(string Code, Func<RiskSnapshot, string> Describe);

/// <summary>
/// The one feature builder: training (history CSV) and live scoring (person grains) both turn a
/// <see cref="RiskSnapshot"/> into <see cref="Vector"/>, so the model never sees features computed
/// two ways. Situations are one-hot coded here (not by an ML.NET transform) so that each slot has a
/// name and a phrase for the feature contributions.
/// </summary>
public static class RiskFeatures
{
    /// <summary>Months used for an open-ended orientation (far enough that "ends soon" never applies).</summary>
    public const int OpenEndedMonths = 120;

    public static readonly IReadOnlyList<RiskFeature> All =
    [
        new("age", s => $"Tranche d'âge : {RiskProjection.AgeBandOf(s.AgeYears)} ans"),
        new("at_home_without_solution", s => s.Situation == SituationKind.AtHomeWithoutSolution ? "À domicile sans solution" : "N'est pas à domicile sans solution"),
        new("creton_situation", s => s.Situation == SituationKind.InChildrenEsmsUnderCreton ? "Situation enregistrée comme maintien Creton" : "Situation non enregistrée comme maintien Creton"),
        new("in_children_esms", s => s.Situation == SituationKind.InChildrenEsms ? "Accueilli·e dans un ESMS pour enfants" : "N'est pas accueilli·e dans un ESMS pour enfants"),
        new("in_adult_esms", s => s.Situation == SituationKind.InAdultEsms ? "Déjà accueilli·e dans un ESMS pour adultes" : "Pas d'accueil dans un ESMS pour adultes"),
        new("inadequate_solution", s => IsInadequate(s.Situation) ? $"Solution par défaut : {s.Situation!.Value.Label().ToLowerInvariant()}" : "Pas de solution par défaut (hôpital, Belgique, accueil partiel…)"),
        new("months_in_situation", s => $"Dans sa situation actuelle depuis {s.MonthsInSituation} mois"),
        new("valid_adult_orientation", s => s.ValidAdultOrientation ? "Orientation adulte de la CDAPH en cours de validité" : "Pas d'orientation adulte de la CDAPH en cours de validité"),
        new("months_to_orientation_end", s => s.MonthsToOrientationEnd switch
        {
            null when !s.ValidOrientation => "Aucune orientation de la CDAPH en cours de validité",
            null => "Orientation de la CDAPH sans date de fin",
            0 => "Orientation de la CDAPH qui se termine ce mois-ci",
            var m => $"Orientation de la CDAPH qui se termine dans {m} mois",
        }),
        new("medicalised_adult_need", s => s.MedicalisedAdultNeed ? "Besoin d'un accueil médicalisé (MAS, FAM/EAM), où les places sont les plus rares" : "Pas de besoin d'accueil médicalisé (MAS, FAM/EAM)"),
        new("open_candidatures", s => s.OpenCandidatures == 0 ? "Aucune candidature en cours" : $"{s.OpenCandidatures} candidature(s) en cours"),
        new("open_adult_candidatures", s => s.OpenAdultCandidatures == 0 ? "Aucune candidature en cours vers un ESMS pour adultes" : $"{s.OpenAdultCandidatures} candidature(s) en cours vers des ESMS pour adultes"),
        new("months_waiting", s => s.OpenCandidatures == 0 ? "Pas de demande d'admission en attente" : $"En attente d'une place depuis {s.MonthsWaiting} mois"),
        new("refusals_last_12_months", s => s.RefusalsLast12Months == 0 ? "Aucun refus ni désistement dans les 12 derniers mois" : $"{s.RefusalsLast12Months} refus ou désistement(s) dans les 12 derniers mois"),
        new("carer_age", s => s.CarerAge is { } a ? $"Aidant de la tranche d'âge {RiskProjection.AgeBandOf(a)} ans" : "Âge de l'aidant inconnu"),
        new("carer_exhausted_or_ill", s => s.CarerStatus is CarerStatus.Exhausted or CarerStatus.Ill ? "Aidant épuisé ou malade" : "Aidant ni épuisé ni malade (ou pas d'aidant)"),
        new("carer_unavailable", s => s.CarerStatus == CarerStatus.Unavailable ? "L'aidant ne peut plus assurer l'aide" : "Aidant encore disponible (ou pas d'aidant)"),
        new("no_carer_recorded", s => s.CarerStatus is null ? "Aucun aidant connu" : "Un aidant est connu"),
        new("flag_creton", s => s.Creton ? "Maintenu·e en ESMS pour enfants au titre de l'amendement Creton" : "Pas de maintien au titre de l'amendement Creton"),
        new("flag_transition_age", s => s.TransitionAge ? $"16-19 ans sans parcours adulte sécurisé : {s.AdultPathGap.Label().ToLowerInvariant()}" : "Pas de passage à l'âge adulte non sécurisé"),
    ];

    public static int Count => All.Count;

    /// <summary>Feature vector in the order of <see cref="All"/>.</summary>
    public static float[] Vector(RiskSnapshot s)
    {
        ArgumentNullException.ThrowIfNull(s);
        static float B(bool b) => b ? 1f : 0f;
        return
        [
            s.AgeYears,
            B(s.Situation == SituationKind.AtHomeWithoutSolution),
            B(s.Situation == SituationKind.InChildrenEsmsUnderCreton),
            B(s.Situation == SituationKind.InChildrenEsms),
            B(s.Situation == SituationKind.InAdultEsms),
            B(IsInadequate(s.Situation)),
            s.MonthsInSituation,
            B(s.ValidAdultOrientation),
            s.MonthsToOrientationEnd ?? (s.ValidOrientation ? OpenEndedMonths : 0),
            B(s.MedicalisedAdultNeed),
            s.OpenCandidatures,
            s.OpenAdultCandidatures,
            s.MonthsWaiting,
            s.RefusalsLast12Months,
            s.CarerAge ?? 0,
            B(s.CarerStatus is CarerStatus.Exhausted or CarerStatus.Ill),
            B(s.CarerStatus == CarerStatus.Unavailable),
            B(s.CarerStatus is null),
            B(s.Creton),
            B(s.TransitionAge),
        ];
    }

    /// <summary>A default solution other than Creton (counted by its own feature): hospital, Belgium, partial support, ASE, elderly care, temporary stays, other.</summary>
    private static bool IsInadequate(SituationKind? kind) =>
        kind is { } k && k != SituationKind.InChildrenEsmsUnderCreton && k.SolutionLevel() == SolutionLevel.Inadequate;
}
