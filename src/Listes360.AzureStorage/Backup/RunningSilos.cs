using Azure;
using Azure.Data.Tables;

namespace Listes360.AzureStorage.Backup;

/// <summary>
/// Whether silos run on a storage: the membership table's rows marked <c>Active</c> and written (each
/// silo rewrites its row every 30 s, its « I am alive ») less than <see cref="AliveWindow"/> ago, in
/// the storage server's time.
/// </summary>
public static class RunningSilos
{
    /// <summary>Three missed « I am alive » writes: a silo killed longer ago than that is not counted as running.</summary>
    public static readonly TimeSpan AliveWindow = TimeSpan.FromSeconds(90);

    /// <summary>The silos seen running (« address:port »); empty when none, or when no silo ever started here.</summary>
    public static async Task<IReadOnlyList<string>> FindAsync(TableServiceClient client, string clusterTable, DateTimeOffset serverNow, CancellationToken cancellationToken)
    {
        var running = new List<string>();
        try
        {
            await foreach (var row in client.GetTableClient(clusterTable).QueryAsync<TableEntity>(cancellationToken: cancellationToken))
            {
                if (row.GetString("Status") == "Active" && row.Timestamp is { } written && serverNow - written < AliveWindow)
                    running.Add($"{row.GetString("Address")}:{row.GetString("Port")}");
            }
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // No membership table: no silo ever ran on this storage with Azure Table membership.
        }
        return running;
    }

    /// <summary>The storage server's clock: the Date header of a cheap request.</summary>
    public static async Task<DateTimeOffset> ServerNowAsync(TableServiceClient client, CancellationToken cancellationToken)
    {
        await foreach (var page in client.QueryAsync(maxPerPage: 1, cancellationToken: cancellationToken).AsPages())
            return page.GetRawResponse().Headers.Date ?? DateTimeOffset.UtcNow;
        return DateTimeOffset.UtcNow;
    }
}
