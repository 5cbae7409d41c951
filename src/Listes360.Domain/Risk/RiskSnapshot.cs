using Listes360.Domain.Candidatures;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;

namespace Listes360.Domain.Risk;

/// <summary>
/// What the risk model sees of a person on a date: no identity, only ages, durations, counts and
/// categories. It is both a row of the history CSV (one column per property, see
/// <c>docs</c> in <see cref="RiskFeatures"/> and README "Risques de rupture") and what the person grain
/// computes live with <see cref="From"/>, so that training and live scoring read the same thing
/// through the one feature builder <see cref="RiskFeatures.Vector"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("Listes360.Risk.RiskSnapshot")]
public sealed record RiskSnapshot
{
    /// <summary>Completed years on the observation date.</summary>
    [Id(0)] public required int AgeYears { get; init; }
    /// <summary>Current situation; <c>null</c> when not recorded.</summary>
    [Id(1)] public SituationKind? Situation { get; init; }
    /// <summary>Whole months since the situation began (0 when unknown).</summary>
    [Id(2)] public int MonthsInSituation { get; init; }
    /// <summary>The children's-setting test of <see cref="RiskFlagRules"/>.</summary>
    [Id(3)] public bool InChildrenSetting { get; init; }
    /// <summary>An adult (or all-ages) CDAPH orientation is valid on the date.</summary>
    [Id(4)] public bool ValidAdultOrientation { get; init; }
    /// <summary>At least one CDAPH orientation is valid on the date.</summary>
    [Id(5)] public bool ValidOrientation { get; init; }
    /// <summary>Whole months until the last valid orientation ends; <c>null</c> when one is open-ended or none is valid.</summary>
    [Id(6)] public int? MonthsToOrientationEnd { get; init; }
    /// <summary>A valid orientation or an open candidature towards a MAS or a FAM/EAM (the scarcest places).</summary>
    [Id(7)] public bool MedicalisedAdultNeed { get; init; }
    /// <summary>Open candidatures (RECEIVED … OFFERED).</summary>
    [Id(8)] public int OpenCandidatures { get; init; }
    /// <summary>Open candidatures to adult (or all-ages) ESMS.</summary>
    [Id(9)] public int OpenAdultCandidatures { get; init; }
    /// <summary>Whole months since the oldest open candidature's request date (0 without any).</summary>
    [Id(10)] public int MonthsWaiting { get; init; }
    /// <summary>Candidatures refused by an ESMS or declined by the person in the 365 days before the date.</summary>
    [Id(11)] public int RefusalsLast12Months { get; init; }
    /// <summary>The main carer's approximate age; <c>null</c> when unknown or no carer.</summary>
    [Id(12)] public int? CarerAge { get; init; }
    /// <summary>The main carer's status; <c>null</c> when no carer is recorded.</summary>
    [Id(13)] public CarerStatus? CarerStatus { get; init; }
    [Id(14)] public bool Creton { get; init; }
    [Id(15)] public bool TransitionAge { get; init; }
    [Id(16)] public AdultPathGap AdultPathGap { get; init; }

    /// <summary>The snapshot of a person on <paramref name="on"/>, from their record and candidatures.</summary>
    public static RiskSnapshot From(PersonRecord person, IReadOnlyCollection<Candidature> candidatures, DateOnly on, RankOutlook? outlook = null)
    {
        ArgumentNullException.ThrowIfNull(person);
        ArgumentNullException.ThrowIfNull(candidatures);
        var flags = RiskFlagRules.Evaluate(person, candidatures, on, outlook);
        var valid = person.OrientationsValidOn(on).ToList();
        var open = candidatures.Where(c => c.IsOpen).ToList();
        var since = open.Count == 0 ? (DateOnly?)null : open.Min(c => c.RequestDate);
        var yearAgo = new DateTimeOffset(on.AddDays(-365).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var end = new DateTimeOffset(on.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var refusals = candidatures.Count(c => c.History.Any(h =>
            (h.To is CandidatureStatus.RefusedByEsms or CandidatureStatus.DeclinedByPerson) && h.At >= yearAgo && h.At < end));
        var carer = person.Carers.IsDefaultOrEmpty ? null : person.Carers[0];
        return new RiskSnapshot
        {
            AgeYears = person.Identity.AgeOn(on),
            Situation = person.Situation?.Kind,
            MonthsInSituation = person.Situation is { } s && s.Since <= on ? MonthsBetween(s.Since, on) : 0,
            InChildrenSetting = flags.InChildrenSetting,
            ValidAdultOrientation = valid.Any(o => RiskFlagRules.IsAdult(o.Kind)),
            ValidOrientation = valid.Count > 0,
            MonthsToOrientationEnd = valid.Count == 0 || valid.Any(o => o.ValidTo is null) ? null : MonthsBetween(on, valid.Max(o => o.ValidTo!.Value)),
            MedicalisedAdultNeed = valid.Any(o => IsMedicalised(o.Kind)) || open.Any(c => IsMedicalised(c.Kind)),
            OpenCandidatures = open.Count,
            OpenAdultCandidatures = open.Count(c => RiskFlagRules.IsAdult(c.Kind)),
            MonthsWaiting = since is { } d && d <= on ? MonthsBetween(d, on) : 0,
            RefusalsLast12Months = refusals,
            CarerAge = carer?.ApproximateAgeOn(on),
            CarerStatus = carer?.Status,
            Creton = flags.Has(RiskFlag.Creton),
            TransitionAge = flags.Has(RiskFlag.TransitionAge),
            AdultPathGap = flags.AdultPathGap,
        };
    }

    public static bool IsMedicalised(KindOfSupport kind) => kind is KindOfSupport.Mas or KindOfSupport.Fam;

    /// <summary>Whole months from <paramref name="from"/> to <paramref name="to"/> (a month is complete on the same day of the month).</summary>
    public static int MonthsBetween(DateOnly from, DateOnly to)
    {
        var months = (to.Year - from.Year) * 12 + to.Month - from.Month;
        if (to.Day < from.Day && to != new DateOnly(to.Year, to.Month, DateTime.DaysInMonth(to.Year, to.Month))) months--;
        return Math.Max(0, months);
    }
}
