using Listes360.Domain.Security;
using Listes360.Grains.Security;

namespace Listes360.Grains.Lists;

/// <summary>A row of one of the département's ESMS lists: the list's FINESS and file, and the row as the reader made it.</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Lists.DepartmentListRow")]
public sealed record DepartmentListRow(
    [property: Id(0)] string Finess,
    [property: Id(1)] string Source,
    [property: Id(2)] ListImportRow Row);

/// <summary>
/// Onboards a département (key: its code): the lists of all its ESMS imported together, in chunks that mix lists,
/// with the guarantees of <see cref="IListImportGrain"/> (checks before any write, per-row errors in French,
/// identity resolution, idempotent) and a person's rows of every list in a chunk written in one commit: the
/// lists of a département share most of their persons (~2.5 lists each), so one list at a time wrote each
/// person, ranking and projection shard once per list. An administrator of the département (or the service,
/// for the simulated seed), every row's FINESS checked against the caller's département before the grain runs; a row whose ESMS is not registered, or is of another département, is refused alone.
/// Answers the rows' results in their order (outcomes and person ids: not for directors, who import their own list).
/// </summary>
[Alias("Listes360.Lists.IDepartmentListImportGrain")]
public interface IDepartmentListImportGrain : IGrainWithStringKey
{
    /// <summary>
    /// A chunk of rows (at most <see cref="DepartmentListImportGrain.MaxRows"/>). Their persons' effects (ESMS views, ranking
    /// facts, projections) are held (up to <see cref="DepartmentListImportGrain.HeldRows"/> rows or 5 minutes) and delivered
    /// in bulk, so that an ESMS or a ranking whose rows come in every chunk takes one batch for all of them;
    /// <see cref="CompleteAsync"/> delivers what is held. Calls interleave: a client may send the next chunk before this one
    /// answers (its rows are resolved after this chunk's, its persons written meanwhile).
    /// </summary>
    [Allow(Role.Admin, Scope = KeyScope.Department)]
    [AlwaysInterleave]
    [Alias("ImportAsync")]
    Task<IReadOnlyList<ListRowResult>> ImportAsync([Scoped(KeyScope.Finess, Member = nameof(DepartmentListRow.Finess))] IReadOnlyList<DepartmentListRow> rows, string by);

    /// <summary>
    /// Delivers the effects still held (the import's last chunks), and answers within
    /// <see cref="DepartmentListImportGrain.CompleteWaitsAtMost"/> with how far the delivery is: call again until
    /// <see cref="HeldEffectsDelivery.Done"/> (a Nord's held effects take longer than a call may last). Once done, every
    /// ESMS, ranking and projection shows the rows imported. Without it, each person delivers its own after its grace
    /// (10 minutes, <see cref="Persons.BulkDeliveryGrace.Onboarding"/>).
    /// </summary>
    [Allow(Role.Admin, Scope = KeyScope.Department)]
    [Alias("CompleteAsync")]
    Task<HeldEffectsDelivery> CompleteAsync();
}

/// <summary>
/// Where the delivery of an onboarding's held effects stands: the receiving grains (ESMS, rankings, projection shards)
/// of the delivery under way and how many answered, and whether nothing is held or being delivered anymore.
/// </summary>
[GenerateSerializer, Immutable, Alias("Listes360.Lists.HeldEffectsDelivery")]
public sealed record HeldEffectsDelivery([property: Id(0)] int Receivers, [property: Id(1)] int ReceiversDone, [property: Id(2)] bool Done);
