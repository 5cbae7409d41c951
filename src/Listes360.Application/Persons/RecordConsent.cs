using Listes360.Domain.Registry;
using Listes360.Domain.Security;

namespace Listes360.Application.Persons;

public sealed record RecordConsentInput(string PersonId, string Finess, bool ConsentToShare);

/// <summary>Records the person's consent to share (given or withdrawn) collected by an ESMS (SDO flow 2).</summary>
public sealed class RecordConsent(IGrainFactory grains) : UseCase<RecordConsentInput, PersonResult>
{
    protected override async Task<PersonResult> RunAsync(RecordConsentInput input, Caller caller) =>
        new(await grains.Person(input.PersonId).RecordConsentAsync(input.ConsentToShare, FinessNumber.Parse(input.Finess), By(caller)));
}
