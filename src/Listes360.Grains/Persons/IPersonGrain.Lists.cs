using Listes360.Domain.Persons;
using Listes360.Domain.Registry;
using Listes360.Grains.Security;

namespace Listes360.Grains.Persons;

public partial interface IPersonGrain
{
    /// <summary>
    /// One list row, in one commit: the person (created when new), the row's CDAPH decision and
    /// situation, and the candidature to the ESMS unless the person already has one there for that
    /// modality. All checks come first: a refused row changes nothing.
    /// </summary>
    [Internal]
    [Alias("ApplyListRowAsync")]
    Task<ListRowApplied> ApplyListRowAsync(ListRowChange row);

    /// <summary>
    /// The same checks as <see cref="ApplyListRowAsync"/> for these rows taken in order, without writing:
    /// per row, its refusal, or null when it would be applied. A list import asks before the identity
    /// index records the rows, so that a row refused here leaves nothing behind.
    /// </summary>
    [ReadOnly]
    [Internal]
    [Alias("CheckListRowsAsync")]
    Task<IReadOnlyList<ListRowRefusal?>> CheckListRowsAsync(IReadOnlyList<ListRowChange> rows);
}
