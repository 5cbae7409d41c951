using Listes360.Domain.Candidatures;
using Listes360.Domain.Persons;

namespace Listes360.Domain.Identity;

/// <summary>
/// One merge, kept by the surviving person: what the merged person brought (its candidatures, and the
/// orientations the survivor did not have), who merged, when, why; and, once undone, who split and why.
/// </summary>
[GenerateSerializer, Immutable, Alias("Listes360.Identity.MergeRecord")]
public sealed record MergeRecord(
    [property: Id(0)] string From,
    [property: Id(1)] string Into,
    [property: Id(2)] DateTimeOffset At,
    [property: Id(3)] string By,
    [property: Id(4)] string Reason,
    [property: Id(5)] IReadOnlyList<string> Candidatures,
    [property: Id(6)] IReadOnlyList<string> Orientations,
    [property: Id(7)] bool Split = false,
    [property: Id(8)] DateTimeOffset? SplitAt = null,
    [property: Id(9)] string? SplitBy = null,
    [property: Id(10)] string? SplitReason = null);

/// <summary>What a person hands over to the survivor of a merge.</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Identity.MergePackage")]
public sealed record MergePackage(
    [property: Id(0)] PersonRecord Record,
    [property: Id(1)] IReadOnlyList<Candidature> Candidatures);

/// <summary>A merge undone on the survivor's side, and the candidatures to give back.</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Identity.ReleasedMerge")]
public sealed record ReleasedMerge(
    [property: Id(0)] MergeRecord Merge,
    [property: Id(1)] IReadOnlyList<Candidature> Candidatures);
