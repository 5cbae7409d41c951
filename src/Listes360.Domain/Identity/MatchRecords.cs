using System.Globalization;
using Listes360.Domain.Persons;
using MatchRecord = Listes360.Domain.Identity.Records.PersonRecord;

namespace Listes360.Domain.Identity;

/// <summary>
/// A person's identity as the matching engine reads it (<see cref="MatchRecord"/>): usage name as the
/// last name with the birth name beside it, the first names in civil order, the canonical birth date,
/// the strong keys (MDPH number, NIR hash).
/// </summary>
public static class MatchRecords
{
    public static MatchRecord Of(string recordId, PersonIdentity identity, string? postcode = null, string? commune = null)
    {
        ArgumentNullException.ThrowIfNull(identity);
        return new MatchRecord
        {
            RecordId = recordId,
            LastName = identity.UsageName ?? identity.BirthName,
            BirthName = identity.UsageName is null ? null : identity.BirthName,
            FirstName = string.Join(' ', identity.FirstNames),
            BirthDate = identity.BirthDate.ToString("yyyyMMdd", CultureInfo.InvariantCulture),
            MdphNumber = identity.MdphFileNumber,
            NirHash = identity.NirHash?.Value,
            Postcode = postcode,
            Commune = commune,
        };
    }

    /// <summary>The same record under another id (what an index keeps: the person's id).</summary>
    public static MatchRecord For(this MatchRecord record, string recordId) => record with { RecordId = recordId };

    /// <summary>Two records that say the same thing (whatever their ids): the index keeps one.</summary>
    public static bool SameContent(MatchRecord a, MatchRecord b) => a with { RecordId = "" } == b with { RecordId = "" };
}
