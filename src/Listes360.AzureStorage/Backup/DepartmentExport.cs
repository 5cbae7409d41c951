using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Listes360.AzureStorage.Audit;
using Listes360.Domain.Geography;
using Listes360.Domain.Security;
using Listes360.Grains.Security;

namespace Listes360.AzureStorage.Backup;

/// <summary>The storage a backup is read from or restored into: its tables and the ServiceId of its grain state rows.</summary>
public sealed record BackupStorage(TableServiceClient Client, BackupSourceTables Tables, string ServiceId);

/// <summary>
/// <c>listes360 export</c>: copies every row of one département (grain states, reminders, audit
/// entries) into a folder (<see cref="BackupFormat"/>), straight from the tables, no grain called.
/// </summary>
/// <remarks>
/// <para>Azure Tables has no snapshot. The export therefore (1) refuses while silos run on the storage
/// (<see cref="RunningSilos"/>), and (2) checks afterwards that nothing was written meanwhile: after the
/// full read it asks the table for every row whose server timestamp is at or after the start of the
/// read (less <see cref="ClockMargin"/>); a row of the département it does not hold, or holds in another
/// version (ETag), is taken in its new version and the check repeated from the start of that round, at
/// most <see cref="MaxRounds"/> times. When a round finds nothing new, the copy equals the table at the
/// start of that round: <see cref="BackupManifest.AsOf"/>.</para>
/// <para>What this cannot see: a row DELETED during the export (the table keeps no trace of it). Only a
/// running service deletes rows (a grain clearing its state, the daily purge of idempotency records),
/// hence the first rule.</para>
/// </remarks>
public sealed class DepartmentExport(BackupStorage storage)
{
    /// <summary>How far the storage's row timestamps may lag behind the Date header of its answers.</summary>
    public static readonly TimeSpan ClockMargin = TimeSpan.FromSeconds(5);

    public const int MaxRounds = 5;

    public async Task<BackupManifest> RunAsync(string department, string directory, string operatorName, TextWriter progress, CancellationToken cancellationToken = default)
    {
        department = DepartmentCodes.Normalize(department)
            ?? throw new BackupException($"« {department} » n'est pas un code de département (01 à 95, 2A, 2B, 971 à 978, 984 à 988) : rien n'a été exporté.");
        if (Directory.Exists(directory) && Directory.EnumerateFileSystemEntries(directory).Any())
            throw new BackupException($"Le dossier {Path.GetFullPath(directory)} n'est pas vide : une sauvegarde s'écrit dans un dossier neuf ou vide, rien n'a été écrit.");

        var client = storage.Client;
        var startedAt = await ServerNowAsync(cancellationToken);
        var running = await RunningSilos.FindAsync(client, storage.Tables.Cluster, startedAt, cancellationToken);
        if (running.Count > 0)
            throw new BackupException(
                $"{running.Count} silo(s) Listes360 tournent sur ce stockage ({string.Join(", ", running)}, table {storage.Tables.Cluster}) : " +
                "l'export lit les tables directement et exige le service arrêté, faute d'instantané dans Azure Tables. Rien n'a été exporté. " +
                $"Arrêtez le service puis relancez l'export (un silo arrêté brutalement n'est plus compté après {RunningSilos.AliveWindow.TotalSeconds:0} s).");

        // Round 1: every row of the grain state table.
        var grainTable = client.GetTableClient(storage.Tables.GrainState);
        var held = new Dictionary<(string, string), TableEntity>();
        var notExported = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var scanned = 0;
        await foreach (var row in QueryAsync(grainTable, null, cancellationToken))
        {
            scanned++;
            if (DepartmentRows.DepartmentOfStateRow(row.PartitionKey, storage.ServiceId) is { } of)
            {
                if (of == department)
                    held[(row.PartitionKey, row.RowKey)] = row;
            }
            else if (row.PartitionKey.StartsWith(storage.ServiceId + "_", StringComparison.Ordinal))
            {
                notExported[row.RowKey] = notExported.GetValueOrDefault(row.RowKey) + 1;
            }
            if (scanned % 10_000 == 0)
                await progress.WriteLineAsync($"  … {scanned} lignes d'état lues, {held.Count} du département {department}");
        }
        await progress.WriteLineAsync($"Table {storage.Tables.GrainState} : {held.Count} ligne(s) d'état du département {department} lues sur {scanned}.");

        // Then rounds of « what was written since the start of the previous one? ».
        var since = startedAt;
        var rounds = 1;
        var reread = 0;
        DateTimeOffset asOf;
        while (true)
        {
            var roundStart = await ServerNowAsync(cancellationToken);
            var filter = TableClient.CreateQueryFilter($"Timestamp ge {since - ClockMargin}");
            var changed = 0;
            await foreach (var row in QueryAsync(grainTable, filter, cancellationToken))
            {
                if (DepartmentRows.DepartmentOfStateRow(row.PartitionKey, storage.ServiceId) != department)
                    continue;
                if (!held.TryGetValue((row.PartitionKey, row.RowKey), out var known) || known.ETag != row.ETag)
                {
                    held[(row.PartitionKey, row.RowKey)] = row;
                    changed++;
                }
            }
            if (changed == 0)
            {
                asOf = roundStart;
                break;
            }
            reread += changed;
            if (++rounds > MaxRounds)
                throw new BackupException(
                    $"Des lignes du département {department} ont encore été écrites pendant la {MaxRounds}e relecture ({changed} ligne(s)) : " +
                    "un processus écrit dans ce stockage hors de la table des membres du cluster. Rien n'a été exporté (aucun manifest écrit) ; arrêtez-le puis relancez.");
            await progress.WriteLineAsync($"  {changed} ligne(s) écrite(s) pendant l'export : relues (tour {rounds}).");
            since = roundStart;
        }

        var reminders = new List<TableEntity>();
        await foreach (var row in QueryAsync(client.GetTableClient(storage.Tables.Reminders), null, cancellationToken))
            if (DepartmentRows.DepartmentOfReminder(row, storage.ServiceId) == department)
                reminders.Add(row);

        // The audit trail is append-only: the entries added by asOf are the trail as of then.
        var audit = new List<TableEntity>();
        await foreach (var row in QueryAsync(client.GetTableClient(storage.Tables.Audit), null, cancellationToken))
            if (row.Timestamp <= asOf && DepartmentRows.DepartmentOfAuditRow(row) == department)
                audit.Add(row);
        await progress.WriteLineAsync($"Rappels : {reminders.Count} ; journal d'audit : {audit.Count} entrée(s) du département {department} jusqu'au {asOf:u}.");

        Directory.CreateDirectory(Path.Combine(directory, BackupFormat.GrainStateFolder));
        var files = new List<BackupFile>();
        foreach (var state in held.Values.GroupBy(r => DepartmentRows.StateNameOfRowKey(r.RowKey)).OrderBy(g => g.Key, StringComparer.Ordinal))
            files.Add(await WriteAsync(directory, BackupFormat.GrainStateFileName(state.Key), BackupFormat.GrainStateTable, state.Key,
                state.OrderBy(r => r.PartitionKey, StringComparer.Ordinal), cancellationToken));
        files.Add(await WriteAsync(directory, BackupFormat.RemindersFile, BackupFormat.RemindersTable, null, reminders, cancellationToken));
        files.Add(await WriteAsync(directory, BackupFormat.AuditFile, BackupFormat.AuditTable, null, audit, cancellationToken));

        var manifest = new BackupManifest
        {
            Format = BackupFormat.Name,
            FormatVersion = BackupFormat.Version,
            Department = department,
            ServiceId = storage.ServiceId,
            AsOf = asOf,
            StartedAt = startedAt,
            Tool = "listes360 export " + typeof(DepartmentExport).Assembly.GetName().Version,
            SourceEndpoint = client.Uri.GetLeftPart(UriPartial.Path),
            SourceTables = storage.Tables,
            Consistency = new BackupConsistency("stopped-service+timestamp-check", rounds, reread),
            Files = files,
            NotExported = notExported,
        };
        // Written last: a folder without manifest.json is an export that did not finish.
        await File.WriteAllTextAsync(Path.Combine(directory, BackupFormat.ManifestFile), JsonSerializer.Serialize(manifest, BackupFormat.Json), cancellationToken);

        // Reading every identifying datum of a département is audited, on the source, after asOf (so not in the backup).
        await new AzureTableAuditTrail(client.GetTableClient(storage.Tables.Audit)).AppendAsync(new AuditEntry(
            DateTimeOffset.UtcNow, operatorName, Role.Admin, "exportDepartment", AuditKind.Read, department, AuditOutcome.Done,
            string.Create(CultureInfo.InvariantCulture, $"Sauvegarde du département {department} (format {BackupFormat.Version}) dans {Path.GetFullPath(directory)} : {held.Count} états de grains, {reminders.Count} rappels, {audit.Count} entrées d'audit, cohérente au {asOf:O}.")),
            cancellationToken);
        return manifest;
    }

    private async Task<DateTimeOffset> ServerNowAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await RunningSilos.ServerNowAsync(storage.Client, cancellationToken);
        }
        catch (Exception e) when (e is RequestFailedException or AggregateException or InvalidOperationException)
        {
            throw new BackupException($"Le stockage {storage.Client.Uri} ne répond pas ({e.Message.Split('\n')[0]}) : rien n'a été fait.");
        }
    }

    internal static async IAsyncEnumerable<TableEntity> QueryAsync(TableClient table, string? filter, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var pages = table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: cancellationToken).AsPages().GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                bool more;
                try
                {
                    more = await pages.MoveNextAsync();
                }
                catch (RequestFailedException e) when (e.Status == 404)
                {
                    more = false; // no such table: nothing stored there
                }
                if (!more)
                    yield break;
                foreach (var row in pages.Current.Values)
                    yield return row;
            }
        }
        finally
        {
            await pages.DisposeAsync();
        }
    }

    private static async Task<BackupFile> WriteAsync(string directory, string path, string table, string? stateName, IEnumerable<TableEntity> rows, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using var file = new FileStream(Path.Combine(directory, path), FileMode.CreateNew, FileAccess.Write);
        var count = 0;
        long bytes = 0;
        foreach (var row in rows)
        {
            var line = JsonSerializer.SerializeToUtf8Bytes(DepartmentRows.ToBackup(row), BackupFormat.Line);
            byte[] data = [.. line, (byte)'\n'];
            hash.AppendData(data);
            await file.WriteAsync(data, cancellationToken);
            bytes += data.Length;
            count++;
        }
        return new BackupFile(path, table, stateName, count, bytes, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }
}
