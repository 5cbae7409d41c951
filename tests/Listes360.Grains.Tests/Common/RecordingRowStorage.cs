using Listes360.Grains.Common;

namespace Listes360.Grains.Tests.Common;

/// <summary>Keyed rows in memory (<see cref="MemoryKeyedRowStorage"/>) that remember the keys each write sent: what a change costs.</summary>
public sealed class RecordingRowStorage : IKeyedRowStorage
{
    private readonly MemoryKeyedRowStorage inner = new();

    /// <summary>The keys of each write, in order (a deleted row's key included).</summary>
    public List<IReadOnlyList<string>> Writes { get; } = [];

    public IReadOnlyList<string> LastWrite => Writes[^1];

    public Task<KeyedRowsSnapshot> ReadAsync(GrainId grain, string stateName) => inner.ReadAsync(grain, stateName);

    public Task<string> WriteAsync(GrainId grain, string stateName, string? etag, IReadOnlyList<KeyedRowChange> changes)
    {
        Writes.Add([.. changes.Select(c => c.Key).Order(StringComparer.Ordinal)]);
        return inner.WriteAsync(grain, stateName, etag, changes);
    }
}

/// <summary>A grain state the earlier code stored whole, as a grain sees it: cleared once moved.</summary>
public sealed class WholeState<T>(T state) : IPersistentState<T>
{
    public T State { get; set; } = state;
    public string? Etag => "1";
    public bool RecordExists { get; private set; } = true;
    public bool Cleared { get; private set; }
    public Task ClearStateAsync()
    {
        Cleared = true;
        RecordExists = false;
        return Task.CompletedTask;
    }
    public Task WriteStateAsync() => throw new InvalidOperationException("Un état d'origine ne s'écrit plus : il est déplacé en lignes.");
    public Task ReadStateAsync() => Task.CompletedTask;
}
