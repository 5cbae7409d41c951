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
    /// <summary>
    /// The open adult candidatures whose rank decides TRANSITION_AGE (<see cref="RiskProjection.RankQuestionsOf"/>):
    /// the risk shard asks their rankings when it scores. Empty for everyone else.
    /// </summary>
    [Id(7)] public ImmutableArray<RankQuestion> RankQuestions { get; init; } = [];

    /// <summary>Whether the person is scored and listed: waiting, flagged, or at home without solution.</summary>
    public bool IsInScope => IsWaiting || Snapshot.Creton || Snapshot.TransitionAge || Snapshot.Situation == SituationKind.AtHomeWithoutSolution;
}

/// <summary>An open adult candidature whose place in its ESMS's harmonised ranking the risk shard reads at scoring time.</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Risk.RankQuestion")]
public readonly record struct RankQuestion(
    [property: Id(0)] CandidatureId Candidature,
    [property: Id(1)] FinessNumber Finess,
    [property: Id(2)] Modality Modality);

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
            RankQuestions = outlook is null ? RankQuestionsOf(person, candidatures, on) : [],
            Territory = string.IsNullOrWhiteSpace(territory) ? null : territory.Trim(),
            IsWaiting = waiting.Count > 0,
            Kinds = kinds.Distinct().Order().ToImmutableArray(),
            Waiting = waiting.GroupBy(c => c.Kind).Select(g => new WaitingSince(g.Key, g.Min(c => c.RequestDate))).OrderBy(w => w.Kind).ToImmutableArray(),
            Outcomes = outcomes,
            ComputedOn = on,
        };
    }

    /// <summary>
    /// The candidatures whose rank alone can still raise TRANSITION_AGE: 16 to under 20, in a children's
    /// setting, with a valid adult orientation and open adult candidatures (the third test of the rule).
    /// Data flows one way: the person sends these, the risk shard reads the rankings where they live.
    /// </summary>
    public static ImmutableArray<RankQuestion> RankQuestionsOf(PersonRecord person, IEnumerable<Candidature> candidatures, DateOnly on)
    {
        var age = person.Identity.AgeOn(on);
        if (age is < RiskFlagRules.TransitionFromAge or >= RiskFlagRules.AdultAge
            || !RiskFlagRules.InChildrenSetting(person, on)
            || RiskFlagRules.AdultPathGapOf(person, candidatures, on, RankOutlook.Unknown) != AdultPathGap.None)
            return [];
        return candidatures.Where(c => c.IsOpen && RiskFlagRules.IsAdult(c.Kind))
            .OrderBy(c => c.Id.Value, StringComparer.Ordinal)
            .Select(c => new RankQuestion(c.Id, c.Finess, c.Modality)).ToImmutableArray();
    }

    /// <summary>
    /// The input once the rankings answered: when every open adult candidature is far beyond the places
    /// likely to free up, TRANSITION_AGE is raised (<see cref="RiskFlagRules.AdultPathGapOf"/>); otherwise unchanged.
    /// </summary>
    public static PersonRiskInput WithOutlook(PersonRiskInput input, RankOutlook outlook)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(outlook);
        if (input.RankQuestions.IsDefaultOrEmpty || !input.RankQuestions.All(q => outlook.IsFarBeyond(q.Candidature)))
            return input;
        return input with
        {
            Snapshot = input.Snapshot with { TransitionAge = true, AdultPathGap = AdultPathGap.OnlyFarRankedCandidatures },
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
