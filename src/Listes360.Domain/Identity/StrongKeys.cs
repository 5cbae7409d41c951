using Listes360.Domain.Persons;

namespace Listes360.Domain.Identity;

/// <summary>
/// Strong identifiers. MDPH numbers are compared by the one rule of <see cref="MdphFileNumber"/> (any
/// notation, within a département); two different MDPH numbers block an automatic merge (the pair goes
/// to review at most). Policy (DESIGN « What must hold » 1): an identical MDPH file number or an
/// identical keyed NIR hash is the same person whatever the names (usage names change, first names are
/// abbreviated) — <i>unless</i> both birth dates are known and incompatible (not equal, not swapped, not
/// one typo away) <i>and</i> the names are not concordant (last name below 0.88 or first name below 0.85
/// in Jaro-Winkler; a name missing on one side is not held against them): then the pair goes to review (zone Possible) rather than being merged,
/// because a shared number with another birth date and other names is more often a data-entry error
/// (a sibling's number copied, a parent's NIR) than one person. With concordant names, a wrong date is
/// the likelier error and the records are merged. Different strong keys are evidence against, not proof:
/// a NIR typed with a typo hashes differently, and a person may have had a file in another MDPH.
/// </summary>
public static class StrongKeys
{
    /// <summary>
    /// MDPH file number in its canonical text, by the domain's one rule (<see cref="MdphFileNumber.Normalize"/>):
    /// « 61-012345 », « 61 012345 », « 012345 » and « 12345 » are one file within the Orne.
    /// </summary>
    public static string? NormaliseMdph(string? number, string? department = null) => MdphFileNumber.Normalize(number, department);

    /// <summary>Whether two canonical MDPH texts are the same file (<see cref="MdphFileNumber.SameFile(string?, string?)"/>).</summary>
    public static bool SameMdph(string? a, string? b) => MdphFileNumber.SameFile(a, b);
}
