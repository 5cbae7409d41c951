using Listes360.Domain.Persons;
using Listes360.Domain.Registry;
using Listes360.Grains.Security;

namespace Listes360.Grains.Persons;

/// <summary>A row of an ESMS list applied to its person: created if <see cref="NewIdentity"/> and the grain is empty.</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Persons.ListRowChange")]
public sealed record ListRowChange(
    [property: Id(0)] PersonIdentity NewIdentity,
    [property: Id(1)] bool Simulated,
    [property: Id(2)] Situation? Situation,
    [property: Id(3)] Orientation? Orientation,
    [property: Id(4)] FinessNumber Finess,
    [property: Id(5)] Modality Modality,
    [property: Id(6)] DateOnly RequestDate,
    [property: Id(7)] string By);

[GenerateSerializer, Immutable, Alias("Listes360.Persons.ListRowApplied")]
public sealed record ListRowApplied(
    [property: Id(0)] bool PersonCreated,
    [property: Id(1)] bool CandidatureCreated,
    [property: Id(2)] bool Changed);

/// <summary>Why a list row would be refused by its person (the code and French message ApplyListRowAsync would throw).</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Persons.ListRowRefusal")]
public sealed record ListRowRefusal(
    [property: Id(0)] string Code,
    [property: Id(1)] string Message);

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
