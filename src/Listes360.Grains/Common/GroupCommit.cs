namespace Listes360.Grains.Common;

/// <summary>
/// Group commit for a receiving grain whose applies interleave (<c>[AlwaysInterleave]</c>) and change
/// its state in memory without an await: <see cref="CommitAsync"/> returns once a write that started
/// after the caller's change has succeeded. Applies that arrive during a write wait for the next one,
/// which carries all of them: a burst (the reconcile pass, an import, a rebuild) costs a few writes of
/// a shard, not one per person. A failed write fails its callers (their outboxes send again) and
/// deactivates the grain, so that the next activation starts from what storage holds (its ETag).
/// </summary>
/// <param name="write">The grain's state write.</param>
/// <param name="deactivate">The grain's <c>DeactivateOnIdle</c>.</param>
public sealed class GroupCommit(Func<Task> write, Action deactivate)
{
    private Task? _writing;
    private long _changes;
    private long _durable;

    /// <summary>Writes the changes made in memory so far, with those that arrive meanwhile.</summary>
    public async Task CommitAsync()
    {
        var mine = ++_changes;
        // Let the applies already queued behind this one run first, so that one write carries them all.
        await Task.Yield();
        while (_durable < mine)
        {
            // A write that already ended (even synchronously, or failed) cannot carry this change: start another.
            if (_writing is not { IsCompleted: false })
                _writing = WriteAsync();
            await _writing;
        }
    }

    private async Task WriteAsync()
    {
        var covered = _changes;
        try
        {
            await write();
            _durable = Math.Max(_durable, covered);
        }
        catch
        {
            // The stored state may have moved (ETag): start again from storage on the next activation.
            deactivate();
            throw;
        }
    }
}
