using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Listes360.Grains.Common;
using Listes360.Grains.Telemetry;
using Orleans.Storage;

namespace Listes360.AzureStorage.GrainState;

/// <summary>
/// Keyed grain states (<see cref="IKeyedRowStorage"/>) in the grain state table, in the grain's own partition (the one
/// the official provider writes its state in, <c>{ServiceId}_{grain type}_{key}</c>, so that a département's backup
/// finds them): a version row <c>{state}|</c> and one row <c>{state}|{escaped key}</c> per key, the key itself in
/// property <c>Key</c> (escaping may shorten a long key to a hash), the value's bytes in <c>Data</c>, <c>Data1</c>…
/// (64 KiB each, their number in <c>Parts</c>). A write is one Azure Table transaction per 99 rows (or ~2.5 MB), each
/// updating the version row under its ETag: a second activation of the grain fails its first transaction and changes
/// nothing. Rows are written by merge, not replace: the same result for Azure (every property is written again, and
/// <c>Parts</c> says which data properties count), but Azurite replaces an entity by removing it from an array the
/// size of the table and merges it in place, a difference that made the emulator the import's bottleneck.
/// </summary>
public sealed class AzureTableKeyedRowStorage(TableClient table, string serviceId) : IKeyedRowStorage
{
    /// <summary>Azure Table's limits: 100 operations and 4 MiB a transaction; binary properties travel in base64.</summary>
    private const int RowsPerTransaction = 99;
    private const long BytesPerTransaction = 2_500_000;
    private const int BytesPerProperty = 64 * 1024;
    private const int PropertiesPerRow = 15;

    /// <summary>The largest value a row holds: 15 binary properties of 64 KiB, as the official provider's entity.</summary>
    public const int MaxRowBytes = PropertiesPerRow * BytesPerProperty;

    private const string KeyProperty = "Key";
    private const string DataProperty = "Data";
    private const string PartsProperty = "Parts";
    private const string WrittenProperty = "Written";

    private Task? created;

    public async Task<KeyedRowsSnapshot> ReadAsync(GrainId grain, string stateName)
    {
        ServiceMetrics.RecordStorage("read", grain);
        await EnsureTableAsync();
        var partition = PartitionOf(grain);
        var prefix = VersionRowKey(stateName);
        string? etag = null;
        var rows = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {prefix} and RowKey lt {StorageGrainIds.Key(stateName) + "}"}");
        await foreach (var entity in table.QueryAsync<TableEntity>(filter))
        {
            if (entity.RowKey == prefix)
                etag = entity.ETag.ToString();
            else if (entity.GetString(KeyProperty) is { } key)
                rows[key] = DataOf(entity);
        }
        // Rows without their version row are what a first write left when its version transaction failed: not a state.
        return etag is null ? new KeyedRowsSnapshot(null, new Dictionary<string, byte[]>()) : new KeyedRowsSnapshot(etag, rows);
    }

    public async Task<string> WriteAsync(GrainId grain, string stateName, string? etag, IReadOnlyList<KeyedRowChange> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        // Every row is checked before the first transaction: a row too large refuses the write with nothing written.
        foreach (var change in changes)
        {
            if (change.Data is { Length: > MaxRowBytes } data)
                throw new GrainStateTooLargeException(grain.ToString(), $"{stateName} ({change.Key})", data.Length, MaxRowBytes);
        }
        await EnsureTableAsync();
        var partition = PartitionOf(grain);
        var batches = Batches(changes).ToList();
        if (batches.Count == 0)
            batches.Add([]);
        foreach (var batch in batches)
        {
            ServiceMetrics.RecordStorage("write", grain);
            ServiceMetrics.RecordStorageBytesWritten(grain, batch.Sum(change => (long)(change.Data?.Length ?? 0)));
            var version = new TableEntity(partition, VersionRowKey(stateName)) { [WrittenProperty] = DateTimeOffset.UtcNow };
            var actions = new List<TableTransactionAction>(batch.Count + 1)
            {
                etag is null
                    ? new TableTransactionAction(TableTransactionActionType.Add, version)
                    : new TableTransactionAction(TableTransactionActionType.UpdateMerge, version, new ETag(etag)),
            };
            foreach (var change in batch)
            {
                var rowKey = RowKeyOf(stateName, change.Key);
                actions.Add(change.Data is null
                    ? new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(partition, rowKey), ETag.All)
                    : new TableTransactionAction(TableTransactionActionType.UpsertMerge, EntityOf(partition, rowKey, change)));
            }
            Response<IReadOnlyList<Response>> response;
            try
            {
                response = await table.SubmitTransactionAsync(actions);
            }
            catch (TableTransactionFailedException e) when (e.Status is 409 or 412 or 404)
            {
                throw new InconsistentStateException(
                    $"État {stateName} de {grain} modifié ailleurs (version attendue {etag ?? "absente"}) : rien de ce lot n'a été écrit ({e.ErrorCode}).",
                    etag ?? "", "", e);
            }
            etag = response.Value[0].Headers.ETag?.ToString()
                ?? (await table.GetEntityAsync<TableEntity>(partition, VersionRowKey(stateName), select: [WrittenProperty])).Value.ETag.ToString();
        }
        return etag!;
    }

    private static IEnumerable<List<KeyedRowChange>> Batches(IReadOnlyList<KeyedRowChange> changes)
    {
        var batch = new List<KeyedRowChange>();
        long bytes = 0;
        foreach (var change in changes)
        {
            var size = (change.Data?.Length ?? 0) + 2L * change.Key.Length + 512;
            if (batch.Count > 0 && (batch.Count == RowsPerTransaction || bytes + size > BytesPerTransaction))
            {
                yield return batch;
                batch = [];
                bytes = 0;
            }
            batch.Add(change);
            bytes += size;
        }
        if (batch.Count > 0)
            yield return batch;
    }

    private static TableEntity EntityOf(string partition, string rowKey, KeyedRowChange change)
    {
        var entity = new TableEntity(partition, rowKey) { [KeyProperty] = change.Key };
        var data = change.Data!;
        var parts = 0;
        for (var offset = 0; offset < data.Length || parts == 0; parts++, offset += BytesPerProperty)
            entity[PartName(parts)] = data.AsSpan(offset, Math.Min(BytesPerProperty, data.Length - offset)).ToArray();
        entity[PartsProperty] = parts;
        return entity;
    }

    private static byte[] DataOf(TableEntity entity)
    {
        // A merge leaves the data properties of a longer value written before: only the first Parts count.
        var count = entity.GetInt32(PartsProperty) ?? 1;
        var parts = Enumerable.Range(0, count).Select(part => entity.GetBinary(PartName(part)) ?? []).ToList();
        return parts.Count == 1 ? parts[0] : [.. parts.SelectMany(p => p)];
    }

    private static string PartName(int part) => part == 0 ? DataProperty : DataProperty + part.ToString(CultureInfo.InvariantCulture);

    /// <summary>The partition of the grain's state row as the official provider names it (its '/' and the like become '_').</summary>
    public string PartitionOf(GrainId grain)
    {
        var key = $"{serviceId}_{StorageGrainIds.For(grain)}";
        return key.Replace('/', '_').Replace('\\', '_').Replace('#', '_').Replace('?', '_');
    }

    /// <summary>The version row's key, which also starts every row of the state: <c>|</c> is never in an escaped state name or key.</summary>
    public static string VersionRowKey(string stateName) => StorageGrainIds.Key(stateName) + "|";

    public static string RowKeyOf(string stateName, string key) => VersionRowKey(stateName) + StorageGrainIds.Key(key);

    private async Task EnsureTableAsync()
    {
        try
        {
            await (created ??= table.CreateIfNotExistsAsync());
        }
        catch
        {
            created = null;
            throw;
        }
    }
}
