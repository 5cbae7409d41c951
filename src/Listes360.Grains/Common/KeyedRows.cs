using Listes360.Domain;
using Listes360.Domain.Persons;
using Orleans.Serialization;

namespace Listes360.Grains.Common;

/// <summary>
/// Storage of a grain state kept as many small rows under the grain (one per key), of which a write sends only the
/// rows that changed. For a state that grows with the département (a shard of the identity index holds thousands of
/// records) and changes a few rows at a time: written whole, each change cost the whole state, so an import cost the
/// square of the département's size. A write carries a version row checked by ETag in the same transaction, so two
/// activations of one grain cannot both write (the second gets <see cref="InconsistentStateException"/>).
/// </summary>
public interface IKeyedRowStorage
{
    /// <summary>Every row of the grain's state <paramref name="stateName"/>, with the version's ETag (null: never written).</summary>
    Task<KeyedRowsSnapshot> ReadAsync(GrainId grain, string stateName);

    /// <summary>
    /// Writes these rows (data null: deleted; a key never written is not deleted) if the version is still
    /// <paramref name="etag"/> (null: the state must not exist yet), and returns the new version's ETag.
    /// Rows are written in transactions of the storage's size; if one fails after others succeeded, the rows
    /// stored are each whole, some old and some new, and the next write needs a fresh read.
    /// </summary>
    Task<string> WriteAsync(GrainId grain, string stateName, string? etag, IReadOnlyList<KeyedRowChange> changes);
}

/// <summary>A row to write: its key and bytes, or null to delete it.</summary>
public sealed record KeyedRowChange(string Key, byte[]? Data);

/// <summary>What storage holds of a keyed state: the version's ETag (null when never written) and the rows by key.</summary>
public sealed record KeyedRowsSnapshot(string? ETag, IReadOnlyDictionary<string, byte[]> Rows);

/// <summary>
/// The rows of a keyed state that changed since the last write, and their writing: the grain says which keys changed
/// (<see cref="Changed"/>) and the writer asks the grain for their current values when it writes (null: deleted), so
/// that a grain holding its state in its own shape (a domain shard) does not keep a second copy as rows. One write at
/// a time (a <see cref="GroupCommit"/>): the keys are taken before its first await, so changes made meanwhile by
/// interleaved calls go to the next write. Values are serialized by Orleans (<c>[GenerateSerializer]</c> types,
/// version tolerant like any grain state).
/// </summary>
public sealed class KeyedRowsWriter<T>(IKeyedRowStorage storage, Serializer serializer, GrainId grain, string stateName, Func<string, T?> current)
    where T : class
{
    private readonly HashSet<string> dirty = new(StringComparer.Ordinal);
    private readonly HashSet<string> stored = new(StringComparer.Ordinal);
    private string? etag;

    /// <summary>Whether storage holds a version of this state (it was written once).</summary>
    public bool Exists => etag is not null;

    /// <summary>Whether rows changed in memory since the last write.</summary>
    public bool HasChanges => dirty.Count > 0;

    /// <summary>Every stored row, deserialized; what was changed in memory and not written is forgotten.</summary>
    public async Task<IReadOnlyDictionary<string, T>> ReadAsync()
    {
        var snapshot = await storage.ReadAsync(grain, stateName);
        dirty.Clear();
        stored.Clear();
        var rows = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var (key, data) in snapshot.Rows)
        {
            rows[key] = serializer.Deserialize<T>(data)!;
            stored.Add(key);
        }
        etag = snapshot.ETag;
        return rows;
    }

    public void Changed(string key) => dirty.Add(key);

    /// <summary>
    /// Moves a state the earlier code stored whole to rows: the rows of <paramref name="keys"/> (values from the grain,
    /// which loaded the whole state) written first, then the whole entity cleared; a failure in between leaves both,
    /// and the rows win at the next activation.
    /// </summary>
    public async Task MoveFromWholeStateAsync<TWhole>(IPersistentState<TWhole> whole, IEnumerable<string> keys)
    {
        foreach (var key in keys)
            Changed(key);
        await WriteAsync();
        await whole.ClearStateAsync();
    }

    /// <summary>Writes the rows changed since the last write (none: no request). After a failure the rows stay to write; a version conflict needs a fresh read.</summary>
    public async Task WriteAsync()
    {
        if (dirty.Count == 0)
            return;
        var changes = new List<KeyedRowChange>(dirty.Count);
        foreach (var key in dirty)
        {
            var value = current(key);
            // A row added then removed before any write was never stored: nothing to delete.
            if (value is not null || stored.Contains(key))
                changes.Add(new KeyedRowChange(key, value is null ? null : serializer.SerializeToArray(value)));
        }
        dirty.Clear();
        try
        {
            etag = await storage.WriteAsync(grain, stateName, etag, changes);
        }
        catch
        {
            // Not known to be stored: the next write carries these rows again (an apply seen in memory is not applied twice,
            // so a caller sending it again would otherwise be told it is stored when it is not).
            foreach (var change in changes)
                dirty.Add(change.Key);
            throw;
        }
        foreach (var change in changes)
        {
            if (change.Data is null)
                stored.Remove(change.Key);
            else
                stored.Add(change.Key);
        }
    }
}

/// <summary>
/// A grain's state as rows of <typeparamref name="T"/> by key, loaded whole and written by difference: the grain
/// changes <see cref="Rows"/> through <see cref="Set"/> and <see cref="Remove"/> (or <see cref="Touch"/> after changing
/// a row in place) and <see cref="WriteAsync"/> sends those rows only.
/// </summary>
public sealed class KeyedRowsState<T> where T : class
{
    private readonly KeyedRowsWriter<T> writer;

    public KeyedRowsState(IKeyedRowStorage storage, Serializer serializer, GrainId grain, string stateName) =>
        writer = new KeyedRowsWriter<T>(storage, serializer, grain, stateName, key => Rows.GetValueOrDefault(key));

    public Dictionary<string, T> Rows { get; } = new(StringComparer.Ordinal);

    /// <summary>Whether storage holds a version of this state (it was written once).</summary>
    public bool Exists => writer.Exists;

    /// <summary>Whether rows changed in memory since the last write.</summary>
    public bool HasChanges => writer.HasChanges;

    public async Task ReadAsync()
    {
        var rows = await writer.ReadAsync();
        Rows.Clear();
        foreach (var (key, value) in rows)
            Rows[key] = value;
    }

    public void Set(string key, T value)
    {
        Rows[key] = value;
        writer.Changed(key);
    }

    public void Remove(string key)
    {
        if (Rows.Remove(key))
            writer.Changed(key);
    }

    /// <summary>Marks a row changed in place (a mutable value) for the next write.</summary>
    public void Touch(string key) => writer.Changed(key);

    /// <summary>Moves a state the earlier code stored whole to these rows (set them first): see <see cref="KeyedRowsWriter{T}.MoveFromWholeStateAsync"/>.</summary>
    public Task MoveFromWholeStateAsync<TWhole>(IPersistentState<TWhole> whole) => writer.MoveFromWholeStateAsync(whole, Rows.Keys);

    /// <summary>
    /// Writes the rows changed since the last write. On any failure the rows go back to what storage holds (the
    /// activation is never ahead of it) and the error is thrown; a row too large becomes <c>STATE_LIMIT_REACHED</c>.
    /// </summary>
    public async Task WriteAsync(string what)
    {
        try
        {
            await writer.WriteAsync();
        }
        catch (Exception e)
        {
            await ReadAsync();
            if (e is IStateTooLargeException tooLarge)
                throw new DomainException(StateWrites.LimitReachedCode,
                    $"Modification refusée : {what} dépasserait la taille qu'un enregistrement peut stocker ({tooLarge.Size:N0} octets pour {tooLarge.Limit:N0} au plus). Rien n'a été modifié ; signalez-le à l'administrateur.");
            throw;
        }
    }
}

/// <summary>The key of a person's row in a keyed state kept per person (the waiting, risk and list shards), and back.</summary>
public static class PersonRowKeys
{
    private const string Prefix = "p:";

    public static string Of(PersonId person) => Prefix + person.Value;

    public static PersonId PersonOf(string key) => PersonId.Parse(key[Prefix.Length..]);
}
