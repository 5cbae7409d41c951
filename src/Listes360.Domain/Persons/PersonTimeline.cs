using System.Collections.Immutable;
using Listes360.Domain.Candidatures;
using Listes360.Domain.Registry;
using Listes360.Domain.Time;

namespace Listes360.Domain.Persons;

/// <summary>What a timeline entry records. Numeric values are persisted: never renumber.</summary>
public enum TimelineEventKind
{
    OrientationDecided = 1,
    OrientationEnded = 2,
    Situation = 3,
    Urgency = 4,
    CandidatureCreated = 5,
    CandidatureStatusChanged = 6,
    WaitingForPreferred = 7,
    Merged = 8,
    Split = 9,
}

/// <summary>One step of a person's path, in French, with who did it when the file knows.</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Persons.TimelineEntry")]
public sealed record TimelineEntry(
    [property: Id(0)] DateOnly Date,
    [property: Id(1)] TimelineEventKind Kind,
    [property: Id(2)] string Text,
    [property: Id(3)] string? By,
    [property: Id(4)] CandidatureId? Candidature,
    [property: Id(5)] FinessNumber? Esms,
    [property: Id(6)] DateTimeOffset? At);

/// <summary>
/// A person's whole path, in date order: CDAPH orientations (and their ends), the current situation,
/// urgency, every candidature and each of its changes with who and why, merges and splits of duplicate
/// files. Pure: built from the person's file when asked, nothing stored twice.
/// </summary>
public static class PersonTimeline
{
    public static ImmutableArray<TimelineEntry> Of(PersonRecord person, IEnumerable<Candidature> candidatures, DateOnly today)
    {
        var entries = new List<TimelineEntry>();
        foreach (var o in person.Orientations.IsDefault ? [] : person.Orientations)
        {
            var until = o.ValidTo is { } to ? $" jusqu'au {to:dd/MM/yyyy}" : " sans limite de durée";
            entries.Add(new(o.ValidFrom, TimelineEventKind.OrientationDecided,
                $"Orientation CDAPH vers : {o.Kind.Label()} (décision {o.DecisionReference}), valable à partir du {o.ValidFrom:dd/MM/yyyy}{until}.", null, null, null, null));
            if (o.ValidTo is { } end && end < today)
                entries.Add(new(end, TimelineEventKind.OrientationEnded, $"Fin de l'orientation {o.Kind.Label()} (décision {o.DecisionReference}).", null, null, null, null));
        }
        if (person.Situation is { } situation)
            entries.Add(new(situation.Since, TimelineEventKind.Situation,
                $"Situation : {situation.Kind.Label()}" + (situation.Esms is { } esms ? $" (ESMS {esms.Value})" : "") + ".", null, null, situation.Esms, null));
        if (person.Urgency is { } urgency)
            entries.Add(new(urgency.Since, TimelineEventKind.Urgency, $"Urgence signalée par {urgency.SourceLabel} : {urgency.Reason}", urgency.FlaggedBy, null, null, null));
        foreach (var c in candidatures)
        {
            foreach (var h in c.History.IsDefault ? [] : c.History)
                entries.Add(new(ParisDate.Of(h.At), KindOf(h), Describe(c, h), h.By, c.Id, c.Finess, h.At));
        }
        return [.. entries.OrderBy(e => e.Date).ThenBy(e => e.At ?? DateTimeOffset.MinValue).ThenBy(e => e.Kind)];
    }

    private static TimelineEventKind KindOf(CandidatureHistoryEntry h) => h.Event switch
    {
        CandidatureEvent.Created => TimelineEventKind.CandidatureCreated,
        CandidatureEvent.StatusChanged => TimelineEventKind.CandidatureStatusChanged,
        CandidatureEvent.MarkedWaitingForPreferred or CandidatureEvent.UnmarkedWaitingForPreferred => TimelineEventKind.WaitingForPreferred,
        CandidatureEvent.PersonMerged => TimelineEventKind.Merged,
        CandidatureEvent.PersonSplit => TimelineEventKind.Split,
        _ => throw new DomainException("UNKNOWN_EVENT", $"Événement de candidature inconnu ({(int)h.Event}).", "event"),
    };

    private static string Describe(Candidature c, CandidatureHistoryEntry h)
    {
        var where = $"ESMS {c.Finess.Value} ({c.Modality.Label().ToLowerInvariant()})";
        var why = h.Reason is { } reason ? $", motif : {reason.Label().ToLowerInvariant()}" : "";
        var cause = h.Cause is { } admission ? $", suite à l'admission {admission.Value}" : "";
        return h.Event switch
        {
            CandidatureEvent.Created => $"Candidature déposée auprès de l'{where}, statut « {h.To.Label()} ».",
            CandidatureEvent.StatusChanged => $"Candidature {where} : « {h.From?.Label()} » → « {h.To.Label()} »{why}{cause}.",
            CandidatureEvent.MarkedWaitingForPreferred => $"Candidature {where} gardée ouverte : la personne attend cet ESMS, qu'elle préfère.",
            CandidatureEvent.UnmarkedWaitingForPreferred => $"Candidature {where} : n'est plus l'attente d'un ESMS préféré.",
            CandidatureEvent.PersonMerged => $"Candidature {where} rattachée à ce dossier par la fusion de deux dossiers de la même personne.",
            CandidatureEvent.PersonSplit => $"Candidature {where} rendue à son dossier d'origine : la fusion a été annulée.",
            _ => throw new DomainException("UNKNOWN_EVENT", $"Événement de candidature inconnu ({(int)h.Event}).", "event"),
        };
    }
}
