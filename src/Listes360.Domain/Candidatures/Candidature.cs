using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;

namespace Listes360.Domain.Candidatures;

/// <summary>A candidature's id: 1 to 64 letters, digits, <c>-</c>, <c>_</c>.</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Candidatures.CandidatureId")]
public readonly record struct CandidatureId
{
    [Id(0)] public string Value { get; }

    private CandidatureId(string value) => Value = value;

    public override string ToString() => Value;

    public static CandidatureId New() => new($"C-{Guid.NewGuid():N}");

    public static CandidatureId Parse(string? input) =>
        TryParse(input, out var id, out var error) ? id : throw new DomainException("INVALID_CANDIDATURE_ID", error, "candidatureId");

    public static bool TryParse(string? input, out CandidatureId id, [NotNullWhen(false)] out string? error)
    {
        var ok = Ids.TryParse(input, "de candidature", out var value, out error);
        id = ok ? new CandidatureId(value!) : default;
        return ok;
    }
}

/// <summary>Who did a change: a user id, or <see cref="System"/> for automatic effects.</summary>
public static class Actors
{
    public const string System = "system";
}

public enum CandidatureEvent
{
    Created = 1,
    StatusChanged = 2,
    MarkedWaitingForPreferred = 3,
    UnmarkedWaitingForPreferred = 4,
    /// <summary>Moved to another person by a merge of duplicates (status unchanged).</summary>
    PersonMerged = 5,
    /// <summary>Returned to its original person by the split that undid a merge (status unchanged).</summary>
    PersonSplit = 6,
}

/// <summary>One change of a candidature. <see cref="Version"/> is the candidature's version after it.</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Candidatures.CandidatureHistoryEntry")]
public sealed record CandidatureHistoryEntry
{
    [Id(0)] public required int Version { get; init; }
    [Id(1)] public required CandidatureEvent Event { get; init; }
    /// <summary><c>null</c> for the creation.</summary>
    [Id(2)] public CandidatureStatus? From { get; init; }
    [Id(3)] public required CandidatureStatus To { get; init; }
    [Id(4)] public CandidatureReason? Reason { get; init; }
    [Id(5)] public required DateTimeOffset At { get; init; }
    [Id(6)] public required string By { get; init; }
    /// <summary>The candidature whose admission caused this change (automatic effects).</summary>
    [Id(7)] public CandidatureId? Cause { get; init; }
}

/// <summary>
/// A demande d'admission: one person, one ESMS, one modality. Immutable: every change goes through
/// <see cref="CandidatureStateMachine"/>, which returns a new record with <see cref="Version"/> + 1
/// and one more <see cref="History"/> entry (versioned projections apply a change once).
/// </summary>
[GenerateSerializer, Immutable, Alias("Listes360.Candidatures.Candidature")]
public sealed record Candidature
{
    [Id(0)] public required CandidatureId Id { get; init; }
    [Id(1)] public required PersonId PersonId { get; init; }
    [Id(2)] public required FinessNumber Finess { get; init; }
    [Id(3)] public required Modality Modality { get; init; }
    [Id(4)] public required KindOfSupport Kind { get; init; }
    /// <summary>Date of the request (seniority of the request counts in the criteria grid).</summary>
    [Id(5)] public required DateOnly RequestDate { get; init; }
    [Id(6)] public required CandidatureStatus Status { get; init; }
    /// <summary>1 at creation, + 1 on each change.</summary>
    [Id(7)] public required int Version { get; init; }
    [Id(8)] public required ImmutableArray<CandidatureHistoryEntry> History { get; init; }
    /// <summary>
    /// The person has a solution but keeps this candidature open for a preferred ESMS: not ended by an
    /// admission elsewhere, counted apart from the persons waiting.
    /// </summary>
    [Id(9)] public bool WaitingForPreferred { get; init; }

    public bool IsOpen => Status.IsOpen();

    /// <summary>
    /// The day (in Paris) of the last status change, creation included: the offer date when OFFERED,
    /// the admission date when ADMITTED. Marks, merges and splits do not change it.
    /// </summary>
    public DateOnly StatusSince =>
        (History.IsDefaultOrEmpty ? null : History.LastOrDefault(h => h.Event is CandidatureEvent.Created or CandidatureEvent.StatusChanged)) is { } change
            ? Time.ParisDate.Of(change.At)
            : RequestDate;

    /// <summary>A new candidature, status RECEIVED, version 1.</summary>
    public static Candidature Create(CandidatureId id, PersonId personId, FinessNumber finess, Modality modality, KindOfSupport kind,
        DateOnly requestDate, DateTimeOffset at, string by)
    {
        _ = modality.Label();
        _ = kind.Info();
        CandidatureStateMachine.RequireActor(by);
        return new Candidature
        {
            Id = id,
            PersonId = personId,
            Finess = finess,
            Modality = modality,
            Kind = kind,
            RequestDate = requestDate,
            Status = CandidatureStatus.Received,
            Version = 1,
            History = [new CandidatureHistoryEntry { Version = 1, Event = CandidatureEvent.Created, To = CandidatureStatus.Received, At = at, By = by }],
        };
    }

    /// <summary>A new candidature for an ESMS: its FINESS and kind come from the profile.</summary>
    public static Candidature For(CandidatureId id, PersonId personId, EsmsProfile esms, Modality modality, DateOnly requestDate,
        DateTimeOffset at, string by) =>
        Create(id, personId, esms.Finess, modality, esms.Kind, requestDate, at, by);

    /// <summary>For a candidature in SOLUTION_FOUND_ELSEWHERE: the open status it left, where a reversal returns.</summary>
    public CandidatureStatus? StatusBeforeSolutionElsewhere =>
        Status == CandidatureStatus.SolutionFoundElsewhere
            ? History.LastOrDefault(h => h.Event == CandidatureEvent.StatusChanged && h.To == CandidatureStatus.SolutionFoundElsewhere)?.From
            : null;

    /// <summary>No names: ids and status only.</summary>
    public override string ToString() => $"Candidature {Id} ({PersonId}, {Finess}, {Modality}, {Status.Code()}, v{Version})";
}
