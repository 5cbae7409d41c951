using System.Security.Cryptography;
using System.Text;

namespace Listes360.Api.GraphQL;

/// <summary>
/// Automatic persisted queries, as Apollo clients and most GraphQL clients speak them: a client sends
/// <c>extensions.persistedQuery = {version: 1, sha256Hash}</c> without the query text; when the
/// host does not know the hash yet it answers <see cref="NotFound"/> and the client sends the text
/// once with the hash, which is checked and kept. The store is per host and bounded in count and in
/// bytes, oldest texts leaving first, and no text longer than a document may be is kept: a miss costs
/// one round trip, never a wrong answer, since a text is only stored under its own SHA-256.
/// </summary>
public sealed class PersistedQueries(int capacity = RequestLimits.PersistedQueryCapacity, long maxBytes = RequestLimits.PersistedQueryStoreBytes)
{
    public const string NotFound = "PERSISTED_QUERY_NOT_FOUND";
    public const string HashMismatch = "PERSISTED_QUERY_HASH_MISMATCH";
    public const string Unsupported = "PERSISTED_QUERY_VERSION_UNSUPPORTED";

    private readonly Dictionary<string, string> _byHash = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();
    private long _bytes;

    /// <summary>Texts kept now.</summary>
    public int Count { get { lock (_byHash) return _byHash.Count; } }

    /// <summary>UTF-8 bytes of the texts kept now.</summary>
    public long StoredBytes { get { lock (_byHash) return _bytes; } }

    /// <summary>
    /// The query text to execute for a request: its own text (checked against the hash and kept), the
    /// stored text for a known hash, or a refusal (code and French message).
    /// </summary>
    public (string? Query, string? Code, string? Message) Resolve(string? query, IDictionary<string, object?>? extensions)
    {
        if (extensions is null || !extensions.TryGetValue("persistedQuery", out var value) || value is not IDictionary<string, object?> persisted)
            return (query, null, null);
        if (!persisted.TryGetValue("version", out var version) || version?.ToString() != "1")
            return (null, Unsupported, "Seule la version 1 des requêtes persistées (extensions.persistedQuery.version = 1) est prise en charge.");
        if (!persisted.TryGetValue("sha256Hash", out var rawHash) || rawHash is not string hash || hash.Length != 64)
            return (null, HashMismatch, "extensions.persistedQuery.sha256Hash doit être l'empreinte SHA-256 de la requête, en 64 caractères hexadécimaux.");
        hash = hash.ToLowerInvariant();

        if (string.IsNullOrWhiteSpace(query))
        {
            lock (_byHash)
            {
                return _byHash.TryGetValue(hash, out var stored)
                    ? (stored, null, null)
                    : (null, NotFound, "Requête persistée inconnue de ce serveur : renvoyez-la une fois avec son texte (champ « query »).");
            }
        }

        var bytes = Encoding.UTF8.GetBytes(query);
        if (bytes.Length > RequestLimits.MaxDocumentBytes)
            return (null, DocumentLimits.DocumentTooLarge, string.Format(System.Globalization.CultureInfo.GetCultureInfo("fr-FR"),
                "Le document GraphQL fait {0:N0} octets, pour {1:N0} au plus : il n'est ni exécuté ni enregistré.", bytes.Length, RequestLimits.MaxDocumentBytes));
        var actual = Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (actual != hash)
            return (null, HashMismatch, $"L'empreinte SHA-256 donnée ({hash}) n'est pas celle du texte de la requête ({actual}) : rien n'est enregistré.");
        lock (_byHash)
        {
            if (_byHash.TryAdd(hash, query))
            {
                _order.Enqueue(hash);
                _bytes += bytes.Length;
                while ((_byHash.Count > capacity || _bytes > maxBytes) && _order.TryDequeue(out var oldest))
                {
                    if (_byHash.Remove(oldest, out var removed))
                        _bytes -= Encoding.UTF8.GetByteCount(removed);
                }
            }
        }
        return (query, null, null);
    }
}
