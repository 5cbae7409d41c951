using Listes360.Domain.Identity.Records;

namespace Listes360.Domain.Identity;

/// <summary>What to do with a new record, against the existing persons of its blocks.</summary>
public enum IdentityOutcome
{
    /// <summary>No person is close enough: create a new person.</summary>
    NewPerson,
    /// <summary>One person is the same (zone Same): attach the record to it (auditable, reversible merge).</summary>
    SamePerson,
    /// <summary>Only possible matches (grey zone): create the person and queue the pairs for the MDPH referent.</summary>
    Review,
}

/// <summary>The best comparison of the new record with one existing person (over that person's records).</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Identity.PersonMatch")]
public sealed record PersonMatch([property: Id(0)] string PersonId, [property: Id(1)] string RecordId, [property: Id(2)] MatchResult Result);

/// <summary>
/// The decision for one new record. <see cref="Matches"/> holds every person in zone Possible or Same,
/// best first, with the French reasons. When several persons are Same, the best one is
/// <see cref="PersonId"/> and the others are in <see cref="Matches"/> too: they are probably duplicates
/// of each other, for the review queue.
/// </summary>
[GenerateSerializer, Immutable, Alias("Listes360.Identity.IdentityDecision")]
public sealed record IdentityDecision(
    [property: Id(0)] IdentityOutcome Outcome,
    [property: Id(1)] string? PersonId,
    [property: Id(2)] IReadOnlyList<PersonMatch> Matches);

/// <summary>
/// The incremental entry point for the importer and the person grains: one new record against the
/// records of the existing persons that share a block with it (<see cref="Blocking.Keys(PersonRecord)"/>
/// gives the keys to look up). Pure: the caller fetches the candidates and applies the decision.
/// </summary>
public static class IdentityResolver
{
    /// <param name="newRecord">The record to resolve.</param>
    /// <param name="candidates">The records of the persons sharing a block with it.</param>
    /// <param name="scorer">The scorer (default: the calibrated one).</param>
    /// <param name="frequencies">Name frequencies of the département's persons, when the caller keeps them:
    /// a rare name weighs more, a common one less (see <see cref="NameFrequencies"/>).</param>
    /// <param name="department">The département (reads MDPH numbers with the département glued).</param>
    public static IdentityDecision Decide(PersonRecord newRecord, IEnumerable<(string PersonId, PersonRecord Record)> candidates, MatchScorer? scorer = null,
        NameFrequencies? frequencies = null, string? department = null)
    {
        ArgumentNullException.ThrowIfNull(newRecord);
        ArgumentNullException.ThrowIfNull(candidates);
        return Decide(PreparedRecord.From(newRecord, department), candidates.Select(c => (c.PersonId, PreparedRecord.From(c.Record, department))), scorer, frequencies);
    }

    /// <summary>
    /// The same decision on records the caller prepared (<see cref="PreparedRecord.From(PersonRecord, string?)"/>, with
    /// the département): a caller resolving a batch compares each candidate with many rows, and preparing a record
    /// (name variants, phonetic keys) costs more than comparing two.
    /// </summary>
    public static IdentityDecision Decide(PreparedRecord prepared, IEnumerable<(string PersonId, PreparedRecord Record)> candidates, MatchScorer? scorer = null,
        NameFrequencies? frequencies = null)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        ArgumentNullException.ThrowIfNull(candidates);
        scorer ??= MatchScorer.Default;
        if (frequencies is not null) scorer = scorer.WithFrequencies(frequencies);
        var best = new Dictionary<string, PersonMatch>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var (personId, record) in candidates)
        {
            var result = scorer.Explain(record, prepared);
            if (result.Zone == MatchZone.Different) continue;
            if (!best.TryGetValue(personId, out var current))
            {
                order.Add(personId);
                best[personId] = new PersonMatch(personId, record.Record.RecordId, result);
            }
            else if (result.Zone > current.Result.Zone || (result.Zone == current.Result.Zone && result.Score > current.Result.Score))
            {
                best[personId] = new PersonMatch(personId, record.Record.RecordId, result);
            }
        }
        var matches = order.Select((id, i) => (Match: best[id], Order: i))
            .OrderByDescending(x => x.Match.Result.Zone)
            .ThenByDescending(x => x.Match.Result.Score)
            .ThenBy(x => x.Order)
            .Select(x => x.Match)
            .ToList();
        if (matches.Count == 0) return new IdentityDecision(IdentityOutcome.NewPerson, null, matches);
        return matches[0].Result.Zone == MatchZone.Same
            ? new IdentityDecision(IdentityOutcome.SamePerson, matches[0].PersonId, matches)
            : new IdentityDecision(IdentityOutcome.Review, null, matches);
    }

    /// <summary>
    /// For a row that may not create a person because it has no birth date (an ESMS list row: see
    /// README « import-list »): the person it joins — only by a strong key (the same MDPH number in any
    /// notation, the same NIR hash), since names and place alone never merge a record without birth
    /// date (<see cref="MatchScorer"/>) — or, when none, the French reason to reject the row.
    /// </summary>
    public static MissingBirthDateDecision DecideWithoutBirthDate(PersonRecord newRecord, IEnumerable<(string PersonId, PersonRecord Record)> candidates,
        MatchScorer? scorer = null, NameFrequencies? frequencies = null, string? department = null)
    {
        ArgumentNullException.ThrowIfNull(newRecord);
        var decision = Decide(newRecord with { BirthDate = null }, candidates, scorer, frequencies, department);
        if (decision.Outcome == IdentityOutcome.SamePerson)
        {
            var sameByKey = decision.Matches.Where(m => m.Result.Zone == MatchZone.Same).Select(m => m.PersonId).Distinct().Count();
            if (sameByKey == 1) return new MissingBirthDateDecision(decision.PersonId, decision, null);
            return new MissingBirthDateDecision(null, decision,
                "date de naissance manquante et n° de dossier MDPH (ou NIR) porté par plusieurs personnes : ligne à vérifier, aucune personne rattachée");
        }
        var hasKey = !string.IsNullOrWhiteSpace(newRecord.MdphNumber) || !string.IsNullOrWhiteSpace(newRecord.NirHash);
        return new MissingBirthDateDecision(null, decision, hasKey
            ? "date de naissance manquante : le n° de dossier MDPH (ou le NIR) ne correspond à aucune personne connue, et une personne ne peut pas être créée sans date de naissance"
            : "date de naissance manquante : sans n° de dossier MDPH ni NIR, la personne ne peut être ni reconnue ni créée");
    }
}

/// <summary>What <see cref="IdentityResolver.DecideWithoutBirthDate"/> answers for a row without birth date.</summary>
/// <param name="PersonId">The person the row joins (by a strong key), or null.</param>
/// <param name="Decision">The full decision (matches explained, for the review queue).</param>
/// <param name="Refusal">When <paramref name="PersonId"/> is null, why the row cannot be imported, in French.</param>
public sealed record MissingBirthDateDecision(string? PersonId, IdentityDecision Decision, string? Refusal)
{
    /// <summary>The row joins a known person.</summary>
    public bool Joins => PersonId is not null;
}
