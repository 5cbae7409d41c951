namespace Listes360.Grains.Common;

/// <summary>
/// Batches the applies that reach a receiving grain together into one state write, for receivers whose
/// apply is <c>[AlwaysInterleave]</c> but whose state also has other writers (unlike
/// <see cref="GroupCommit"/>, where applies change the state themselves): an apply only joins the inbox;
/// the first one drains it, batch after batch, calling <c>applyAndWrite</c> with every item that arrived
/// meanwhile, one at a time, so that one write carries them all. Each caller returns when the batch holding
/// its item is written, or gets that batch's error (its sender's outbox sends again). An import of a list
/// sends an ESMS a view per row from many persons at once: one write per batch instead of one per row.
/// </summary>
/// <param name="applyAndWrite">Applies the items in order and writes once; on failure leaves the state as
/// storage has it (the receiver's own rule) and throws.</param>
public sealed class ApplyBatcher<T>(Func<IReadOnlyList<T>, Task> applyAndWrite)
{
    private List<(T Item, TaskCompletionSource Done)> inbox = [];
    private bool draining;

    public async Task ApplyAsync(T item)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        inbox.Add((item, done));
        if (!draining)
        {
            draining = true;
            try
            {
                // Let the applies already queued behind this one join the first batch.
                await Task.Yield();
                while (inbox.Count > 0)
                {
                    var batch = inbox;
                    inbox = [];
                    try
                    {
                        await applyAndWrite(batch.Select(b => b.Item).ToList());
                        foreach (var b in batch)
                            b.Done.TrySetResult();
                    }
                    catch (Exception e)
                    {
                        foreach (var b in batch)
                            b.Done.TrySetException(e);
                    }
                }
            }
            finally
            {
                draining = false;
            }
        }
        await done.Task;
    }
}
