using System.Security.Cryptography;
using System.Text;

namespace Listes360.AzureStorage.GrainState;

/// <summary>
/// The grain id under which the official provider stores a grain's state: the grain's own id when
/// its key is safe, otherwise the same type with an escaped key.
/// </summary>
/// <remarks>
/// <para>The official Azure Table provider builds the PartitionKey as <c>{ServiceId}_{grainId}</c> and
/// replaces each of <c>/ \ # ?</c> by <c>_</c>: the keys <c>a/b</c> and <c>a#b</c> would share one row,
/// and Azure refuses keys holding control characters (U+0000–U+001F, U+007F–U+009F) or longer than
/// 1 KiB (512 characters). So before the provider sees a key, every character outside a safe set (the escape
/// character <c>~</c> itself, <c>_</c>, the provider's separator, and <c>%</c>, which Azure has mishandled in keys, included)
/// becomes <c>~</c> and the two hex digits of each of its UTF-8 bytes, which
/// is injective; a key still longer than <see cref="MaxKeyLength"/> keeps a readable prefix followed
/// by <c>~~</c> (which escaping never produces) and the SHA-256 of the escaped key.</para>
/// <para>Every key Listes360 itself makes (FINESS, <c>61-…</c> person ids, shard keys) is made of safe
/// characters, so it is stored under the grain's own id, as any Orleans tool would expect.</para>
/// </remarks>
public static class StorageGrainIds
{
    /// <summary>
    /// Leaves room for the service id and the grain type: Azure keys hold at most 1 KiB, that is 512
    /// UTF-16 characters (Azurite refuses a longer key as InvalidInput), and the provider's partition
    /// key is <c>{ServiceId}_{grain type}_{key}</c>, so a key of 512 would never fit.
    /// </summary>
    public const int MaxKeyLength = 256;

    private const char Escape = '~';
    private const string HashMarker = "~~";

    public static GrainId For(GrainId grainId)
    {
        var key = grainId.Key.AsSpan();
        return NeedsEscaping(key) ? GrainId.Create(grainId.Type, IdSpan.Create(Key(key))) : grainId;
    }

    /// <summary>The key as stored, from the key's UTF-8 bytes (never a lossy decoding of them).</summary>
    public static string Key(ReadOnlySpan<byte> key)
    {
        if (!NeedsEscaping(key))
            return Encoding.ASCII.GetString(key);
        var escaped = new StringBuilder(key.Length + 16);
        foreach (var b in key)
        {
            if (b < 0x80 && IsSafe((char)b))
                escaped.Append((char)b);
            else
                escaped.Append(Escape).Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }
        if (escaped.Length <= MaxKeyLength)
            return escaped.ToString();
        var full = escaped.ToString();
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.ASCII.GetBytes(full)));
        return string.Concat(full.AsSpan(0, MaxKeyLength - HashMarker.Length - hash.Length), HashMarker, hash);
    }

    public static string Key(string key) => Key(Encoding.UTF8.GetBytes(key));

    private static bool NeedsEscaping(ReadOnlySpan<byte> key)
    {
        if (key.Length > MaxKeyLength)
            return true;
        foreach (var b in key)
        {
            if (b >= 0x80 || !IsSafe((char)b))
                return true;
        }
        return false;
    }

    // Azure forbids / \ # ? and control characters; % (double-decoded by Azure Tables in some operations),
    // ' + and spaces trouble URL clients; ~ is the escape; _ is what the provider puts between service id, grain type and key, so a key never holds one.
    private static bool IsSafe(char c) =>
        c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '-' or '.' or ':' or '@' or '!' or '*' or '(' or ')' or ',' or ';' or '=' or '$' or '&' or '[' or ']';
}
