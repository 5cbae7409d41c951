namespace Listes360.Domain.Registry;

/// <summary>
/// How a person is supported by an ESMS (the "modalité d'accueil" of the CDAPH decision and of the
/// ESMS' declared places). Identifiers are English and stable (they are the GraphQL enum values);
/// <see cref="Modalities.Label"/> gives the French label shown to users.
/// </summary>
/// <remarks>
/// <see cref="InCommunity"/> is not in the brief's list: services (SESSAD, SAVS, SAMSAH) support people
/// where they live, neither "internat" nor "externat"; FINESS and the ANS call it « prestation en
/// milieu ordinaire ». The numeric values are part of the persisted state: never renumber.
/// </remarks>
public enum Modality
{
    /// <summary>Internat: full-time residential (nights and days).</summary>
    Residential = 1,
    /// <summary>Semi-internat (children) / accueil de jour (adults): day attendance with meals.</summary>
    SemiResidential = 2,
    /// <summary>Externat: day attendance without meals nor accommodation.</summary>
    NonResidential = 3,
    /// <summary>Accueil temporaire: up to 90 days a year, respite or transition.</summary>
    Temporary = 4,
    /// <summary>Accueil séquentiel: part-time, shared across days of the week or several ESMS.</summary>
    Sequential = 5,
    /// <summary>Prestation en milieu ordinaire: a service supporting the person where they live, study or work.</summary>
    InCommunity = 6,
}

public static class Modalities
{
    public static readonly IReadOnlyList<Modality> All = Enum.GetValues<Modality>();

    /// <summary>The French label shown to users.</summary>
    public static string Label(this Modality modality) => modality switch
    {
        Modality.Residential => "Internat",
        Modality.SemiResidential => "Semi-internat / accueil de jour",
        Modality.NonResidential => "Externat",
        Modality.Temporary => "Accueil temporaire",
        Modality.Sequential => "Accueil séquentiel",
        Modality.InCommunity => "Accompagnement en milieu ordinaire",
        _ => throw new DomainException("UNKNOWN_MODALITY", $"Modalité d'accueil inconnue ({(int)modality}).", "modality"),
    };

    /// <summary>
    /// Whether a place in this modality is a lasting answer to the person's need. Temporary and
    /// sequential admissions are partial answers: they do not end the person's other candidatures
    /// (<see cref="Candidatures.AdmissionEffects"/>).
    /// </summary>
    public static bool IsLasting(this Modality modality) => modality is not (Modality.Temporary or Modality.Sequential);
}
