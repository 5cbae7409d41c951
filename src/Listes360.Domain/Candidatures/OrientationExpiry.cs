using System.Collections.Immutable;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;

namespace Listes360.Domain.Candidatures;

/// <summary>
/// EXPIRED when the orientation ends: the candidatures of a person that no orientation in force any
/// longer supports. Pure; the person grain calls it on a reminder (e.g. daily) and on each orientation change.
/// </summary>
public static class OrientationExpiry
{
    /// <summary>
    /// The open (or SOLUTION_FOUND_ELSEWHERE) candidatures whose ESMS kind accepts none of the person's
    /// orientations valid on <paramref name="date"/>.
    /// </summary>
    public static ImmutableArray<Candidature> Due(PersonRecord person, IEnumerable<Candidature> candidatures, DateOnly date)
    {
        var valid = person.OrientationsValidOn(date).ToArray();
        return candidatures
            .Where(c => (c.IsOpen || c.Status == CandidatureStatus.SolutionFoundElsewhere)
                && c.Kind.Info().InWaitingListScope
                && !valid.Any(o => c.Kind.Accepts(o.Kind)))
            .ToImmutableArray();
    }

    /// <summary>Moves every due candidature to EXPIRED (reason: end of the orientation), by the system.</summary>
    public static ImmutableArray<Candidature> Apply(PersonRecord person, IEnumerable<Candidature> candidatures, DateOnly date, DateTimeOffset at) =>
        Due(person, candidatures, date).Select(c => CandidatureStateMachine.Expire(c, at)).ToImmutableArray();
}
