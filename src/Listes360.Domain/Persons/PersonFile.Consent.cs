using Listes360.Domain.Registry;

namespace Listes360.Domain.Persons;

/// <summary>The person's consent to share their request between ESMS, as an ESMS records it (SDO flow 2).</summary>
public sealed partial record PersonFile
{
    /// <summary>
    /// Records the consent (given or withdrawn) collected by <paramref name="esms"/>: a director only for a
    /// person who applied to one of their ESMS, and only in the name of an ESMS their token carries. The
    /// same answer again changes nothing.
    /// </summary>
    public PersonFileChange RecordConsent(bool consentToShare, FinessNumber esms, PersonFileContext context)
    {
        RequireReachableBy(context.Caller);
        RequireOwnEsms(context.Caller, esms);
        _ = LiveRecord;
        if (ConsentToShare == consentToShare)
            return PersonFileChange.None(this);
        return (this with { ConsentToShare = consentToShare })
            .Commit([], context, consentToShare
                ? $"Consentement au partage de {Id} recueilli par l'ESMS {esms}."
                : $"Consentement au partage de {Id} retiré auprès de l'ESMS {esms}.");
    }
}
