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
    private int _created;

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
        await table.AddEntityAsync(entity, cancellationToken);
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
