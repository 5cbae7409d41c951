using System.Collections.Immutable;
using Listes360.Domain.Candidatures;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;

namespace Listes360.Domain.Grid;

/// <summary>How a candidature's place in the top of a ranking changes from the grid in force to a draft.</summary>
public enum RankChange
{
    /// <summary>In both tops, at the same rank.</summary>
    Same = 1,
    /// <summary>In both tops, ranked higher under the draft (a smaller rank).</summary>
    Up = 2,
    /// <summary>In both tops, ranked lower under the draft.</summary>
    Down = 3,
    /// <summary>In the draft's top only (ranked lower, or not ranked, under the grid in force).</summary>
    EntersTop = 4,
    /// <summary>In the top of the grid in force only (ranked lower, or not ranked, under the draft).</summary>
    LeavesTop = 5,
}

/// <summary>The points one criterion gives a candidature under each grid (null: the grid has no such criterion, or does not rank the candidature).</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Grid.CriterionPointsChange")]
public sealed record CriterionPointsChange(
    [property: Id(0)] string CriterionId,
    [property: Id(1)] string Label,
    [property: Id(2)] int? Before,
    [property: Id(3)] int? After);

/// <summary>One candidature in the top of either ranking: its rank and points under each grid, and the change.</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Grid.RankingPreviewLine")]
public sealed record RankingPreviewLine
{
    [Id(0)] public required CandidatureId CandidatureId { get; init; }
    [Id(1)] public required PersonId PersonId { get; init; }
    /// <summary>Rank under the grid in force (1 for the first); null when that grid does not rank it.</summary>
    [Id(2)] public int? RankBefore { get; init; }
    /// <summary>Rank under the draft; null when the draft does not rank it.</summary>
    [Id(3)] public int? RankAfter { get; init; }
    [Id(4)] public required RankChange Change { get; init; }
    [Id(5)] public int? TotalBefore { get; init; }
    [Id(6)] public int? TotalAfter { get; init; }
    /// <summary>Every criterion of either grid, in the draft's order then the removed ones.</summary>
    [Id(7)] public required ImmutableArray<CriterionPointsChange> Criteria { get; init; }
    /// <summary>Why a grid does not rank it (French), when one of them does not.</summary>
    [Id(8)] public ImmutableArray<string> NotRankedBecause { get; init; } = [];
}

/// <summary>The top of one ESMS and modality's ranking today under the grid in force and under a draft, and the change per candidature.</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Grid.RankingPreview")]
public sealed record RankingPreview
{
    [Id(0)] public required FinessNumber Finess { get; init; }
    [Id(1)] public required Modality Modality { get; init; }
    [Id(2)] public required DateOnly Date { get; init; }
    [Id(3)] public required int Top { get; init; }
    [Id(4)] public required int CurrentVersion { get; init; }
    [Id(5)] public required int DraftVersion { get; init; }
    /// <summary>The first <see cref="Top"/> under the grid in force.</summary>
    [Id(6)] public required ImmutableArray<RankedCandidate> CurrentTop { get; init; }
    /// <summary>The first <see cref="Top"/> under the draft.</summary>
    [Id(7)] public required ImmutableArray<RankedCandidate> DraftTop { get; init; }
    /// <summary>The candidatures of either top, by rank under the draft, then those leaving the top by their rank before.</summary>
    [Id(8)] public required ImmutableArray<RankingPreviewLine> Lines { get; init; }
    [Id(9)] public required int CurrentRanked { get; init; }
    [Id(10)] public required int DraftRanked { get; init; }
}

/// <summary>
/// What a draft grid would change in one ranking, before it is published: both rankings are made
/// by <see cref="Ranking.Rank"/> on the same facts and date (the draft as if it were in force that
/// day), so the preview is exactly what publishing would give on that day.
/// </summary>
public static class RankingPreviews
{
    public const int MaxTop = 100;

    public static RankingPreview Of(CriteriaGrid current, CriteriaGrid draft, EsmsProfile esms, Modality modality,
        IEnumerable<CandidateFacts> candidates, DateOnly date, int top)
    {
        RequireTop(top);
        var facts = candidates as IReadOnlyCollection<CandidateFacts> ?? [.. candidates];
        var before = Ranking.Rank(current, esms, modality, facts, date);
        var after = Ranking.Rank(draft, esms, modality, facts, date);
        var beforeById = before.Entries.ToDictionary(e => e.CandidatureId);
        var afterById = after.Entries.ToDictionary(e => e.CandidatureId);
        var currentTop = before.Entries.Take(top).ToImmutableArray();
        var draftTop = after.Entries.Take(top).ToImmutableArray();

        var lines = ImmutableArray.CreateBuilder<RankingPreviewLine>();
        foreach (var entry in draftTop)
        {
            var old = beforeById.GetValueOrDefault(entry.CandidatureId);
            lines.Add(Line(entry.CandidatureId, entry.PersonId, old, entry, top, current, draft, before, after));
        }
        foreach (var entry in currentTop.Where(e => !draftTop.Any(d => d.CandidatureId == e.CandidatureId)))
            lines.Add(Line(entry.CandidatureId, entry.PersonId, entry, afterById.GetValueOrDefault(entry.CandidatureId), top, current, draft, before, after));

        return new RankingPreview
        {
            Finess = esms.Finess,
            Modality = modality,
            Date = date,
            Top = top,
            CurrentVersion = current.Version,
            DraftVersion = draft.Version,
            CurrentTop = currentTop,
            DraftTop = draftTop,
            Lines = lines.ToImmutable(),
            CurrentRanked = before.Entries.Length,
            DraftRanked = after.Entries.Length,
        };
    }

    /// <summary>An aperçu is of the first 1 to <see cref="MaxTop"/>: else INVALID_TOP, in French.</summary>
    public static void RequireTop(int top)
    {
        if (top is < 1 or > MaxTop)
            throw new DomainException("INVALID_TOP", $"L'aperçu porte sur les 1 à {MaxTop} premiers d'un classement (demandé : {top}).", "top");
    }

    /// <summary>The change of a candidature between two tops of <paramref name="top"/> (ranks null when not ranked).</summary>
    public static RankChange ChangeOf(int? rankBefore, int? rankAfter, int top)
    {
        var wasIn = rankBefore is { } b && b <= top;
        var isIn = rankAfter is { } a && a <= top;
        return (wasIn, isIn) switch
        {
            (true, true) => rankAfter < rankBefore ? RankChange.Up : rankAfter > rankBefore ? RankChange.Down : RankChange.Same,
            (false, true) => RankChange.EntersTop,
            (true, false) => RankChange.LeavesTop,
            _ => throw new ArgumentException("Ni avant ni après dans le haut du classement : la candidature n'est pas dans l'aperçu."),
        };
    }

    /// <summary>The change in French, for a tag (« monte de 2 rangs », « entre dans les 10 premiers »…).</summary>
    public static string French(RankingPreviewLine line, int top) => line.Change switch
    {
        RankChange.Same => "rang inchangé",
        RankChange.Up => $"monte de {line.RankBefore - line.RankAfter} rang{(line.RankBefore - line.RankAfter > 1 ? "s" : "")}",
        RankChange.Down => $"descend de {line.RankAfter - line.RankBefore} rang{(line.RankAfter - line.RankBefore > 1 ? "s" : "")}",
        RankChange.EntersTop => line.RankBefore is null ? $"entre dans les {top} premiers (non classé avant)" : $"entre dans les {top} premiers",
        RankChange.LeavesTop => line.RankAfter is null ? $"sort des {top} premiers (plus classé)" : $"sort des {top} premiers",
        _ => "",
    };

    private static RankingPreviewLine Line(CandidatureId id, PersonId person, RankedCandidate? old, RankedCandidate? @new, int top,
        CriteriaGrid current, CriteriaGrid draft, RankingResult before, RankingResult after)
    {
        var criteria = ImmutableArray.CreateBuilder<CriterionPointsChange>();
        foreach (var c in draft.Criteria)
            criteria.Add(new(c.Id, c.Label, PointsOf(old, c.Id), PointsOf(@new, c.Id)));
        foreach (var c in current.Criteria.Where(c => draft.Criteria.All(d => d.Id != c.Id)))
            criteria.Add(new(c.Id, c.Label, PointsOf(old, c.Id), null));
        var why = ImmutableArray.CreateBuilder<string>();
        if (old is null)
            why.AddRange(Reasons(before, id, $"grille v{current.Version}"));
        if (@new is null)
            why.AddRange(Reasons(after, id, $"grille préparée v{draft.Version}"));
        return new RankingPreviewLine
        {
            CandidatureId = id,
            PersonId = person,
            RankBefore = old?.Position,
            RankAfter = @new?.Position,
            Change = ChangeOf(old?.Position, @new?.Position, top),
            TotalBefore = old?.Score.Total,
            TotalAfter = @new?.Score.Total,
            Criteria = criteria.ToImmutable(),
            NotRankedBecause = why.ToImmutable(),
        };
    }

    private static int? PointsOf(RankedCandidate? entry, string criterionId) =>
        entry?.Score.Lines.FirstOrDefault(l => l.CriterionId == criterionId)?.Points;

    private static IEnumerable<string> Reasons(RankingResult ranking, CandidatureId id, string grid) =>
        ranking.Excluded.FirstOrDefault(x => x.CandidatureId == id) is { } excluded
            ? excluded.Reasons.Select(r => $"Non classée par la {grid} : {r.Message}")
            : [];
}
