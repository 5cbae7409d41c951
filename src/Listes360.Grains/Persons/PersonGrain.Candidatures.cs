using Listes360.Domain;
using Listes360.Domain.Candidatures;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;
using Listes360.Grains.Security;

namespace Listes360.Grains.Persons;

/// <summary>The person's record and candidatures: each method loads the file, runs its command, commits once.</summary>
public sealed partial class PersonGrain
{
    public async Task<PersonSnapshot> CreateAsync(PersonIdentity identity, Situation? situation, Carer? carer, bool consentToShare, string by)
    {
        await CommitAsync(File.Create(identity, situation, carer, consentToShare, Context()));
        return Snapshot();
    }

    public Task<PersonSnapshot?> GetAsync()
    {
        File.RequireReachableBy(CallerContext.Current);
        if (state.State.MergedInto is { } survivor)
            return GrainFactory.GetGrain<IPersonGrain>(survivor).GetAsync();
        if (state.State.Record is null)
            return Task.FromResult<PersonSnapshot?>(null);
        return Task.FromResult<PersonSnapshot?>(Snapshot());
    }

    public async Task<PersonSnapshot> UpdateSituationAsync(Situation situation, Carer? carer, string by)
    {
        await CommitAsync(File.UpdateSituation(situation, carer, Context()));
        return Snapshot();
    }

    public async Task<PersonSnapshot> AddOrientationAsync(Orientation orientation, string by)
    {
        await CommitAsync(File.AddOrientation(orientation, Context()));
        return Snapshot();
    }

    public async Task<PersonSnapshot> FlagUrgencyAsync(UrgencyFlag? urgency, string by)
    {
        await CommitAsync(File.FlagUrgency(urgency, Context()));
        return Snapshot();
    }

    public async Task<Candidature> CreateCandidatureAsync(FinessNumber finess, Modality modality, DateOnly requestDate, string by) =>
        await CommitAsync(await DecideAsync((file, context) => file.CreateCandidature(finess, modality, requestDate, by, context)));

    public async Task<PersonSnapshot> ChangeCandidatureStatusAsync(CandidatureId candidatureId, CandidatureStatus target, CandidatureReason? reason, string by)
    {
        await CommitAsync(File.ChangeCandidatureStatus(candidatureId, target, reason, by, Context()));
        return Snapshot();
    }

    public async Task<PersonSnapshot> ResolveSolutionElsewhereAsync(CandidatureId candidatureId, SolutionElsewhereDecision decision, string by)
    {
        var file = File;
        var context = Context();
        await CommitAsync(decision switch
        {
            SolutionElsewhereDecision.Confirm => file.ConfirmSolutionElsewhere(candidatureId, by, context),
            SolutionElsewhereDecision.Reverse => file.ReverseSolutionElsewhere(candidatureId, by, context),
            SolutionElsewhereDecision.KeepAsPreferred => file.KeepAsPreferred(candidatureId, by, context),
            _ => throw new DomainException("INVALID_DECISION", $"Décision inconnue ({decision}).", "decision"),
        });
        return Snapshot();
    }

    /// <summary>Applies expiries and sends the whole file again: views, counts and rankings are rebuilt, whatever they lost.</summary>
    public Task ReconcileAsync() => CommitAsync(File.Reconcile(Context()));

    /// <summary>
    /// As <see cref="ReconcileAsync"/>, answering once the file and its outbox are written: the outbox delivers in a
    /// turn of its own just after, so the département's pass does not wait on every receiver of every person (a busy
    /// one made it time out at 30 s).
    /// </summary>
    public Task ReconcileThenDeliverAsync() => CommitAsync(File.Reconcile(Context()), deliverInCall: false);
}
