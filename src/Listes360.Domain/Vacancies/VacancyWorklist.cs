using System.Collections.Immutable;
using Listes360.Domain.Registry;
using Listes360.Domain.WaitingList;

namespace Listes360.Domain.Vacancies;

/// <summary>
/// The worklist items of one vacancy, as the list shard of its persons keeps them (by version): sent by the
/// vacancy grain's outbox on each change, never polled. Empty items remove the vacancy's items from the shard.
/// </summary>
[GenerateSerializer, Immutable, Alias("Listes360.Vacancies.VacancyWorklistItems")]
public sealed record VacancyWorklistItems(
    [property: Id(0)] string VacancyId,
    [property: Id(1)] FinessNumber Finess,
    [property: Id(2)] int Version,
    [property: Id(3)] ImmutableArray<WorklistItem> Items);

/// <summary>What a vacancy asks of the director and of the conseillers of its proposed persons: pure.</summary>
public static class VacancyWorklist
{
    /// <summary>
    /// An open vacancy with no pending offer: one item per proposed candidate not yet offered (« place libérée :
    /// N candidats proposés », with the person's order), which the director of the ESMS and the conseiller of
    /// the person see; an offer awaiting its answer: one item for the offered person, due on the deadline
    /// (past it, the person's file has its own « offre en retard » item). A closed vacancy has none.
    /// </summary>
    public static ImmutableArray<WorklistItem> ItemsOf(Vacancy? vacancy)
    {
        if (vacancy is not { IsOpen: true })
            return [];
        var where = $"{vacancy.Modality.Label().ToLowerInvariant()}, ESMS {vacancy.Finess}";
        if (vacancy.PendingOffer is { } offer)
            return [new WorklistItem(WorklistItemKind.VacancyOffered, WorklistUrgency.Soon, offer.PersonId, vacancy.Finess, offer.CandidatureId, offer.Deadline,
                $"Place libérée proposée le {offer.OfferedOn:dd/MM/yyyy} ({where}, place {vacancy.Id}) : réponse de la personne attendue au plus tard le {offer.Deadline:dd/MM/yyyy}.")];
        var next = vacancy.NotYetOffered;
        var due = vacancy.Proposal?.On ?? vacancy.OpenedOn;
        return [.. next.Select(c => new WorklistItem(WorklistItemKind.VacancyProposed, WorklistUrgency.Soon, c.PersonId, vacancy.Finess, c.CandidatureId, due,
            $"Place libérée le {vacancy.OpenedOn:dd/MM/yyyy} ({where}, place {vacancy.Id}) : {next.Count} candidat(s) proposé(s) ; cette personne est proposée n° {c.Order} (rang {c.Rank} du classement)."))];
    }
}
