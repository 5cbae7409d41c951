using System.Collections.Immutable;
using Listes360.Domain.Candidatures;
using Listes360.Domain.Grid;
using Listes360.Domain.Projections;
using Listes360.Domain.Registry;
using Listes360.Domain.Risk;
using Listes360.Domain.Sequential;

namespace Listes360.Domain.Persons;

/// <summary>
/// What others must learn from a change of a person's file, kept in the grain's outbox until delivered.
/// Each has a <see cref="Key"/>: a newer effect under the same key replaces the older one (receivers apply
/// by version, so only the latest matters), which bounds the outbox by the person's candidatures.
/// </summary>
[GenerateSerializer, Immutable, Alias("Listes360.Persons.PersonFileEffect")]
public abstract record PersonFileEffect
{
    public abstract string Key { get; }
}

/// <summary>The ESMS's view of one of its candidatures (<c>EsmsCandidatureView</c>) follows this version of it.</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Persons.CandidatureToEsms")]
public sealed record CandidatureToEsms([property: Id(0)] Candidature Candidature) : PersonFileEffect
{
    public override string Key => EsmsKey(Candidature.Id);
    public static string EsmsKey(CandidatureId id) => "esms/" + id.Value;
}

/// <summary>The harmonised ranking of the candidature's ESMS and modality takes these facts.</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Persons.FactsToRanking")]
public sealed record FactsToRanking([property: Id(0)] CandidateFacts Facts) : PersonFileEffect
{
    public override string Key => RankingKey(Facts.CandidatureId);
    public static string RankingKey(CandidatureId id) => "ranking/" + id.Value;
}

/// <summary>The département's projections of this version: the person's waiting-count contribution and rupture-risk input.</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Persons.ProjectionsOfVersion")]
public sealed record ProjectionsOfVersion(
    [property: Id(0)] int Version,
    [property: Id(1)] WaitingCounts Counts,
    [property: Id(2)] PersonRiskInput Risk) : PersonFileEffect
{
    public override string Key => "projections";
}

/// <summary>The departmental list's row of this version (a row with nothing to show when the person left the list or was merged).</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Persons.ListRowOfVersion")]
public sealed record ListRowOfVersion([property: Id(0)] WaitingList.WaitingListEntry Row) : PersonFileEffect
{
    public override string Key => "list";
}

/// <summary>The sequential search's entry of this version (null: the person leaves the search).</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Persons.SequentialEntryOfVersion")]
public sealed record SequentialEntryOfVersion(
    [property: Id(0)] int Version,
    [property: Id(1)] SequentialCandidate? Entry) : PersonFileEffect
{
    public override string Key => "sequential";
}

/// <summary>The places a sequential proposal holds at an ESMS go back (its offer there ended other than by an admission).</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Persons.PlacesToRelease")]
public sealed record PlacesToRelease(
    [property: Id(0)] string Proposal,
    [property: Id(1)] FinessNumber Finess) : PersonFileEffect
{
    public override string Key => $"release/{Proposal}/{Finess.Value}";
}

/// <summary>
/// The person was admitted (lasting modality) while their situation was in another ESMS: that ESMS's place
/// is free, a vacancy linked to the one the admission filled (a vacancy chain, <see cref="Vacancies.PlaceLeft"/>).
/// </summary>
[GenerateSerializer, Immutable, Alias("Listes360.Persons.PlaceLeftToVacancies")]
public sealed record PlaceLeftToVacancies([property: Id(0)] Vacancies.AdmissionElsewhere Exit) : PersonFileEffect
{
    public override string Key => $"vacancy/{Exit.LeftFiness.Value}/{Exit.AdmittedCandidature.Value}";
}

/// <summary>
/// The result of a command: the file after it, the effects to deliver, the keys of effects no longer
/// this person's to deliver (candidatures that left with a merge or a split), and a French line saying
/// what changed (logged with the operation). <see cref="Changed"/> false: nothing to write (a replay, a
/// change to the same value).
/// </summary>
public sealed record PersonFileChange(
    PersonFile File,
    ImmutableArray<PersonFileEffect> Effects,
    string Audit,
    ImmutableArray<string> Withdrawn = default)
{
    public bool Changed { get; init; } = true;

    public static PersonFileChange None(PersonFile file) => new(file, [], "", []) { Changed = false };
}

/// <summary>A change with what the command answers (the candidature made, the merge recorded…).</summary>
public sealed record PersonFileChange<T>(PersonFileChange Change, T Result);
