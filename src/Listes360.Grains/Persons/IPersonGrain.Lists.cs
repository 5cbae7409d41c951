using System.Collections.Immutable;
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
    /// Rows of lists for this person in one commit (<see cref="PersonFile.ApplyListRows"/>: a refused row is skipped
    /// and answered at its place), for an import that delivers the effects of many persons in bulk
    /// (<see cref="PersonEffectsInBulk"/>): its effects are given back with the person's version, and the person
    /// delivers them itself after <paramref name="grace"/> (<see cref="BulkDeliveryGrace"/>) unless
    /// <see cref="AcknowledgeBulkDeliveryAsync"/> says they were delivered.
    /// </summary>
    [Internal]
    [Alias("ApplyListRowsForBulkAsync")]
    Task<ListRowsAppliedForBulk> ApplyListRowsForBulkAsync(IReadOnlyList<ListRowChange> rows, TimeSpan grace);

    /// <summary>These pending effects (by key) were delivered in bulk: dropped, if the person is still at <paramref name="version"/>.</summary>
    [Internal]
    [Alias("AcknowledgeBulkDeliveryAsync")]
    Task AcknowledgeBulkDeliveryAsync(int version, IReadOnlyList<string> keys);

    /// <summary>
    /// The same checks as <see cref="ApplyListRowAsync"/> for these rows taken in order, without writing:
    /// per row, its refusal, or null when it would be applied. A list import asks before the identity
    /// index records the rows, so that a row refused here leaves nothing behind.
    /// </summary>
    [ReadOnly]
    [Internal]
    [Alias("CheckListRowsAsync")]
    Task<IReadOnlyList<ListRowRefusal?>> CheckListRowsAsync(IReadOnlyList<ListRowChange> rows);

    /// <summary>
    /// Whether the person has a file (created and not merged away): a list import that created this person in the index and
    /// whose row the person then refused keeps the index record if another import's rows made the file meanwhile.
    /// </summary>
    [ReadOnly]
    [Internal]
    [Alias("HasFileAsync")]
    Task<bool> HasFileAsync();
}

/// <summary>Rows applied together (<see cref="IPersonGrain.ApplyListRowsForBulkAsync"/>): each row's outcome, the person's version after them, and the effects still to deliver.</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Persons.ListRowsAppliedForBulk")]
public sealed record ListRowsAppliedForBulk(
    [property: Id(0)] ImmutableArray<ListRowOutcomeOfPerson> Rows,
    [property: Id(1)] int Version,
    [property: Id(2)] ImmutableArray<PersonFileEffect> Pending);
