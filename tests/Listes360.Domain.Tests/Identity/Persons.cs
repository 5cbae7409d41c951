using Listes360.Domain.Identity;
using Listes360.Domain.Identity.Records;

namespace Listes360.Domain.Tests.Identity;

/// <summary>Test helpers: fictitious records.</summary>
internal static class Persons
{
    private static int _next;

    public static PersonRecord Record(string last, string first, string? birth, string? mdph = null, string? nirHash = null,
        string? postcode = "61000", string? birthName = null, string? id = null) => new()
    {
        RecordId = id ?? $"r{Interlocked.Increment(ref _next)}",
        LastName = last,
        FirstName = first,
        BirthDate = birth,
        BirthName = birthName,
        MdphNumber = mdph,
        NirHash = nirHash,
        Postcode = postcode,
    };

    public static PreparedRecord Prepared(string last, string first, string? birth, string? mdph = null, string? nirHash = null,
        string? postcode = "61000", string? birthName = null) =>
        PreparedRecord.From(Record(last, first, birth, mdph, nirHash, postcode, birthName));
}
