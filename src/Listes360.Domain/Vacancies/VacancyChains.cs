using System.Collections.Immutable;
using Listes360.Domain.Registry;

namespace Listes360.Domain.Vacancies;

/// <summary>
/// What the département keeps of a vacancy, without names nor candidature ids: enough for the chains and
/// the indicators the observatory reads.
/// </summary>
[GenerateSerializer, Immutable, Alias("Listes360.Vacancies.VacancySummary")]
public sealed record VacancySummary
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required FinessNumber Finess { get; init; }
    [Id(2)] public required KindOfSupport Kind { get; init; }
    [Id(3)] public required Modality Modality { get; init; }
    [Id(4)] public string? Territory { get; init; }
    [Id(5)] public required DateOnly OpenedOn { get; init; }
    [Id(6)] public required VacancyOrigin Origin { get; init; }
    [Id(7)] public required VacancyStatus Status { get; init; }
    [Id(8)] public DateOnly? ClosedOn { get; init; }
    /// <summary>The chain's first vacancy (this one when alone).</summary>
    [Id(9)] public required string ChainRoot { get; init; }
    [Id(10)] public required int ChainIndex { get; init; }
    [Id(11)] public string? PreviousVacancy { get; init; }
    /// <summary>Once filled: the admitted candidate's order in the proposal.</summary>
    [Id(12)] public int? FilledFromOrder { get; init; }
    /// <summary>Once filled: the admitted person was at home without solution (the grid's criterion gave points).</summary>
    [Id(13)] public bool FilledByPersonWithoutSolution { get; init; }
    [Id(14)] public required int Offers { get; init; }
    [Id(15)] public required int Declined { get; init; }
    [Id(16)] public required int CountedRefusals { get; init; }
    [Id(17)] public required int Version { get; init; }

    public static VacancySummary Of(Vacancy v)
    {
        var filled = v.FilledBy is { } id ? v.Proposal?.Candidates.FirstOrDefault(c => c.CandidatureId == id) : null;
        return new VacancySummary
        {
            Id = v.Id,
            Finess = v.Finess,
            Kind = v.Kind,
            Modality = v.Modality,
            Territory = v.Territory,
            OpenedOn = v.OpenedOn,
            Origin = v.Origin,
            Status = v.Status,
            ClosedOn = v.ClosedOn,
            ChainRoot = v.Chain?.Root ?? v.Id,
            ChainIndex = v.Chain?.Index ?? 1,
            PreviousVacancy = v.Chain?.PreviousVacancy,
            FilledFromOrder = v.FilledFromOrder,
            FilledByPersonWithoutSolution = filled?.WithoutSolution ?? false,
            Offers = v.Offers.Length,
            Declined = v.Offers.Count(o => o.Outcome == OfferOutcome.Declined),
            CountedRefusals = v.CountedRefusals,
            Version = v.Version,
        };
    }
}

/// <summary>A chain of vacancies, without names: each admission freeing a place elsewhere.</summary>
/// <param name="Root">The first vacancy.</param>
/// <param name="Length">Vacancies in the chain.</param>
/// <param name="Kinds">The kinds of ESMS along the chain, in order.</param>
/// <param name="DaysToLastAdmission">From the first vacancy's opening to the last admission (null while none filled).</param>
/// <param name="PersonsWithoutSolutionPlaced">Admissions along the chain of persons at home without solution.</param>
public sealed record VacancyChain(
    string Root,
    string Department,
    DateOnly FirstOpenedOn,
    int Length,
    int Filled,
    int Open,
    ImmutableArray<KindOfSupport> Kinds,
    int? DaysToLastAdmission,
    int PersonsWithoutSolutionPlaced);

/// <summary>Median days from opening to admission for one kind of ESMS.</summary>
public sealed record KindDelay(KindOfSupport Kind, int Filled, double? MedianDays);

/// <summary>The indicators of vacancies of a département (no names).</summary>
public sealed record VacancyIndicators(
    int Vacancies,
    int Filled,
    int Open,
    int Withdrawn,
    ImmutableArray<KindDelay> MedianDaysToAdmissionByKind,
    /// <summary>Share of filled vacancies filled by one of the first three proposed (0–1; null when none filled).</summary>
    double? ShareFilledFromTop3,
    /// <summary>Declines per closed or offered vacancy (null when none).</summary>
    double? RefusalsPerVacancy,
    double? CountedRefusalsPerVacancy);

/// <summary>Chains and indicators from the département's vacancy summaries: pure functions.</summary>
public static class VacancyChains
{
    /// <summary>
    /// The chains of more than <paramref name="minLength"/> − 1 vacancies, the longest first, then the most recent.
    /// A link whose previous vacancy is no longer kept still counts under its root.
    /// </summary>
    public static IReadOnlyList<VacancyChain> Of(string department, IEnumerable<VacancySummary> summaries, int minLength = 1) =>
        summaries
            .GroupBy(s => s.ChainRoot, StringComparer.Ordinal)
            .Select(g =>
            {
                var links = g.OrderBy(s => s.ChainIndex).ThenBy(s => s.OpenedOn).ToList();
                var first = links.Min(s => s.OpenedOn);
                var lastAdmission = links.Where(s => s.Status == VacancyStatus.Filled && s.ClosedOn is not null).Select(s => s.ClosedOn!.Value).DefaultIfEmpty().Max();
                var anyFilled = links.Any(s => s.Status == VacancyStatus.Filled);
                return new VacancyChain(g.Key, department, first, links.Count,
                    links.Count(s => s.Status == VacancyStatus.Filled), links.Count(s => s.Status is VacancyStatus.Open or VacancyStatus.Offered),
                    links.Select(s => s.Kind).ToImmutableArray(),
                    anyFilled ? lastAdmission.DayNumber - first.DayNumber : null,
                    links.Count(s => s.Status == VacancyStatus.Filled && s.FilledByPersonWithoutSolution));
            })
            .Where(c => c.Length >= minLength)
            .OrderByDescending(c => c.Length).ThenByDescending(c => c.FirstOpenedOn).ThenBy(c => c.Root, StringComparer.Ordinal)
            .ToList();

    public static VacancyIndicators Indicators(IEnumerable<VacancySummary> summaries)
    {
        var all = summaries.ToList();
        var filled = all.Where(s => s.Status == VacancyStatus.Filled && s.ClosedOn is not null).ToList();
        var byKind = filled.GroupBy(s => s.Kind).OrderBy(g => g.Key)
            .Select(g => new KindDelay(g.Key, g.Count(), Median(g.Select(s => (double)(s.ClosedOn!.Value.DayNumber - s.OpenedOn.DayNumber)))))
            .ToImmutableArray();
        var withOffers = all.Where(s => s.Offers > 0).ToList();
        return new VacancyIndicators(
            all.Count, filled.Count,
            all.Count(s => s.Status is VacancyStatus.Open or VacancyStatus.Offered),
            all.Count(s => s.Status == VacancyStatus.Withdrawn),
            byKind,
            filled.Count == 0 ? null : (double)filled.Count(s => s.FilledFromOrder is <= 3) / filled.Count,
            withOffers.Count == 0 ? null : (double)withOffers.Sum(s => s.Declined) / withOffers.Count,
            withOffers.Count == 0 ? null : (double)withOffers.Sum(s => s.CountedRefusals) / withOffers.Count);
    }

    public static double? Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        if (sorted.Count == 0) return null;
        var mid = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
