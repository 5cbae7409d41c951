using Listes360.Domain.Persons;
using Listes360.Domain.Registry;
using Listes360.Domain.Security;
using Listes360.Grains.Security;
using MatchRecord = Listes360.Domain.Identity.Records.PersonRecord;

namespace Listes360.Grains.Lists;

/// <summary>One valid row of an ESMS's waiting list, as the reader made it (line numbers are the file's).</summary>
/// <param name="Match">The identity as the matching engine reads it (the row's own spelling, postcode, commune).</param>
/// <param name="Orientation">The CDAPH decision the row gives, if any: without one, the row can only
/// join a person already known with an orientation in force.</param>
/// <param name="Simulated">The row says <c>source=simulated</c> (demo seed): a person it creates is marked simulated.</param>
/// <param name="Identity">The person the row describes, null when the row has no birth date: such a row
/// carries an MDPH number or a NIR and may only join the person known by it (never create one).</param>
[GenerateSerializer, Immutable, Alias("Listes360.Lists.ListImportRow")]
public sealed record ListImportRow(
    [property: Id(0)] int Line,
    [property: Id(1)] PersonIdentity? Identity,
    [property: Id(2)] MatchRecord Match,
    [property: Id(3)] Situation? Situation,
    [property: Id(4)] ListOrientation? Orientation,
    [property: Id(5)] Modality Modality,
    [property: Id(6)] DateOnly RequestDate,
    [property: Id(7)] bool Simulated);

/// <summary>
/// The CDAPH decision a list row gives: its reference, the kind of support (the ESMS's own kind when
/// the list does not say), and its validity (from the request date when the list does not say).
/// </summary>
[GenerateSerializer, Immutable, Alias("Listes360.Lists.ListOrientation")]
public sealed record ListOrientation(
    [property: Id(0)] string DecisionReference,
    [property: Id(1)] KindOfSupport? Kind,
    [property: Id(2)] DateOnly? ValidFrom,
    [property: Id(3)] DateOnly? ValidTo);

public enum ListRowOutcome
{
    /// <summary>A new person was created.</summary>
    Created = 1,
    /// <summary>The row is a person already known (matched by the identity engine).</summary>
    Matched = 2,
    /// <summary>A new person was created and queued for review beside a possible duplicate.</summary>
    QueuedForReview = 3,
    Rejected = 4,
    /// <summary>
    /// The row was applied, without saying whether its person was created, matched or queued: the
    /// answer a director gets, the same whether the person was already known to the département or not.
    /// </summary>
    Accepted = 5,
}

/// <summary>What one row did. <see cref="Changed"/>: the person's state changed (a re-import changes nothing).</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Lists.ListRowResult")]
public sealed record ListRowResult(
    [property: Id(0)] int Line,
    [property: Id(1)] ListRowOutcome Outcome,
    [property: Id(2)] string? PersonId,
    [property: Id(3)] bool CandidatureCreated,
    [property: Id(4)] bool Changed,
    [property: Id(5)] string? Code = null,
    [property: Id(6)] string? Message = null);

/// <summary>
/// Imports an ESMS's own waiting list (key: the FINESS number). The caller is checked here, once
/// (a director for their own ESMS, a territorial staff or an administrator); the rows are then
/// applied by the service on the caller's behalf (the audit entry names the caller and the file).
/// Each row is matched to a person through the département's <see cref="Identity.IIdentityGrain"/>,
/// then its candidature is created, or found unchanged: re-importing a file changes nothing.
/// Called in chunks, so that the caller can show progress. A director's answer is blind to the
/// département's persons: every applied row is <see cref="ListRowOutcome.Accepted"/> without person id,
/// and a row without CDAPH decision is refused whether its person is known or not.
/// </summary>
[Alias("Listes360.Lists.IListImportGrain")]
public interface IListImportGrain : IGrainWithStringKey
{
    [Allow(Role.EsmsDirector, Role.TerritorialStaff, Role.Admin, Scope = KeyScope.Finess)]
    [Alias("ImportAsync")]
    Task<IReadOnlyList<ListRowResult>> ImportAsync(IReadOnlyList<ListImportRow> rows, [AuditDetail] string source, string by);
}
