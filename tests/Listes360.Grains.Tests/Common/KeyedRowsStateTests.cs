using Listes360.Grains.Common;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;

namespace Listes360.Grains.Tests.Common;

/// <summary>A keyed state without a silo: which rows each write sends, and what the activation holds after a refused write.</summary>
public sealed class KeyedRowsStateTests
{
    private static readonly Serializer Serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();
    private static readonly GrainId Grain = GrainId.Create(GrainType.Create("identityshard"), IdSpan.Create("44-i0"));

    /// <summary>The memory storage, recording the keys of each write.</summary>
    private sealed class RecordingStorage : IKeyedRowStorage
    {
        public MemoryKeyedRowStorage Inner { get; } = new();
        public List<IReadOnlyList<string>> Writes { get; } = [];

        public Task<KeyedRowsSnapshot> ReadAsync(GrainId grain, string stateName) => Inner.ReadAsync(grain, stateName);

        public Task<string> WriteAsync(GrainId grain, string stateName, string? etag, IReadOnlyList<KeyedRowChange> changes)
        {
            Writes.Add([.. changes.Select(c => c.Data is null ? "-" + c.Key : c.Key).Order(StringComparer.Ordinal)]);
            return Inner.WriteAsync(grain, stateName, etag, changes);
        }
    }

    private static KeyedRowsState<List<string>> State(IKeyedRowStorage storage) => new(storage, Serializer, Grain, "identity-shard");

    /// <summary>A storage whose next write fails (a timeout, say) before reaching storage.</summary>
    private sealed class FailingOnce(IKeyedRowStorage inner) : IKeyedRowStorage
    {
        public bool FailNext { get; set; }

        public Task<KeyedRowsSnapshot> ReadAsync(GrainId grain, string stateName) => inner.ReadAsync(grain, stateName);

        public Task<string> WriteAsync(GrainId grain, string stateName, string? etag, IReadOnlyList<KeyedRowChange> changes)
        {
            if (!FailNext)
                return inner.WriteAsync(grain, stateName, etag, changes);
            FailNext = false;
            throw new TimeoutException("écriture simulée en échec");
        }
    }

    [Fact]
    public async Task Rows_of_a_failed_write_go_with_the_next_write()
    {
        var recording = new RecordingStorage();
        var storage = new FailingOnce(recording);
        var rows = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var writer = new KeyedRowsWriter<List<string>>(storage, Serializer, Grain, "waiting", rows.GetValueOrDefault);
        await writer.ReadAsync();

        rows["p:1"] = ["un"];
        writer.Changed("p:1");
        storage.FailNext = true;
        await Assert.ThrowsAsync<TimeoutException>(writer.WriteAsync);
        Assert.True(writer.HasChanges);
        rows["p:2"] = ["deux"];
        writer.Changed("p:2");
        await writer.WriteAsync();

        Assert.Equal([["p:1", "p:2"]], recording.Writes);
    }

    [Fact]
    public async Task A_write_sends_only_the_rows_set_touched_or_removed_since_the_last()
    {
        var storage = new RecordingStorage();
        var state = State(storage);
        await state.ReadAsync();
        Assert.False(state.Exists);

        state.Set("b:1", ["a"]);
        state.Set("b:2", ["b"]);
        state.Set("b:3", ["c"]);
        await state.WriteAsync("l'index");
        state.Rows["b:2"].Add("d");
        state.Touch("b:2");
        state.Remove("b:3");
        // Set then removed before any write: never stored, nothing to delete.
        state.Set("b:4", ["e"]);
        state.Remove("b:4");
        await state.WriteAsync("l'index");
        // Nothing changed: no request.
        await state.WriteAsync("l'index");

        Assert.Equal([["b:1", "b:2", "b:3"], ["-b:3", "b:2"]], storage.Writes);
        var again = State(storage);
        await again.ReadAsync();
        Assert.True(again.Exists);
        Assert.Equal(["a"], again.Rows["b:1"]);
        Assert.Equal(["b", "d"], again.Rows["b:2"]);
        Assert.Equal(2, again.Rows.Count);
    }

    [Fact]
    public async Task A_write_refused_because_another_activation_wrote_leaves_the_rows_storage_holds()
    {
        var storage = new RecordingStorage();
        var first = State(storage);
        var second = State(storage);
        await first.ReadAsync();
        await second.ReadAsync();
        first.Set("p:1", ["premier"]);
        await first.WriteAsync("l'index");

        second.Set("p:2", ["second"]);
        await Assert.ThrowsAsync<InconsistentStateException>(() => second.WriteAsync("l'index"));

        // The refused activation went back to storage: the first's row, not its own.
        Assert.Equal(["p:1"], second.Rows.Keys);
        Assert.False(second.HasChanges);
        second.Set("p:2", ["second"]);
        await second.WriteAsync("l'index");
        Assert.Equal(["p:1", "p:2"], (await storage.ReadAsync(Grain, "identity-shard")).Rows.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["second"], Serializer.Deserialize<List<string>>((await storage.ReadAsync(Grain, "identity-shard")).Rows["p:2"]));
    }
}
