namespace Listes360.Domain.Registry;

/// <summary>How a person is supported by an ESMS (modalité d'accueil).</summary>
public enum Modality
{
    /// <summary>Internat: the person lives there.</summary>
    Internat,
    /// <summary>Semi-internat / accueil de jour.</summary>
    SemiInternat,
    /// <summary>Externat.</summary>
    Externat,
    /// <summary>Accueil temporaire (up to 90 days a year).</summary>
    AccueilTemporaire,
    /// <summary>Accueil séquentiel: part of the week, possibly shared with another ESMS.</summary>
    AccueilSequentiel,
}

public static class ModalityLabels
{
    public static string French(this Modality modality) => modality switch
    {
        Modality.Internat => "internat",
        Modality.SemiInternat => "semi-internat / accueil de jour",
        Modality.Externat => "externat",
        Modality.AccueilTemporaire => "accueil temporaire",
        Modality.AccueilSequentiel => "accueil séquentiel",
        _ => modality.ToString(),
    };
}
