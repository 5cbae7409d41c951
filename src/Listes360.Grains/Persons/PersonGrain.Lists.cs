using System.Collections.Immutable;
using Listes360.Domain.Persons;

namespace Listes360.Grains.Persons;

/// <summary>The rows of an ESMS list (rules: <see cref="PersonFile.ApplyListRow"/>).</summary>
public sealed partial class PersonGrain
{
    public async Task<ListRowApplied> ApplyListRowAsync(ListRowChange row) =>
        await CommitAsync(await DecideAsync((file, context) => file.ApplyListRow(row, context)));

    public async Task<ListRowsAppliedForBulk> ApplyListRowsForBulkAsync(IReadOnlyList<ListRowChange> rows, TimeSpan grace)
    {
        var change = await DecideAsync((file, context) => file.ApplyListRows(rows, context));
        await CommitAsync(change.Change, EffectDelivery.AfterBulkGrace, grace);
        return new ListRowsAppliedForBulk([.. change.Result], state.State.Version, [.. state.State.Pending.Items.Select(i => i.Effect)]);
    }

    public Task AcknowledgeBulkDeliveryAsync(int version, IReadOnlyList<string> keys)
    {
        // A change since the bulk was taken may have replaced an item under the same key: then the person delivers itself.
        if (state.State.Version == version)
            outbox.Acknowledge(keys);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ListRowRefusal?>> CheckListRowsAsync(IReadOnlyList<ListRowChange> rows) =>
        DecideAsync((file, context) => file.CheckListRows(rows, context));

    public Task<bool> HasFileAsync() => Task.FromResult(state.State.Record is not null && File.MergedInto is null);
}
