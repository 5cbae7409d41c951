using Listes360.Domain.Vacancies;

namespace Listes360.Web.Components.Pages.Esms;

/// <summary>How the vacancy pages say a vacancy's outcome and its chain link, in French (ids and dates only, no names).</summary>
public static class VacancyText
{
    public static string Outcome(Vacancy v) => v.Status switch
    {
        VacancyStatus.Filled => v.FilledFromOrder is { } order ? $"Pourvue par le candidat proposé n° {order}" : "Pourvue (admission hors proposition)",
        VacancyStatus.Withdrawn => $"Retirée : {v.WithdrawalReason ?? "motif non renseigné"}",
        _ => v.Status.Label(),
    };

    public static string Chain(Vacancy v) => v.Chain is not { } link
        ? "Aucune (place ouverte dans cet établissement)"
        : $"Place n° {link.Index} de la chaîne {link.Root} commencée le {Formats.Date(link.RootOpenedOn)} : libérée par l'admission d'une personne accueillie ici à l'ESMS {link.AdmittingFiness.Value}"
          + (link.PreviousVacancy is { } previous ? $", qui pourvoyait sa place libérée {previous}" : "");
}
