using System.Collections.Immutable;
using System.Globalization;
using Listes360.Domain.Candidatures;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;
using Listes360.Domain.Risk;

namespace Listes360.Domain.WaitingList;

/// <summary>
/// Which rows of the departmental list to show. Every criterion given narrows the list (and); inside a
/// criterion, any of the values given matches (or). An empty filter shows every person waiting.
/// </summary>
[GenerateSerializer, Immutable, Alias("Listes360.WaitingList.WaitingListFilter")]
public sealed record WaitingListFilter
{
    /// <summary>The territory of residence (EPCI code).</summary>
    [Id(0)] public string? Territory { get; init; }
    /// <summary>Waiting for one of these kinds (an open candidature, or an orientation when without candidature).</summary>
    [Id(1)] public ImmutableArray<KindOfSupport> Kinds { get; init; } = [];
    [Id(2)] public ImmutableArray<Modality> Modalities { get; init; } = [];
    [Id(3)] public ImmutableArray<SituationKind> Situations { get; init; } = [];
    /// <summary>An open candidature in one of these statuses.</summary>
    [Id(4)] public ImmutableArray<CandidatureStatus> Statuses { get; init; } = [];
    [Id(5)] public ImmutableArray<RiskFlag> Flags { get; init; } = [];
    [Id(6)] public bool? Urgent { get; init; }
    [Id(7)] public bool? WithoutSolution { get; init; }
    /// <summary>Oldest request on or after this day.</summary>
    [Id(8)] public DateOnly? WaitingSinceFrom { get; init; }
    /// <summary>Oldest request on or before this day.</summary>
    [Id(9)] public DateOnly? WaitingSinceTo { get; init; }
    /// <summary>An orientation in force ends before this day.</summary>
    [Id(10)] public DateOnly? OrientationEndingBefore { get; init; }
    /// <summary>An open candidature to this ESMS.</summary>
    [Id(11)] public FinessNumber? Esms { get; init; }
    /// <summary>Also the persons whose only open candidatures wait for a preferred ESMS (they have a solution).</summary>
    [Id(12)] public bool IncludePreferredEsmsOnly { get; init; }

    public static WaitingListFilter All { get; } = new();

    /// <summary>Refuses a filter that cannot match anything by construction, before any read.</summary>
    public WaitingListFilter Validated()
    {
        if (WaitingSinceFrom is { } from && WaitingSinceTo is { } to && from > to)
            throw new DomainException("INVALID_FILTER",
                $"La période d'attente est inversée : « depuis le » ({from:dd/MM/yyyy}) est postérieur à « jusqu'au » ({to:dd/MM/yyyy}).", "filter.waitingSinceFrom");
        const int maxValues = 40;
        foreach (var (count, field) in new[] { (Kinds.Length, "kinds"), (Modalities.Length, "modalities"), (Situations.Length, "situations"), (Statuses.Length, "statuses"), (Flags.Length, "flags") })
        {
            if (count > maxValues)
                throw new DomainException("INVALID_FILTER", $"Le filtre « {field} » donne {count} valeurs : {maxValues} au plus.", $"filter.{field}");
        }
        return this;
    }

    /// <summary>The filter as <paramref name="caller"/> may apply it (<see cref="Security.AccessPolicy.TerritoryFor"/>).</summary>
    public WaitingListFilter For(Security.Caller? caller) => this with { Territory = Security.AccessPolicy.TerritoryFor(caller, Territory) };

    public bool Matches(WaitingListEntry e)
    {
        if (e.Reason == WaitingReason.None) return false;
        if (e.Reason == WaitingReason.PreferredEsmsOnly && !IncludePreferredEsmsOnly) return false;
        if (Territory is { } territory && !string.Equals(e.Territory, territory, StringComparison.Ordinal)) return false;
        if (!Kinds.IsDefaultOrEmpty && !KindsOf(e).Any(Kinds.Contains)) return false;
        if (!Modalities.IsDefaultOrEmpty && !e.Candidatures.Any(c => Modalities.Contains(c.Modality))) return false;
        if (!Situations.IsDefaultOrEmpty && (e.Situation is not { } s || !Situations.Contains(s.Kind))) return false;
        if (!Statuses.IsDefaultOrEmpty && !e.Candidatures.Any(c => Statuses.Contains(c.Status))) return false;
        if (!Flags.IsDefaultOrEmpty && !e.Flags.Any(Flags.Contains)) return false;
        if (Urgent is { } urgent && (e.Urgency is not null) != urgent) return false;
        if (WithoutSolution is { } without && (e.Situation?.SolutionLevel == SolutionLevel.None) != without) return false;
        if (WaitingSinceFrom is { } from && (e.OldestRequest is not { } oldest || oldest < from)) return false;
        if (WaitingSinceTo is { } to && (e.OldestRequest is not { } first || first > to)) return false;
        if (OrientationEndingBefore is { } before && !e.Orientations.Any(o => o.ValidTo is { } end && end < before)) return false;
        if (Esms is { } esms && !e.Candidatures.Any(c => c.Finess == esms)) return false;
        return true;
    }

    private static IEnumerable<KindOfSupport> KindsOf(WaitingListEntry e) =>
        e.Candidatures.IsDefaultOrEmpty ? e.Orientations.Select(o => o.Kind) : e.Candidatures.Select(c => c.Kind);
}

/// <summary>How the list is sorted. Numeric values are persisted: never renumber.</summary>
public enum WaitingListOrder
{
    /// <summary>Longest wait first (oldest request date), then name.</summary>
    OldestRequest = 1,
    /// <summary>Birth name, first names, birth date.</summary>
    Name = 2,
    /// <summary>Highest score first: a grid score for a kind, or the rupture-risk probability (given by the caller of the query).</summary>
    ScoreDescending = 3,
    /// <summary>Best match of a name search first.</summary>
    Relevance = 4,
    /// <summary>Highest harmonised grid score for one kind of support first (the best of the person's open candidatures of that kind, each scored by its ESMS's ranking); persons without a ranked candidature of that kind last.</summary>
    GridScore = 5,
    /// <summary>Highest rupture-risk probability first (roles that may see it: <see cref="WaitingListOrdering.RolesSeeingProbability"/>); persons without a probability last.</summary>
    RiskProbability = 6,
}

/// <summary>
/// The sort key of a row: a string compared ordinally, unique (it ends with the person id), so that
/// shards each sort their rows and a merge of their pages keeps the order, and a cursor is the key of
/// the last row seen.
/// </summary>
public static class WaitingListOrdering
{
    /// <summary>The roles that read the rupture-risk probability (the same as the observatory's <c>ruptureRisks</c>).</summary>
    public static IReadOnlySet<Security.Role> RolesSeeingProbability { get; } =
        new HashSet<Security.Role> { Security.Role.TerritorialStaff, Security.Role.MdphReferent, Security.Role.Observatory, Security.Role.Admin, Security.Role.System };

    /// <summary>Whether the order is by a score the shard must be given (<see cref="WaitingListShard.Page"/>'s scoreOf).</summary>
    public static bool IsByScore(this WaitingListOrder order) =>
        order is WaitingListOrder.ScoreDescending or WaitingListOrder.GridScore or WaitingListOrder.RiskProbability;

    /// <summary>
    /// Refuses, in French and before any read, an order the caller may not use or that lacks its kind:
    /// the grid score is for one kind of support (and only it takes one), the probability is for the roles that may see it.
    /// </summary>
    public static void Check(WaitingListOrder order, KindOfSupport? scoreKind, Security.Caller? caller)
    {
        if (!Enum.IsDefined(order))
            throw new DomainException("INVALID_ORDER", $"Ordre de tri inconnu ({(int)order}).", "orderBy");
        if (order == WaitingListOrder.GridScore && scoreKind is null)
            throw new DomainException("INVALID_ORDER", "Le tri par score de la grille (GRID_SCORE) demande le type d'accompagnement dont on compare les scores (scoreKind).", "scoreKind");
        if (order != WaitingListOrder.GridScore && scoreKind is not null)
            throw new DomainException("INVALID_ORDER", "Le type d'accompagnement scoreKind ne sert qu'au tri par score de la grille (orderBy: GRID_SCORE).", "scoreKind");
        if (order == WaitingListOrder.RiskProbability && caller is not null && !RolesSeeingProbability.Contains(caller.Role))
            throw new DomainException("FORBIDDEN", $"Accès refusé : le rôle « {Security.RoleNames.French(caller.Role)} » ne voit pas la probabilité de rupture, et ne peut donc pas trier par elle.");
    }

    public static string KeyOf(WaitingListEntry e, WaitingListOrder order, double? score = null) => order switch
    {
        WaitingListOrder.OldestRequest => $"{(e.OldestRequest ?? DateOnly.MaxValue):yyyyMMdd}|{NameKey(e)}|{e.Person.Value}",
        WaitingListOrder.Name => $"{NameKey(e)}|{e.BirthDate:yyyyMMdd}|{e.Person.Value}",
        WaitingListOrder.ScoreDescending or WaitingListOrder.Relevance or WaitingListOrder.GridScore or WaitingListOrder.RiskProbability
            => $"{Descending(score)}|{NameKey(e)}|{e.Person.Value}",
        _ => throw new DomainException("INVALID_ORDER", $"Ordre de tri inconnu ({(int)order}).", "orderBy"),
    };

    // Rows are immutable: a row's folded name is computed once, not on every page of every shard.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<WaitingListEntry, string> NameKeys = [];

    private static string NameKey(WaitingListEntry e) => NameKeys.GetValue(e, row =>
        $"{Identity.FrenchNames.Fold(row.BirthName)} {Identity.FrenchNames.Fold(string.Join(' ', row.FirstNames.IsDefault ? [] : row.FirstNames))}");

    /// <summary>A score as a fixed-width key that sorts highest first; no score sorts last.</summary>
    private static string Descending(double? score) =>
        score is { } s && double.IsFinite(s)
            ? (1_000_000_000L - (long)Math.Round(Math.Clamp(s, -1_000, 1_000) * 100_000)).ToString("D10", CultureInfo.InvariantCulture)
            : "9999999999";
}
