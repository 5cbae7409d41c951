using System.Text.Json;
using System.Text.Json.Serialization;

namespace Listes360.AzureStorage.Backup;

/// <summary>
/// The backup of one département (docs/backup-format.md): a folder holding <c>manifest.json</c> and one
/// NDJSON file per grain state name (<c>grain-state/{state}.ndjson</c>), plus <c>reminders.ndjson</c> and
/// <c>audit.ndjson</c>. Each line is one Azure Table row, kept as stored (<see cref="BackupRow"/>).
/// </summary>
public static class BackupFormat
{
    /// <summary>What <see cref="BackupManifest.Format"/> always says.</summary>
    public const string Name = "listes360-department-backup";

    /// <summary>The one version this code writes and reads. A reader refuses any other.</summary>
    public const int Version = 1;

    public const string ManifestFile = "manifest.json";
    public const string GrainStateFolder = "grain-state";
    public const string RemindersFile = "reminders.ndjson";
    public const string AuditFile = "audit.ndjson";

    public const string GrainStateTable = "grainState";
    public const string RemindersTable = "reminders";
    public const string AuditTable = "audit";

    internal static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    internal static readonly JsonSerializerOptions Line = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>File name of a state name's rows: the state name (already made of safe characters by <see cref="GrainState.StorageGrainIds"/>) with anything else replaced.</summary>
    public static string GrainStateFileName(string stateName) =>
        $"{GrainStateFolder}/{new string([.. stateName.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' ? c : '_')])}.ndjson";
}

/// <summary>manifest.json: what the backup holds, as of when, and the SHA-256 of each file.</summary>
public sealed record BackupManifest
{
    public required string Format { get; init; }
    public required int FormatVersion { get; init; }
    public required string Department { get; init; }

    /// <summary>The ServiceId the grain state rows are stored under (their PartitionKey starts with it): the restored silos must run with the same.</summary>
    public required string ServiceId { get; init; }

    /// <summary>The instant (storage server time) the backup is consistent as of: no row of the département was written between the start of the export and this instant (see <see cref="Consistency"/>).</summary>
    public required DateTimeOffset AsOf { get; init; }

    public required DateTimeOffset StartedAt { get; init; }
    public required string Tool { get; init; }
    public required string SourceEndpoint { get; init; }
    public required BackupSourceTables SourceTables { get; init; }
    public required BackupConsistency Consistency { get; init; }
    public required IReadOnlyList<BackupFile> Files { get; init; }

    /// <summary>Rows of the grain state table under the ServiceId whose key names no département (idempotency records, keyed by hashes): not exported, counted per state name.</summary>
    public required IReadOnlyDictionary<string, int> NotExported { get; init; }
}

public sealed record BackupSourceTables(string GrainState, string Reminders, string Audit, string Cluster);

/// <param name="Method">How consistency was obtained (always <c>stopped-service+timestamp-check</c> in version 1).</param>
/// <param name="Rounds">Reading rounds: 1 when nothing changed during the export; each further round re-read rows written meanwhile.</param>
/// <param name="RowsRereadDuringExport">Rows found written during the export and read again.</param>
public sealed record BackupConsistency(string Method, int Rounds, int RowsRereadDuringExport);

/// <param name="Path">Relative to the backup folder, with '/'.</param>
/// <param name="Table">grainState, reminders or audit.</param>
/// <param name="StateName">For grainState files: the state name (the rows' RowKey, or its part before <c>|</c> for a keyed state's rows).</param>
public sealed record BackupFile(string Path, string Table, string? StateName, int Rows, long Bytes, string Sha256);

/// <summary>One Azure Table row as stored: keys, the server's timestamp when read, and every property with its EDM type.</summary>
public sealed record BackupRow(string PartitionKey, string RowKey, DateTimeOffset? Timestamp, IReadOnlyDictionary<string, BackupValue> Properties);

/// <param name="Type">The EDM type: String, Binary (base64), Boolean, DateTime (ISO 8601), Double, Guid, Int32, Int64 (as a string, JSON numbers lose precision).</param>
public sealed record BackupValue(string Type, string Value);

/// <summary>A backup or restore that cannot proceed; the message is French and says what, where and why, and that nothing was written when that is so.</summary>
public sealed class BackupException(string message) : Exception(message);
