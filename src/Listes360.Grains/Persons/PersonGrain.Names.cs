using Listes360.Domain;
using Listes360.Grains.Security;

namespace Listes360.Grains.Persons;

public sealed partial class PersonGrain
{
    public Task<string?> GetDisplayNameAsync()
    {
        var file = File;
        if (state.State.Record is not { } record || file.MergedInto is not null)
            return Task.FromResult<string?>(null);
        try
        {
            file.RequireReachableBy(CallerContext.Current);
        }
        catch (DomainException e) when (e.Code == "FORBIDDEN")
        {
            return Task.FromResult<string?>(null);
        }
        return Task.FromResult<string?>($"{record.Identity.BirthName} {string.Join(" ", record.Identity.FirstNames)}");
    }
}
