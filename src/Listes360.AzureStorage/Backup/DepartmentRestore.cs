using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Listes360.AzureStorage.Audit;
using Listes360.Domain.Geography;
using Listes360.Domain.Security;
using Listes360.Grains.Security;

namespace Listes360.AzureStorage.Backup;

/// <summary>A backup read from its folder and verified (format, version, checksums, every row of the département), nothing written yet.</summary>
public sealed record VerifiedBackup(BackupManifest Manifest, IReadOnlyList<(BackupFile File, IReadOnlyList<BackupRow> Rows)> Files)
{
    public IEnumerable<BackupRow> RowsOf(string table) => Files.Where(f => f.File.Table == table).SelectMany(f => f.Rows);
}

/// <param name="Existing">Rows of the département the target held before (replaced, or deleted when not in the backup).</param>
public sealed record RestoreReport(string Department, DateTimeOffset AsOf, int GrainStates, int Reminders, int AuditEntries, int AuditEntriesAlreadyThere, int Existing, int Deleted);

/// <summary>
/// <c>listes360 restore</c>: rebuilds a département in a storage from a backup folder, straight into the
/// tables (no grain called, the service stopped). Everything is verified before the first write:
/// the format and its version, each file's size and SHA-256, every row (readable, of the département);
/// then the target must hold no row of the département (or the caller says to replace them) and run no silo.
/// </summary>
public sealed class DepartmentRestore(TableServiceClient client, BackupSourceTables tables)
{
    public const int Parallelism = 16;

    /// <summary>Reads and verifies a backup folder; throws <see cref="BackupException"/> (French, « rien n'a été écrit ») on the first fault.</summary>
    public static async Task<VerifiedBackup> ReadAsync(string directory, CancellationToken cancellationToken = default)
    {
        var where = Path.GetFullPath(directory);
        string Refused(string why) => $"Sauvegarde {where} refusée, rien n'a été écrit : {why}";
        var manifestPath = Path.Combine(directory, BackupFormat.ManifestFile);
        if (!File.Exists(manifestPath))
            throw new BackupException(Refused($"pas de {BackupFormat.ManifestFile} (ce n'est pas une sauvegarde Listes360, ou son export n'a pas fini)."));
        BackupManifest manifest;
        try
        {
            using var head = JsonDocument.Parse(await File.ReadAllBytesAsync(manifestPath, cancellationToken));
            var root = head.RootElement;
            var format = root.TryGetProperty("format", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString() : null;
            if (format != BackupFormat.Name)
                throw new BackupException(Refused($"{BackupFormat.ManifestFile} annonce le format « {format} », pas « {BackupFormat.Name} »."));
            var version = root.TryGetProperty("formatVersion", out var v) && v.TryGetInt32(out var n) ? n : (int?)null;
            if (version != BackupFormat.Version)
                throw new BackupException(Refused($"version de format {version?.ToString(CultureInfo.InvariantCulture) ?? "absente"} inconnue : cette version de listes360 lit la version {BackupFormat.Version} seulement."));
            manifest = root.Deserialize<BackupManifest>(BackupFormat.Json)!;
        }
        catch (JsonException e)
        {
            throw new BackupException(Refused($"{BackupFormat.ManifestFile} illisible ({e.Message})."));
        }
        if (DepartmentCodes.Normalize(manifest.Department) != manifest.Department)
            throw new BackupException(Refused($"le département « {manifest.Department} » du manifest n'est pas un code de département."));

        var files = new List<(BackupFile, IReadOnlyList<BackupRow>)>();
        foreach (var file in manifest.Files)
        {
            if (file.Table is not (BackupFormat.GrainStateTable or BackupFormat.RemindersTable or BackupFormat.AuditTable))
                throw new BackupException(Refused($"le fichier {file.Path} est d'une table « {file.Table} » inconnue du format {BackupFormat.Version}."));
            var full = Path.GetFullPath(Path.Combine(directory, file.Path));
            if (!full.StartsWith(where + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                throw new BackupException(Refused($"le chemin « {file.Path} » du manifest sort du dossier de la sauvegarde."));
            if (!File.Exists(full))
                throw new BackupException(Refused($"le fichier {file.Path} listé dans le manifest manque."));
            var bytes = await File.ReadAllBytesAsync(full, cancellationToken);
            var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
            if (!string.Equals(sha, file.Sha256, StringComparison.OrdinalIgnoreCase) || bytes.Length != file.Bytes)
                throw new BackupException(Refused(
                    $"le fichier {file.Path} ne correspond pas à son empreinte du manifest (SHA-256 attendu {file.Sha256}, {file.Bytes} octets ; calculé {sha}, {bytes.Length} octets) : fichier modifié ou abîmé."));
            var rows = new List<BackupRow>(file.Rows);
            var lineNumber = 0;
            foreach (var line in Encoding.UTF8.GetString(bytes).Split('\n'))
            {
                lineNumber++;
                if (line.Length == 0)
                    continue;
                BackupRow row;
                try
                {
                    row = JsonSerializer.Deserialize<BackupRow>(line, BackupFormat.Line) ?? throw new JsonException("ligne vide");
                    foreach (var (name, value) in row.Properties)
                        DepartmentRows.ValueOf(name, value);
                }
                catch (Exception e) when (e is JsonException or BackupException or NotSupportedException)
                {
                    throw new BackupException(Refused($"{file.Path}, ligne {lineNumber} : ligne illisible ({e.Message})."));
                }
                var department = file.Table switch
                {
                    BackupFormat.GrainStateTable => DepartmentRows.DepartmentOfStateRow(row.PartitionKey, manifest.ServiceId),
                    BackupFormat.RemindersTable => DepartmentRows.DepartmentOfReminder(DepartmentRows.ToEntity(row), manifest.ServiceId),
                    _ => DepartmentRows.DepartmentOfAuditRow(DepartmentRows.ToEntity(row)),
                };
                if (department != manifest.Department)
                    throw new BackupException(Refused($"{file.Path}, ligne {lineNumber} : la ligne {row.PartitionKey} / {row.RowKey} n'est pas du département {manifest.Department}."));
                rows.Add(row);
            }
            if (rows.Count != file.Rows)
                throw new BackupException(Refused($"le fichier {file.Path} contient {rows.Count} ligne(s), le manifest en annonce {file.Rows}."));
            files.Add((file, rows));
        }
        return new VerifiedBackup(manifest, files);
    }

    public async Task<RestoreReport> RunAsync(string directory, bool replaceExisting, string operatorName, TextWriter progress, CancellationToken cancellationToken = default)
    {
        var backup = await ReadAsync(directory, cancellationToken);
        var manifest = backup.Manifest;
        var department = manifest.Department;
        await progress.WriteLineAsync(
            $"Sauvegarde vérifiée (format {manifest.FormatVersion}, SHA-256 des {manifest.Files.Count} fichiers) : département {department}, cohérente au {manifest.AsOf:u}, " +
            $"{backup.RowsOf(BackupFormat.GrainStateTable).Count()} états de grains, {backup.RowsOf(BackupFormat.RemindersTable).Count()} rappels, {backup.RowsOf(BackupFormat.AuditTable).Count()} entrées d'audit.");

        DateTimeOffset now;
        try
        {
            now = await RunningSilos.ServerNowAsync(client, cancellationToken);
        }
        catch (Exception e) when (e is RequestFailedException or AggregateException or InvalidOperationException)
        {
            throw new BackupException($"Le stockage cible {client.Uri} ne répond pas ({e.Message.Split('\n')[0]}) : rien n'a été écrit.");
        }
        var running = await RunningSilos.FindAsync(client, tables.Cluster, now, cancellationToken);
        if (running.Count > 0)
            throw new BackupException(
                $"{running.Count} silo(s) Listes360 tournent sur le stockage cible ({string.Join(", ", running)}, table {tables.Cluster}) : " +
                "la restauration écrit les tables directement et exige le service arrêté (ses grains actifs garderaient l'ancien état). Rien n'a été écrit.");

        var grainTable = client.GetTableClient(tables.GrainState);
        var remindersTable = client.GetTableClient(tables.Reminders);
        var auditTable = client.GetTableClient(tables.Audit);
        var existingStates = new List<TableEntity>();
        await foreach (var row in DepartmentExport.QueryAsync(grainTable, null, cancellationToken))
            if (DepartmentRows.DepartmentOfStateRow(row.PartitionKey, manifest.ServiceId) == department)
                existingStates.Add(row);
        var existingReminders = new List<TableEntity>();
        await foreach (var row in DepartmentExport.QueryAsync(remindersTable, null, cancellationToken))
            if (DepartmentRows.DepartmentOfReminder(row, manifest.ServiceId) == department)
                existingReminders.Add(row);
        var existingAudit = 0;
        await foreach (var row in DepartmentExport.QueryAsync(auditTable, null, cancellationToken))
            if (DepartmentRows.DepartmentOfAuditRow(row) == department)
                existingAudit++;
        var existing = existingStates.Count + existingReminders.Count + existingAudit;
        if (existing > 0 && !replaceExisting)
            throw new BackupException(
                $"Le stockage cible {client.Uri} contient déjà des données du département {department} : {existingStates.Count} état(s) de grains (table {tables.GrainState}), " +
                $"{existingReminders.Count} rappel(s) (table {tables.Reminders}), {existingAudit} entrée(s) d'audit (table {tables.Audit}). Rien n'a été écrit. " +
                "Une restauration reconstruit un stockage vide ; pour remplacer ces données par la sauvegarde, relancez avec --replace-existing " +
                "(les états et rappels absents de la sauvegarde seront supprimés ; le journal d'audit n'est jamais effacé, les entrées de la sauvegarde y sont ajoutées).");

        foreach (var table in new[] { grainTable, remindersTable, auditTable })
        {
            try { await table.CreateIfNotExistsAsync(cancellationToken); }
            catch (RequestFailedException e) when (e.Status == 409) { }
        }

        var deleted = 0;
        if (replaceExisting)
        {
            var kept = backup.RowsOf(BackupFormat.GrainStateTable).Concat(backup.RowsOf(BackupFormat.RemindersTable))
                .Select(r => (r.PartitionKey, r.RowKey)).ToHashSet();
            foreach (var (table, rows) in new[] { (grainTable, existingStates), (remindersTable, existingReminders) })
                foreach (var row in rows.Where(r => !kept.Contains((r.PartitionKey, r.RowKey))))
                {
                    await table.DeleteEntityAsync(row.PartitionKey, row.RowKey, ETag.All, cancellationToken);
                    deleted++;
                }
        }

        var states = await WriteAsync(grainTable, backup.RowsOf(BackupFormat.GrainStateTable).ToList(), replaceExisting, "états de grains", progress, cancellationToken);
        var reminders = await WriteAsync(remindersTable, backup.RowsOf(BackupFormat.RemindersTable).ToList(), replaceExisting, "rappels", progress, cancellationToken);
        // The audit trail is append-only: an entry already there (same keys) is left as it is.
        var audit = await WriteAsync(auditTable, backup.RowsOf(BackupFormat.AuditTable).ToList(), replace: false, "entrées d'audit", progress, cancellationToken, feminine: true);

        await new AzureTableAuditTrail(auditTable).AppendAsync(new AuditEntry(
            DateTimeOffset.UtcNow, operatorName, Role.Admin, "restoreDepartment", AuditKind.Write, department, AuditOutcome.Done,
            string.Create(CultureInfo.InvariantCulture,
                $"Restauration du département {department} depuis {Path.GetFullPath(directory)} (format {manifest.FormatVersion}, cohérente au {manifest.AsOf:O}, exportée de {manifest.SourceEndpoint}) : ")
            + string.Create(CultureInfo.InvariantCulture, $"lignes écrites : états de grains {states.Written}, rappels {reminders.Written}, entrées d'audit {audit.Written}")
            + (replaceExisting ? string.Create(CultureInfo.InvariantCulture, $", {existing} lignes déjà présentes, {deleted} supprimées.") : ".")),
            cancellationToken);
        return new RestoreReport(department, manifest.AsOf, states.Written, reminders.Written, audit.Written, audit.AlreadyThere, existing, deleted);
    }

    /// <summary>
    /// Rows written per request: Azure Tables takes up to 100 entities of one partition in one transaction
    /// (entity group transaction, at most 4 MiB). 1 writes every row on its own (how restore wrote before
    /// batching; kept to measure the difference on the same backup).
    /// </summary>
    public int MaxBatch { get; init; } = MaxTransactionEntities;

    public const int MaxTransactionEntities = 100;

    /// <summary>A transaction's payload stays under the service's 4 MiB with room for the multipart envelope.</summary>
    private const long MaxTransactionBytes = 3 * 1024 * 1024;

    /// <summary>
    /// The rows of each partition, in transactions of at most <see cref="MaxBatch"/> rows and
    /// <see cref="MaxTransactionBytes"/>; a partition's lone row is one plain request. The batches run
    /// <see cref="Parallelism"/> at a time. Replace: upserts. Otherwise adds, and a transaction refused
    /// because one of its rows is already there (409: the audit trail keeps what it has) is written again
    /// row by row, each row already there counted and left as it is.
    /// </summary>
    private async Task<(int Written, int AlreadyThere)> WriteAsync(TableClient table, IReadOnlyList<BackupRow> rows, bool replace, string what, TextWriter progress, CancellationToken cancellationToken, bool feminine = false)
    {
        var written = feminine ? "écrites" : "écrits";
        var present = feminine ? "déjà présentes, laissées telles quelles" : "déjà présents, laissés tels quels";
        var done = 0;
        var alreadyThere = 0;
        var lastTenth = 0;
        var gate = new object();
        var batches = Batches(rows, Math.Clamp(MaxBatch, 1, MaxTransactionEntities)).ToList();

        async Task OneAsync(TableEntity entity, CancellationToken token)
        {
            if (replace)
            {
                await table.UpsertEntityAsync(entity, TableUpdateMode.Replace, token);
                return;
            }
            try
            {
                await table.AddEntityAsync(entity, token);
            }
            catch (RequestFailedException e) when (e.Status == 409)
            {
                Interlocked.Increment(ref alreadyThere);
            }
        }

        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (batch, token) =>
        {
            var entities = batch.Select(DepartmentRows.ToEntity).ToList();
            if (entities.Count == 1)
            {
                await OneAsync(entities[0], token);
            }
            else
            {
                var action = replace ? TableTransactionActionType.UpsertReplace : TableTransactionActionType.Add;
                try
                {
                    await table.SubmitTransactionAsync(entities.Select(e => new TableTransactionAction(action, e)), token);
                }
                catch (TableTransactionFailedException e) when (!replace && e.Status == 409)
                {
                    // A transaction is all or nothing: none of its rows was written; each is tried on its own.
                    foreach (var entity in entities)
                        await OneAsync(entity, token);
                }
            }
            var count = Interlocked.Add(ref done, entities.Count);
            if (rows.Count >= 1000 && count * 10 / rows.Count is var tenth && tenth > 0)
                lock (gate)
                {
                    if (tenth > lastTenth)
                    {
                        lastTenth = tenth;
                        progress.WriteLine($"  … {count} / {rows.Count} {what} {written} ({tenth * 10} %)");
                    }
                }
        });
        await progress.WriteLineAsync($"{rows.Count - alreadyThere} {what} {written} dans la table {table.Name} ({batches.Count} requête(s))" +
            (alreadyThere > 0 ? $" ({alreadyThere} {present})." : "."));
        return (rows.Count - alreadyThere, alreadyThere);
    }

    /// <summary>The rows grouped by partition, cut at <paramref name="max"/> rows or <see cref="MaxTransactionBytes"/> (estimated).</summary>
    internal static IEnumerable<IReadOnlyList<BackupRow>> Batches(IEnumerable<BackupRow> rows, int max)
    {
        foreach (var partition in rows.GroupBy(r => r.PartitionKey, StringComparer.Ordinal))
        {
            var batch = new List<BackupRow>();
            long bytes = 0;
            foreach (var row in partition)
            {
                var size = EstimatedBytes(row);
                if (batch.Count > 0 && (batch.Count >= max || bytes + size > MaxTransactionBytes))
                {
                    yield return batch;
                    batch = [];
                    bytes = 0;
                }
                batch.Add(row);
                bytes += size;
            }
            if (batch.Count > 0)
                yield return batch;
        }
    }

    /// <summary>A row's size on the wire, over-estimated: JSON text of its keys and values (binary values travel as base64, as kept here).</summary>
    private static long EstimatedBytes(BackupRow row) =>
        1024 + 2L * (row.PartitionKey.Length + row.RowKey.Length) + row.Properties.Sum(p => 64L + 2L * (p.Key.Length + p.Value.Value.Length));
}
