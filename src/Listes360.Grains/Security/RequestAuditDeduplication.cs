using System.Text.RegularExpressions;

namespace Listes360.Grains.Security;

/// <summary>
/// Writes each read or refusal once per request: a request that reads the same person through 1,000
/// aliases, or whose one field fans out over a département's 16 shards, leaves one row per
/// operation, target and outcome — not one per alias or per shard. Writes done or failed are all
/// written (each one changed, or tried to change, something). The request is the id the API
/// puts in Orleans' <see cref="RequestContext"/> under <see cref="RequestKey"/> (it follows the
/// request into every grain call); calls without one (command line, grain timers) are written as
/// they come. The memory is bounded: at most <see cref="MaxKeysPerRequest"/> facts per request and
/// two generations of <see cref="MaxRequestsPerGeneration"/> requests; past a bound an entry is
/// written again rather than dropped (an audit may repeat itself, never forget).
/// </summary>
public sealed partial class RequestAuditDeduplication(IAuditTrail inner) : IAuditTrail
{
    /// <summary>The key of the per-request id in <see cref="RequestContext"/> (set by the GraphQL endpoint and the exports).</summary>
    public const string RequestKey = "listes360.request";

    public const int MaxKeysPerRequest = 512;
    public const int MaxRequestsPerGeneration = 4096;

    private readonly object gate = new();
    private Dictionary<string, HashSet<string>> current = new(StringComparer.Ordinal);
    private Dictionary<string, HashSet<string>> previous = new(StringComparer.Ordinal);

    public Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        // A write that was done (or failed half-way) is a change of its own: each is written. Reads and refusals change nothing: once is enough.
        var repeatable = entry.Kind is AuditKind.Read || entry.Outcome is AuditOutcome.Denied;
        return repeatable && RequestContext.Get(RequestKey) is string { Length: > 0 } request && !FirstTime(request, KeyOf(entry))
            ? Task.CompletedTask
            : inner.AppendAsync(entry, cancellationToken);
    }

    public Task<IReadOnlyList<AuditEntry>> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default) =>
        inner.QueryAsync(query, cancellationToken);

    /// <summary>
    /// Operation, target and outcome, with a shard key (<c>61-r3</c>, <c>61-w0</c>, <c>61-i2</c>, <c>61-l5</c>)
    /// taken as its département's whole projection: one field's fan-out is one fact.
    /// </summary>
    public static string KeyOf(AuditEntry entry) =>
        $"{entry.Operation}\u001f{ShardKey().Replace(entry.Target, "$1-$2*")}\u001f{entry.Outcome}\u001f{entry.Subject}";

    private bool FirstTime(string request, string key)
    {
        lock (gate)
        {
            if (!current.TryGetValue(request, out var seen))
            {
                if (previous.Remove(request, out var older))
                    seen = older;
                else
                {
                    if (current.Count >= MaxRequestsPerGeneration)
                    {
                        previous = current;
                        current = new(StringComparer.Ordinal);
                    }
                    seen = new(StringComparer.Ordinal);
                }
                current[request] = seen;
            }
            if (seen.Contains(key))
                return false;
            if (seen.Count < MaxKeysPerRequest)
                seen.Add(key);
            return true;
        }
    }

    [GeneratedRegex(@"^([0-9]{2,3}|2A|2B)-([ilrw])[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex ShardKey();
}
