using System.Collections.Concurrent;
using GraphQL.Validation;
using GraphQLParser.AST;

namespace Listes360.Api.GraphQL;

/// <summary>
/// Parsed documents that have already passed every check once, by query text and operation name, so
/// that a client sending the same request again (the web pages, the bench, any client with fixed queries
/// and variables) is neither scanned, parsed, bounded nor validated again by the rules that read only the
/// document. What depends on the request still runs each time, on the cached document: the variables'
/// coercion and the argument validators (<see cref="PerRequestRules"/>), the complexity limit, whose
/// list sizes come from <c>first</c> arguments that may be variables (<see cref="QueryLimitsRule"/>,
/// added to every execution by the registration), and the GET rule. Nothing in validation depends on
/// the caller: authorization is done by the grains. A document is kept only after a request that used
/// it executed (so it passed every rule), never one that was refused: a refused text is parsed again and
/// gets its error each time. Bounded in entries and in text bytes, the oldest leaving first.
/// GraphQL.MemoryCache, the library's own cache, is not served by this project's package registry.
/// </summary>
public sealed class ValidatedDocuments(int capacity = RequestLimits.ValidatedDocumentCapacity, long maxTextBytes = RequestLimits.ValidatedDocumentTextBytes)
{
    /// <summary>
    /// The rules a cached document still runs besides those the registration adds to every execution:
    /// the library's argument validators read argument values, hence variables.
    /// </summary>
    public static readonly IReadOnlyList<IValidationRule> PerRequestRules = [global::GraphQL.Validation.Rules.FieldArgumentsAreValidRule.Instance];

    private readonly record struct Key(string Query, string? OperationName);

    // Reads (every request) take no lock; additions and evictions are serialized.
    private readonly ConcurrentDictionary<Key, GraphQLDocument> _documents = new();
    private readonly Queue<(Key Key, long Bytes)> _arrivals = new();
    private readonly Lock _adding = new();
    private long _textBytes;

    /// <summary>Documents kept now.</summary>
    public int Count => _documents.Count;

    /// <summary>Characters of the query texts kept now, counted as two bytes each (their size in memory).</summary>
    public long TextBytes { get { lock (_adding) return _textBytes; } }

    /// <summary>The document already validated for this text and operation, or null.</summary>
    public GraphQLDocument? Find(string query, string? operationName) =>
        _documents.TryGetValue(new Key(query, NullIfEmpty(operationName)), out var document) ? document : null;

    /// <summary>
    /// Keeps <paramref name="document"/>, which a request with this text and operation has just executed
    /// (<c>ExecutionResult.Executed</c>). A text longer than a document may be is not kept.
    /// </summary>
    public void Keep(string query, string? operationName, GraphQLDocument document)
    {
        long bytes = 2L * query.Length;
        if (bytes > 2L * RequestLimits.MaxDocumentBytes)
            return;
        var key = new Key(query, NullIfEmpty(operationName));
        lock (_adding)
        {
            if (!_documents.TryAdd(key, document))
                return;
            _arrivals.Enqueue((key, bytes));
            _textBytes += bytes;
            while (_documents.Count > capacity || _textBytes > maxTextBytes)
            {
                var (oldest, oldestBytes) = _arrivals.Dequeue();
                _documents.TryRemove(oldest, out _);
                _textBytes -= oldestBytes;
            }
        }
    }

    // "operationName": "" and no operation name select the same operation.
    private static string? NullIfEmpty(string? operationName) => string.IsNullOrEmpty(operationName) ? null : operationName;
}
