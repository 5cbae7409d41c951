using System.Security.Cryptography;
using System.Text;

namespace Listes360.Domain.Security;

/// <summary>
/// Keys the service needs besides the NIR's: each use has its own secret when one is configured,
/// else a key derived from the département's NIR secret with HKDF under the use's own label, so that
/// one secret to keep gives unrelated keys (knowing one says nothing of another) and every silo, after
/// every restart, derives the same.
/// </summary>
public static class DepartmentSecrets
{
    public const string NirSecretSetting = "Nir:Secret";

    /// <summary>The key for the use named by <paramref name="label"/>, derived from the NIR secret (HKDF-SHA256, 32 bytes).</summary>
    public static byte[] Derive(byte[] nirSecret, string label) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, nirSecret, 32, salt: null, info: Encoding.UTF8.GetBytes(label));

    /// <summary>
    /// The use's own secret (base64, setting <paramref name="ownSetting"/>) when configured, else the key
    /// derived from the NIR secret; null with neither, for the caller to decide (refuse, or a key of one start).
    /// </summary>
    public static byte[]? KeyFor(string? ownBase64, string ownSetting, string? nirSecretBase64, string label)
    {
        if (!string.IsNullOrWhiteSpace(ownBase64))
            return Base64(ownBase64, ownSetting);
        if (!string.IsNullOrWhiteSpace(nirSecretBase64))
            return Derive(Base64(nirSecretBase64, NirSecretSetting), label);
        return null;
    }

    private static byte[] Base64(string value, string setting)
    {
        try
        {
            return Convert.FromBase64String(value);
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"{setting} doit être une valeur en base64 (32 octets aléatoires ou plus ; ./listes360 up en crée une).");
        }
    }
}
