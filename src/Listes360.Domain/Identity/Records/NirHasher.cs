using System.Security.Cryptography;
using System.Text;

namespace Listes360.Domain.Identity.Records;

/// <summary>
/// Keyed hash of a NIR (numéro d'inscription au répertoire, « numéro de sécurité sociale »):
/// HMAC-SHA256 over the normalised NIR (spaces, dots and dashes removed, upper case so that Corsican
/// 2A/2B stay distinct), hex encoded. Two equal NIRs give the same hash under the same key; without
/// the key the hash cannot be reversed by enumerating the (small) NIR space. The caller hashes right
/// after parsing and keeps only the hash.
/// </summary>
public sealed class NirHasher
{
    private readonly byte[] _key;

    public NirHasher(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length < 16)
        {
            throw new DomainException("NIR_KEY_TOO_SHORT", "La clé de hachage du NIR doit compter au moins 16 octets.", "nirKey");
        }
        _key = (byte[])key.Clone();
    }

    /// <summary>A key given as text (environment variable): its UTF-8 bytes.</summary>
    public static NirHasher FromText(string key) => new(Encoding.UTF8.GetBytes(key));

    /// <summary>The hash of <paramref name="nir"/>, or null when it is empty.</summary>
    public string? Hash(string? nir)
    {
        var normalised = Normalise(nir);
        if (normalised.Length == 0) return null;
        var mac = HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes(normalised));
        return Convert.ToHexStringLower(mac);
    }

    /// <summary>Digits and letters only, upper case (« 1 84 12 2A 123 456 78 » → « 184122A12345678 »).</summary>
    public static string Normalise(string? nir)
    {
        if (string.IsNullOrWhiteSpace(nir)) return "";
        var sb = new StringBuilder(nir.Length);
        foreach (var c in nir)
        {
            if (char.IsAsciiLetterOrDigit(c)) sb.Append(char.ToUpperInvariant(c));
        }
        return sb.ToString();
    }
}
