using System.Collections.Concurrent;
using Orleans.Runtime;
using Orleans.Storage;

namespace Listes360.Testing.Cluster;

/// <summary>The test cluster's grain storage, counting the writes of each grain (how many writes a burst of applies costs).</summary>
public sealed class CountingGrainStorage(IGrainStorage inner) : IGrainStorage
{
    private static readonly ConcurrentDictionary<GrainId, int> writes = new();

    /// <summary>Writes of this grain's state since the silo started.</summary>
    public static int WritesOf(GrainId grain) => writes.TryGetValue(grain, out var n) ? n : 0;

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ReadStateAsync(stateName, grainId, grainState);

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        await inner.WriteStateAsync(stateName, grainId, grainState);
        writes.AddOrUpdate(grainId, 1, (_, n) => n + 1);
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ClearStateAsync(stateName, grainId, grainState);
}
