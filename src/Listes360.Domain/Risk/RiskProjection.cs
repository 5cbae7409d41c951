using System.Collections.Immutable;
using Listes360.Domain.Candidatures;
using Listes360.Domain.Persons;
using Listes360.Domain.Projections;
using Listes360.Domain.Registry;

namespace Listes360.Domain.Risk;

/// <summary>Since when a person waits for a kind of support (oldest open request of that kind).</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Risk.WaitingSince")]
public readonly record struct WaitingSince([property: Id(0)] KindOfSupport Kind, [property: Id(1)] DateOnly Since);

/// <summary>An admission or a refusal (by an ESMS, or declined by the person), with its harmonised reason.</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Risk.OutcomeEvent")]
public readonly record struct OutcomeEvent(
    [property: Id(0)] DateOnly On,
    [property: Id(1)] KindOfSupport Kind,
    [property: Id(2)] CandidatureStatus Status,
    [property: Id(3)] CandidatureReason? Reason);

/// <summary>
/// What a person grain sends to its risk shard: nothing identifying (no name, birth date, MDPH number
/// or NIR hash), only the snapshot, territory and what the indicators count.
/// </summary>
[GenerateSerializer, Immutable, Alias("Listes360.Risk.PersonRiskInput")]
public sealed record PersonRiskInput
{
    [Id(0)] public required RiskSnapshot Snapshot { get; init; }
    [Id(1)] public string? Territory { get; init; }
    /// <summary>At least one open candidature not "waiting for a preferred ESMS".</summary>
    [Id(2)] public required bool IsWaiting { get; init; }
    /// <summary>Kinds of the open candidatures, else of the valid orientations.</summary>
    [Id(3)] public required ImmutableArray<KindOfSupport> Kinds { get; init; }
    [Id(4)] public required ImmutableArray<WaitingSince> Waiting { get; init; }
    [Id(5)] public required ImmutableArray<OutcomeEvent> Outcomes { get; init; }
    /// <summary>The date the snapshot was computed on (ages and durations are at that date).</summary>
    [Id(6)] public required DateOnly ComputedOn { get; init; }

    /// <summary>Whether the person is scored and listed: waiting, flagged, or at home without solution.</summary>
    public bool IsInScope => IsWaiting || Snapshot.Creton || Snapshot.TransitionAge || Snapshot.Situation == SituationKind.AtHomeWithoutSolution;
}

/// <summary>A person's entry in a risk shard: the input and, when in scope, the model's score.</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Risk.RiskEntry")]
public sealed record RiskEntry(
    [property: Id(0)] long Version,
    [property: Id(1)] PersonRiskInput? Input,
    [property: Id(2)] RiskScore? Score,
    [property: Id(3)] string? ModelId);

/// <summary>Builds a person's <see cref="PersonRiskInput"/> and the pseudonymised values the observatory sees.</summary>
public static class RiskProjection
{
    /// <summary>Outcomes older than this are not kept (indicators look at the 12 months before a date, up to a year back).</summary>
    public const int OutcomeRetentionDays = 730;

    public static PersonRiskInput InputOf(PersonRecord person, IReadOnlyCollection<Candidature> candidatures, string? territory, DateOnly on,
        RankOutlook? outlook = null)
    {
        var snapshot = RiskSnapshot.From(person, candidatures, on, outlook);
        var open = candidatures.Where(c => c.IsOpen).ToList();
        var waiting = open.Where(c => !c.WaitingForPreferred).ToList();
        var kinds = open.Count > 0
            ? open.Select(c => c.Kind)
            : person.OrientationsValidOn(on).Select(o => o.Kind);
        var oldest = on.AddDays(-OutcomeRetentionDays);
        var outcomes = candidatures
            .SelectMany(c => c.History
                .Where(h => h.Event == CandidatureEvent.StatusChanged
                    && h.To is CandidatureStatus.Admitted or CandidatureStatus.RefusedByEsms or CandidatureStatus.DeclinedByPerson)
                .Select(h => new OutcomeEvent(DateOnly.FromDateTime(h.At.UtcDateTime), c.Kind, h.To, h.Reason)))
            .Where(o => o.On >= oldest && o.On <= on)
            .OrderBy(o => o.On).ThenBy(o => o.Kind).ThenBy(o => o.Status)
            .ToImmutableArray();
        return new PersonRiskInput
        {
            Snapshot = snapshot,
            Territory = string.IsNullOrWhiteSpace(territory) ? null : territory.Trim(),
            IsWaiting = waiting.Count > 0,
            Kinds = kinds.Distinct().Order().ToImmutableArray(),
            Waiting = waiting.GroupBy(c => c.Kind).Select(g => new WaitingSince(g.Key, g.Min(c => c.RequestDate))).OrderBy(w => w.Kind).ToImmutableArray(),
            Outcomes = outcomes,
            ComputedOn = on,
        };
    }

    /// <summary>
    /// Age bands of the observatory: fine around the transitions (16, 18, 20), coarse elsewhere. The
    /// observatory never sees an exact age: its lines and factor texts carry these bands only
    /// (pseudonyms: <see cref="ObservatoryPseudonyms"/>).
    /// </summary>
    public static string AgeBandOf(int age) => age switch
    {
        < 6 => "0-5",
        < 12 => "6-11",
        < 16 => "12-15",
        < 18 => "16-17",
        < 20 => "18-19",
        < 25 => "20-24",
        < 40 => "25-39",
        < 60 => "40-59",
        _ => "60+",
    };

    /// <summary>The territory key used by the indicators when a person's territory is unknown.</summary>
    public static string TerritoryKey(string? territory) => territory ?? WaitingKey.UnknownTerritory;
}
