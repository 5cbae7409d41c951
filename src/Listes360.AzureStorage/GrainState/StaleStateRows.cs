using Azure;
using Azure.Data.Tables;

namespace Listes360.AzureStorage.GrainState;

/// <summary>
/// Deletes the state rows of one kind (one state name) not written since a date, straight from the
/// table: for records that expire and whose grains nobody will call again (idempotency keys are new
/// UUIDs each time), so the grain that would delete them at activation never comes back.
/// </summary>
public sealed class StaleStateRows(TableClient table)
{
    /// <summary>Deletes rows of <paramref name="stateName"/> last written before <paramref name="before"/>; returns how many.</summary>
    /// <remarks>Each delete is conditional on the row's ETag: a row written meanwhile is kept. A scan of
    /// the table on the row key, once a day, not a request path.</remarks>
    public async Task<int> DeleteAsync(string stateName, DateTimeOffset before, CancellationToken cancellationToken = default)
    {
        var rowKey = StorageGrainIds.Key(stateName);
        var deleted = 0;
        try
        {
            await foreach (var row in table.QueryAsync<TableEntity>(e => e.RowKey == rowKey && e.Timestamp < before, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
            {
                try
                {
                    await table.DeleteEntityAsync(row.PartitionKey, row.RowKey, row.ETag, cancellationToken);
                    deleted++;
                }
                catch (RequestFailedException e) when (e.Status is 404 or 412)
                {
                    // Deleted by its grain, or written again since the query: not stale any more.
                }
            }
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // No table yet.
        }
        return deleted;
    }
}

/// <summary>The idempotency records of the grain state table past their retention (<see cref="Grains.Idempotency.IExpiredIdempotencyRecords"/>).</summary>
public sealed class ExpiredIdempotencyRows(TableClient table) : Grains.Idempotency.IExpiredIdempotencyRecords
{
    public Task<int> DeleteAsync(DateTimeOffset writtenBefore, CancellationToken cancellationToken = default) =>
        new StaleStateRows(table).DeleteAsync(Grains.Idempotency.IdempotencyGrain.StateName, writtenBefore, cancellationToken);
}
