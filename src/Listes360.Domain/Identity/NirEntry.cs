using Listes360.Domain.Persons;

namespace Listes360.Domain.Identity;

/// <summary>
/// A NIR given with a person — typed in <c>createPerson</c> or a column of an ESMS's list — becomes its
/// hash, the only thing kept of it: none when none was given; refused without the département's secret
/// (<see cref="HashingUnavailable"/>: no guessable hash is ever stored); checked (<see cref="Invalid"/>,
/// with <see cref="Nir"/>'s French reason); hashed with the secret. One rule for both ways in; each
/// says the refusal in its own form (an API error, a clause of a rejected row).
/// </summary>
public static class NirEntry
{
    public const string HashingUnavailable = "NIR_HASHING_UNAVAILABLE";
    public const string Invalid = "INVALID_NIR";

    /// <param name="keyOptional">A list may give the 13 characters without the key (computed, see
    /// <see cref="Nir.TryParseWritten"/>); a user types all 15.</param>
    /// <returns>The hash (null when no NIR was given), or the refusal's code and, for an invalid NIR, why.</returns>
    public static (NirHash? Hash, string? Code, string? Error) Read(string? nir, NirHasher? hasher, bool keyOptional)
    {
        if (nir is not { Length: > 0 })
            return (null, null, null);
        if (hasher is null)
            return (null, HashingUnavailable, null);
        Nir? parsed;
        string? error;
        var valid = keyOptional ? Nir.TryParseWritten(nir, out parsed, out error) : Nir.TryParse(nir, out parsed, out error);
        return valid ? (hasher.Hash(parsed!), null, null) : (null, Invalid, error);
    }
}
