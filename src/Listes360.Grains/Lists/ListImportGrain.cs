using Listes360.Domain;
using Listes360.Domain.Candidatures;
using Listes360.Domain.Identity;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;
using Listes360.Domain.Security;
using Listes360.Grains.Identity;
using Listes360.Grains.Persons;
using Listes360.Grains.Registry;
using Listes360.Grains.Security;
using MatchRecord = Listes360.Domain.Identity.Records.PersonRecord;
using Listes360.Domain.Time;

namespace Listes360.Grains.Lists;

public sealed class ListImportGrain(TimeProvider clock, Department.DepartmentTopology topology, Microsoft.Extensions.Logging.ILogger<ListImportGrain> logger) : Grain, IListImportGrain
{
    /// <summary>Persons written at once: enough to keep storage busy, few enough to leave room for users.</summary>
    private const int Parallelism = 16;

    public async Task<IReadOnlyList<ListRowResult>> ImportAsync(IReadOnlyList<ListImportRow> rows, string source, string by)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var finess = FinessNumber.Parse(this.GetPrimaryKeyString());
        var today = ParisDate.Today(clock);
        var results = new ListRowResult?[rows.Count];

        // A director must not learn from the answer whether a person was known: no outcome, no id.
        var blind = CallerContext.Current?.Role is Role.EsmsDirector;
        // The caller was checked for this ESMS; the rows are applied by the service on their behalf.
        using var acting = CallerContext.As(new Caller($"{by} (import de liste, ESMS {finess})", Role.System, [], finess.Department, null));
        var profile = await GrainFactory.GetGrain<IEsmsGrain>(finess.Value).GetProfileAsync()
            ?? throw new DomainException("UNKNOWN_ESMS", $"Aucun ESMS n'est enregistré sous le numéro FINESS {finess} : enregistrez-le (import-esms) avant d'importer sa liste.", "finess");

        // What can be refused from the row alone is refused before anything is created.
        var accepted = new List<int>();
        var orientations = new Orientation?[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
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
                    Id = PersonId.Parse($"{finess.Department}-import"),
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

        ListRowChange Change(int i) => new(rows[i].Identity, rows[i].Simulated, rows[i].Situation, orientations[i], finess, rows[i].Modality, rows[i].RequestDate, by);
        List<IdentityRequest> Requests() =>
            // A row without birth date never creates a person: it joins the one its MDPH number or NIR designates.
            accepted.Select(i => new IdentityRequest(rows[i].Match, rows[i].Orientation is not null && rows[i].Identity is not null, $"{source}, ligne {rows[i].Line}")).ToList();

        // What only the person can refuse (a decision they hold with other terms, their limits) is refused
        // before the identity index records anything: resolution is previewed without writing, each person
        // checks their rows in file order, and only the rows they would take are resolved for good.
        var identity = GrainFactory.GetGrain<IIdentityGrain>(finess.Department);
        if (accepted.Count > 0)
        {
            var preview = await identity.PreviewAsync(Requests());
            var byPerson = accepted.Select((i, k) => (Index: i, preview[k].PersonId, New: preview[k].Outcome != IdentityOutcome.SamePerson))
                .Where(x => x.PersonId is not null).GroupBy(x => (Person: x.PersonId!, x.New));
            var refusedByPerson = new HashSet<int>();
            foreach (var wave in byPerson.Chunk(Parallelism))
            {
                await Task.WhenAll(wave.Select(async group =>
                {
                    var indexes = group.Select(x => x.Index).ToList();
                    // A person the preview would create has no file yet: their rows are checked here against an empty one,
                    // rather than by activating a grain (and reading storage) under an id the resolution will not keep.
                    var refusals = group.Key.New
                        ? NewPersonRefusals(group.Key.Person, indexes.Select(Change).ToList(), profile, today)
                        : await GrainFactory.GetGrain<IPersonGrain>(group.Key.Person).CheckListRowsAsync(indexes.Select(Change).ToList());
                    for (var n = 0; n < indexes.Count; n++)
                    {
                        if (refusals[n] is { } refusal)
                        {
                            results[indexes[n]] = Rejected(rows[indexes[n]], refusal.Code, refusal.Message);
                            refusedByPerson.Add(indexes[n]);
                        }
                    }
                }));
            }
            accepted.RemoveAll(refusedByPerson.Contains);
        }
        var resolutions = accepted.Count == 0 ? [] : await identity.ResolveAsync(Requests());

        var work = new List<(int Index, string Person, IdentityResolution Resolution)>();
        for (var k = 0; k < accepted.Count; k++)
        {
            var i = accepted[k];
            if (resolutions[k].PersonId is { } person)
                work.Add((i, person, resolutions[k]));
            else if (resolutions[k].Refusal is { } refusal)
                results[i] = Rejected(rows[i], BirthDateRequired, refusal);
            else
                results[i] = Rejected(rows[i], Eligibility.OrientationMismatch,
                    "personne inconnue du département et ligne sans décision d'orientation CDAPH (colonne « n° décision CDAPH ») : impossible de l'inscrire");
        }

        // Rows of one person in file order; persons a few at a time (on the grain's scheduler, not the thread pool).
        // Their effects (ESMS views, ranking facts, projections) are delivered once all rows are applied, in bulk.
        var appliedByPerson = new Dictionary<PersonId, ListRowAppliedForBulk>();
        foreach (var wave in work.GroupBy(w => w.Person).Chunk(Parallelism))
        {
            await Task.WhenAll(wave.Select(async group =>
            {
                foreach (var (i, person, resolution) in group)
                {
                    var row = rows[i];
                    try
                    {
                        var bulk = await GrainFactory.GetGrain<IPersonGrain>(person).ApplyListRowForBulkAsync(Change(i));
                        appliedByPerson[PersonId.Parse(person)] = bulk;
                        var applied = bulk.Applied;
                        var kind = resolution.Outcome switch
                        {
                            _ when blind => ListRowOutcome.Accepted,
                            IdentityOutcome.Review => ListRowOutcome.QueuedForReview,
                            _ => applied.PersonCreated ? ListRowOutcome.Created : ListRowOutcome.Matched,
                        };
                        results[i] = new ListRowResult(row.Line, kind, blind ? null : person, applied.CandidatureCreated, applied.Changed);
                    }
                    catch (DomainException e)
                    {
                        results[i] = Rejected(row, e.Code, e.Message);
                    }
                }
            }));
        }

        if (appliedByPerson.Count > 0)
            await new PersonEffectsInBulk(GrainFactory, topology, logger).DeliverAsync(appliedByPerson);

        // A row refused only now, after the check (the person changed in between, their state outgrew the
        // storage: STATE_LIMIT_REACHED), was already indexed (a new person's id, a new spelling) and may have
        // queued a review item: that is taken back. Resolution itself stays one call of the non-reentrant
        // identity grain (the preview above decides nothing), or two imports could each create the same person.
        var withdrawn = Withdrawals(work.Select(w => (w.Person, rows[w.Index].Match.For(w.Person), w.Resolution, results[w.Index]!.Outcome != ListRowOutcome.Rejected)).ToList());
        if (withdrawn.Records.Count > 0 || withdrawn.ReviewItems.Count > 0)
            await identity.WithdrawAsync(withdrawn.Records, withdrawn.ReviewItems);
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
    private IReadOnlyList<ListRowRefusal?> NewPersonRefusals(string person, IReadOnlyList<ListRowChange> rows, EsmsProfile profile, DateOnly today) =>
        new PersonState().ToFile(PersonId.Parse(person)).CheckListRows(rows,
            new PersonFileContext(today, clock.GetUtcNow(), CallerContext.Current, Idempotency.OperationKey.Current,
                new Dictionary<FinessNumber, EsmsProfile?> { [profile.Finess] = profile }));

    /// <summary>The code of a row without birth date that joins no known person.</summary>
    public const string BirthDateRequired = "BIRTH_DATE_REQUIRED";

    private static ListRowResult Rejected(ListImportRow row, string code, string message) =>
        new(row.Line, ListRowOutcome.Rejected, null, false, false, code, message);
}
