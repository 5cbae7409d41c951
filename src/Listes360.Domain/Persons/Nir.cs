using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace Listes360.Domain.Persons;

/// <summary>
/// A validated French social security number (NIR, or the provisional NIA): 15 characters, sex
/// (1, 2, or 7, 8 for a NIA), year, month, birth place (département <c>2A</c>/<c>2B</c> allowed),
/// order number, and a control key = 97 − (the 13-digit number mod 97), where 2A counts as 19 and 2B
/// as 18. Spaces, dots and hyphens are ignored on input.
/// </summary>
/// <remarks>
/// Deliberately not serializable and never printed: <see cref="ToString"/> is masked, error messages
/// never echo the input. The only thing kept of a NIR is its <see cref="NirHash"/>.
/// </remarks>
public sealed class Nir
{
    private readonly string value;

    private Nir(string value) => this.value = value;

    /// <summary>Masked: a NIR never ends up in a log, a message or a string by accident.</summary>
    public override string ToString() => "NIR (masqué)";

    public override bool Equals(object? obj) => obj is Nir other && other.value == value;
    public override int GetHashCode() => value.GetHashCode(StringComparison.Ordinal);

    /// <summary>The canonical 15 characters, for hashing only.</summary>
    internal string Canonical => value;

    public static Nir Parse(string? input) =>
        TryParse(input, out var nir, out var error) ? nir : throw new DomainException("INVALID_NIR", error, "nir");

    public static bool TryParse(string? input, [NotNullWhen(true)] out Nir? nir, [NotNullWhen(false)] out string? error)
    {
        nir = null;
        var sb = new StringBuilder(15);
        foreach (var ch in input ?? "")
            if (ch is not (' ' or '.' or '-' or '\u00A0')) sb.Append(char.ToUpperInvariant(ch));
        var v = sb.ToString();
        if (v.Length != 15)
        {
            error = $"Le NIR doit compter 15 caractères, clé comprise (la saisie en compte {v.Length}).";
            return false;
        }
        var corsica = v[5] == '2' && v[6] is 'A' or 'B';
        for (var i = 0; i < 15; i++)
        {
            if (corsica && i == 6) continue;
            if (!char.IsAsciiDigit(v[i]))
            {
                error = $"Le NIR ne doit contenir que des chiffres (2A ou 2B admis pour un lieu de naissance en Corse) : caractère invalide en position {i + 1}.";
                return false;
            }
        }
        if (v[0] is not ('1' or '2' or '7' or '8'))
        {
            error = "Le NIR doit commencer par 1 ou 2 (7 ou 8 pour un numéro d'attente) : le premier chiffre est invalide.";
            return false;
        }
        var month = (v[3] - '0') * 10 + (v[4] - '0');
        if (month is 0 or (> 12 and < 20))
        {
            error = "Le mois de naissance du NIR (positions 4 et 5) doit être compris entre 01 et 12, ou être un code spécial de 20 à 99.";
            return false;
        }
        var expected = ControlKey(v[..13]);
        var key = (v[13] - '0') * 10 + (v[14] - '0');
        if (key != expected)
        {
            error = "La clé de contrôle du NIR (deux derniers chiffres) ne correspond pas aux 13 premiers caractères : vérifiez la saisie.";
            return false;
        }
        nir = new Nir(v);
        error = null;
        return true;
    }

    /// <summary>
    /// A NIR as lists write it: with its key (checked), or the 13 characters without it (the key is
    /// computed: many spreadsheets keep only those).
    /// </summary>
    public static bool TryParseWritten(string? input, [NotNullWhen(true)] out Nir? nir, [NotNullWhen(false)] out string? error)
    {
        var normalised = NirHasher.Normalise(input);
        if (normalised.Length == 13)
        {
            try
            {
                normalised += ControlKey(normalised).ToString("D2", System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (DomainException)
            {
                // Not digits: TryParse below says where.
            }
        }
        return TryParse(normalised, out nir, out error);
    }

    /// <summary>97 − (number mod 97), with 2A → 19 and 2B → 18 in the département part.</summary>
    public static int ControlKey(string first13)
    {
        if (first13.Length != 13)
            throw new DomainException("INVALID_NIR", "Le calcul de la clé du NIR porte sur 13 caractères.", "nir");
        first13 = first13.ToUpperInvariant();
        var digits = first13[5..7] switch
        {
            "2A" => string.Concat(first13.AsSpan(0, 5), "19", first13.AsSpan(7)),
            "2B" => string.Concat(first13.AsSpan(0, 5), "18", first13.AsSpan(7)),
            _ => first13,
        };
        long number = 0;
        foreach (var ch in digits)
        {
            if (!char.IsAsciiDigit(ch))
                throw new DomainException("INVALID_NIR", "Le NIR ne doit contenir que des chiffres (2A ou 2B admis pour la Corse).", "nir");
            number = number * 10 + (ch - '0');
        }
        return (int)(97 - number % 97);
    }
}

/// <summary>
/// HMAC-SHA256 of a NIR keyed with the département's secret, lower-case hex (64 characters). Two
/// records with the same NIR in the same département get the same hash (deduplication); without the
/// secret the hash cannot be reversed by enumerating the ~10^13 possible NIRs.
/// </summary>
[GenerateSerializer, Immutable, Alias("Listes360.Persons.NirHash")]
public readonly record struct NirHash
{
    [Id(0)] public string Value { get; }

    private NirHash(string value) => Value = value;

    public override string ToString() => Value;

    /// <summary>Reads a stored hash (64 lower-case hex characters).</summary>
    public static NirHash FromStored(string? value)
    {
        var v = value?.Trim() ?? "";
        if (v.Length != 64 || !v.All(char.IsAsciiHexDigitLower))
            throw new DomainException("INVALID_NIR_HASH", "L'empreinte de NIR doit compter 64 caractères hexadécimaux en minuscules.", "nirHash");
        return new NirHash(v);
    }

    internal static NirHash Of(byte[] mac) => new(Convert.ToHexStringLower(mac));
}

/// <summary>Computes <see cref="NirHash"/> with a département secret (at least 32 bytes).</summary>
public sealed class NirHasher
{
    public const int MinimumSecretLength = 32;
    private readonly byte[] secret;

    public NirHasher(ReadOnlySpan<byte> departmentSecret)
    {
        if (departmentSecret.Length < MinimumSecretLength)
            throw new DomainException("WEAK_NIR_SECRET",
                $"Le secret départemental de hachage des NIR doit compter au moins {MinimumSecretLength} octets (il en compte {departmentSecret.Length}).");
        secret = departmentSecret.ToArray();
    }

    /// <summary>A secret given as text (environment variable, development key): its UTF-8 bytes.</summary>
    public static NirHasher FromText(string secret) => new(Encoding.UTF8.GetBytes(secret ?? ""));

    public NirHash Hash(Nir nir) => NirHash.Of(HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes(nir.Canonical)));

    /// <summary>
    /// The hash of a NIR as written in an import file (spaces, dots, dashes ignored), as lower-case hex,
    /// or null when empty. A NIR, with its key or without it (13 characters: the key is computed), hashes
    /// like <see cref="Hash(Nir)"/>, so that every way of writing one NIR gives one hash; anything else
    /// (benchmark files' own identifiers) hashes as its letters and digits, upper case.
    /// </summary>
    public string? Hash(string? written)
    {
        var normalised = Normalise(written);
        if (normalised.Length == 0)
            return null;
        if (Nir.TryParseWritten(normalised, out var nir, out _))
            return Hash(nir).Value;
        return Convert.ToHexStringLower(HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes(normalised)));
    }

    /// <summary>Letters and digits only, upper case (« 1 84 12 2A 123 456 78 » → « 184122A12345678 »).</summary>
    public static string Normalise(string? written)
    {
        if (string.IsNullOrWhiteSpace(written))
            return "";
        var sb = new StringBuilder(written.Length);
        foreach (var c in written)
            if (char.IsAsciiLetterOrDigit(c)) sb.Append(char.ToUpperInvariant(c));
        return sb.ToString();
    }

    public override string ToString() => "NirHasher (secret masqué)";
}
