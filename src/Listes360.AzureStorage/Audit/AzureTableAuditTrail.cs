using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Listes360.Domain.Security;
using Listes360.Grains.Security;

namespace Listes360.AzureStorage.Audit;

/// <summary>
/// The audit trail in its own Azure table: one partition per UTC day, rows keyed by inverted time so
/// a day reads newest first. Only <c>AddEntity</c> is ever called: an entry is never replaced.
/// </summary>
public sealed class AzureTableAuditTrail(TableClient table) : IAuditTrail
{
    /// <summary>An entity group transaction holds at most 100 rows of one partition (and 4 MiB).</summary>
    public const int MaxRowsPerWrite = 100;
    private const long MaxCharactersPerWrite = 1_000_000;

    /// <summary>An entry waiting for the next write, and its caller's completion.</summary>
    private sealed record PendingRow(TableEntity Row, TaskCompletionSource Written);

    private int _created;
    private readonly object _gate = new();
    private List<PendingRow> _pending = [];
    private bool _writing;

    /// <summary>
    /// Returns once the entry is stored. Entries appended while a write is under way wait for the next
    /// write, which carries them all as one transaction per day: a page that reads 20 persons costs one
    /// round trip to the table, not 20. A refused transaction is tried row by row, so a refused entry fails its own caller only (nothing is dropped silently).
    /// </summary>
    public async Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        await EnsureTableAsync(cancellationToken);
        var at = entry.At.ToUniversalTime();
        var entity = new TableEntity(Partition(at), $"{DateTimeOffset.MaxValue.Ticks - at.Ticks:D19}-{Guid.NewGuid():N}")
        {
            ["At"] = at,
            ["Subject"] = entry.Subject,
            ["Role"] = entry.Role.ToString(),
            ["Operation"] = entry.Operation,
            ["Kind"] = entry.Kind.ToString(),
            ["Target"] = entry.Target,
            ["Outcome"] = entry.Outcome.ToString(),
            ["Detail"] = entry.Detail,
        };
        var written = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        bool start;
        lock (_gate)
        {
            _pending.Add(new PendingRow(entity, written));
            start = !_writing;
            _writing = true;
        }
        if (start)
            _ = Task.Run(WriteWhilePendingAsync, CancellationToken.None);
        // The entry is written even if the caller stops waiting: an audit may be late, never lost.
        await written.Task.WaitAsync(cancellationToken);
    }

    private async Task WriteWhilePendingAsync()
    {
        while (true)
        {
            List<PendingRow> batch;
            lock (_gate)
            {
                if (_pending.Count == 0)
                {
                    _writing = false;
                    return;
                }
                batch = _pending;
                _pending = [];
            }
            foreach (var day in batch.GroupBy(p => p.Row.PartitionKey))
            {
                foreach (var chunk in Chunks(day))
                {
                    if (chunk.Count > 1)
                    {
                        try
                        {
                            await table.SubmitTransactionAsync(chunk.Select(p => new TableTransactionAction(TableTransactionActionType.Add, p.Row)));
                            foreach (var p in chunk)
                                p.Written.TrySetResult();
                            continue;
                        }
                        catch (Exception)
                        {
                            // A transaction is all or nothing: one refused row must not fail the others, so each is tried alone.
                        }
                    }
                    foreach (var p in chunk)
                    {
                        try
                        {
                            await table.AddEntityAsync(p.Row);
                            p.Written.TrySetResult();
                        }
                        catch (Exception e)
                        {
                            p.Written.TrySetException(e);
                        }
                    }
                }
            }
        }
    }

    private static IEnumerable<List<PendingRow>> Chunks(IEnumerable<PendingRow> rows)
    {
        var chunk = new List<PendingRow>();
        long characters = 0;
        foreach (var row in rows)
        {
            var size = row.Row.Sum(p => (long)(p.Value?.ToString()?.Length ?? 0)) + 200;
            if (chunk.Count > 0 && (chunk.Count == MaxRowsPerWrite || characters + size > MaxCharactersPerWrite))
            {
                yield return chunk;
                chunk = [];
                characters = 0;
            }
            chunk.Add(row);
            characters += size;
        }
        if (chunk.Count > 0)
            yield return chunk;
    }

    public async Task<IReadOnlyList<AuditEntry>> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        await EnsureTableAsync(cancellationToken);
        var results = new List<AuditEntry>();
        // Newest day first, so the limit keeps the most recent entries.
        for (var day = query.To.UtcDateTime.Date; day >= query.From.UtcDateTime.Date && results.Count < query.Limit; day = day.AddDays(-1))
        {
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition(day)} and At ge {query.From.UtcDateTime} and At le {query.To.UtcDateTime}");
            await foreach (var entity in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
            {
                var entry = ToEntry(entity);
                if (query.Matches(entry))
                {
                    results.Add(entry);
                    if (results.Count == query.Limit)
                        break;
                }
            }
        }
        return results;
    }


    private static AuditEntry ToEntry(TableEntity e) => new(
        e.GetDateTimeOffset("At") ?? DateTimeOffset.MinValue,
        e.GetString("Subject") ?? "",
        Enum.TryParse<Role>(e.GetString("Role"), out var role) ? role : Role.System,
        e.GetString("Operation") ?? "",
        Enum.TryParse<AuditKind>(e.GetString("Kind"), out var kind) ? kind : AuditKind.Read,
        e.GetString("Target") ?? "",
        Enum.TryParse<AuditOutcome>(e.GetString("Outcome"), out var outcome) ? outcome : AuditOutcome.Done,
        e.GetString("Detail"));

    private static string Partition(DateTimeOffset at) => at.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    private static string Partition(DateTime day) => day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    private async Task EnsureTableAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _created) == 1)
            return;
        try
        {
            await table.CreateIfNotExistsAsync(cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Created meanwhile by another silo.
        }
        Volatile.Write(ref _created, 1);
    }
}
