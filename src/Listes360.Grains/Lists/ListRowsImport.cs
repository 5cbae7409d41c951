using Listes360.Domain;
using Listes360.Domain.Candidatures;
using Listes360.Domain.Identity;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;
using Listes360.Domain.Time;
using Listes360.Grains.Common;
using Listes360.Grains.Identity;
using Listes360.Grains.Persons;
using Listes360.Grains.Security;
using Microsoft.Extensions.Logging;
using MatchRecord = Listes360.Domain.Identity.Records.PersonRecord;

namespace Listes360.Grains.Lists;

/// <summary>A list row with the ESMS whose list it comes from (its profile: null when no ESMS is registered under that FINESS).</summary>
public sealed record ListRowOfEsms(ListImportRow Row, FinessNumber Finess, EsmsProfile? Profile, string Source);

/// <summary>
/// Applies list rows of one département, from one ESMS's list (<see cref="ListImportGrain"/>) or from many
/// (<see cref="DepartmentListImportGrain"/>): checks of the row alone, then of its person, before the identity
/// index records anything; one resolution call for all the rows; each person's rows in one commit; their effects
/// delivered in bulk, one batch per receiver. Called from a grain (the calls leave from its scheduler), as the service.
/// </summary>
/// <param name="grace">How long each person leaves its effects to the import's bulk delivery (<see cref="BulkDeliveryGrace"/>).</param>
internal sealed class ListRowsImport(IGrainFactory grains, TimeProvider clock, Department.DepartmentTopology topology, ILogger logger, TimeSpan grace)
{
    /// <summary>Persons written at once: enough to keep storage busy, few enough to leave room for users.</summary>
    private const int Parallelism = 16;

    /// <param name="blind">The caller is a director: no outcome, no id, and rows that would tell whether a person is known are refused.</param>
    /// <param name="deliver">How the applied persons' effects leave: by default at once, in bulk (<see cref="PersonEffectsInBulk"/>);
    /// whatever is not acknowledged, each person delivers itself after its grace.</param>
    /// <param name="resolved">Called once the identity index has resolved the rows: from then on the rest of the import (persons
    /// written, effects) needs the index no more. Not called when the import fails before: the caller's own cleanup releases
    /// whatever waits on it (<see cref="DepartmentListImportGrain"/>).</param>
    public async Task<IReadOnlyList<ListRowResult>> ImportAsync(string department, IReadOnlyList<ListRowOfEsms> rows, string by, bool blind,
        Func<IReadOnlyDictionary<PersonId, ListRowsAppliedForBulk>, Task>? deliver = null, Action? resolved = null)
    {
        var today = ParisDate.Today(clock);
        var results = new ListRowResult?[rows.Count];

        // What can be refused from the row alone is refused before anything is created.
        var accepted = new List<int>();
        var orientations = new Orientation?[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            var (row, finess, profile, _) = rows[i];
            if (finess.Department != department)
            {
                results[i] = Rejected(row, "OTHER_DEPARTMENT",
                    $"l'ESMS {finess} est du département {finess.Department}, pas du {department} : sa liste s'importe dans son département");
                continue;
            }
            if (profile is null)
            {
                results[i] = Rejected(row, "UNKNOWN_ESMS",
                    $"aucun ESMS n'est enregistré sous le numéro FINESS {finess} : enregistrez-le (import-esms) avant d'importer sa liste");
                continue;
            }
            try
            {
                orientations[i] = row.Orientation is { } o
                    ? Orientation.Create(o.DecisionReference, o.Kind ?? profile.Kind, o.ValidFrom ?? row.RequestDate, o.ValidTo, today: today)
                    : null;
            }
            catch (DomainException e)
            {
                results[i] = Rejected(row, e.Code, e.Message);
                continue;
            }
            // A row without birth date (it carries an MDPH number or a NIR) is checked against its person's
            // own record, once found: the row alone gives no age to check.
            var refusals = row.Identity is null ? [] : Eligibility.Check(new PersonRecord
                {
                    Id = PersonId.Parse($"{department}-import"),
                    Identity = row.Identity,
                    Orientations = orientations[i] is { } given ? [given] : [],
                }, profile, row.Modality, today)
                .Where(r => row.Orientation is not null || r.Code != Eligibility.OrientationMismatch).ToList();
            if (RequestDates.Problem(row.RequestDate, today) is { } dateProblem)
                results[i] = Rejected(row, RequestDates.InvalidRequestDate, dateProblem);
            else if (blind && row.Identity is null)
                // Joining by MDPH number alone would tell a director whether the number is known.
                results[i] = Rejected(row, BirthDateRequired,
                    "date de naissance manquante : une direction d'ESMS inscrit chaque personne avec sa date de naissance (colonne « date de naissance »), qu'elle soit déjà connue du département ou non");
            else if (blind && row.Orientation is null)
                // Joining a known person's orientation in force would tell a director that the person exists.
                results[i] = Rejected(row, "CDAPH_DECISION_REQUIRED",
                    "ligne sans décision d'orientation CDAPH (colonne « n° décision CDAPH ») : une direction d'ESMS inscrit chaque personne avec sa décision, qu'elle soit déjà connue du département ou non");
            else if (refusals.Count > 0)
                results[i] = Rejected(row, refusals[0].Code, Eligibility.Explain(refusals));
            else
                accepted.Add(i);
        }

        ListRowChange Change(int i) => new(rows[i].Row.Identity, rows[i].Row.Simulated, rows[i].Row.Situation, orientations[i], rows[i].Finess,
            rows[i].Row.Modality, rows[i].Row.RequestDate, by);
        List<IdentityRequest> Requests() =>
            // A row without birth date never creates a person: it joins the one its MDPH number or NIR designates.
            accepted.Select(i => new IdentityRequest(rows[i].Row.Match, rows[i].Row.Orientation is not null && rows[i].Row.Identity is not null,
                $"{rows[i].Source}, ligne {rows[i].Row.Line}")).ToList();

        // What only the person can refuse (a decision they hold with other terms, their limits) is refused
        // before the identity index records anything: resolution is previewed without writing, each person
        // checks their rows in file order, and only the rows they would take are resolved for good.
        var identity = grains.GetGrain<IIdentityGrain>(department);
        if (accepted.Count > 0)
        {
            var preview = await identity.PreviewAsync(Requests());
            var byPerson = accepted.Select((i, k) => (Index: i, preview[k].PersonId, New: preview[k].Outcome != IdentityOutcome.SamePerson))
                .Where(x => x.PersonId is not null).GroupBy(x => x.PersonId!);
            var refusedByPerson = new HashSet<int>();
            var profiles = rows.Where(r => r.Profile is not null).GroupBy(r => r.Finess).ToDictionary(g => g.Key, g => g.First().Profile);
            foreach (var wave in byPerson.Chunk(Parallelism))
            {
                await Task.WhenAll(wave.Select(async group =>
                {
                    var indexes = group.Select(x => x.Index).ToList();
                    // A person the preview would create (by one of their rows; the next ones join them) has no file yet: their
                    // rows are checked here against an empty one, rather than by activating a grain (and reading storage)
                    // under an id the resolution will not keep.
                    var refusals = group.Any(x => x.New)
                        ? NewPersonRefusals(group.Key, indexes.Select(Change).ToList(), profiles, today)
                        : await grains.GetGrain<IPersonGrain>(group.Key).CheckListRowsAsync(indexes.Select(Change).ToList());
                    for (var n = 0; n < indexes.Count; n++)
                    {
                        if (refusals[n] is { } refusal)
                        {
                            results[indexes[n]] = Rejected(rows[indexes[n]].Row, refusal.Code, refusal.Message);
                            refusedByPerson.Add(indexes[n]);
                        }
                    }
                }));
            }
            accepted.RemoveAll(refusedByPerson.Contains);
        }
        var resolutions = accepted.Count == 0 ? [] : await identity.ResolveAsync(Requests());
        resolved?.Invoke();

        var work = new List<(int Index, string Person, IdentityResolution Resolution)>();
        for (var k = 0; k < accepted.Count; k++)
        {
            var i = accepted[k];
            if (resolutions[k].PersonId is { } person)
                work.Add((i, person, resolutions[k]));
            else if (resolutions[k].Refusal is { } refusal)
                results[i] = Rejected(rows[i].Row, BirthDateRequired, refusal);
            else
                results[i] = Rejected(rows[i].Row, Eligibility.OrientationMismatch,
                    "personne inconnue du département et ligne sans décision d'orientation CDAPH (colonne « n° décision CDAPH ») : impossible de l'inscrire");
        }

        // A person's rows in one commit, in file order; persons a few at a time (on the grain's scheduler, not the
        // thread pool). Their effects (ESMS views, ranking facts, projections) are delivered once all are applied, in bulk.
        var appliedByPerson = new Dictionary<PersonId, ListRowsAppliedForBulk>();
        foreach (var wave in work.GroupBy(w => w.Person).Chunk(Parallelism))
        {
            await Task.WhenAll(wave.Select(async group =>
            {
                var mine = group.ToList();
                try
                {
                    var personGrain = grains.GetGrain<IPersonGrain>(group.Key);
                    // A person resolved as new was given a new id by this resolution: its first activation reads nothing.
                    using var created = mine.Any(w => w.Resolution.Outcome != IdentityOutcome.SamePerson) ? NewGrainHint.For(personGrain.GetGrainId()) : null;
                    var bulk = await personGrain.ApplyListRowsForBulkAsync([.. mine.Select(w => Change(w.Index))], grace);
                    appliedByPerson[PersonId.Parse(group.Key)] = bulk;
                    for (var n = 0; n < mine.Count; n++)
                    {
                        var (i, person, resolution) = mine[n];
                        var row = rows[i].Row;
                        if (bulk.Rows[n].Refusal is { } refusal)
                        {
                            results[i] = Rejected(row, refusal.Code, refusal.Message);
                            continue;
                        }
                        var applied = bulk.Rows[n].Applied!;
                        var kind = resolution.Outcome switch
                        {
                            _ when blind => ListRowOutcome.Accepted,
                            IdentityOutcome.Review => ListRowOutcome.QueuedForReview,
                            _ => applied.PersonCreated ? ListRowOutcome.Created : ListRowOutcome.Matched,
                        };
                        results[i] = new ListRowResult(row.Line, kind, blind ? null : person, applied.CandidatureCreated, applied.Changed);
                    }
                }
                catch (DomainException e)
                {
                    // The person refused the commit itself (STATE_LIMIT_REACHED): none of its rows is applied.
                    foreach (var (i, _, _) in mine)
                        results[i] = Rejected(rows[i].Row, e.Code, e.Message);
                }
            }));
        }

        if (appliedByPerson.Count > 0)
            await (deliver ?? new PersonEffectsInBulk(grains, topology, logger).DeliverAsync)(appliedByPerson);

        // A row refused only now, after the check (the person changed in between, their state outgrew the
        // storage: STATE_LIMIT_REACHED), was already indexed (a new person's id, a new spelling) and may have
        // queued a review item: that is taken back. Resolution itself stays one call of the non-reentrant
        // identity grain (the preview above decides nothing), or two imports could each create the same person.
        var withdrawn = Withdrawals(work.Select(w => (w.Person, rows[w.Index].Row.Match.For(w.Person), w.Resolution, results[w.Index]!.Outcome != ListRowOutcome.Rejected)).ToList());
        var records = withdrawn.Records;
        if (records.Count > 0)
        {
            // A person this resolution created, none of whose rows here was taken, and whose file another import made
            // meanwhile (its rows matched them by this record, resolved after ours and applied first): the record is theirs
            // too and stays, or the person would be found by no record. Otherwise the record goes: a person with a row
            // taken here, or a known person, is found by the records that row or the earlier matches rely on.
            var taken = work.Where(w => results[w.Index]!.Outcome != ListRowOutcome.Rejected).Select(w => w.Person).ToHashSet(StringComparer.Ordinal);
            var created = work.Where(w => w.Resolution.Outcome != IdentityOutcome.SamePerson && !taken.Contains(w.Person))
                .Select(w => w.Person).ToHashSet(StringComparer.Ordinal);
            var madeMeanwhile = new HashSet<string>(StringComparer.Ordinal);
            foreach (var person in records.Select(r => r.PersonId).Where(created.Contains).Distinct(StringComparer.Ordinal))
                if (await grains.GetGrain<IPersonGrain>(person).HasFileAsync())
                    madeMeanwhile.Add(person);
            records = [.. records.Where(r => !madeMeanwhile.Contains(r.PersonId))];
        }
        if (records.Count > 0 || withdrawn.ReviewItems.Count > 0)
            await identity.WithdrawAsync(records, withdrawn.ReviewItems);
        return results.Select(r => r!).ToList();
    }

    /// <summary>
    /// What the refused rows added to the identity index and review queue and no accepted row relies on:
    /// an accepted row of the same person with the same record keeps that record (it was indexed once, by
    /// whichever row came first), an accepted row that queued the same pair keeps that item.
    /// </summary>
    private static (IReadOnlyList<IndexedRecord> Records, IReadOnlyList<string> ReviewItems) Withdrawals(
        IReadOnlyList<(string Person, MatchRecord Record, IdentityResolution Resolution, bool Accepted)> rows)
    {
        var kept = rows.Where(r => r.Accepted).ToList();
        var keptReviews = kept.SelectMany(r => r.Resolution.ReviewsQueued ?? []).ToHashSet(StringComparer.Ordinal);
        var refused = rows.Where(r => !r.Accepted).ToList();
        var records = refused
            .Where(r => r.Resolution.RecordAdded && !kept.Any(k => k.Person == r.Person && MatchRecords.SameContent(k.Record, r.Record)))
            .Select(r => new IndexedRecord(r.Person, r.Record))
            .ToList();
        var reviews = refused.SelectMany(r => r.Resolution.ReviewsQueued ?? []).Where(id => !keptReviews.Contains(id)).Distinct(StringComparer.Ordinal).ToList();
        return (records, reviews);
    }

    /// <summary>What a new person's grain would answer to <see cref="IPersonGrain.CheckListRowsAsync"/>: the same rule on an empty file.</summary>
    private IReadOnlyList<ListRowRefusal?> NewPersonRefusals(string person, IReadOnlyList<ListRowChange> rows,
        IReadOnlyDictionary<FinessNumber, EsmsProfile?> profiles, DateOnly today) =>
        new PersonState().ToFile(PersonId.Parse(person)).CheckListRows(rows,
            new PersonFileContext(today, clock.GetUtcNow(), CallerContext.Current, Idempotency.OperationKey.Current, profiles));

    /// <summary>The code of a row without birth date that joins no known person.</summary>
    public const string BirthDateRequired = "BIRTH_DATE_REQUIRED";

    private static ListRowResult Rejected(ListImportRow row, string code, string message) =>
        new(row.Line, ListRowOutcome.Rejected, null, false, false, code, message);
}
