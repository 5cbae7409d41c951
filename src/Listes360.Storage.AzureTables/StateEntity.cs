using Azure.Data.Tables;

namespace Listes360.Storage.AzureTables;

/// <summary>
/// Layout of one grain state in one table entity: the serialized state split across binary
/// properties <c>Data0..DataN</c>, plus the full grain id and state name (checked on read, see
/// <see cref="TableKeys"/>) and a few properties for operators.
/// </summary>
/// <remarks>
/// Azure limits a binary property to 64 KiB and a whole entity to 1 MiB, keys and property names
/// included. Sixteen parts would be exactly 1 MiB and leave nothing for the rest, so a state gets at
/// most <see cref="MaxParts"/> = 15 parts (960 KiB). The remaining 64 KiB comfortably hold the keys
/// (at most 2 × 1 KiB), the grain id (at most 16 KiB in UTF-16), the bounded diagnostic strings and
/// about 30 bytes of overhead per property; <see cref="EstimateSize"/> checks it anyway with Azure's
/// own size formula. Splitting the state across several entities would lose the single-entity ETag
/// that makes writes atomic, hence the hard limit.
/// </remarks>
internal static class StateEntity
{
    public const int PartSize = 64 * 1024;
    public const int MaxParts = 15;
    public const int MaxStateBytes = PartSize * MaxParts;
    public const int MaxEntityBytes = 1024 * 1024;

    public const string GrainIdProperty = "GrainId";
    public const string StateNameProperty = "StateName";
    public const string GrainTypeProperty = "GrainType";
    public const string StateTypeProperty = "StateType";
    public const string DataLengthProperty = "DataLength";
    public const string DataPartsProperty = "DataParts";
    private const string DataPrefix = "Data";
    private const int MaxDiagnosticLength = 1024;

    public static TableEntity Create(TableKey key, GrainId grainId, string stateName, Type stateType, ReadOnlyMemory<byte> data)
    {
        var parts = (data.Length + PartSize - 1) / PartSize;
        var entity = new TableEntity(key.PartitionKey, key.RowKey)
        {
            [GrainIdProperty] = grainId.ToString(),
            [StateNameProperty] = stateName,
            [GrainTypeProperty] = Truncate(grainId.Type.ToString()),
            [StateTypeProperty] = Truncate(stateType.FullName ?? stateType.Name),
            [DataLengthProperty] = data.Length,
            [DataPartsProperty] = parts,
        };
        for (var i = 0; i < parts; i++)
        {
            var start = i * PartSize;
            entity[DataPrefix + i] = data.Slice(start, Math.Min(PartSize, data.Length - start)).ToArray();
        }
        return entity;
    }

    /// <summary>Reassembles the serialized state; throws when parts are missing or mis-sized,
    /// because deserializing a partial state would silently lose data.</summary>
    public static byte[] ReadData(TableEntity entity)
    {
        var parts = entity.GetInt32(DataPartsProperty)
            ?? throw Corrupt(entity, $"no {DataPartsProperty} property");
        var length = entity.GetInt32(DataLengthProperty)
            ?? throw Corrupt(entity, $"no {DataLengthProperty} property");
        var data = new byte[length];
        var offset = 0;
        for (var i = 0; i < parts; i++)
        {
            var part = entity.GetBinary(DataPrefix + i) ?? throw Corrupt(entity, $"{DataPrefix}{i} is missing");
            if (offset + part.Length > length)
            {
                throw Corrupt(entity, $"parts exceed the recorded length of {length} bytes");
            }
            part.CopyTo(data, offset);
            offset += part.Length;
        }
        return offset == length ? data : throw Corrupt(entity, $"parts hold {offset} bytes, {length} recorded");
    }

    /// <summary>Entity size as Azure counts it toward its 1 MiB limit
    /// (4 + 2 × key characters + per property 8 + 2 × name characters + value size).</summary>
    public static long EstimateSize(TableEntity entity)
    {
        long size = 4 + 2L * (entity.PartitionKey.Length + entity.RowKey.Length);
        foreach (var (name, value) in entity)
        {
            if (name is "PartitionKey" or "RowKey" or "odata.etag" or "Timestamp")
            {
                continue;
            }
            size += 8 + 2L * name.Length + value switch
            {
                string s => 4 + 2L * s.Length,
                byte[] b => 4 + b.Length,
                BinaryData b => 4 + b.ToMemory().Length,
                int => 4,
                _ => 8,
            };
        }
        return size + 8; // Timestamp, kept by the service on every entity.
    }

    private static string Truncate(string value) =>
        value.Length <= MaxDiagnosticLength ? value : value[..MaxDiagnosticLength];

    private static OrleansException Corrupt(TableEntity entity, string reason) =>
        new($"Stored grain state {entity.PartitionKey}/{entity.RowKey} is corrupt: {reason}.");
}
