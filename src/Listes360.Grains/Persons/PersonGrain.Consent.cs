using Listes360.Domain.Registry;

namespace Listes360.Grains.Persons;

public sealed partial class PersonGrain
{
    public async Task<PersonSnapshot> RecordConsentAsync(bool consentToShare, FinessNumber esms, string by)
    {
        await CommitAsync(File.RecordConsent(consentToShare, esms, Context()));
        return Snapshot();
    }
}
