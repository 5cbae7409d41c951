using Listes360.Domain.Candidatures;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;

namespace Listes360.Domain.Vacancies;

/// <summary>The rule of a vacancy chain's link, read on the person's file when a candidature is admitted.</summary>
public static class PlaceLeft
{
    /// <summary>
    /// The place the admitted person leaves: their situation is in an ESMS (<see cref="Situation.Esms"/>) other
    /// than the admitting one, and the admission is lasting (a temporary or sequential stay frees nothing).
    /// The modality left is that of the person's admitted candidature there, when the file has one.
    /// </summary>
    public static PlaceLeftToVacancies? Of(PersonRecord person, IEnumerable<Candidature> before, Candidature admitted, DateTimeOffset at)
    {
        if (admitted.Status != CandidatureStatus.Admitted || !admitted.Modality.IsLasting()
            || person.Situation?.Esms is not { } left || left == admitted.Finess)
            return null;
        var there = before.Where(c => c.Finess == left && c.Status == CandidatureStatus.Admitted).OrderByDescending(c => c.StatusSince).FirstOrDefault();
        return new PlaceLeftToVacancies(new AdmissionElsewhere(left, admitted.Id, admitted.Finess, Time.ParisDate.Of(at), there?.Modality));
    }
}
