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

    private static readonly ConcurrentDictionary<GrainId, TaskCompletionSource> held = new();

    /// <summary>
    /// Holds this grain's writes until disposed (a slow storage): what reaches the grain meanwhile waits for the
    /// write in progress, so a test sees deterministically what one write can carry.
    /// </summary>
    public static IDisposable HoldWrites(GrainId grain)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        held[grain] = gate;
        return new Release(grain, gate);
    }

    /// <summary>Writes of this grain waiting on <see cref="HoldWrites"/>.</summary>
    public static int WaitingWritesOf(GrainId grain) => waiting.TryGetValue(grain, out var n) ? n : 0;

    private static readonly ConcurrentDictionary<GrainId, int> waiting = new();

    private sealed class Release(GrainId grain, TaskCompletionSource gate) : IDisposable
    {
        public void Dispose()
        {
            held.TryRemove(new KeyValuePair<GrainId, TaskCompletionSource>(grain, gate));
            gate.TrySetResult();
        }
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (held.TryGetValue(grainId, out var gate))
        {
            waiting.AddOrUpdate(grainId, 1, (_, n) => n + 1);
            try
            {
                await gate.Task;
            }
            finally
            {
                waiting.AddOrUpdate(grainId, 0, (_, n) => n - 1);
            }
        }
        await inner.WriteStateAsync(stateName, grainId, grainState);
        writes.AddOrUpdate(grainId, 1, (_, n) => n + 1);
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ClearStateAsync(stateName, grainId, grainState);
}
