using Orleans.Storage;
using System.Globalization;

namespace Listes360.Grains.Common;

/// <summary>
/// Keyed grain states in the silo's memory, with the same version check as Azure Table's (an ETag per write): for
/// silos whose grain storage is Orleans' memory storage (test clusters, benchmarks). Nothing survives the process.
/// </summary>
public sealed class MemoryKeyedRowStorage : IKeyedRowStorage
{
    private readonly Dictionary<(GrainId Grain, string State), (long Version, Dictionary<string, byte[]> Rows)> states = [];
    private readonly Lock gate = new();

    public Task<KeyedRowsSnapshot> ReadAsync(GrainId grain, string stateName)
    {
        Telemetry.ServiceMetrics.RecordStorage("read", grain);
        lock (gate)
        {
            return Task.FromResult(states.TryGetValue((grain, stateName), out var state)
                ? new KeyedRowsSnapshot(Tag(state.Version), new Dictionary<string, byte[]>(state.Rows, StringComparer.Ordinal))
                : new KeyedRowsSnapshot(null, new Dictionary<string, byte[]>()));
        }
    }

    public Task<string> WriteAsync(GrainId grain, string stateName, string? etag, IReadOnlyList<KeyedRowChange> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        Telemetry.ServiceMetrics.RecordStorage("write", grain);
        Telemetry.ServiceMetrics.RecordStorageBytesWritten(grain, changes.Sum(change => (long)(change.Data?.Length ?? 0)));
        lock (gate)
        {
            var known = states.TryGetValue((grain, stateName), out var state);
            if (known ? etag != Tag(state.Version) : etag is not null)
                throw new InconsistentStateException($"État {stateName} de {grain} modifié ailleurs (version attendue {etag ?? "absente"}).", etag ?? "", known ? Tag(state.Version) : "");
            var rows = known ? state.Rows : new Dictionary<string, byte[]>(StringComparer.Ordinal);
            foreach (var change in changes)
            {
                if (change.Data is null)
                    rows.Remove(change.Key);
                else
                    rows[change.Key] = [.. change.Data];
            }
            var version = known ? state.Version + 1 : 1;
            states[(grain, stateName)] = (version, rows);
            return Task.FromResult(Tag(version));
        }
    }

    private static string Tag(long version) => version.ToString(CultureInfo.InvariantCulture);
}
