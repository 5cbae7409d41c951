using System.Collections.Immutable;
using Listes360.Domain.Candidatures;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;

namespace Listes360.Domain.Risk;

/// <summary>The deterministic rupture-risk flags. Numeric values are persisted: never renumber.</summary>
public enum RiskFlag
{
    /// <summary>Amendement Creton: 20 or over in a children's ESMS, or recorded as such.</summary>
    Creton = 1,
    /// <summary>16 to under 20, in a children's setting, without a secured adult path.</summary>
    TransitionAge = 2,
}

/// <summary>Why a young person's adult path is not secured (the TRANSITION_AGE rule's three tests, in order).</summary>
public enum AdultPathGap
{
    /// <summary>The adult path is secured, or the question does not arise.</summary>
    None = 0,
    NoValidAdultOrientation = 1,
    NoOpenAdultCandidature = 2,
    /// <summary>Every open adult candidature is ranked far beyond the places likely to free up (<see cref="RankOutlook"/>).</summary>
    OnlyFarRankedCandidatures = 3,
}

/// <summary>Where an open candidature stands in its ESMS's harmonised ranking.</summary>
/// <param name="Rank">1 for the first eligible candidate.</param>
/// <param name="PlacesLikelyToFree">Places of that ESMS and modality the ranking engine expects to free up over its horizon (12 months).</param>
[GenerateSerializer, Immutable, Alias("Listes360.Risk.RankPosition")]
public readonly record struct RankPosition([property: Id(0)] int Rank, [property: Id(1)] double PlacesLikelyToFree)
{
    /// <summary>
    /// Share of an adult ESMS's occupied places that frees up in a year. An ASSUMPTION, not a published
    /// figure: residents of adult ESMS stay ten years and more on average (DREES, ES-Handicap), so about
    /// one place in ten turns over each year; a département may set its own.
    /// </summary>
    public const double DefaultAnnualTurnover = 0.10;

    /// <summary>Places likely to free up within a year: today's vacancies plus the turnover of the occupied places.</summary>
    public static double PlacesLikelyToFreeWithinAYear(int capacity, int occupied, double annualTurnover = DefaultAnnualTurnover) =>
        Math.Max(0, capacity - occupied) + Math.Max(0, occupied) * annualTurnover;
}

/// <summary>
/// The "far beyond the places likely to free up" input of the TRANSITION_AGE rule. The harmonised
/// ranking is computed elsewhere (the ranking engine); this is the narrow door through which its
/// answer comes in. A candidature is <b>far beyond</b> when its rank exceeds
/// <see cref="FarBeyondFactor"/> × the places likely to free up (so, with no place expected, any
/// rank is far beyond). A candidature whose position is unknown is <b>not</b> far beyond: without the
/// ranking, an open adult candidature counts as a path (the flag only says what it can show).
/// </summary>
public sealed class RankOutlook
{
    /// <summary>Default factor: ranked beyond twice the places expected to free up in the horizon.</summary>
    public const double DefaultFarBeyondFactor = 2.0;

    private readonly IReadOnlyDictionary<CandidatureId, RankPosition> positions;

    private RankOutlook(IReadOnlyDictionary<CandidatureId, RankPosition> positions, double factor)
    {
        if (factor is <= 0 or double.NaN)
            throw new DomainException("INVALID_RANK_OUTLOOK", $"Le facteur « très au-delà des places » doit être positif (reçu {factor}).", "farBeyondFactor");
        this.positions = positions;
        FarBeyondFactor = factor;
    }

    public double FarBeyondFactor { get; }

    /// <summary>No ranking known (until the ranking engine feeds it): no candidature is far beyond.</summary>
    public static readonly RankOutlook Unknown = new(new Dictionary<CandidatureId, RankPosition>(), DefaultFarBeyondFactor);

    public static RankOutlook From(IReadOnlyDictionary<CandidatureId, RankPosition> positions, double farBeyondFactor = DefaultFarBeyondFactor) =>
        new(positions, farBeyondFactor);

    public RankPosition? PositionOf(CandidatureId candidature) => positions.TryGetValue(candidature, out var p) ? p : null;

    public bool IsFarBeyond(CandidatureId candidature) =>
        PositionOf(candidature) is { } p && p.Rank > FarBeyondFactor * Math.Max(0, p.PlacesLikelyToFree);
}

/// <summary>The flags of a person on a date, and why the adult path is not secured.</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Risk.FlagAssessment")]
public sealed record FlagAssessment(
    [property: Id(0)] ImmutableArray<RiskFlag> Flags,
    [property: Id(1)] AdultPathGap AdultPathGap,
    [property: Id(2)] bool InChildrenSetting)
{
    public bool Has(RiskFlag flag) => !Flags.IsDefaultOrEmpty && Flags.Contains(flag);
}

/// <summary>
/// The deterministic flags (DESIGN.md, "What must hold" 5), computed from a person's record and
/// candidatures on a date. Rules (ages in completed years, <see cref="Age.InYears"/>: the 16th and
/// 20th birthdays count from their own day; orientation end dates are included):
/// <list type="bullet">
/// <item><b>CRETON</b>: the situation is recorded as "kept in a children's ESMS under the amendement
/// Creton" (whatever the age), or the person is 20 or over and their situation is "in a children's
/// ESMS".</item>
/// <item><b>TRANSITION_AGE</b>: 16 or over and under 20, in a children's setting, and the adult path
/// is not secured, i.e. at least one of: no adult (or all-ages) orientation valid on the date; no open
/// adult candidature; every open adult candidature is far beyond the places likely to free up
/// (<see cref="RankOutlook"/>).</item>
/// <item>A <b>children's setting</b>: a situation in a children's ESMS (Creton included), with the
/// child welfare (ASE), or at school with partial support; or, when the situation says nothing of a
/// setting (not recorded, at home, temporary stays only, other), a children's orientation valid on the date.</item>
/// </list>
/// </summary>
public static class RiskFlagRules
{
    public const int TransitionFromAge = 16;
    public const int AdultAge = 20;

    public static FlagAssessment Evaluate(PersonRecord person, IEnumerable<Candidature> candidatures, DateOnly on, RankOutlook? outlook = null)
    {
        ArgumentNullException.ThrowIfNull(person);
        outlook ??= RankOutlook.Unknown;
        var age = person.Identity.AgeOn(on);
        var situation = person.Situation?.Kind;
        var flags = ImmutableArray.CreateBuilder<RiskFlag>(2);

        if (situation == SituationKind.InChildrenEsmsUnderCreton || (situation == SituationKind.InChildrenEsms && age >= AdultAge))
            flags.Add(RiskFlag.Creton);

        var childrenSetting = InChildrenSetting(person, on);
        var gap = AdultPathGap.None;
        if (age is >= TransitionFromAge and < AdultAge && childrenSetting)
        {
            gap = AdultPathGapOf(person, candidatures, on, outlook);
            if (gap != AdultPathGap.None)
                flags.Add(RiskFlag.TransitionAge);
        }
        return new FlagAssessment(flags.ToImmutable(), gap, childrenSetting);
    }

    /// <summary>The children's-setting test of the TRANSITION_AGE rule (see the class remarks).</summary>
    public static bool InChildrenSetting(PersonRecord person, DateOnly on) => person.Situation?.Kind switch
    {
        SituationKind.InChildrenEsms or SituationKind.InChildrenEsmsUnderCreton or SituationKind.ChildWelfare
            or SituationKind.SchoolWithPartialSupport => true,
        null or SituationKind.AtHomeWithoutSolution or SituationKind.TemporaryStaysOnly or SituationKind.Other =>
            person.OrientationsValidOn(on).Any(o => o.Kind.Info().Audience == Audience.Children),
        _ => false,
    };

    public static AdultPathGap AdultPathGapOf(PersonRecord person, IEnumerable<Candidature> candidatures, DateOnly on, RankOutlook outlook)
    {
        if (!person.OrientationsValidOn(on).Any(o => IsAdult(o.Kind)))
            return AdultPathGap.NoValidAdultOrientation;
        var adult = candidatures.Where(c => c.IsOpen && IsAdult(c.Kind)).ToList();
        if (adult.Count == 0)
            return AdultPathGap.NoOpenAdultCandidature;
        return adult.All(c => outlook.IsFarBeyond(c.Id)) ? AdultPathGap.OnlyFarRankedCandidatures : AdultPathGap.None;
    }

    internal static bool IsAdult(KindOfSupport kind) => kind.Info().Audience is Audience.Adults or Audience.AllAges;

    public static string Code(this RiskFlag flag) => flag switch
    {
        RiskFlag.Creton => "CRETON",
        RiskFlag.TransitionAge => "TRANSITION_AGE",
        _ => throw new DomainException("UNKNOWN_FLAG", $"Indicateur de risque inconnu ({(int)flag}).", "flag"),
    };

    public static string Label(this RiskFlag flag) => flag switch
    {
        RiskFlag.Creton => "Maintien en ESMS pour enfants au titre de l'amendement Creton",
        RiskFlag.TransitionAge => "Passage à l'âge adulte (16-19 ans) sans parcours adulte sécurisé",
        _ => throw new DomainException("UNKNOWN_FLAG", $"Indicateur de risque inconnu ({(int)flag}).", "flag"),
    };

    public static string Label(this AdultPathGap gap) => gap switch
    {
        AdultPathGap.None => "Parcours adulte sécurisé",
        AdultPathGap.NoValidAdultOrientation => "Pas d'orientation adulte en cours de validité",
        AdultPathGap.NoOpenAdultCandidature => "Aucune candidature ouverte dans un ESMS pour adultes",
        AdultPathGap.OnlyFarRankedCandidatures => "Candidatures adultes classées très au-delà des places susceptibles de se libérer",
        _ => throw new DomainException("UNKNOWN_GAP", $"Motif inconnu ({(int)gap}).", "gap"),
    };
}
