using Listes360.Domain;
using Listes360.Domain.Candidatures;
using Listes360.Domain.Grid;
using Listes360.Domain.Persons;
using Listes360.Domain.Projections;
using Listes360.Domain.Registry;
using Listes360.Domain.Security;
using Listes360.Domain.Territories;
using Listes360.Domain.Validation;
using Listes360.Grains.Common;
using Listes360.Grains.Department;
using Listes360.Grains.Grid;
using Listes360.Grains.Registry;
using Listes360.Grains.Security;
using Microsoft.Extensions.Logging;
using Listes360.Domain.Time;

namespace Listes360.Grains.Persons;

[GenerateSerializer, Alias("Listes360.Persons.PersonState")]
public sealed class PersonState
{
    [Id(0)] public PersonRecord? Record { get; set; }
    [Id(1)] public Dictionary<string, Candidature> Candidatures { get; set; } = [];
    [Id(2)] public string? Territory { get; set; }
    [Id(3)] public bool ConsentToShare { get; set; }
    [Id(4)] public int Version { get; set; }

    /// <summary>Candidature views the ESMS grains have not acknowledged yet (the outbox).</summary>
    [Id(5)] public Dictionary<string, EsmsCandidatureView> Outbox { get; set; } = [];

    /// <summary>The département's counts have not acknowledged this version's contribution yet.</summary>
    [Id(6)] public bool CountsPending { get; set; }

    /// <summary>Set when this person was merged into another: a tombstone, reads go to the survivor.</summary>
    [Id(7)] public string? MergedInto { get; set; }

    /// <summary>The persons merged into this one (split ones kept, marked), to undo each merge exactly.</summary>
    [Id(8)] public List<Identity.MergeRecord> Merges { get; set; } = [];

    /// <summary>Created from a SIMULATED list (the demo seed): not a real person.</summary>
    [Id(9)] public bool Simulated { get; set; }

    /// <summary>What the person needs from a sequential placement (null: none declared).</summary>
    [Id(10)] public Domain.Sequential.SequentialNeeds? SequentialNeeds { get; set; }

    /// <summary>The sequential search's projection has not acknowledged this version yet.</summary>
    [Id(11)] public bool SequentialPending { get; set; }

    /// <summary>The person has an entry in the sequential search's projection (to remove when the needs are).</summary>
    [Id(12)] public bool SequentialListed { get; set; }

    /// <summary>Sequential proposals whose places are held in ESMS, until their offers end.</summary>
    [Id(13)] public Dictionary<string, Sequential.SequentialProposal> SequentialProposals { get; set; } = [];

    /// <summary>Candidature facts the ranking grains have not acknowledged yet (the rankings' outbox).</summary>
    [Id(14)] public Dictionary<string, CandidateFacts> RankingOutbox { get; set; } = [];

    /// <summary>The last keyed operations applied (bounded), so that a retry after a failover answers as the first time.</summary>
    [Id(15)] public System.Collections.Immutable.ImmutableList<Domain.Idempotency.AppliedOperation> AppliedOperations { get; set; } = [];
}

/// <summary>
/// The truth about one person. Each change is written here first (with what the ESMS views and the
/// counts must learn, in an outbox) and only then pushed to them: a crash between the two writes
/// leaves the outbox, which the next activation or reconcile pass delivers. ESMS grains apply views
/// by version, so a delivery twice is harmless.
/// </summary>
public sealed partial class PersonGrain(
    [PersistentState("person", StorageNames.Main)] IPersistentState<PersonState> state,
    TimeProvider clock,
    DepartmentTopology topology,
    ILogger<PersonGrain> logger) : Grain, IPersonGrain
{
    private PersonId Id => PersonId.Parse(this.GetPrimaryKeyString());

    private DateOnly Today => ParisDate.Today(clock);

    private PersonRecord Record => state.State.MergedInto is { } survivor
        ? throw new DomainException("PERSON_MERGED", $"La personne {this.GetPrimaryKeyString()} a été fusionnée avec {survivor} : agissez sur {survivor}.", "personId")
        : state.State.Record
        ?? throw new DomainException("UNKNOWN_PERSON", $"Aucune personne n'est enregistrée sous l'identifiant {this.GetPrimaryKeyString()}.", "personId");

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Record is null)
            return;
        var expired = OrientationExpiry.Apply(state.State.Record, state.State.Candidatures.Values, Today, clock.GetUtcNow());
        if (!expired.IsEmpty)
            await CommitAsync(expired);
        else
            await PublishAsync();
        await PublishRankingFactsAsync();
    }

    public async Task<PersonSnapshot> CreateAsync(PersonIdentity identity, Situation? situation, Carer? carer, bool consentToShare, string by)
    {
        if (state.State.Record is not null)
            throw new DomainException("PERSON_EXISTS", $"La personne {Id} existe déjà.", "personId");
        state.State.Record = new PersonRecord
        {
            Id = Id,
            Identity = identity,
            Situation = situation,
            Carers = carer is null ? [] : [carer],
        };
        state.State.Territory = TerritoryOf(identity.ResidenceCommune);
        state.State.ConsentToShare = consentToShare;
        await CommitAsync([]);
        return Snapshot();
    }

    public Task<PersonSnapshot?> GetAsync()
    {
        RequireReachableByDirector();
        if (state.State.MergedInto is { } survivor)
            return GrainFactory.GetGrain<IPersonGrain>(survivor).GetAsync();
        if (state.State.Record is null)
            return Task.FromResult<PersonSnapshot?>(null);
        return Task.FromResult<PersonSnapshot?>(Snapshot());
    }

    public async Task<PersonSnapshot> UpdateSituationAsync(Situation situation, Carer? carer, string by)
    {
        var record = Record;
        if (situation.Since > Today)
            throw new DomainException("INVALID_SITUATION", $"La situation ne peut pas commencer après aujourd'hui ({situation.Since:dd/MM/yyyy}).", "since");
        state.State.Record = record with
        {
            Situation = situation,
            Carers = carer is null ? record.Carers : [carer],
        };
        await CommitAsync([]);
        return Snapshot();
    }

    public async Task<PersonSnapshot> AddOrientationAsync(Orientation orientation, string by)
    {
        var (record, added) = OrientationRecording.Add(Record, orientation);
        if (!added)
            return Snapshot();
        state.State.Record = record;
        var expired = OrientationExpiry.Apply(state.State.Record, state.State.Candidatures.Values, Today, clock.GetUtcNow());
        await CommitAsync(expired);
        return Snapshot();
    }

    public async Task<Candidature> CreateCandidatureAsync(FinessNumber finess, Modality modality, DateOnly requestDate, string by)
    {
        // An id alone proves nothing: a director adds a candidature (another modality) only for a person
        // who already applied to one of their ESMS through an import or an entry of the identity.
        RequireReachableByDirector();
        var record = Record;
        RequireOwnEsmsForDirector(finess);
        if (Domain.Idempotency.AppliedOperations.Find(state.State.AppliedOperations, Idempotency.OperationKey.Current) is { } applied
            && state.State.Candidatures.GetValueOrDefault(applied.CandidatureId) is { } made)
            return made;
        RequestDates.Require(requestDate, Today);
        FieldRules.RequireRoom(state.State.Candidatures.Count, FieldLimits.CandidaturesMaxCount, "finess", "les candidatures de cette personne");
        var profile = await GrainFactory.GetGrain<IEsmsGrain>(finess.Value).GetProfileAsync()
            ?? throw new DomainException("UNKNOWN_ESMS", $"Aucun ESMS n'est enregistré sous le numéro FINESS {finess}.", "finess");
        Eligibility.Require(record, profile, modality, Today);
        if (state.State.Candidatures.Values.FirstOrDefault(c => c.IsOpen && c.Finess == finess && c.Modality == modality) is { } open)
            throw new DomainException("DUPLICATE_CANDIDATURE",
                $"La personne a déjà une candidature ouverte ({open.Id}) à l'ESMS {finess} en {modality.Label().ToLowerInvariant()}.", "finess");

        var candidature = Candidature.For(CandidatureId.New(), Id, profile, modality, requestDate, clock.GetUtcNow(), by);
        RememberOperation(candidature.Id);
        await CommitAsync([candidature]);
        return candidature;
    }

    public async Task<PersonSnapshot> ChangeCandidatureStatusAsync(CandidatureId candidatureId, CandidatureStatus target, CandidatureReason? reason, string by)
    {
        RequireReachableByDirector();
        _ = Record;
        var current = Find(candidatureId);
        RequireOwnEsmsForDirector(current.Finess);
        if (Domain.Idempotency.AppliedOperations.Find(state.State.AppliedOperations, Idempotency.OperationKey.Current)?.CandidatureId == candidatureId.Value)
            return Snapshot();
        var now = clock.GetUtcNow();
        var next = CandidatureStateMachine.Transition(current, target, reason, now, by);
        RememberOperation(candidatureId);
        var all = state.State.Candidatures.Values.Select(c => c.Id == next.Id ? next : c).ToList();
        var effects = next.Status == CandidatureStatus.Admitted
            ? AdmissionEffects.OnAdmission(all, next, now, by)
            : current.Status == CandidatureStatus.Admitted
                ? AdmissionEffects.OnAdmissionUndone(all, next, now, by)
                : [];
        await CommitAsync([next, .. effects]);
        return Snapshot();
    }

    public async Task<PersonSnapshot> ResolveSolutionElsewhereAsync(CandidatureId candidatureId, SolutionElsewhereDecision decision, string by)
    {
        _ = Record;
        var current = Find(candidatureId);
        var now = clock.GetUtcNow();
        var next = decision switch
        {
            SolutionElsewhereDecision.Confirm => CandidatureStateMachine.ConfirmSolutionFoundElsewhere(current, now, by),
            SolutionElsewhereDecision.Reverse => CandidatureStateMachine.ReverseSolutionFoundElsewhere(current, now, by),
            SolutionElsewhereDecision.KeepAsPreferred => AdmissionEffects.KeepAsPreferred(state.State.Candidatures.Values, candidatureId, now, by),
            _ => throw new DomainException("INVALID_DECISION", $"Décision inconnue ({decision}).", "decision"),
        };
        await CommitAsync([next]);
        return Snapshot();
    }

    public async Task ReconcileAsync()
    {
        if (state.State.Record is null)
            return;
        var expired = OrientationExpiry.Apply(state.State.Record, state.State.Candidatures.Values, Today, clock.GetUtcNow());
        // Re-sending everything rebuilds the views and counts, whatever they lost.
        foreach (var candidature in state.State.Candidatures.Values)
            state.State.Outbox[candidature.Id.Value] = EsmsCandidatureView.Of(candidature);
        await CommitAsync(expired);
    }

    private Candidature Find(CandidatureId id) =>
        state.State.Candidatures.GetValueOrDefault(id.Value)
        ?? throw new DomainException("CANDIDATURE_NOT_FOUND", $"La candidature {id} n'appartient pas à la personne {Id}.", "candidatureId");

    /// <summary>
    /// A director reaches a person only through a candidature to one of their ESMS. An unknown, merged or
    /// unrelated person gets the same refusal, checked before anything else: no answer tells a director
    /// whether an id is a person of the département.
    /// </summary>
    private void RequireReachableByDirector()
    {
        if (CallerContext.Current is { Role: Role.EsmsDirector } director
            && (state.State.Record is null || state.State.MergedInto is not null || !EsmsView.HasApplied(director, state.State.Candidatures.Values)))
            throw new DomainException("FORBIDDEN",
                "Accès refusé : cette personne n'a pas de candidature dans vos ESMS ; une personne vous parvient par l'import de votre liste (identité comprise) ou par l'équipe territoriale.");
    }

    private static void RequireOwnEsmsForDirector(FinessNumber finess)
    {
        if (CallerContext.Current is { } caller && AccessPolicy.DenyOtherEsms(caller, finess) is { } refusal)
            throw new DomainException("FORBIDDEN", refusal);
    }

    /// <summary>
    /// Writes the change with its outbox (the acknowledged point), then delivers the outbox. A write
    /// that fails leaves the activation as storage has it and the caller gets the error.
    /// </summary>
    /// <summary>Part of the next commit: written with the change, restored with it if the write fails.</summary>
    private void RememberOperation(CandidatureId candidature) =>
        state.State.AppliedOperations = Domain.Idempotency.AppliedOperations.Remember(state.State.AppliedOperations, Idempotency.OperationKey.Current, candidature.Value);

    private async Task CommitAsync(IReadOnlyCollection<Candidature> changed)
    {
        var s = state.State;
        foreach (var candidature in changed)
        {
            s.Candidatures[candidature.Id.Value] = candidature;
            s.Outbox[candidature.Id.Value] = EsmsCandidatureView.Of(candidature);
        }
        s.Version++;
        s.CountsPending = true;
        MarkSequentialPending();
        QueueRankingFacts(changed);
        await state.WriteOrRestoreAsync("le dossier de cette personne");
        await PublishAsync();
        await PublishRankingFactsAsync();
    }

    /// <summary>Delivers the outbox; what fails stays for the next activation or reconcile pass.</summary>
    private async Task PublishAsync()
    {
        var s = state.State;
        if (s.Outbox.Count == 0 && !s.CountsPending && !SequentialWorkPending())
            return;
        var delivered = false;
        try
        {
            foreach (var view in s.Outbox.Values.ToList())
            {
                await GrainFactory.GetGrain<IEsmsGrain>(view.Finess.Value).ApplyCandidatureAsync(view);
                s.Outbox.Remove(view.Id.Value);
                delivered = true;
            }
            if (s.CountsPending && s.Record is not null)
            {
                var contribution = WaitingProjection.ContributionOf(Id, new PersonContext(s.Territory, s.Record.Situation), s.Candidatures.Values);
                await GrainFactory.GetGrain<IWaitingShardGrain>(topology.ShardOf(Id)).ApplyAsync(Id, s.Version, contribution);
                // The rupture-risk projection follows the same version (ages and durations at today's date).
                await GrainFactory.GetGrain<Risk.IRiskShardGrain>(Risk.RiskTopology.RiskShardOf(topology, Id))
                    .ApplyAsync(Id, s.Version, Domain.Risk.RiskProjection.InputOf(s.Record, s.Candidatures.Values, s.Territory, Today));
                s.CountsPending = false;
                delivered = true;
            }
            delivered |= await PublishSequentialAsync();
        }
        catch (Exception e) when (e is not DomainException { Code: "FORBIDDEN" })
        {
            logger.LogWarning(e, "Propagation différée pour {Person} : {Pending} vue(s) d'ESMS en attente, décomptes {Counts}",
                Id, s.Outbox.Count, s.CountsPending ? "en attente" : "à jour");
            ScheduleRedelivery();
        }
        if (delivered)
            await state.WriteStateAsync();
    }

    private IGrainTimer? _redelivery;
    private int _redeliveryAttempts;

    /// <summary>
    /// What could not be delivered (an ESMS or shard grain on a silo that just died) is tried again a few
    /// seconds later, then less often (up to a minute), while the person stays active: a failover must
    /// not leave an ESMS's view stale until the daily pass.
    /// </summary>
    private void ScheduleRedelivery()
    {
        if (_redelivery is not null)
            return;
        var due = TimeSpan.FromSeconds(Math.Min(60, 2 << Math.Min(_redeliveryAttempts, 5)));
        _redeliveryAttempts++;
        _redelivery = this.RegisterGrainTimer(async _ =>
        {
            _redelivery?.Dispose();
            _redelivery = null;
            await PublishAsync();
            await PublishRankingFactsAsync();
            var s = state.State;
            if (s.Outbox.Count == 0 && !s.CountsPending && s.RankingOutbox.Count == 0 && !SequentialWorkPending())
                _redeliveryAttempts = 0;
        }, new GrainTimerCreationOptions(due, Timeout.InfiniteTimeSpan) { Interleave = false, KeepAlive = true });
    }

    /// <summary>Flags (or clears, with null) an urgency on the person's situation: the grid reads it in every ranking.</summary>
    public async Task<PersonSnapshot> FlagUrgencyAsync(UrgencyFlag? urgency, string by)
    {
        var record = Record;
        if (urgency is { } u && u.Since > Today)
            throw new DomainException("INVALID_URGENCY", $"Une urgence ne peut pas être signalée pour une date à venir ({u.Since:dd/MM/yyyy}).", "since");
        if (record.Urgency == urgency)
            return Snapshot();
        state.State.Record = record with { Urgency = urgency };
        await CommitAsync([]);
        return Snapshot();
    }

    /// <summary>
    /// Every open candidature (and those just changed) gets its facts queued for its ranking: a change of
    /// situation, carer, orientation or urgency moves the person in every ranking at once.
    /// </summary>
    private void QueueRankingFacts(IReadOnlyCollection<Candidature> changed)
    {
        var s = state.State;
        if (s.Record is null)
            return;
        var all = s.Candidatures.Values.ToList();
        foreach (var candidature in all.Where(c => c.IsOpen || changed.Any(x => x.Id == c.Id)))
            s.RankingOutbox[candidature.Id.Value] = CandidateFacts.Of(s.Record, s.Territory, candidature, all);
    }

    /// <summary>Delivers the rankings' outbox; what fails stays for the next activation, commit or reconcile pass.</summary>
    private async Task PublishRankingFactsAsync()
    {
        var s = state.State;
        if (s.RankingOutbox.Count == 0)
            return;
        try
        {
            foreach (var facts in s.RankingOutbox.Values.ToList())
            {
                await GrainFactory.GetGrain<IRankingGrain>(RankingKeys.Of(facts.Finess, facts.Modality)).ApplyFactsAsync(facts);
                s.RankingOutbox.Remove(facts.CandidatureId.Value);
            }
        }
        catch (Exception e) when (e is not DomainException { Code: "FORBIDDEN" })
        {
            logger.LogWarning(e, "Classements différés pour {Person} : {Pending} candidature(s) en attente", Id, s.RankingOutbox.Count);
            ScheduleRedelivery();
        }
        await state.WriteStateAsync();
    }

    private static string? TerritoryOf(string? communeInsee)
    {
        if (string.IsNullOrWhiteSpace(communeInsee) || Domain.Geography.DepartmentCodes.OfCode(communeInsee) is not { } department)
            return null;
        try
        {
            return TerritoryDirectory.FromEmbedded(department).TerritoryOfCommune(communeInsee)?.Code;
        }
        catch (DomainException e) when (e.Code == "TERRITORIES_NOT_AVAILABLE")
        {
            return null;
        }
    }

    /// <summary>The person as the caller may see it: a director, only their ESMS's candidatures (<see cref="EsmsView"/>).</summary>
    private PersonSnapshot Snapshot()
    {
        var s = state.State;
        var candidatures = s.Candidatures.Values.OrderBy(c => c.RequestDate).ThenBy(c => c.Id.Value, StringComparer.Ordinal).ToList();
        if (CallerContext.Current is { Role: Role.EsmsDirector } director)
            return new PersonSnapshot(s.Record! with { Situation = EsmsView.Situation(director, s.Record!.Situation) },
                EsmsView.OwnCandidatures(director, candidatures), s.Territory, s.ConsentToShare, s.Version, s.Simulated, [],
                EsmsView.SolutionFoundElsewhere(director, candidatures));
        return new PersonSnapshot(s.Record!, candidatures,
            s.Territory, s.ConsentToShare, s.Version, s.Simulated, s.Merges.Where(m => !m.Split).Select(m => m.From).ToList(),
            candidatures.Any(c => c.Status == CandidatureStatus.Admitted));
    }
}
