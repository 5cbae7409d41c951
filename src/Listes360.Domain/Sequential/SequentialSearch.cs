using System.Collections.Immutable;
using Listes360.Domain.Candidatures;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;

namespace Listes360.Domain.Sequential;

/// <summary>Where a person lives, as precisely as known (commune and territory; coordinates when a directory gives them).</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Sequential.HomeLocation")]
public sealed record HomeLocation(
    [property: Id(0)] string? Commune,
    [property: Id(1)] string? Territory,
    [property: Id(2)] double? Latitude = null,
    [property: Id(3)] double? Longitude = null);

/// <summary>
/// A person the sequential search may consider (a projection of the person's grain): what eligibility,
/// needs, proximity and the default score need, and nothing that names them.
/// </summary>
[GenerateSerializer, Immutable, Alias("Listes360.Sequential.SequentialCandidate")]
public sealed record SequentialCandidate
{
    [Id(0)] public required PersonId Person { get; init; }
    [Id(1)] public required DateOnly BirthDate { get; init; }
    [Id(2)] public ImmutableArray<Orientation> Orientations { get; init; } = [];
    [Id(3)] public required SequentialNeeds Needs { get; init; }
    [Id(4)] public required HomeLocation Home { get; init; }
    /// <summary>Request date of the person's oldest candidature in WAITING (the default score).</summary>
    [Id(5)] public DateOnly? OldestWaitingRequest { get; init; }
    /// <summary>On a waiting list (a candidature in WAITING) and no offer pending (no candidature in OFFERED).</summary>
    [Id(6)] public required bool Waiting { get; init; }
    /// <summary>The harmonised grid's facts of the person's oldest waiting candidature (null: none waiting).</summary>
    [Id(7)] public Grid.CandidateFacts? Facts { get; init; }
}

/// <summary>An ESMS as the search sees it: profile and sequential availability.</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Sequential.EsmsOffer")]
public sealed record EsmsOffer(
    [property: Id(0)] EsmsProfile Profile,
    [property: Id(1)] EsmsAvailability Availability);

/// <summary>A distance in km, and whether it is an estimate (territory bands) rather than measured from coordinates.</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Sequential.Distance")]
public readonly record struct Distance(
    [property: Id(0)] double Km,
    [property: Id(1)] bool Estimated);

/// <summary>The distance between a home and an ESMS.</summary>
public delegate Distance DistanceFunction(HomeLocation home, EsmsProfile esms);

/// <summary>
/// The score of a candidate for one ESMS on a date; higher ranks first. The harmonised grid plugs in
/// here; <see cref="SequentialSearch.Seniority"/> is the default.
/// </summary>
public delegate double CandidateScore(SequentialCandidate candidate, EsmsProfile esms, DateOnly date);

/// <summary>Default proximity rules.</summary>
public static class Proximity
{
    /// <summary>Estimated distance to an ESMS of the person's own territory.</summary>
    public const double SameTerritoryKm = 10;
    /// <summary>Estimated distance to an ESMS of another territory (or of an unknown one).</summary>
    public const double OtherTerritoryKm = 35;
    /// <summary>Road distances are longer than straight lines; a usual detour factor for rural France.</summary>
    public const double RoadFactor = 1.3;

    /// <summary>
    /// Measured from coordinates when both are known (great-circle distance × <see cref="RoadFactor"/>),
    /// else estimated by territory bands (<see cref="SameTerritoryKm"/>, <see cref="OtherTerritoryKm"/>).
    /// </summary>
    public static Distance Default(HomeLocation home, EsmsProfile esms)
    {
        if (home is { Latitude: { } lat1, Longitude: { } lon1 } && esms is { Latitude: { } lat2, Longitude: { } lon2 })
            return new Distance(Math.Round(GreatCircleKm(lat1, lon1, lat2, lon2) * RoadFactor, 1), Estimated: false);
        return home.Territory is { } t && t == esms.Territory
            ? new Distance(SameTerritoryKm, Estimated: true)
            : new Distance(OtherTerritoryKm, Estimated: true);
    }

    public static double GreatCircleKm(double lat1, double lon1, double lat2, double lon2)
    {
        const double EarthRadiusKm = 6371.0;
        static double Rad(double deg) => deg * Math.PI / 180;
        var dLat = Rad(lat2 - lat1);
        var dLon = Rad(lon2 - lon1);
        var a = Math.Sin(dLat / 2) * Math.Sin(dLat / 2) + Math.Cos(Rad(lat1)) * Math.Cos(Rad(lat2)) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2);
        return 2 * EarthRadiusKm * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }
}

/// <summary>One ESMS of a combination: where, in which modality, on which half-days, how far from home.</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Sequential.CombinationPart")]
public sealed record CombinationPart(
    [property: Id(0)] FinessNumber Finess,
    [property: Id(1)] string EsmsName,
    [property: Id(2)] string? Territory,
    [property: Id(3)] Modality Modality,
    [property: Id(4)] int HalfDays,
    [property: Id(5)] Distance Distance,
    [property: Id(6)] double Score)
{
    /// <summary>Days of the week on which the person goes there (a half-day counts as a trip).</summary>
    public int Trips => WeekSlots.DaysTouched(HalfDays);
}

/// <summary>A combination of ESMS covering one person's weekly need.</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Sequential.SequentialCombination")]
public sealed record SequentialCombination(
    [property: Id(0)] PersonId Person,
    [property: Id(1)] ImmutableArray<CombinationPart> Parts,
    [property: Id(2)] double Score,
    [property: Id(3)] double WeeklyDistanceKm,
    [property: Id(4)] string? Reference = null)
{
    public int Structures => Parts.Length;
    public int HalfDaysCovered => Parts.Sum(p => WeekSlots.Count(p.HalfDays));
}

[GenerateSerializer, Immutable, Alias("Listes360.Sequential.SequentialSearchResult")]
public sealed record SequentialSearchResult(
    [property: Id(0)] ImmutableArray<SequentialCombination> Combinations,
    [property: Id(1)] int CandidatesConsidered,
    [property: Id(2)] int CandidatesCovered,
    [property: Id(3)] int TotalCombinations,
    [property: Id(4)] string ScoreName = SequentialSearch.DefaultScoreName);

/// <summary>What to search: a date, optionally a territory or one ESMS that must take part, and the limits.</summary>
public sealed record SequentialQuery
{
    public const int DefaultMaxStructures = 3;
    public const int MaxMaxStructures = 5;

    public required DateOnly Date { get; init; }
    /// <summary>Only candidates living in this territory (EPCI code); null: the whole département.</summary>
    public string? Territory { get; init; }
    /// <summary>The reverse question: only combinations this ESMS is part of.</summary>
    public FinessNumber? RequiredEsms { get; init; }
    /// <summary>K: at most this many ESMS in a combination.</summary>
    public int MaxStructures { get; init; } = DefaultMaxStructures;
    /// <summary>Combinations kept per candidate (the simplest).</summary>
    public int PerCandidate { get; init; } = 3;
    /// <summary>
    /// The nearest ESMS with free places considered per candidate: bounds the combinations tried
    /// (C(12, 3) = 220) whatever the size of the département.
    /// </summary>
    public int MaxOptionsPerCandidate { get; init; } = 12;
    /// <summary>At most this many combinations returned, best first.</summary>
    public int First { get; init; } = 50;
    /// <summary>Holds that lapsed before this instant free their places.</summary>
    public required DateTimeOffset Now { get; init; }
}

/// <summary>
/// The sequential placement search (DESIGN.md, what must hold 4), a pure function: the grains only
/// gather its inputs. For each waiting candidate with needs: the ESMS within reach, eligible
/// (<see cref="Eligibility"/>: orientation, age, modality) and with free half-days in an acceptable
/// modality; then every set of at most K of them whose free half-days, taken without overlap, cover
/// the need exactly. Each ESMS of a combination takes at least one half-day; the nearest takes as many
/// as it can (shorter trips). Combinations rank by score (highest first), then simplicity: fewer
/// structures, fewer km a week.
/// </summary>
public static class SequentialSearch
{
    /// <summary>Default score: days since the person's oldest waiting request (seniority of the request).</summary>
    public static double Seniority(SequentialCandidate candidate, EsmsProfile esms, DateOnly date) =>
        candidate.OldestWaitingRequest is { } since ? Math.Max(0, date.DayNumber - since.DayNumber) : 0;

    public const string DefaultScoreName = "ancienneté de la demande (jours)";

    /// <summary>
    /// The harmonised grid's score, as the ESMS's own ranking would give it: the grid reads the facts
    /// of the person's oldest waiting candidature, with this ESMS's place (proximity) and the date.
    /// A candidate without waiting facts scores 0.
    /// </summary>
    public static CandidateScore GridScore(Grid.CriteriaGrid grid)
    {
        // The search scores a candidate for each ESMS within reach in a row: the facts that do not depend
        // on the ESMS are read once per candidate (Ranking.TotalFor), as the same total as Ranking.Score.
        // One immutable memo swapped whole, so that concurrent searches sharing this delegate stay correct.
        GridMemo? memo = null;
        return (candidate, esms, date) =>
        {
            if (candidate.Facts is not { } facts)
                return 0;
            var m = memo;
            if (m is null || !ReferenceEquals(m.Candidate, candidate) || m.Date != date)
                memo = m = new GridMemo(candidate, date, Grid.Ranking.TotalFor(grid, facts, date));
            return m.Total(esms);
        };
    }

    private sealed record GridMemo(SequentialCandidate Candidate, DateOnly Date, Func<EsmsProfile, int> Total);

    public static string GridScoreName(Grid.CriteriaGrid grid) => $"grille d'admission harmonisée, version {grid.Version} (points)";

    public static SequentialSearchResult Search(SequentialQuery query, IEnumerable<SequentialCandidate> candidates, IEnumerable<EsmsOffer> offers,
        CandidateScore? score = null, DistanceFunction? distance = null)
    {
        if (query.MaxStructures < 1 || query.MaxStructures > SequentialQuery.MaxMaxStructures)
            throw new DomainException("INVALID_SEARCH", $"Le nombre maximal de structures par combinaison doit être compris entre 1 et {SequentialQuery.MaxMaxStructures} (reçu : {query.MaxStructures}).", "maxStructures");
        Paging.PageLimits.Check(query.First, Paging.PageLimits.MaxPageSize, "Le nombre de combinaisons demandé doit être compris");
        score ??= Seniority;
        distance ??= Proximity.Default;

        var index = new OfferIndex(offers, query.Date, query.Now);
        if (query.RequiredEsms is { } required && !index.Contains(required))
            return new SequentialSearchResult([], 0, 0, 0);

        var all = new List<SequentialCombination>();
        int considered = 0, covered = 0;
        foreach (var candidate in candidates)
        {
            if (!candidate.Waiting || candidate.Needs.From > query.Date)
                continue;
            if (query.Territory is { } territory && candidate.Home.Territory != territory)
                continue;
            considered++;
            var found = ForCandidate(candidate, index, query, score, distance);
            if (found.Count == 0)
                continue;
            covered++;
            all.AddRange(found);
        }
        var ranked = all.OrderByDescending(c => c.Score).ThenBy(c => c.Structures).ThenBy(c => c.WeeklyDistanceKm)
            .ThenBy(c => c.Person.Value, StringComparer.Ordinal).ToImmutableArray();
        return new SequentialSearchResult(ranked.Length > query.First ? ranked[..query.First] : ranked, considered, covered, ranked.Length);
    }

    private sealed record Option(OfferIndex.Entry Esms, Modality Modality, int Mask, bool Pairs, Distance Distance, double Score);

    private static List<SequentialCombination> ForCandidate(SequentialCandidate candidate, OfferIndex index, SequentialQuery query,
        CandidateScore score, DistanceFunction distance)
    {
        var needs = candidate.Needs;
        var date = query.Date;
        var validKinds = candidate.Orientations.IsDefault ? [] : candidate.Orientations.Where(o => o.IsValidOn(date)).Select(o => o.Kind).Distinct().ToArray();
        if (validKinds.Length == 0)
            return [];
        // The reverse question: a candidate the required ESMS's kind does not accept is out at once.
        if (query.RequiredEsms is { } wanted && index.Find(wanted) is { } target && !validKinds.Any(k => target.Profile.Kind.Accepts(k)))
            return [];
        PersonRecord? record = null;
        var options = new List<Option>();
        foreach (var entry in index.AcceptingAny(validKinds))
        {
            // Cheapest test first: free places in an acceptable modality, then reach, then eligibility.
            Modality? best = null;
            var bestMask = 0;
            foreach (var modality in needs.Modalities)
            {
                var mask = entry.FreeMask(modality);
                if (needs.Unit == NeedUnit.Days)
                    mask = WeekSlots.FromDays(WeekSlots.WholeDays(mask));
                if (mask != 0 && WeekSlots.Count(mask) > WeekSlots.Count(bestMask))
                    (best, bestMask) = (modality, mask);
            }
            if (best is not { } chosen)
                continue;
            var d = distance(candidate.Home, entry.Profile);
            if (!WithinReach(needs, entry.Profile, d))
                continue;
            record ??= MinimalRecord(candidate);
            if (!Eligibility.IsEligible(record, entry.Profile, chosen, date))
                continue;
            options.Add(new Option(entry, chosen, bestMask, needs.Unit == NeedUnit.Days || !chosen.UsesHalfDays(), d,
                score(candidate, entry.Profile, date)));
        }
        if (options.Count == 0)
            return [];

        options.Sort((a, b) => a.Distance.Km.CompareTo(b.Distance.Km) is var c && c != 0 ? c : string.CompareOrdinal(a.Esms.Finess.Value, b.Esms.Finess.Value));
        var requiredIndex = -1;
        if (query.RequiredEsms is { } required)
        {
            requiredIndex = options.FindIndex(o => o.Esms.Finess == required);
            if (requiredIndex < 0)
                return [];
        }
        if (options.Count > query.MaxOptionsPerCandidate)
        {
            var kept = options.Take(query.MaxOptionsPerCandidate).ToList();
            if (requiredIndex >= query.MaxOptionsPerCandidate)
                kept[^1] = options[requiredIndex];
            options = kept;
            requiredIndex = query.RequiredEsms is { } r ? options.FindIndex(o => o.Esms.Finess == r) : -1;
        }

        var found = new List<SequentialCombination>();
        var chosenIdx = new int[query.MaxStructures];
        void Enumerate(int start, int depth, int union)
        {
            for (var i = start; i < options.Count; i++)
            {
                chosenIdx[depth] = i;
                var u = union | options[i].Mask;
                var size = depth + 1;
                if (WeekSlots.Count(u) >= needs.HalfDays && (requiredIndex < 0 || Array.IndexOf(chosenIdx, requiredIndex, 0, size) >= 0)
                    && Assign(options, chosenIdx.AsSpan(0, size), needs.HalfDays) is { } masks
                    && IsMinimal(options, chosenIdx.AsSpan(0, size), needs.HalfDays))
                    found.Add(Combine(candidate.Person, options, chosenIdx.AsSpan(0, size), masks));
                if (size < query.MaxStructures)
                    Enumerate(i + 1, depth + 1, u);
            }
        }
        Enumerate(0, 0, 0);
        return found.OrderBy(c => c.Structures).ThenBy(c => c.WeeklyDistanceKm).Take(query.PerCandidate).ToList();
    }

    /// <summary>
    /// Splits the need among the chosen options, nearest first, each taking what it can of what is
    /// left (whole days where it counts by day); null when the need is not met exactly or an option
    /// would get nothing (then a smaller combination does the same).
    /// </summary>
    private static int[]? Assign(List<Option> options, ReadOnlySpan<int> chosen, int need)
    {
        var masks = new int[chosen.Length];
        var taken = 0;
        var remaining = need;
        for (var k = 0; k < chosen.Length; k++)
        {
            var o = options[chosen[k]];
            var free = o.Mask & ~taken;
            var mine = 0;
            for (var d = 0; d < 7 && remaining > 0; d++)
            {
                var day = (free >> (2 * d)) & 3;
                if (o.Pairs)
                {
                    if (day == 3 && remaining >= 2)
                    {
                        mine |= 3 << (2 * d);
                        remaining -= 2;
                    }
                    continue;
                }
                for (var half = 0; half < 2 && remaining > 0; half++)
                    if ((day & (1 << half)) != 0)
                    {
                        mine |= 1 << (2 * d + half);
                        remaining--;
                    }
            }
            if (mine == 0)
                return null;
            masks[k] = mine;
            taken |= mine;
        }
        return remaining == 0 ? masks : null;
    }

    /// <summary>No ESMS can be left out: a combination that still works without one of its ESMS is needlessly complex.</summary>
    private static bool IsMinimal(List<Option> options, ReadOnlySpan<int> chosen, int need)
    {
        if (chosen.Length == 1)
            return true;
        Span<int> others = stackalloc int[chosen.Length - 1];
        for (var leftOut = 0; leftOut < chosen.Length; leftOut++)
        {
            var n = 0;
            var union = 0;
            for (var k = 0; k < chosen.Length; k++)
                if (k != leftOut)
                {
                    others[n++] = chosen[k];
                    union |= options[chosen[k]].Mask;
                }
            if (WeekSlots.Count(union) >= need && Assign(options, others, need) is not null)
                return false;
        }
        return true;
    }

    private static SequentialCombination Combine(PersonId person, List<Option> options, ReadOnlySpan<int> chosen, int[] masks)
    {
        var parts = ImmutableArray.CreateBuilder<CombinationPart>(chosen.Length);
        for (var k = 0; k < chosen.Length; k++)
        {
            var o = options[chosen[k]];
            parts.Add(new CombinationPart(o.Esms.Finess, o.Esms.Profile.Name, o.Esms.Profile.Territory, o.Modality, masks[k], o.Distance, o.Score));
        }
        var built = parts.MoveToImmutable();
        return new SequentialCombination(person, built, Math.Round(built.Average(p => p.Score), 2),
            Math.Round(built.Sum(p => p.Distance.Km * p.Trips), 1));
    }

    private static bool WithinReach(SequentialNeeds needs, EsmsProfile esms, Distance distance)
    {
        var byTerritory = !needs.Territories.IsDefaultOrEmpty;
        var byDistance = needs.MaxDistanceKm is not null;
        if (!byTerritory && !byDistance)
            return true;
        return (byTerritory && esms.Territory is { } t && needs.Territories.Contains(t))
            || (byDistance && distance.Km <= needs.MaxDistanceKm);
    }

    /// <summary>Eligibility reads orientations and age only: the projection carries no names, so none are made up beyond empty ones.</summary>
    private static PersonRecord MinimalRecord(SequentialCandidate c) => new()
    {
        Id = c.Person,
        Identity = new PersonIdentity { BirthName = "", FirstNames = [], BirthDate = c.BirthDate, Sex = Sex.Unknown },
        Orientations = c.Orientations.IsDefault ? [] : c.Orientations,
    };

    /// <summary>The ESMS with sequential places, by kind of support, with their free half-days on the date (computed once per search).</summary>
    private sealed class OfferIndex
    {
        public sealed class Entry(EsmsProfile profile, Dictionary<Modality, int> free)
        {
            public EsmsProfile Profile { get; } = profile;
            public FinessNumber Finess => Profile.Finess;
            public int FreeMask(Modality modality) => free.GetValueOrDefault(modality);
        }

        private readonly Dictionary<KindOfSupport, List<Entry>> _byKind = [];
        private readonly Dictionary<FinessNumber, Entry> _finess = [];

        public OfferIndex(IEnumerable<EsmsOffer> offers, DateOnly date, DateTimeOffset now)
        {
            foreach (var offer in offers)
            {
                if (!offer.Profile.Kind.Info().InWaitingListScope)
                    continue;
                var free = new Dictionary<Modality, int>();
                foreach (var modality in offer.Availability.Declarations.Select(d => d.Modality).Distinct())
                    if (offer.Availability.FreeMask(modality, date, now) is var mask && mask != 0)
                        free[modality] = mask;
                if (free.Count == 0)
                    continue;
                if (!_byKind.TryGetValue(offer.Profile.Kind, out var list))
                    _byKind[offer.Profile.Kind] = list = [];
                var entry = new Entry(offer.Profile, free);
                list.Add(entry);
                _finess[offer.Profile.Finess] = entry;
            }
        }

        public bool Contains(FinessNumber finess) => _finess.ContainsKey(finess);

        public Entry? Find(FinessNumber finess) => _finess.GetValueOrDefault(finess);

        /// <summary>The entries whose kind accepts one of the orientation kinds, each once.</summary>
        public IEnumerable<Entry> AcceptingAny(KindOfSupport[] orientationKinds)
        {
            foreach (var (kind, entries) in _byKind)
                if (orientationKinds.Any(o => kind.Accepts(o)))
                    foreach (var e in entries)
                        yield return e;
        }
    }
}
