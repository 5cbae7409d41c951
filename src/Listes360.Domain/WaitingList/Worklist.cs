using System.Collections.Immutable;
using Listes360.Domain.Candidatures;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;
using Listes360.Domain.Risk;
using Listes360.Domain.Time;

namespace Listes360.Domain.WaitingList;

/// <summary>What needs doing about a person. Numeric values are persisted: never renumber.</summary>
public enum WorklistItemKind
{
    /// <summary>An orientation the person still waits under ends soon: ask the MDPH to renew it.</summary>
    OrientationEnding = 1,
    /// <summary>An orientation ended while the person was still waiting: their candidatures were closed.</summary>
    OrientationEnded = 2,
    /// <summary>A place was offered and the answer deadline has passed.</summary>
    OfferOverdue = 3,
    /// <summary>A candidature in SOLUTION_FOUND_ELSEWHERE: the admission elsewhere is still to be confirmed.</summary>
    SolutionElsewhereUnconfirmed = 4,
    /// <summary>Kept in a children's ESMS under the amendement Creton, without an open adult candidature.</summary>
    CretonWithoutAdultCandidature = 5,
    /// <summary>16–19 in a children's setting, without an open adult candidature.</summary>
    TransitionWithoutAdultCandidature = 6,
    /// <summary>Nothing recorded about a waiting person for months.</summary>
    NoNews = 7,
    /// <summary>A place freed in an ESMS proposes this person (issue 19): the director offers it, the conseiller prepares the person.</summary>
    VacancyProposed = 8,
    /// <summary>A freed place was offered to this person: their answer is awaited by the deadline.</summary>
    VacancyOffered = 9,
}

/// <summary>The French name of each kind of worklist item, as the pages and exports show it.</summary>
public static class WorklistItemKindLabels
{
    public static string Label(this WorklistItemKind kind) => kind switch
    {
        WorklistItemKind.OrientationEnding => "Orientation bientôt échue",
        WorklistItemKind.OrientationEnded => "Orientation échue",
        WorklistItemKind.OfferOverdue => "Réponse à une offre en retard",
        WorklistItemKind.SolutionElsewhereUnconfirmed => "Solution ailleurs à confirmer",
        WorklistItemKind.CretonWithoutAdultCandidature => "Amendement Creton sans candidature adulte",
        WorklistItemKind.TransitionWithoutAdultCandidature => "16-19 ans sans candidature adulte",
        WorklistItemKind.NoNews => "Sans nouvelles depuis des mois",
        WorklistItemKind.VacancyProposed => "Place libérée : candidat proposé",
        WorklistItemKind.VacancyOffered => "Place libérée : réponse attendue",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Type d'élément à faire inconnu."),
    };
}

/// <summary>How pressing an item is (ViaTrajectoire's orange and red).</summary>
public enum WorklistUrgency
{
    /// <summary>To do before a date (orange).</summary>
    Soon = 1,
    /// <summary>The date has passed (red).</summary>
    Late = 2,
}

/// <summary>One thing to do, why, by when, and where (the person, and the ESMS and candidature when there is one).</summary>
[GenerateSerializer, Immutable, Alias("Listes360.WaitingList.WorklistItem")]
public sealed record WorklistItem(
    [property: Id(0)] WorklistItemKind Kind,
    [property: Id(1)] WorklistUrgency Urgency,
    [property: Id(2)] PersonId Person,
    [property: Id(3)] FinessNumber? Esms,
    [property: Id(4)] CandidatureId? Candidature,
    [property: Id(5)] DateOnly Due,
    [property: Id(6)] string Why);

/// <summary>The département's settings of the worklist (defaults: 3 months before an orientation ends, 6 months without news).</summary>
[GenerateSerializer, Immutable, Alias("Listes360.WaitingList.WorklistSettings")]
public sealed record WorklistSettings
{
    [Id(0)] public int OrientationEndingWithinMonths { get; init; } = 3;
    /// <summary>An orientation that ended this long ago still shows (red), then the item goes.</summary>
    [Id(1)] public int OrientationEndedWithinMonths { get; init; } = 3;
    [Id(2)] public int NoNewsAfterMonths { get; init; } = 6;
    /// <summary>Days to answer an offer: the criteria grid's <c>offers.answerDeadlineDays</c> in force.</summary>
    [Id(3)] public int OfferAnswerDeadlineDays { get; init; } = 15;
    /// <summary>A SOLUTION_FOUND_ELSEWHERE older than this is to be confirmed (admission) or undone.</summary>
    [Id(4)] public int SolutionElsewhereConfirmAfterDays { get; init; } = 30;

    public static WorklistSettings Default { get; } = new();
}

/// <summary>
/// The items of one person's file, pure: the worklist of a caller is the union of the items of the
/// persons they may see, filtered by ESMS for a director. Items are ordered late first, then by date.
/// </summary>
public static class WorklistRules
{
    /// <param name="flags">The person's flags that day, when the caller already has them (else evaluated here).</param>
    public static ImmutableArray<WorklistItem> For(PersonRecord person, IReadOnlyCollection<Candidature> candidatures, DateOnly today,
        WorklistSettings? settings = null, FlagAssessment? flags = null)
    {
        settings ??= WorklistSettings.Default;
        var items = new List<WorklistItem>();
        var open = candidatures.Where(c => c.IsOpen).ToList();
        OrientationItems(person, candidatures, open, today, settings, items);
        foreach (var c in open.Where(c => c.Status == CandidatureStatus.Offered))
        {
            var offeredOn = c.StatusSince;
            var deadline = OfferDeadline.Of(offeredOn, settings.OfferAnswerDeadlineDays);
            if (OfferDeadline.IsOverdue(offeredOn, settings.OfferAnswerDeadlineDays, today))
                items.Add(new(WorklistItemKind.OfferOverdue, WorklistUrgency.Late, person.Id, c.Finess, c.Id, deadline,
                    $"Place proposée le {offeredOn:dd/MM/yyyy} ({c.Modality.Label()}) : le délai de réponse a expiré le {deadline:dd/MM/yyyy} ; enregistrer la décision de la personne."));
        }
        foreach (var c in candidatures.Where(c => c.Status == CandidatureStatus.SolutionFoundElsewhere))
        {
            var due = c.StatusSince.AddDays(settings.SolutionElsewhereConfirmAfterDays);
            items.Add(new(WorklistItemKind.SolutionElsewhereUnconfirmed, today > due ? WorklistUrgency.Late : WorklistUrgency.Soon, person.Id, c.Finess, c.Id, due,
                $"Solution trouvée ailleurs signalée le {c.StatusSince:dd/MM/yyyy} : confirmer l'admission ou rouvrir la candidature."));
        }
        flags ??= RiskFlagRules.Evaluate(person, candidatures, today);
        var adultCandidature = open.Any(c => RiskFlagRules.IsAdult(c.Kind));
        if (!adultCandidature && flags.Has(RiskFlag.Creton))
            items.Add(new(WorklistItemKind.CretonWithoutAdultCandidature, WorklistUrgency.Late, person.Id, person.Situation?.Esms, null, today,
                "Maintenu·e en ESMS pour enfants au titre de l'amendement Creton, sans candidature ouverte dans un ESMS pour adultes."));
        else if (!adultCandidature && flags.Has(RiskFlag.TransitionAge))
        {
            var twenty = person.Identity.BirthDate.AddYears(RiskFlagRules.AdultAge);
            items.Add(new(WorklistItemKind.TransitionWithoutAdultCandidature, WorklistUrgency.Soon, person.Id, person.Situation?.Esms, null, twenty,
                $"{person.Identity.AgeOn(today)} ans en accompagnement pour enfants, 20 ans le {twenty:dd/MM/yyyy}, sans candidature ouverte dans un ESMS pour adultes ({flags.AdultPathGap.Label().ToLowerInvariant()})."));
        }
        if (open.Count > 0 && LastNews(person, candidatures) is { } last && last.AddMonths(settings.NoNewsAfterMonths) < today)
            items.Add(new(WorklistItemKind.NoNews, WorklistUrgency.Soon, person.Id, null, null, last.AddMonths(settings.NoNewsAfterMonths),
                $"Aucune nouvelle depuis le {last:dd/MM/yyyy} ({settings.NoNewsAfterMonths} mois au moins) : vérifier que la demande tient toujours."));
        return [.. items.OrderByDescending(i => i.Urgency).ThenBy(i => i.Due).ThenBy(i => i.Kind)];
    }

    private static void OrientationItems(PersonRecord person, IReadOnlyCollection<Candidature> candidatures, List<Candidature> open, DateOnly today,
        WorklistSettings settings, List<WorklistItem> items)
    {
        var orientations = person.Orientations.IsDefault ? [] : person.Orientations;
        var valid = person.OrientationsValidOn(today).ToList();
        foreach (var o in orientations.Where(o => o.ValidTo is { } end && end >= today && end <= today.AddMonths(settings.OrientationEndingWithinMonths)))
        {
            var end = o.ValidTo!.Value;
            // Another orientation of the same kind in force after it: nothing to renew.
            if (valid.Any(v => v != o && v.Kind == o.Kind && (v.ValidTo is null || v.ValidTo > end)))
                continue;
            var waitingUnder = open.Where(c => c.Kind.Accepts(o.Kind)).ToList();
            if (waitingUnder.Count == 0 && person.Situation?.SolutionLevel != SolutionLevel.None)
                continue;
            items.Add(new(WorklistItemKind.OrientationEnding, WorklistUrgency.Soon, person.Id, waitingUnder.FirstOrDefault()?.Finess, null, end,
                $"L'orientation {o.Kind.Label()} (décision {o.DecisionReference}) prend fin le {end:dd/MM/yyyy}"
                + (waitingUnder.Count > 0 ? $" alors que {waitingUnder.Count} candidature(s) en dépendent" : " alors que la personne est sans solution")
                + " : demander son renouvellement à la MDPH."));
        }
        foreach (var o in orientations.Where(o => o.ValidTo is { } end && end < today && end >= today.AddMonths(-settings.OrientationEndedWithinMonths)))
        {
            var end = o.ValidTo!.Value;
            if (valid.Any(v => v.Kind == o.Kind))
                continue;
            var closed = candidatures.Where(c => c.Status == CandidatureStatus.Expired && c.Kind.Accepts(o.Kind) && c.StatusSince > end).ToList();
            if (closed.Count == 0 && person.Situation?.SolutionLevel != SolutionLevel.None)
                continue;
            items.Add(new(WorklistItemKind.OrientationEnded, WorklistUrgency.Late, person.Id, closed.FirstOrDefault()?.Finess, null, end,
                $"L'orientation {o.Kind.Label()} (décision {o.DecisionReference}) a pris fin le {end:dd/MM/yyyy}"
                + (closed.Count > 0 ? $" ; {closed.Count} candidature(s) ont été closes" : " alors que la personne est sans solution")
                + " : une nouvelle décision de la CDAPH est nécessaire pour attendre une place."));
        }
    }

    /// <summary>The last day something was recorded about the person's demand (a status change, a situation, an orientation).</summary>
    public static DateOnly? LastNews(PersonRecord person, IEnumerable<Candidature> candidatures)
    {
        var dates = candidatures.SelectMany(c => c.History.IsDefault ? [] : c.History.Select(h => ParisDate.Of(h.At)))
            .Concat(person.Situation is { } s ? [s.Since] : [])
            .Concat(person.Orientations.IsDefault ? [] : person.Orientations.Select(o => o.ValidFrom))
            .Concat(person.Urgency is { } u ? [u.Since] : [])
            .ToList();
        return dates.Count > 0 ? dates.Max() : null;
    }
}
