using System.Globalization;
using System.Text;
using Azure.Data.Tables;
using Listes360.Domain.Geography;

namespace Listes360.AzureStorage.Backup;

/// <summary>
/// Which rows of the storage belong to a département, read from their keys only (the states are
/// Orleans binary, not read here), and the conversion of rows to and from <see cref="BackupRow"/>.
/// </summary>
/// <remarks>
/// Every key Listes360 makes starts with the département: a FINESS number (<c>610000010</c>,
/// <c>610000010|RESIDENTIAL</c>, archives <c>610000010/3</c>), a person id (<c>61-…</c>), a shard
/// (<c>61-w3</c>, <c>61-i2</c>, <c>61-r1</c>, <c>61-l12</c>, <c>61-q0</c>) or the code alone (<c>61</c>: identity,
/// grid, maintenance, registry…). Idempotency records are keyed by hashes and belong to none.
/// </remarks>
public static class DepartmentRows
{
    /// <summary>The département a grain key or audit target starts with, or null: a leading FINESS number's, else a leading département code.</summary>
    public static string? DepartmentOfKey(string key)
    {
        var end = 0;
        while (end < key.Length && char.IsAsciiLetterOrDigit(key[end]))
            end++;
        var lead = key[..end];
        // A FINESS number (the service only stores valid ones; the prefix rule alone decides here).
        if (lead.Length == 9)
            return DepartmentCodes.OfCode(lead);
        return DepartmentCodes.Normalize(lead) == lead && lead.Length > 0 ? lead : null;
    }

    /// <summary>
    /// The grain key of a state row: the official provider's PartitionKey is <c>{ServiceId}_{grain type}_{key}</c>
    /// (its '/' turned into '_'), the key escaped by <see cref="GrainState.StorageGrainIds"/> (which never leaves a '_'
    /// in it). Null when the row is not under <paramref name="serviceId"/>.
    /// </summary>
    public static string? GrainKeyOfPartition(string partitionKey, string serviceId)
    {
        var prefix = serviceId + "_";
        if (!partitionKey.StartsWith(prefix, StringComparison.Ordinal))
            return null;
        var last = partitionKey.LastIndexOf('_');
        return last < prefix.Length ? null : Unescape(partitionKey[(last + 1)..]);
    }

    /// <summary>
    /// The state a grain state row belongs to: its RowKey, the state's name, for the official provider's rows; the part
    /// before <c>|</c> for the rows of a keyed state (<see cref="GrainState.AzureTableKeyedRowStorage"/>), so that a
    /// state's rows go to one backup file whichever way it is stored.
    /// </summary>
    public static string StateNameOfRowKey(string rowKey)
    {
        var bar = rowKey.IndexOf('|', StringComparison.Ordinal);
        return bar < 0 ? rowKey : rowKey[..bar];
    }

    /// <summary>The département of a grain state row, or null (another service id, or a key of no département).</summary>
    public static string? DepartmentOfStateRow(string partitionKey, string serviceId) =>
        GrainKeyOfPartition(partitionKey, serviceId) is { } key ? DepartmentOfKey(key) : null;

    /// <summary>The département of a reminder row: its <c>GrainReference</c> is the grain id, <c>{type}/{key}</c>.</summary>
    public static string? DepartmentOfReminder(TableEntity row, string serviceId)
    {
        if (row.GetString("ServiceId") is { } service && service != serviceId)
            return null;
        var grain = row.GetString("GrainReference");
        var slash = grain?.IndexOf('/') ?? -1;
        return slash < 0 ? null : DepartmentOfKey(grain![(slash + 1)..]);
    }

    /// <summary>The département of an audit entry: its target's.</summary>
    public static string? DepartmentOfAuditRow(TableEntity row) =>
        row.GetString("Target") is { } target ? DepartmentOfKey(target) : null;

    /// <summary>Reverses the <c>~XX</c> escapes of <see cref="GrainState.StorageGrainIds"/> (a hashed tail stays as it is: the prefix is what names the département).</summary>
    internal static string Unescape(string key)
    {
        if (!key.Contains('~'))
            return key;
        var bytes = new List<byte>(key.Length);
        for (var i = 0; i < key.Length; i++)
        {
            if (key[i] == '~' && i + 2 < key.Length && byte.TryParse(key.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var b))
            {
                bytes.Add(b);
                i += 2;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(key[i].ToString()));
            }
        }
        return Encoding.UTF8.GetString([.. bytes]);
    }

    public static BackupRow ToBackup(TableEntity entity)
    {
        var properties = new SortedDictionary<string, BackupValue>(StringComparer.Ordinal);
        foreach (var (name, value) in entity)
        {
            if (name is "PartitionKey" or "RowKey" or "Timestamp" or "odata.etag" || value is null)
                continue;
            properties[name] = value switch
            {
                string s => new BackupValue("String", s),
                byte[] bytes => new BackupValue("Binary", Convert.ToBase64String(bytes)),
                BinaryData data => new BackupValue("Binary", Convert.ToBase64String(data.ToArray())),
                bool b => new BackupValue("Boolean", b ? "true" : "false"),
                DateTimeOffset d => new BackupValue("DateTime", d.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture)),
                DateTime d => new BackupValue("DateTime", new DateTimeOffset(d.ToUniversalTime(), TimeSpan.Zero).ToString("O", CultureInfo.InvariantCulture)),
                double d => new BackupValue("Double", d.ToString("R", CultureInfo.InvariantCulture)),
                Guid g => new BackupValue("Guid", g.ToString("D")),
                int i => new BackupValue("Int32", i.ToString(CultureInfo.InvariantCulture)),
                long l => new BackupValue("Int64", l.ToString(CultureInfo.InvariantCulture)),
                _ => throw new BackupException($"Propriété « {name} » de la ligne {entity.PartitionKey} / {entity.RowKey} : type {value.GetType().Name} inconnu du format de sauvegarde, rien n'a été écrit."),
            };
        }
        return new BackupRow(entity.PartitionKey, entity.RowKey, entity.Timestamp, properties);
    }

    public static TableEntity ToEntity(BackupRow row)
    {
        var entity = new TableEntity(row.PartitionKey, row.RowKey);
        foreach (var (name, value) in row.Properties)
            entity[name] = ValueOf(name, value);
        return entity;
    }

    /// <summary>The CLR value of a property; throws a French <see cref="BackupException"/> on a value the type does not allow.</summary>
    internal static object ValueOf(string name, BackupValue value)
    {
        try
        {
            return value.Type switch
            {
                "String" => value.Value,
                "Binary" => Convert.FromBase64String(value.Value),
                "Boolean" => bool.Parse(value.Value),
                "DateTime" => DateTimeOffset.Parse(value.Value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
                "Double" => double.Parse(value.Value, CultureInfo.InvariantCulture),
                "Guid" => Guid.Parse(value.Value),
                "Int32" => int.Parse(value.Value, CultureInfo.InvariantCulture),
                "Int64" => long.Parse(value.Value, CultureInfo.InvariantCulture),
                _ => throw new BackupException($"propriété « {name} » : type « {value.Type} » inconnu"),
            };
        }
        catch (FormatException)
        {
            throw new BackupException($"propriété « {name} » : « {value.Value} » n'est pas une valeur de type {value.Type}");
        }
    }
}
