using Listes360.Domain.Validation;

namespace Listes360.Domain.Persons;

/// <summary>
/// Recording a CDAPH decision on a person's file: a decision is recorded once, under its reference.
/// </summary>
public static class OrientationRecording
{
    /// <summary>
    /// The record with <paramref name="orientation"/> added (<c>Added</c> true); the same record when the
    /// decision is already there with the same terms (kind, dates: a replay changes nothing); an error
    /// <c>DUPLICATE_ORIENTATION</c> when it is there with other terms; <c>TOO_MANY</c> past the limit.
    /// </summary>
    public static (PersonRecord Record, bool Added) Add(PersonRecord record, Orientation orientation)
    {
        var orientations = record.Orientations.IsDefault ? [] : record.Orientations;
        if (orientations.FirstOrDefault(o => o.DecisionReference == orientation.DecisionReference) is { } known)
        {
            if (known.Kind == orientation.Kind && known.ValidFrom == orientation.ValidFrom && known.ValidTo == orientation.ValidTo)
                return (record, false);
            throw new DomainException("DUPLICATE_ORIENTATION",
                $"La décision {orientation.DecisionReference} est déjà enregistrée pour cette personne avec d'autres termes (type, dates) ; une nouvelle décision CDAPH porte une autre référence.",
                "decisionReference");
        }
        FieldRules.RequireRoom(orientations.Length, FieldLimits.OrientationsMaxCount, "decisionReference", "les décisions d'orientation de cette personne");
        return (record with { Orientations = orientations.Add(orientation) }, true);
    }
}
