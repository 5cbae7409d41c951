using Listes360.Domain;
using Listes360.Domain.Candidatures;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;
using Listes360.Domain.Security;
using Listes360.Domain.Time;
using Listes360.Grains.Common;
using Listes360.Grains.Department;
using Listes360.Grains.Grid;
using Listes360.Grains.Registry;
using Listes360.Grains.Risk;
using Listes360.Grains.Security;
using Listes360.Grains.WaitingList;
using Listes360.Grains.Sequential;
using Microsoft.Extensions.Logging;

namespace Listes360.Grains.Persons;

/// <summary>
/// The truth about one person, held as a <see cref="PersonFile"/>: each command loads the file, asks the
/// aggregate, and writes the new file with its effects (the outbox) once; the effects are then delivered
/// to the ESMS, rankings and département projections (<see cref="OutboxDelivery{T}"/>). A crash between
/// the two leaves the outbox, which the next activation, the redelivery timer or the reconcile pass
/// delivers; receivers apply by version, so a delivery twice is harmless.
/// </summary>
public sealed partial class PersonGrain : Grain, IPersonGrain
{
    private readonly IPersistentState<PersonState> state;
    private readonly TimeProvider clock;
    private readonly DepartmentTopology topology;
    private readonly ILogger<PersonGrain> logger;
    private readonly OutboxDelivery<PersonFileEffect> outbox;

    public PersonGrain(
        [PersistentState("person", StorageNames.Main)] IPersistentState<PersonState> state,
        TimeProvider clock,
        DepartmentTopology topology,
        ILogger<PersonGrain> logger)
    {
        this.state = state;
        this.clock = clock;
        this.topology = topology;
        this.logger = logger;
        outbox = new OutboxDelivery<PersonFileEffect>(this, () => state.State.Pending, DeliverAsync, persist: null, logger);
    }

    private PersonId Id => PersonId.Parse(this.GetPrimaryKeyString());

    private PersonFile File => state.State.ToFile(Id);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        Telemetry.ServiceMetrics.TrackOutbox(this, "person", () => state.State.Pending.Count);
        if (state.State.Record is null)
            return;
        if (state.State.HasLegacyOutbox)
        {
            // A row of the first shape with undelivered outboxes: the whole file is sent again instead.
            state.State.ClearLegacyOutbox();
            await CommitAsync(File.Reconcile(Context()));
            return;
        }
        var expired = File.ApplyExpiries(Context());
        if (expired.Changed)
            await CommitAsync(expired);
        else
            await outbox.DeliverAsync();
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        Telemetry.ServiceMetrics.UntrackOutbox(this);
        // Acknowledgements not written yet: saves a second delivery after the next activation (harmless either way).
        if (outbox.DeliveredSinceWrite)
        {
            try
            {
                await state.WriteStateAsync();
            }
            catch (Exception e)
            {
                logger.LogDebug(e, "Accusés de livraison de {Person} non écrits à la désactivation", Id);
            }
        }
    }

    private PersonFileContext Context(IReadOnlyDictionary<FinessNumber, EsmsProfile?>? esms = null) =>
        new(ParisDate.Today(clock), clock.GetUtcNow(), CallerContext.Current, Idempotency.OperationKey.Current, esms);

    /// <summary>
    /// Runs a command of the file; when it needs an ESMS's profile (<see cref="EsmsProfileNeeded"/>), reads
    /// it and runs the command again with it, until it answers or refuses.
    /// </summary>
    private async Task<T> DecideAsync<T>(Func<PersonFile, PersonFileContext, T> decide)
    {
        var esms = new Dictionary<FinessNumber, EsmsProfile?>();
        var file = File;
        while (true)
        {
            try
            {
                return decide(file, Context(esms));
            }
            catch (EsmsProfileNeeded needed) when (!esms.ContainsKey(needed.Finess))
            {
                esms[needed.Finess] = await GrainFactory.GetGrain<IEsmsGrain>(needed.Finess.Value).GetProfileAsync();
            }
        }
    }

    /// <summary>
    /// Writes the change with its effects (one write: the acknowledged point), then delivers them. A write
    /// that fails leaves the activation as storage has it and the caller gets the error.
    /// </summary>
    private Task CommitAsync(PersonFileChange change, bool deliverInCall = true) =>
        CommitAsync(change, deliverInCall ? EffectDelivery.InCall : EffectDelivery.Soon);

    /// <summary>When a commit's effects leave: in the call, in a turn just after it, or after a grace left to a bulk delivery.</summary>
    private enum EffectDelivery { InCall, Soon, AfterBulkGrace }

    private async Task CommitAsync(PersonFileChange change, EffectDelivery delivery, TimeSpan grace = default)
    {
        if (!change.Changed)
            return;
        try
        {
            state.State.Take(change);
        }
        catch
        {
            await state.ReadStateAsync();
            throw;
        }
        await state.WriteOrRestoreAsync("le dossier de cette personne");
        outbox.DeliveredSinceWrite = false;
        logger.LogDebug("{Person} v{Version} : {Change}", Id, change.File.Version, change.Audit);
        switch (delivery)
        {
            case EffectDelivery.InCall:
                await outbox.DeliverAsync();
                break;
            case EffectDelivery.Soon:
                outbox.DeliverSoon();
                break;
            default:
                outbox.DeliverLater(grace);
                break;
        }
    }


    private async Task<T> CommitAsync<T>(PersonFileChange<T> change)
    {
        await CommitAsync(change.Change);
        return change.Result;
    }

    private Task DeliverAsync(PersonFileEffect effect) => PersonEffectReceivers.DeliverAsync(GrainFactory, topology, Id, effect);

    /// <summary>The person as the caller may see it: a director, only their ESMS's candidatures (<see cref="EsmsView"/>).</summary>
    private PersonSnapshot Snapshot()
    {
        var s = state.State;
        var candidatures = File.Ordered;
        if (CallerContext.Current is { Role: Role.EsmsDirector } director)
            return new PersonSnapshot(s.Record! with { Situation = EsmsView.Situation(director, s.Record!.Situation) },
                EsmsView.OwnCandidatures(director, candidatures), s.Territory, s.ConsentToShare, s.Version, s.Simulated, [],
                EsmsView.SolutionFoundElsewhere(director, candidatures));
        return new PersonSnapshot(s.Record!, candidatures,
            s.Territory, s.ConsentToShare, s.Version, s.Simulated, s.Merges.Where(m => !m.Split).Select(m => m.From).ToList(),
            candidatures.Any(c => c.Status == CandidatureStatus.Admitted));
    }
}

/// <summary>
/// How long a person leaves its effects to a bulk delivery (<see cref="PersonEffectsInBulk"/>) before delivering them
/// itself, given by the import with its rows.
/// </summary>
public sealed class BulkDeliveryGrace
{
    public static BulkDeliveryGrace Default { get; } = new();

    /// <summary>
    /// One ESMS's list (<see cref="Lists.ListImportGrain"/>, delivered after each chunk): far longer than a chunk's
    /// delivery takes, short enough that a failed one is made good within a minute.
    /// </summary>
    public TimeSpan Delay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A département's lists (<see cref="Lists.DepartmentListImportGrain"/>), whose effects are held over many chunks so
    /// that each ESMS and ranking is written a few times in an onboarding, not once per chunk: twice the longest hold.
    /// An onboarding that stops shows its persons in the ESMS views within this delay.
    /// </summary>
    public TimeSpan Onboarding { get; init; } = TimeSpan.FromMinutes(10);

    public static BulkDeliveryGrace Of(IServiceProvider services) => services.GetService(typeof(BulkDeliveryGrace)) as BulkDeliveryGrace ?? Default;
}
