using Listes360.Domain.Persons;

namespace Listes360.Grains.Persons;

/// <summary>The rows of an ESMS list (rules: <see cref="PersonFile.ApplyListRow"/>).</summary>
public sealed partial class PersonGrain
{
    public async Task<ListRowApplied> ApplyListRowAsync(ListRowChange row) =>
        await CommitAsync(await DecideAsync((file, context) => file.ApplyListRow(row, context)));

    public Task<IReadOnlyList<ListRowRefusal?>> CheckListRowsAsync(IReadOnlyList<ListRowChange> rows) =>
        DecideAsync((file, context) => file.CheckListRows(rows, context));
}
