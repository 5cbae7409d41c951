using System.Collections.Immutable;
using Listes360.Domain.Candidatures;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;
using Listes360.Domain.Risk;
using Listes360.Domain.Sequential;

namespace Listes360.Domain.WaitingList;

/// <summary>Why a person is on the departmental list. Numeric values are persisted: never renumber.</summary>
public enum WaitingReason
{
    /// <summary>Not waiting (kept only for the worklist items of their file).</summary>
    None = 0,
    /// <summary>At least one open candidature that is not only the wait for a preferred ESMS.</summary>
    OpenCandidature = 1,
    /// <summary>Open candidatures only to wait for a preferred ESMS: the person has a solution.</summary>
    PreferredEsmsOnly = 2,
    /// <summary>At home without solution, with an orientation in force, and no open candidature yet.</summary>
    OrientedWithoutCandidature = 3,
}

/// <summary>A candidature as the list shows it: where, how, since when, how far it went.</summary>
[GenerateSerializer, Immutable, Alias("Listes360.WaitingList.ListedCandidature")]
public sealed record ListedCandidature(
    [property: Id(0)] CandidatureId Id,
    [property: Id(1)] FinessNumber Finess,
    [property: Id(2)] Modality Modality,
    [property: Id(3)] KindOfSupport Kind,
    [property: Id(4)] CandidatureStatus Status,
    [property: Id(5)] DateOnly RequestDate,
    [property: Id(6)] bool WaitingForPreferred);

/// <summary>
/// One person's row of the departmental waiting list, as the person's file last sent it (by version):
/// identity for those who may see names, situation, orientations in force, open candidatures, urgency,
/// risk flags, sequential needs, and the worklist items of the file. Never one row per list entry.
/// </summary>
[GenerateSerializer, Immutable, Alias("Listes360.WaitingList.WaitingListEntry")]
public sealed record WaitingListEntry
{
    [Id(0)] public required PersonId Person { get; init; }
    [Id(1)] public required long Version { get; init; }
    [Id(2)] public required WaitingReason Reason { get; init; }
    [Id(3)] public required string BirthName { get; init; }
    [Id(4)] public string? UsageName { get; init; }
    [Id(5)] public required ImmutableArray<string> FirstNames { get; init; }
    [Id(6)] public required DateOnly BirthDate { get; init; }
    [Id(7)] public string? MdphFileNumber { get; init; }
    [Id(8)] public string? Territory { get; init; }
    [Id(9)] public Situation? Situation { get; init; }
    [Id(10)] public ImmutableArray<Orientation> Orientations { get; init; } = [];
    [Id(11)] public ImmutableArray<ListedCandidature> Candidatures { get; init; } = [];
    [Id(12)] public UrgencyFlag? Urgency { get; init; }
    [Id(13)] public ImmutableArray<RiskFlag> Flags { get; init; } = [];
    [Id(14)] public DateOnly? OldestRequest { get; init; }
    [Id(15)] public SequentialNeeds? SequentialNeeds { get; init; }
    [Id(16)] public ImmutableArray<WorklistItem> Worklist { get; init; } = [];
    /// <summary>Made from a SIMULATED list (the demo seed): not a real person.</summary>
    [Id(17)] public bool Simulated { get; init; }

    public bool IsListed => Reason != WaitingReason.None;

    public SearchablePerson Searchable => new(Person, BirthName, UsageName, FirstNames, BirthDate, MdphFileNumber);

    /// <summary>The person is known to this projection but has neither a row nor an item: drop them (the version is kept apart).</summary>
    public bool IsEmpty => !IsListed && Worklist.IsDefaultOrEmpty;
}

/// <summary>The one rule of who is on the departmental list, and the row of a person's file.</summary>
public static class WaitingListRows
{
    /// <summary>
    /// Why the person is on the list (see <see cref="WaitingReason"/>): the same open candidatures as the
    /// waiting counts (<see cref="Projections.WaitingProjection"/>), plus the oriented persons at home
    /// without solution who have not applied anywhere yet (nor been admitted), so that nobody waiting is invisible.
    /// </summary>
    public static WaitingReason ReasonOf(PersonRecord person, IEnumerable<Candidature> candidatures, DateOnly today)
    {
        var open = candidatures.Where(c => c.IsOpen).ToList();
        if (open.Count > 0)
            return open.All(c => c.WaitingForPreferred) ? WaitingReason.PreferredEsmsOnly : WaitingReason.OpenCandidature;
        // An admission (or a solution found elsewhere) answers the orientation even before the situation is updated.
        var answered = candidatures.Any(c => c.Status is CandidatureStatus.Admitted or CandidatureStatus.SolutionFoundElsewhere);
        return !answered && person.Situation?.Kind == SituationKind.AtHomeWithoutSolution && person.OrientationsValidOn(today).Any()
            ? WaitingReason.OrientedWithoutCandidature
            : WaitingReason.None;
    }

    /// <summary>The row of a person no longer on the list by themselves (merged into another): the shard keeps only the version.</summary>
    public static WaitingListEntry Gone(PersonId person, long version) => new()
    {
        Person = person,
        Version = version,
        Reason = WaitingReason.None,
        BirthName = "",
        FirstNames = [],
        BirthDate = DateOnly.MinValue,
    };

    public static WaitingListEntry Of(PersonRecord person, IReadOnlyCollection<Candidature> candidatures, long version, string? territory,
        SequentialNeeds? sequentialNeeds, bool simulated, DateOnly today, WorklistSettings? settings = null)
    {
        var open = candidatures.Where(c => c.IsOpen).OrderBy(c => c.RequestDate).ThenBy(c => c.Id.Value, StringComparer.Ordinal).ToList();
        var flags = RiskFlagRules.Evaluate(person, candidatures, today);
        return new WaitingListEntry
        {
            Person = person.Id,
            Version = version,
            Reason = ReasonOf(person, candidatures, today),
            BirthName = person.Identity.BirthName,
            UsageName = person.Identity.UsageName,
            FirstNames = person.Identity.FirstNames,
            BirthDate = person.Identity.BirthDate,
            MdphFileNumber = person.Identity.MdphFileNumber,
            Territory = territory,
            Situation = person.Situation,
            Orientations = [.. person.OrientationsValidOn(today)],
            Candidatures = [.. open.Select(c => new ListedCandidature(c.Id, c.Finess, c.Modality, c.Kind, c.Status, c.RequestDate, c.WaitingForPreferred))],
            Urgency = person.Urgency,
            Flags = flags.Flags,
            OldestRequest = open.Count == 0 ? null : open[0].RequestDate,
            SequentialNeeds = sequentialNeeds,
            Worklist = WorklistRules.For(person, candidatures, today, settings, flags),
            Simulated = simulated,
        };
    }
}
