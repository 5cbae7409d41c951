using Azure;
using Azure.Data.Tables;

namespace Listes360.AzureStorage.GrainState;

/// <summary>
/// Finds grain states written by the provider Listes360 used before the official one (until
/// November 2026): its own layout (<c>Data0…DataN</c> with a <c>DataParts</c> count, keys escaped
/// with <c>_XX</c>), which the official provider cannot read. Only local demonstration data was ever
/// written that way, so the answer is to reset it, not to migrate it.
/// </summary>
public static class LegacyGrainTable
{
    /// <summary>The table that provider wrote to by default.</summary>
    public const string FormerTableName = "Listes360Grains";

    private const string LegacyMarkerProperty = "DataParts";

    /// <summary>The first of <paramref name="tables"/> holding a state in the former layout, or null.</summary>
    public static async Task<string?> FindAsync(TableServiceClient client, IEnumerable<string> tables, CancellationToken cancellationToken = default)
    {
        foreach (var name in tables.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            try
            {
                await foreach (var entity in client.GetTableClient(name).QueryAsync<TableEntity>(maxPerPage: 1, cancellationToken: cancellationToken))
                {
                    if (entity.ContainsKey(LegacyMarkerProperty))
                        return name;
                    break;
                }
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                // No such table: nothing written there.
            }
        }
        return null;
    }
}
