using System.Security.Cryptography;
using System.Text;

namespace Listes360.Storage.AzureTables;

/// <summary>The PartitionKey and RowKey under which one grain state is stored.</summary>
internal readonly record struct TableKey(string PartitionKey, string RowKey);

/// <summary>
/// Derives the table keys of a grain state: PartitionKey = escaped grain type + <c>~</c> + escaped
/// grain key, RowKey = escaped state name.
/// </summary>
/// <remarks>
/// <para>One partition per grain rather than one per grain type: Azure Table scales by spreading
/// partitions across servers, and each grain only ever touches its own state, so nothing needs
/// cross-entity transactions. A partition per grain type would put every person of the country in
/// one partition (about 2,000 operations per second at most).</para>
/// <para>Azure forbids <c>/ \ # ?</c> and the control characters U+0000–U+001F and U+007F–U+009F in
/// keys, and some clients mishandle <c>%</c>, <c>+</c> or <c>'</c> in URLs. So the escaping works on
/// the UTF-8 bytes of the id (never on a lossy decoding of them) and keeps only
/// <c>[A-Za-z0-9.-]</c> verbatim; any other byte, including the escape character <c>_</c> itself,
/// becomes <c>_</c> followed by two upper-case hex digits. That makes it injective (see
/// <see cref="Unescape"/>, its left inverse), and <c>~</c> never appears in an escaped part, so the
/// concatenation stays injective too.</para>
/// <para>Keys are limited to 1 KiB. Escaped keys are ASCII, so a key of at most
/// <see cref="MaxKeyLength"/> characters fits whether that limit is counted in UTF-8 or UTF-16
/// bytes. A longer key is replaced by a readable prefix, <c>~~</c> (never produced by the short
/// form, so long and short keys cannot meet) and the SHA-256 of the full key. The full grain id and
/// state name are stored in the entity and checked on read, so even a hash collision could not
/// return another grain's state.</para>
/// </remarks>
internal static class TableKeys
{
    public const int MaxKeyLength = 512;

    /// <summary>Longest grain id stored: the id is kept in a property for the read-time check, and
    /// bounding it keeps the entity overhead bounded (see <see cref="StateEntity"/>).</summary>
    public const int MaxGrainIdLength = 8 * 1024;

    private const char EscapeChar = '_';
    private const char Separator = '~';
    private const string HashMarker = "~~";
    private const int HashedPrefixLength = MaxKeyLength - 2 - 64;

    public static TableKey For(GrainId grainId, string stateName)
    {
        var id = grainId.ToString();
        if (id.Length > MaxGrainIdLength)
        {
            throw new ArgumentException(
                $"Grain id of {id.Length} characters is too long for Azure Table grain storage (limit {MaxGrainIdLength}).",
                nameof(grainId));
        }

        var partitionKey = Escape(grainId.Type.AsSpan()) + Separator + Escape(grainId.Key.AsSpan());
        var rowKey = Escape(Encoding.UTF8.GetBytes(stateName));
        return new TableKey(Bound(partitionKey), Bound(rowKey));
    }

    public static string Escape(ReadOnlySpan<byte> bytes)
    {
        var builder = new StringBuilder(bytes.Length);
        foreach (var b in bytes)
        {
            if (IsVerbatim(b))
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append(EscapeChar).Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        return builder.ToString();
    }

    /// <summary>Inverse of <see cref="Escape"/>; exists to prove (and test) that escaping loses nothing.</summary>
    public static byte[] Unescape(string escaped)
    {
        var bytes = new List<byte>(escaped.Length);
        for (var i = 0; i < escaped.Length; i++)
        {
            var c = escaped[i];
            if (c == EscapeChar)
            {
                bytes.Add(Convert.ToByte(escaped.Substring(i + 1, 2), 16));
                i += 2;
            }
            else if (c < 128 && IsVerbatim((byte)c))
            {
                bytes.Add((byte)c);
            }
            else
            {
                throw new FormatException($"'{c}' at {i} cannot appear in an escaped key part.");
            }
        }
        return [.. bytes];
    }

    public static bool IsHashed(string key) => key.Contains(HashMarker, StringComparison.Ordinal);

    private static bool IsVerbatim(byte b) =>
        b is >= (byte)'A' and <= (byte)'Z' or >= (byte)'a' and <= (byte)'z' or >= (byte)'0' and <= (byte)'9' or (byte)'-' or (byte)'.';

    private static string Bound(string key)
    {
        if (key.Length <= MaxKeyLength)
        {
            return key;
        }
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.ASCII.GetBytes(key)));
        return string.Concat(key.AsSpan(0, HashedPrefixLength), HashMarker, hash);
    }
}
