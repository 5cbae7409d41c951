using System.Collections.Immutable;
using Listes360.Domain.Candidatures;
using Listes360.Domain.Grid;
using Listes360.Domain.Projections;
using Listes360.Domain.Registry;
using Listes360.Domain.Risk;
using Listes360.Domain.Validation;
using Applied = Listes360.Domain.Idempotency.AppliedOperations;

namespace Listes360.Domain.Persons;

/// <summary>The person's record, orientations and candidatures: creation, situation, urgency, candidatures and their statuses.</summary>
public sealed partial record PersonFile
{
    public PersonFileChange Create(PersonIdentity identity, Situation? situation, Carer? carer, bool consentToShare, PersonFileContext context)
    {
        if (Record is not null)
            throw new DomainException("PERSON_EXISTS", $"La personne {Id} existe déjà.", "personId");
        var next = this with
        {
            Record = new PersonRecord { Id = Id, Identity = identity, Situation = situation, Carers = carer is null ? [] : [carer] },
            Territory = TerritoryOf(identity.ResidenceCommune),
            ConsentToShare = consentToShare,
        };
        return next.Commit([], context, $"Personne {Id} créée.");
    }

    public PersonFileChange UpdateSituation(Situation situation, Carer? carer, PersonFileContext context)
    {
        var record = LiveRecord;
        if (situation.Since > context.Today)
            throw new DomainException("INVALID_SITUATION", $"La situation ne peut pas commencer après aujourd'hui ({situation.Since:dd/MM/yyyy}).", "since");
        var next = this with { Record = record with { Situation = situation, Carers = carer is null ? record.Carers : [carer] } };
        return next.Commit([], context, $"Situation de {Id} : {situation.Kind}, depuis le {situation.Since:dd/MM/yyyy}.");
    }

    /// <summary>Records a CDAPH decision (a decision already recorded changes nothing); the candidatures it no longer covers close.</summary>
    public PersonFileChange AddOrientation(Orientation orientation, PersonFileContext context)
    {
        var (record, added) = OrientationRecording.Add(LiveRecord, orientation);
        if (!added)
            return PersonFileChange.None(this);
        var next = this with { Record = record };
        var expired = OrientationExpiry.Apply(record, Candidatures.Values, context.Today, context.Now);
        return next.Commit(expired, context, $"Orientation {orientation.DecisionReference} ({orientation.Kind}) enregistrée pour {Id}.");
    }

    /// <summary>Flags (or clears, with null) an urgency on the person's situation: the grid reads it in every ranking.</summary>
    public PersonFileChange FlagUrgency(UrgencyFlag? urgency, PersonFileContext context)
    {
        var record = LiveRecord;
        if (urgency is { } u && u.Since > context.Today)
            throw new DomainException("INVALID_URGENCY", $"Une urgence ne peut pas être signalée pour une date à venir ({u.Since:dd/MM/yyyy}).", "since");
        if (record.Urgency == urgency)
            return PersonFileChange.None(this);
        return (this with { Record = record with { Urgency = urgency } })
            .Commit([], context, urgency is null ? $"Urgence levée pour {Id}." : $"Urgence signalée pour {Id} depuis le {urgency.Since:dd/MM/yyyy}.");
    }

    /// <summary>
    /// A new candidature to an ESMS. A director adds one (another modality) only for a person who already
    /// applied to one of their ESMS; a retry of the same keyed operation answers the candidature it made.
    /// </summary>
    public PersonFileChange<Candidature> CreateCandidature(FinessNumber finess, Modality modality, DateOnly requestDate, string by, PersonFileContext context)
    {
        RequireReachableBy(context.Caller);
        var record = LiveRecord;
        RequireOwnEsms(context.Caller, finess);
        if (Applied.Find(AppliedOperations, context.OperationKey) is { } applied && Candidatures.GetValueOrDefault(applied.CandidatureId) is { } made)
            return new(PersonFileChange.None(this), made);
        RequestDates.Require(requestDate, context.Today);
        FieldRules.RequireRoom(Candidatures.Count, FieldLimits.CandidaturesMaxCount, "finess", "les candidatures de cette personne");
        var profile = context.Profile(finess);
        Eligibility.Require(record, profile, modality, context.Today);
        if (Candidatures.Values.FirstOrDefault(c => c.IsOpen && c.Finess == finess && c.Modality == modality) is { } open)
            throw new DomainException("DUPLICATE_CANDIDATURE",
                $"La personne a déjà une candidature ouverte ({open.Id}) à l'ESMS {finess} en {modality.Label().ToLowerInvariant()}.", "finess");

        var candidature = Candidature.For(context.NextCandidatureId(), Id, profile, modality, requestDate, context.Now, by);
        var next = this with { AppliedOperations = Applied.Remember(AppliedOperations, context.OperationKey, candidature.Id.Value) };
        return new(next.Commit([candidature], context, $"Candidature {candidature.Id} créée à l'ESMS {finess} ({modality.Label().ToLowerInvariant()})."), candidature);
    }

    /// <summary>
    /// Moves a candidature along the harmonised state machine; an admission ends the person's other open
    /// candidatures of the same kind (SOLUTION_FOUND_ELSEWHERE), undoing it restores them.
    /// </summary>
    public PersonFileChange ChangeCandidatureStatus(CandidatureId candidatureId, CandidatureStatus target, CandidatureReason? reason, string by, PersonFileContext context)
    {
        RequireReachableBy(context.Caller);
        _ = LiveRecord;
        var current = Find(candidatureId);
        RequireOwnEsms(context.Caller, current.Finess);
        if (Applied.Find(AppliedOperations, context.OperationKey)?.CandidatureId == candidatureId.Value)
            return PersonFileChange.None(this);
        var next = CandidatureStateMachine.Transition(current, target, reason, context.Now, by);
        var all = Candidatures.Values.Select(c => c.Id == next.Id ? next : c).ToList();
        var effects = next.Status == CandidatureStatus.Admitted
            ? AdmissionEffects.OnAdmission(all, next, context.Now, by)
            : current.Status == CandidatureStatus.Admitted
                ? AdmissionEffects.OnAdmissionUndone(all, next, context.Now, by)
                : [];
        var file = this with { AppliedOperations = Applied.Remember(AppliedOperations, context.OperationKey, candidatureId.Value) };
        var change = file.Commit([next, .. effects], context, $"Candidature {candidatureId} : {current.Status.Label()} → {next.Status.Label()}.");
        return Vacancies.PlaceLeft.Of(Record!, Candidatures.Values, next, context.Now) is { } left
            ? change with { Effects = change.Effects.Add(left) }
            : change;
    }

    /// <summary>The conseiller confirms a SOLUTION_FOUND_ELSEWHERE: the candidature is withdrawn (reason 119).</summary>
    public PersonFileChange ConfirmSolutionElsewhere(CandidatureId candidatureId, string by, PersonFileContext context) =>
        Resolve(candidatureId, c => CandidatureStateMachine.ConfirmSolutionFoundElsewhere(c, context.Now, by), context);

    /// <summary>The closing was wrong: back to the status it left.</summary>
    public PersonFileChange ReverseSolutionElsewhere(CandidatureId candidatureId, string by, PersonFileContext context) =>
        Resolve(candidatureId, c => CandidatureStateMachine.ReverseSolutionFoundElsewhere(c, context.Now, by), context);

    /// <summary>The person keeps this ESMS as preferred: open again, counted apart.</summary>
    public PersonFileChange KeepAsPreferred(CandidatureId candidatureId, string by, PersonFileContext context) =>
        Resolve(candidatureId, _ => AdmissionEffects.KeepAsPreferred(Candidatures.Values, candidatureId, context.Now, by), context);

    private PersonFileChange Resolve(CandidatureId candidatureId, Func<Candidature, Candidature> decide, PersonFileContext context)
    {
        _ = LiveRecord;
        var next = decide(Find(candidatureId));
        return Commit([next], context, $"Candidature {candidatureId} : « solution trouvée ailleurs » traitée ({next.Status.Label()}).");
    }

    /// <summary>Closes the candidatures whose orientation expired (nothing to do: no change).</summary>
    public PersonFileChange ApplyExpiries(PersonFileContext context)
    {
        if (Record is null)
            return PersonFileChange.None(this);
        var expired = OrientationExpiry.Apply(Record, Candidatures.Values, context.Today, context.Now);
        return expired.IsEmpty ? PersonFileChange.None(this) : Commit(expired, context, $"Candidatures de {Id} closes à l'échéance de leur orientation.");
    }

    /// <summary>Applies the expiries and sends everything again: the views, counts and rankings are rebuilt, whatever they lost.</summary>
    public PersonFileChange Reconcile(PersonFileContext context)
    {
        if (Record is null)
            return PersonFileChange.None(this);
        var expired = OrientationExpiry.Apply(Record, Candidatures.Values, context.Today, context.Now);
        return Commit(expired, context, $"Dossier de {Id} renvoyé à ses projections.", resend: true);
    }

    /// <summary>
    /// Every change ends here: the changed candidatures in, one version more, and the effects of this
    /// version: each changed candidature's ESMS view (with <paramref name="resend"/>, every candidature's),
    /// the facts of every open (or changed) candidature for its ranking (a change of situation, carer,
    /// orientation or urgency moves the person in every ranking at once), the département's projections,
    /// the departmental list's row, the places of ended sequential offers, and the sequential search's entry. Rankings come before the
    /// projections: the risk shard reads them when it scores.
    /// </summary>
    private PersonFileChange Commit(IReadOnlyCollection<Candidature> changed, PersonFileContext context, string audit,
        bool resend = false, ImmutableArray<string> withdrawn = default)
    {
        var next = this with
        {
            Candidatures = Candidatures.SetItems(changed.Select(c => KeyValuePair.Create(c.Id.Value, c))),
            Version = Version + 1,
        };
        var all = next.Candidatures.Values.ToList();
        var effects = ImmutableArray.CreateBuilder<PersonFileEffect>();
        foreach (var candidature in resend ? next.Ordered : changed)
            effects.Add(new CandidatureToEsms(candidature));
        if (next.Record is { } record)
        {
            foreach (var candidature in all.Where(c => c.IsOpen || changed.Any(x => x.Id == c.Id)))
                effects.Add(new FactsToRanking(CandidateFacts.Of(record, next.Territory, candidature, all)));
            effects.Add(new ProjectionsOfVersion(next.Version,
                next.MergedInto is null
                    ? WaitingProjection.ContributionOf(record, next.Territory, all, context.Today, Id)
                    : WaitingProjection.ContributionOf(Id, new PersonContext(next.Territory, record.Situation), all),
                RiskProjection.InputOf(record, all, next.Territory, context.Today)));
        }
        effects.Add(new ListRowOfVersion(next.Record is { } listed && next.MergedInto is null
            ? WaitingList.WaitingListRows.Of(listed, all, next.Version, next.Territory, next.SequentialNeeds, next.Simulated, context.Today)
            : WaitingList.WaitingListRows.Gone(Id, next.Version)));
        (next, var releases) = next.EndOffers();
        effects.AddRange(releases);
        if (next.SequentialNeeds is not null || next.SequentialListed)
        {
            effects.Add(new SequentialEntryOfVersion(next.Version, next.SearchEntry()));
            next = next with { SequentialListed = next.SequentialNeeds is not null };
        }
        return new PersonFileChange(next, effects.ToImmutable(), audit, withdrawn.IsDefault ? [] : withdrawn);
    }
}
