using Listes360.Domain;
using Microsoft.Extensions.Logging;

namespace Listes360.Grains.Common;

/// <summary>
/// The one delivery routine of an <see cref="Outbox{T}"/>: delivers the items in order, removes each once
/// its receiver acknowledged it, stops at the first failure and tries again with a grain timer a few
/// seconds later, then less often (up to a minute), while the grain stays active: a failover (a receiver
/// on a silo that just died) must not leave a view stale until the next activation or the daily pass.
/// With <c>persist</c>, what was delivered is written at once; without, it is written with the grain's
/// next change (<see cref="DeliveredSinceWrite"/>): until then a reactivation delivers it again, which
/// receivers that apply by version ignore. A refusal <c>FORBIDDEN</c> is not a fault to retry: it
/// reaches the caller.
/// </summary>
public sealed class OutboxDelivery<T>(
    Grain grain,
    Func<Outbox<T>> outbox,
    Func<T, Task> deliver,
    Func<Task>? persist,
    ILogger logger) where T : notnull
{
    private IGrainTimer? _redelivery;
    private int _attempts;

    /// <summary>Items were delivered (removed in memory) since the state was last written.</summary>
    public bool DeliveredSinceWrite { get; set; }

    /// <summary>Delivers what is pending; true when nothing is left.</summary>
    public async Task<bool> DeliverAsync()
    {
        var pending = outbox();
        if (pending.IsEmpty)
            return true;
        var delivered = false;
        try
        {
            foreach (var item in pending.Items.ToList())
            {
                await deliver(item.Effect);
                pending.Items.Remove(item);
                delivered = true;
            }
        }
        catch (Exception e) when (e is not DomainException { Code: "FORBIDDEN" })
        {
            logger.LogWarning(e, "Livraison différée pour {Grain} : {Pending} envoi(s) en attente (premier : {Key})",
                grain.GetGrainId(), pending.Count, pending.Items.FirstOrDefault()?.Key);
            ScheduleRedelivery();
        }
        if (delivered && persist is not null)
            await persist();
        else if (delivered)
            DeliveredSinceWrite = true;
        if (pending.IsEmpty)
            _attempts = 0;
        return pending.IsEmpty;
    }

    /// <summary>
    /// Delivers in a turn of its own just after the current call (a grain timer due at once), so that the
    /// caller does not wait for the receivers: a failure there goes on as any other, retried by the timer.
    /// </summary>
    public void DeliverSoon()
    {
        if (!outbox().IsEmpty)
            ScheduleRedelivery(TimeSpan.Zero);
    }

    /// <summary>
    /// Delivers in <paramref name="due"/> unless the items are acknowledged meanwhile (<see cref="Acknowledge"/>): a list
    /// import delivers the effects of many persons in bulk, and a person's own delivery stays the safety net.
    /// </summary>
    public void DeliverLater(TimeSpan due)
    {
        if (!outbox().IsEmpty)
            ScheduleRedelivery(due);
    }

    /// <summary>Items delivered by someone else (a bulk delivery): removed as if this routine had delivered them, written with the next change.</summary>
    public void Acknowledge(IEnumerable<string> keys)
    {
        var pending = outbox();
        var removed = false;
        foreach (var key in keys)
            removed |= pending.Items.RemoveAll(i => string.Equals(i.Key, key, StringComparison.Ordinal)) > 0;
        if (removed && persist is null)
            DeliveredSinceWrite = true;
    }

    private void ScheduleRedelivery(TimeSpan? due = null)
    {
        if (_redelivery is not null)
            return;
        if (due is null)
        {
            due = TimeSpan.FromSeconds(Math.Min(60, 2 << Math.Min(_attempts, 5)));
            _attempts++;
        }
        _redelivery = grain.RegisterGrainTimer(async _ =>
        {
            _redelivery?.Dispose();
            _redelivery = null;
            await DeliverAsync();
        }, new GrainTimerCreationOptions(due.Value, Timeout.InfiniteTimeSpan) { Interleave = false, KeepAlive = true });
    }
}
