namespace Listes360.Domain.Identity.Records;

/// <summary>
/// One person as written on one list (an ESMS' waiting list, an import file, a FEBRL row), before
/// identity resolution. Values are kept as read (trimmed), except <see cref="BirthDate"/>, which is
/// canonical <c>YYYYMMDD</c> (8 digits), and <see cref="NirHash"/>, the keyed hash of the NIR
/// (<see cref="Persons.NirHasher"/>): the NIR itself is never kept.
/// </summary>
[GenerateSerializer, Immutable, Alias("Listes360.Identity.Records.PersonRecord")]
public sealed record PersonRecord
{
    /// <summary>The identifier of the record in its source (unique within one input).</summary>
    [Id(0)] public required string RecordId { get; init; }

    /// <summary>Last name as written: usage name, possibly with « épouse X », « née Y », « veuve Z ».</summary>
    [Id(1)] public string? LastName { get; init; }

    /// <summary>First name(s) as written: « Jean-Pierre », « Jean Pierre », « Jean ».</summary>
    [Id(2)] public string? FirstName { get; init; }

    /// <summary>Birth date, canonical <c>YYYYMMDD</c> (8 digits), or null when unknown.</summary>
    [Id(3)] public string? BirthDate { get; init; }

    /// <summary>Birth name (nom de naissance) when given separately from the usage name.</summary>
    [Id(4)] public string? BirthName { get; init; }

    /// <summary>MDPH file number (n° de dossier MDPH) as written.</summary>
    [Id(5)] public string? MdphNumber { get; init; }

    /// <summary>Keyed hash (HMAC-SHA256, hex) of the normalised NIR; never the NIR itself.</summary>
    [Id(6)] public string? NirHash { get; init; }

    /// <summary>Postcode (code postal).</summary>
    [Id(7)] public string? Postcode { get; init; }

    /// <summary>Commune (or suburb).</summary>
    [Id(8)] public string? Commune { get; init; }

    /// <summary>Street address on one line, when the source has one.</summary>
    [Id(9)] public string? Address { get; init; }
}
