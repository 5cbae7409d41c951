using Listes360.Domain;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;
using Listes360.Domain.Sequential;
using Listes360.Grains.Common;
using Listes360.Grains.Registry;
using Microsoft.Extensions.Logging;
using Listes360.Domain.Time;

namespace Listes360.Grains.Sequential;

[GenerateSerializer, Alias("Listes360.Sequential.EsmsAvailabilityState")]
public sealed class EsmsAvailabilityState
{
    [Id(0)] public EsmsAvailability? Availability { get; set; }
    /// <summary>The profile as of the last declaration, for the directory (the ESMS grain owns it).</summary>
    [Id(1)] public EsmsProfile? Profile { get; set; }
    [Id(2)] public int Version { get; set; }
    /// <summary>The first shape's flag (the directory had not acknowledged the version): read from old rows, migrated on activation.</summary>
    [Id(3)] public bool DirectoryPending { get; set; }
    /// <summary>The directory's entry not acknowledged yet (the one outbox: at most one item, the latest version).</summary>
    [Id(4)] public Outbox<DirectoryEntry> Pending { get; set; } = new();
}

/// <summary>What the département's availability directory must learn of an ESMS: its offer at a version.</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Sequential.DirectoryEntry")]
public sealed record DirectoryEntry([property: Id(0)] EsmsOffer Offer, [property: Id(1)] int Version);

public sealed class EsmsAvailabilityGrain : Grain, IEsmsAvailabilityGrain
{
    private readonly IPersistentState<EsmsAvailabilityState> state;
    private readonly TimeProvider clock;
    private readonly Domain.Security.EsmsReferences references;
    private readonly OutboxDelivery<DirectoryEntry> outbox;

    public EsmsAvailabilityGrain(
        [PersistentState("availability", StorageNames.Main)] IPersistentState<EsmsAvailabilityState> state,
        TimeProvider clock,
        Domain.Security.EsmsReferences references,
        ILogger<EsmsAvailabilityGrain> logger)
    {
        this.state = state;
        this.clock = clock;
        this.references = references;
        // The search may be a little behind, never the reservations: what fails is delivered again by the timer or the next change.
        outbox = new OutboxDelivery<DirectoryEntry>(this, () => state.State.Pending,
            entry => GrainFactory.GetGrain<IAvailabilityDirectoryGrain>(Finess.Department).RecordAsync(entry.Offer, entry.Version),
            state.WriteStateAsync, logger);
    }

    /// <summary>How long a proposal may hold places while it asks the other ESMS of its combination.</summary>
    public static readonly TimeSpan HoldDuration = TimeSpan.FromMinutes(2);

    private FinessNumber Finess => FinessNumber.Parse(this.GetPrimaryKeyString());

    private EsmsAvailability Availability => state.State.Availability ?? EsmsAvailability.Empty(Finess);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.DirectoryPending)
        {
            state.State.DirectoryPending = false;
            QueueDirectoryEntry();
        }
        return outbox.DeliverAsync();
    }

    public async Task<EsmsAvailabilityView> DeclareAsync(Modality modality, int halfDays, int places, DateOnly from, DateOnly? to, string by)
    {
        var esms = await GrainFactory.GetGrain<IEsmsGrain>(Finess.Value).GetAsync()
            ?? throw new DomainException("UNKNOWN_ESMS", $"Aucun ESMS n'est enregistré sous le numéro FINESS {Finess}.", "finess");
        var declaration = new AvailabilityDeclaration
        {
            Id = $"D-{Guid.NewGuid():N}"[..14],
            Modality = modality,
            HalfDays = halfDays,
            Places = places,
            From = from,
            To = to,
            DeclaredBy = by,
            DeclaredAt = clock.GetUtcNow(),
        };
        var next = Availability.Declare(declaration, esms.Profile, esms.Places.FirstOrDefault(p => p.Modality == modality));
        state.State.Profile = esms.Profile;
        await CommitAsync(next);
        return View(from);
    }

    public async Task<EsmsAvailabilityView> WithdrawAsync(string declarationId, string by)
    {
        await CommitAsync(Availability.Withdraw(declarationId, clock.GetUtcNow()));
        return View(Today);
    }

    public Task<EsmsAvailabilityView> GetAsync(DateOnly date) => Task.FromResult(View(date));

    /// <summary>Each person under this ESMS's reference; a director gets only the reference (the persons have not applied here).</summary>
    public async Task<SequentialSearchResult> FindCandidatesAsync(DateOnly date, int maxStructures, int first) =>
        Domain.Security.EsmsView.WithReferences(
            await GrainFactory.GetGrain<ISequentialSearchGrain>(Finess.Department).SearchForEsmsAsync(Finess, date, maxStructures, first),
            person => references.Of(Finess, person), withoutIds: Security.CallerContext.Current?.Role is Domain.Security.Role.EsmsDirector);

    public async Task HoldAsync(string proposalId, PersonId person, Modality modality, int halfDays, DateOnly from)
    {
        var now = clock.GetUtcNow();
        var next = Availability.Hold(proposalId, person, modality, halfDays, from, now + HoldDuration, now);
        if (!ReferenceEquals(next, Availability))
            await CommitAsync(next);
    }

    public async Task ConfirmAsync(string proposalId)
    {
        var next = Availability.Confirm(proposalId, clock.GetUtcNow());
        if (!ReferenceEquals(next, Availability))
            await CommitAsync(next);
    }

    public async Task ReleaseAsync(string proposalId)
    {
        var next = Availability.Release(proposalId);
        if (!ReferenceEquals(next, Availability))
            await CommitAsync(next);
    }

    public Task<EsmsOffer?> GetOfferAsync() =>
        Task.FromResult(state.State.Profile is { } profile && state.State.Availability is { } a ? new EsmsOffer(profile, a) : null);

    private DateOnly Today => ParisDate.Today(clock);

    /// <summary>Durable first (with the directory's entry in the outbox), then the directory; a failed write leaves the activation as storage has it.</summary>
    private async Task CommitAsync(EsmsAvailability next)
    {
        state.State.Availability = next;
        state.State.Version++;
        QueueDirectoryEntry();
        await state.WriteOrRestoreAsync("les disponibilités de cet ESMS");
        await outbox.DeliverAsync();
    }

    private void QueueDirectoryEntry()
    {
        if (state.State.Profile is { } profile && state.State.Availability is { } availability)
            state.State.Pending.Put("directory", new DirectoryEntry(new EsmsOffer(profile, availability), state.State.Version));
    }

    private EsmsAvailabilityView View(DateOnly date)
    {
        var a = Availability;
        var now = clock.GetUtcNow();
        var free = a.Declarations.Select(d => d.Modality).Distinct().Order()
            .SelectMany(m => WeekSlots.HalfDays(WeekSlots.FullWeek).Select(h => new FreeSlots(m, h, Math.Max(0, a.Free(m, h, date, now)))))
            .Where(f => f.Places > 0)
            .ToList();
        return new EsmsAvailabilityView(Finess, date, a.Declarations.ToList(), a.Reservations.Where(r => r.Counts(now)).ToList(), free, state.State.Version);
    }
}
