using Listes360.Domain.Candidatures;
using Listes360.Domain.Registry;
using Listes360.Domain.Validation;

namespace Listes360.Domain.Persons;

/// <summary>A row of an ESMS list applied to its person: created if <see cref="NewIdentity"/> and the file is empty
/// (a row without birth date has none: it only joins a person who exists).</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Persons.ListRowChange")]
public sealed record ListRowChange(
    [property: Id(0)] PersonIdentity? NewIdentity,
    [property: Id(1)] bool Simulated,
    [property: Id(2)] Situation? Situation,
    [property: Id(3)] Orientation? Orientation,
    [property: Id(4)] FinessNumber Finess,
    [property: Id(5)] Modality Modality,
    [property: Id(6)] DateOnly RequestDate,
    [property: Id(7)] string By);

[GenerateSerializer, Immutable, Alias("Listes360.Persons.ListRowApplied")]
public sealed record ListRowApplied(
    [property: Id(0)] bool PersonCreated,
    [property: Id(1)] bool CandidatureCreated,
    [property: Id(2)] bool Changed);

/// <summary>What one row of <see cref="PersonFile.ApplyListRows"/> did: applied, or refused (and then changed nothing).</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Persons.ListRowOutcomeOfPerson")]
public sealed record ListRowOutcomeOfPerson(
    [property: Id(0)] ListRowApplied? Applied,
    [property: Id(1)] ListRowRefusal? Refusal);

/// <summary>Why a list row would be refused by its person (the code and French message <see cref="PersonFile.ApplyListRow"/> would throw).</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Persons.ListRowRefusal")]
public sealed record ListRowRefusal(
    [property: Id(0)] string Code,
    [property: Id(1)] string Message);

/// <summary>The rows of an ESMS list, one person at a time.</summary>
public sealed partial record PersonFile
{
    /// <summary>
    /// One list row, in one change: the person (created when new), the row's CDAPH decision and
    /// situation, and the candidature to the ESMS unless the person already has one there for that
    /// modality. All checks come first: a refused row changes nothing.
    /// </summary>
    public PersonFileChange<ListRowApplied> ApplyListRow(ListRowChange row, PersonFileContext context)
    {
        var (change, outcomes, refusal) = ApplyListRowsCore([row], context);
        if (refusal is not null)
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(refusal);
        return new(change, outcomes[0].Applied!);
    }

    /// <summary>
    /// Rows of several lists for this person, in their order, in one change (one write): each row is
    /// applied as <see cref="ApplyListRow"/> would after the rows before it; a refused row is skipped
    /// (its refusal given at its place) and changes nothing. A département's onboarding gives a person
    /// all their rows at once instead of one commit per list.
    /// </summary>
    public PersonFileChange<IReadOnlyList<ListRowOutcomeOfPerson>> ApplyListRows(IReadOnlyList<ListRowChange> rows, PersonFileContext context)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var (change, outcomes, _) = ApplyListRowsCore(rows, context);
        return new(change, outcomes);
    }

    private (PersonFileChange Change, IReadOnlyList<ListRowOutcomeOfPerson> Outcomes, DomainException? FirstRefusal) ApplyListRowsCore(
        IReadOnlyList<ListRowChange> rows, PersonFileContext context)
    {
        var record = Record is null ? null : LiveRecord;
        var existing = Candidatures.Values.Select(c => (c.Finess, c.Modality)).ToList();
        var created = new List<Candidature>();
        var outcomes = new ListRowOutcomeOfPerson[rows.Count];
        DomainException? firstRefusal = null;
        var personCreated = false;
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            try
            {
                var plan = PlanListRow(record, existing, row, context);
                var createsPerson = record is null;
                Candidature? candidature = null;
                if (plan.Profile is { } profile)
                {
                    candidature = Candidature.For(context.NextCandidatureId(), Id, profile, row.Modality, row.RequestDate, context.Now, row.By);
                    created.Add(candidature);
                    existing.Add((row.Finess, row.Modality));
                }
                record = plan.Record;
                personCreated |= createsPerson;
                outcomes[i] = new ListRowOutcomeOfPerson(new ListRowApplied(createsPerson, candidature is not null, plan.Changed), null);
            }
            catch (DomainException e)
            {
                firstRefusal ??= e;
                outcomes[i] = new ListRowOutcomeOfPerson(null, new ListRowRefusal(e.Code, e.Message));
            }
        }
        if (!outcomes.Any(o => o.Applied is { Changed: true }))
            return (PersonFileChange.None(this), outcomes, firstRefusal);
        var next = this with { Record = record };
        if (personCreated)
        {
            var first = rows[Array.FindIndex(outcomes, o => o.Applied is not null)];
            next = next with { Territory = TerritoryOf(record!.Identity.ResidenceCommune), Simulated = first.Simulated };
        }
        var applied = rows.Where((_, i) => outcomes[i].Applied is not null).Select(r => r.Finess).Distinct().ToList();
        var audit = applied.Count == 1
            ? $"Ligne de liste de l'ESMS {applied[0]} appliquée à {Id}"
            : $"Lignes des listes des ESMS {string.Join(", ", applied)} appliquées à {Id}";
        var change = next.Commit(created, context,
            audit + (created.Count == 0 ? "." : $" (candidature{(created.Count > 1 ? "s" : "")} {string.Join(", ", created.Select(c => c.Id))})."));
        return (change, outcomes, firstRefusal);
    }

    /// <summary>
    /// The checks of <see cref="ApplyListRow"/> for these rows taken in order on a copy of the file: per
    /// row, its refusal, or null when it would be applied.
    /// </summary>
    public IReadOnlyList<ListRowRefusal?> CheckListRows(IReadOnlyList<ListRowChange> rows, PersonFileContext context)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var record = Record is null ? null : LiveRecord;
        var candidatures = Candidatures.Values.Select(c => (c.Finess, c.Modality)).ToList();
        var refusals = new ListRowRefusal?[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            try
            {
                var plan = PlanListRow(record, candidatures, rows[i], context);
                record = plan.Record;
                if (plan.Profile is not null)
                    candidatures.Add((rows[i].Finess, rows[i].Modality));
            }
            catch (DomainException e)
            {
                refusals[i] = new ListRowRefusal(e.Code, e.Message);
            }
        }
        return refusals;
    }

    /// <summary>
    /// What a list row does to a person (<paramref name="current"/> null: not created yet) with these
    /// candidatures: the record after it, whether anything changes, and the ESMS profile when a
    /// candidature is to be created. Throws the row's refusal.
    /// </summary>
    private (PersonRecord Record, bool Changed, EsmsProfile? Profile) PlanListRow(
        PersonRecord? current, IReadOnlyCollection<(FinessNumber Finess, Modality Modality)> candidatures, ListRowChange row, PersonFileContext context)
    {
        var created = current is null;
        if (created && row.NewIdentity is null)
            throw new DomainException("BIRTH_DATE_REQUIRED",
                $"date de naissance manquante : la personne {Id} n'existe pas et ne peut pas être créée sans date de naissance", "birthDate");
        var record = current ?? new PersonRecord { Id = Id, Identity = row.NewIdentity!, Situation = row.Situation };
        var changed = created;
        if (row.Orientation is { } orientation)
        {
            (record, var added) = OrientationRecording.Add(record, orientation);
            changed |= added;
        }
        if (!created && row.Situation is { } situation && record.Situation?.Kind != situation.Kind)
        {
            record = record with { Situation = situation };
            changed = true;
        }

        if (candidatures.Any(c => c.Finess == row.Finess && c.Modality == row.Modality))
            return (record, changed, null);
        FieldRules.RequireRoom(candidatures.Count, FieldLimits.CandidaturesMaxCount, "finess", "les candidatures de cette personne");
        var profile = context.Profile(row.Finess);
        RequestDates.Require(row.RequestDate, context.Today);
        Eligibility.Require(record, profile, row.Modality, context.Today);
        return (record, true, profile);
    }
}
