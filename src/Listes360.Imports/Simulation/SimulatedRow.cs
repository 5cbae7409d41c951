using Listes360.Domain.Identity.Records;
using NirHasher = Listes360.Domain.Persons.NirHasher;

namespace Listes360.Imports.Simulation;

/// <summary>
/// One SIMULATED row of an ESMS waiting list (source=simulated): never a real person. Holds the raw NIR
/// (simulated too) so that it can be written to a CSV; <see cref="ToRecord"/> hashes it like a reader would.
/// </summary>
/// <param name="PersonId">The simulated person the row belongs to: the truth for benchmarks.</param>
/// <param name="Esms">The simulated list the row comes from.</param>
public sealed record SimulatedRow(
    string RecordId,
    string LastName,
    string FirstName,
    string BirthDate,
    string? BirthName,
    string? MdphNumber,
    string? Nir,
    string? Postcode,
    string? Commune,
    int PersonId,
    string Esms)
{
    public PersonRecord ToRecord(NirHasher hasher)
    {
        ArgumentNullException.ThrowIfNull(hasher);
        return new PersonRecord
        {
            RecordId = RecordId,
            LastName = LastName,
            FirstName = FirstName,
            BirthDate = BirthDate,
            BirthName = BirthName,
            MdphNumber = MdphNumber,
            NirHash = hasher.Hash(Nir),
            Postcode = Postcode,
            Commune = Commune,
        };
    }
}
