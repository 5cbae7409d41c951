using Listes360.Domain;
using Listes360.Domain.Geography;
using Listes360.Domain.Identity;
using Listes360.Domain.Persons;
using Listes360.Domain.Security;
using Listes360.Domain.Time;
using Listes360.Grains.Identity;
using Listes360.Grains.Persons;

namespace Listes360.Application.Persons;

public sealed record CreatePersonInput(
    string Department,
    string BirthName,
    IReadOnlyList<string> FirstNames,
    DateOnly BirthDate,
    Sex Sex,
    string? UsageName = null,
    string? ResidenceCommune = null,
    string? MdphFileNumber = null,
    string? Nir = null,
    SituationInput? Situation = null,
    CarerInput? Carer = null,
    bool? ConsentToShare = null);

/// <summary>The person created, or the person already known that the identity matched (returned as is).</summary>
public sealed record CreatePersonResult(PersonSnapshot Person);

/// <summary>
/// Registers a person of a département: the whole input is checked first, the identity is matched
/// against the persons known (as a list import does for each row), then a
/// person already known is returned as is, and a new one (possibly queued for review) is created.
/// </summary>
public sealed class CreatePerson(IGrainFactory grains, TimeProvider clock, NirHasher? hasher = null) : UseCase<CreatePersonInput, CreatePersonResult>
{
    protected override async Task<CreatePersonResult> RunAsync(CreatePersonInput input, Caller caller)
    {
        var department = DepartmentCodes.Parse(input.Department);
        var today = ParisDate.Today(clock);
        // The whole input is checked before the identity index records anything.
        var situation = input.Situation?.ToSituation(today);
        var carer = input.Carer?.ToCarer(today);
        var (nirHash, nirRefusal, nirError) = NirEntry.Read(input.Nir, hasher, keyOptional: false);
        if (nirRefusal == NirEntry.HashingUnavailable)
            throw new DomainException(nirRefusal, "Le secret départemental de hachage des NIR n'est pas configuré (Nir:Secret) : saisissez la personne sans NIR.", "nir");
        if (nirRefusal is not null)
            throw new DomainException(nirRefusal, nirError!, "nir");
        var identity = PersonIdentity.Create(input.BirthName, input.FirstNames, input.BirthDate, input.Sex, today, input.UsageName,
            input.ResidenceCommune, input.MdphFileNumber, nirHash);
        // Matched against the département's persons first: a person already known is returned as is.
        var resolution = (await grains.GetGrain<IIdentityGrain>(department)
            .ResolveAsync([new IdentityRequest(Domain.Identity.MatchRecords.Of("saisie", identity), true, $"saisie par {By(caller)}")]))[0];
        if (resolution.Outcome == Domain.Identity.IdentityOutcome.SamePerson
            && await grains.GetGrain<IPersonGrain>(resolution.PersonId!).GetAsync() is { } known)
            return new CreatePersonResult(known);
        var id = PersonId.Parse(resolution.PersonId);
        return new CreatePersonResult(await grains.GetGrain<IPersonGrain>(id.Value).CreateAsync(identity, situation, carer,
            input.ConsentToShare ?? false, By(caller)));
    }
}
