using System.Collections.Immutable;
using Listes360.Domain.Candidatures;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;
using Listes360.Domain.Territories;

namespace Listes360.Domain.Grid;

/// <summary>The points one criterion gave, and the fact it read, in French (« sans solution depuis 14 mois »).</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Grid.ScoreLine")]
public sealed record ScoreLine(
    [property: Id(0)] string CriterionId,
    [property: Id(1)] string Label,
    [property: Id(2)] int Points,
    [property: Id(3)] string Fact);

/// <summary>A score: its total is the sum of its lines, by construction.</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Grid.Score")]
public sealed record Score(
    [property: Id(0)] int Total,
    [property: Id(1)] ImmutableArray<ScoreLine> Lines,
    [property: Id(2)] int GridVersion);

/// <summary>One eligible candidate in a ranking.</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Grid.RankedCandidate")]
public sealed record RankedCandidate
{
    /// <summary>1 for the first.</summary>
    [Id(0)] public required int Position { get; init; }
    [Id(1)] public required CandidatureId CandidatureId { get; init; }
    [Id(2)] public required PersonId PersonId { get; init; }
    [Id(3)] public required DateOnly RequestDate { get; init; }
    [Id(4)] public required CandidatureStatus Status { get; init; }
    [Id(5)] public required Score Score { get; init; }
    /// <summary>For an OFFERED candidature: the last day to answer (grid setting).</summary>
    [Id(6)] public DateOnly? OfferDeadline { get; init; }
    /// <summary>The deadline has passed: a person must decide (nobody is declined automatically).</summary>
    [Id(7)] public bool OfferOverdue { get; init; }
    /// <summary>The grid asks the territorial staff to review the situation (refused suitable offers).</summary>
    [Id(8)] public bool ReviewRequired { get; init; }
    /// <summary>What the commission must know beyond the points (French), e.g. an overdue offer.</summary>
    [Id(9)] public ImmutableArray<string> Notices { get; init; } = [];
}

/// <summary>An open candidature left out of a ranking, and why (French): nothing is left out silently.</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Grid.ExcludedCandidate")]
public sealed record ExcludedCandidate(
    [property: Id(0)] CandidatureId CandidatureId,
    [property: Id(1)] PersonId PersonId,
    [property: Id(2)] ImmutableArray<EligibilityRefusal> Reasons);

/// <summary>The ranking of one ESMS and modality on a date, with the grid version used.</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Grid.RankingResult")]
public sealed record RankingResult
{
    [Id(0)] public required FinessNumber Finess { get; init; }
    [Id(1)] public required Modality Modality { get; init; }
    [Id(2)] public required DateOnly Date { get; init; }
    [Id(3)] public required int GridVersion { get; init; }
    [Id(4)] public required ImmutableArray<RankedCandidate> Entries { get; init; }
    [Id(5)] public required ImmutableArray<ExcludedCandidate> Excluded { get; init; }
}

/// <summary>
/// The harmonised rankings, as pure functions of a grid, the candidates' facts and a date.
/// <see cref="Score"/> is the entry point for anyone ordering by the grid (sequential placements).
/// </summary>
public static class Ranking
{
    public const string StatusNotRanked = "STATUS_NOT_RANKED";

    /// <summary>
    /// The score of one candidate for an ESMS on a date: one line per criterion of the grid (zero
    /// points included, with the fact that explains the zero), total = sum of the lines.
    /// </summary>
    public static Score Score(CriteriaGrid grid, CandidateFacts facts, EsmsProfile esms, DateOnly date) =>
        Score(grid, facts, new EsmsPlace(esms), date);

    private static Score Score(CriteriaGrid grid, CandidateFacts facts, EsmsPlace esms, DateOnly date)
    {
        var lines = ImmutableArray.CreateBuilder<ScoreLine>(grid.Criteria.Length);
        var total = 0;
        foreach (var criterion in grid.Criteria)
        {
            var fact = FactReader.Read(criterion.Fact, facts, esms, grid.Offers, date);
            var points = Points(criterion, fact);
            total += points;
            lines.Add(new ScoreLine(criterion.Id, criterion.Label, points, fact.Text));
        }
        return new Score(total, lines.MoveToImmutable(), grid.Version);
    }

    /// <summary>
    /// <see cref="Score(CriteriaGrid, CandidateFacts, EsmsProfile, DateOnly)"/>'s total for one candidate
    /// and any ESMS, without the breakdown: the criteria that do not read the ESMS (all but the
    /// distance) are counted once here, the returned function adds the distance per ESMS. A search that
    /// scores one candidate for many ESMS (sequential placements) reads the facts once, not once per ESMS.
    /// </summary>
    public static Func<EsmsProfile, int> TotalFor(CriteriaGrid grid, CandidateFacts facts, DateOnly date)
    {
        var fixedPoints = 0;
        var perEsms = new List<GridCriterion>();
        foreach (var criterion in grid.Criteria)
        {
            if (FactReader.ReadsEsms(criterion.Fact))
                perEsms.Add(criterion);
            else // No ESMS: FactReader.ReadsEsms lists every fact that would read it.
                fixedPoints += Points(criterion, FactReader.Read(criterion.Fact, facts, (EsmsPlace)null!, grid.Offers, date));
        }
        if (perEsms.Count == 0)
            return _ => fixedPoints;
        return esms =>
        {
            var place = new EsmsPlace(esms);
            var total = fixedPoints;
            foreach (var criterion in perEsms)
                total += Points(criterion, FactReader.Read(criterion.Fact, facts, place, grid.Offers, date));
            return total;
        };
    }

    /// <summary>The points of one criterion for a fact's value (capped in absolute value).</summary>
    public static int Points(GridCriterion criterion, FactValue fact)
    {
        if (!fact.Applies) return 0;
        int raw;
        if (criterion.Points is { } fixedPoints) raw = fixedPoints;
        else if (criterion.PerUnit is not null || criterion.Base is not null)
            raw = (criterion.Base ?? 0) + (criterion.PerUnit ?? 0) * (fact.Number / Math.Max(1, criterion.Every));
        else
        {
            raw = 0;
            foreach (var band in criterion.Bands)
                if (band.Contains(fact.Number)) { raw = band.Points; break; }
        }
        return criterion.Cap is { } cap ? Math.Clamp(raw, -cap, cap) : raw;
    }

    /// <summary>
    /// The ranking of an ESMS and modality on <paramref name="date"/>: the candidatures to it whose
    /// status the grid ranks and who are eligible on that date (orientation, age, modality), ordered
    /// by score (highest first), then request date (oldest first), then candidature id: a total,
    /// deterministic order. Other open candidatures are listed in <see cref="RankingResult.Excluded"/> with why.
    /// </summary>
    public static RankingResult Rank(CriteriaGrid grid, EsmsProfile esms, Modality modality, IEnumerable<CandidateFacts> candidates, DateOnly date)
    {
        var place = new EsmsPlace(esms);
        var scored = new List<(CandidateFacts Facts, Score Score)>();
        var excluded = ImmutableArray.CreateBuilder<ExcludedCandidate>();
        foreach (var c in candidates)
        {
            if (c.Finess != esms.Finess || c.Modality != modality || c.RequestDate > date || !c.Status.IsOpen())
                continue;
            var refusals = Eligibility.Check(c.BirthDate, c.Orientations, esms, modality, date);
            if (!grid.Eligibility.RankedStatuses.Contains(c.Status))
                refusals = refusals.Insert(0, new EligibilityRefusal(StatusNotRanked,
                    $"Le statut « {c.Status.Label()} » n'est pas classé par la grille v{grid.Version} (statuts classés : {string.Join(", ", grid.Eligibility.RankedStatuses.Select(s => s.Label()))}).", "status"));
            if (!refusals.IsEmpty)
            {
                excluded.Add(new ExcludedCandidate(c.CandidatureId, c.PersonId, refusals));
                continue;
            }
            scored.Add((c, Score(grid, c, place, date)));
        }
        scored.Sort(static (a, b) => Compare(a.Facts, a.Score, b.Facts, b.Score));
        var entries = ImmutableArray.CreateBuilder<RankedCandidate>(scored.Count);
        for (var i = 0; i < scored.Count; i++)
            entries.Add(Entry(i + 1, scored[i].Facts, scored[i].Score, grid, date));
        return new RankingResult
        {
            Finess = esms.Finess,
            Modality = modality,
            Date = date,
            GridVersion = grid.Version,
            Entries = entries.MoveToImmutable(),
            Excluded = excluded.ToImmutable(),
        };
    }

    /// <summary>The ranking order: score descending, then request date ascending, then candidature id (ordinal).</summary>
    public static int Compare(CandidateFacts a, Score sa, CandidateFacts b, Score sb)
    {
        var c = sb.Total.CompareTo(sa.Total);
        if (c != 0) return c;
        c = a.RequestDate.CompareTo(b.RequestDate);
        return c != 0 ? c : string.CompareOrdinal(a.CandidatureId.Value, b.CandidatureId.Value);
    }

    private static RankedCandidate Entry(int position, CandidateFacts c, Score score, CriteriaGrid grid, DateOnly date)
    {
        var notices = ImmutableArray.CreateBuilder<string>();
        DateOnly? deadline = null;
        var overdue = false;
        if (c.Status == CandidatureStatus.Offered)
        {
            deadline = OfferDeadline.Of(c.StatusSince, grid.Offers.AnswerDeadlineDays);
            overdue = OfferDeadline.IsOverdue(c.StatusSince, grid.Offers.AnswerDeadlineDays, date);
            notices.Add(overdue
                ? $"Place proposée le {c.StatusSince:dd/MM/yyyy} : le délai de réponse ({grid.Offers.AnswerDeadlineDays} jours) a expiré le {deadline:dd/MM/yyyy} ; la personne ou l'ESMS doit enregistrer une décision (aucun refus n'est déduit automatiquement)."
                : $"Place proposée le {c.StatusSince:dd/MM/yyyy} : réponse attendue au plus tard le {deadline:dd/MM/yyyy}.");
        }
        var refused = FactReader.SuitableRefusals(c, grid.Offers, date);
        var review = grid.Offers.ReviewAfterRefusals is { } n && refused >= n;
        if (review)
            notices.Add($"{refused} offres adaptées refusées : la grille demande une revue de la situation par le staff territorial (à partir de {grid.Offers.ReviewAfterRefusals} refus).");
        return new RankedCandidate
        {
            Position = position,
            CandidatureId = c.CandidatureId,
            PersonId = c.PersonId,
            RequestDate = c.RequestDate,
            Status = c.Status,
            Score = score,
            OfferDeadline = deadline,
            OfferOverdue = overdue,
            ReviewRequired = review,
            Notices = notices.ToImmutable(),
        };
    }

    /// <summary>Where an ESMS is, once per ranking (its FINESS coordinates, else its commune's centre).</summary>
    internal sealed class EsmsPlace
    {
        public EsmsProfile Profile { get; }
        public GeoPoint? Point { get; }
        public string Where { get; }

        public EsmsPlace(EsmsProfile esms)
        {
            Profile = esms;
            Where = esms.Commune ?? esms.Name;
            if (esms.Latitude is { } lat && esms.Longitude is { } lon)
                Point = new GeoPoint(lat, lon);
            else if (esms.Commune is not null)
                Point = CommuneCentres.Of(TerritoryDirectory.TryLocate(esms.Finess.Department, esms.Postcode, esms.Commune)?.Commune.InForceInseeCode);
        }
    }
}
