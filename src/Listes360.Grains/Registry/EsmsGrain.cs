using Listes360.Domain;
using Listes360.Domain.Candidatures;
using Listes360.Domain.Registry;
using Listes360.Domain.Validation;
using Listes360.Grains.Common;
using Listes360.Grains.Department;
using Listes360.Domain.Time;
using Listes360.Grains.Vacancies;
using Microsoft.Extensions.Logging;

namespace Listes360.Grains.Registry;

[GenerateSerializer, Alias("Listes360.Registry.EsmsState")]
public sealed class EsmsState
{
    [Id(0)] public EsmsProfile? Profile { get; set; }
    [Id(1)] public Dictionary<Modality, Places> Places { get; set; } = [];
    [Id(2)] public List<PlacesChange> PlacesHistory { get; set; } = [];
    [Id(3)] public int Version { get; set; }
    [Id(4)] public Dictionary<string, EsmsCandidatureView> Candidatures { get; set; } = [];
    /// <summary>Pages of older place changes moved to <see cref="IPlacesHistoryArchiveGrain"/> (50 each).</summary>
    [Id(5)] public int ArchivedPlacesPages { get; set; }
    /// <summary>What the ESMS's vacancies must learn (places declared, candidatures changed), delivered after the write.</summary>
    [Id(6)] public Outbox<EsmsEffect> Pending { get; set; } = new();
}

/// <summary>What an ESMS's receivers must learn (its vacancies), kept in its outbox until delivered.</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Registry.EsmsEffect")]
public abstract record EsmsEffect
{
    public abstract string Key { get; }
}

/// <summary>Places declared for a modality: vacancies &gt; 0 open vacancies (<see cref="IVacancyGrain.OnPlacesDeclaredAsync"/>).</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Registry.PlacesToVacancies")]
public sealed record PlacesToVacancies([property: Id(0)] EsmsProfile Profile, [property: Id(1)] Places Places, [property: Id(2)] string By) : EsmsEffect
{
    public override string Key => "places/" + Places.Modality;
}

/// <summary>A candidature changed status: a pending offer of a vacancy follows it (<see cref="IVacancyGrain.FollowCandidatureAsync"/>).</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Registry.CandidatureToVacancies")]
public sealed record CandidatureToVacancies([property: Id(0)] EsmsCandidatureView View) : EsmsEffect
{
    public override string Key => "candidature/" + View.Id.Value;
}

/// <summary>A candidature changed status: the département's SI-SDO client queues it (<see cref="Sdo.ISdoExchangeGrain.EnqueueAsync"/>), when configured.</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Registry.CandidatureToSdo")]
public sealed record CandidatureToSdo([property: Id(0)] EsmsCandidatureView View) : EsmsEffect
{
    public override string Key => "sdo/" + View.Id.Value;
}

/// <summary>
/// How an ESMS's view of its candidatures stays bounded: open ones are all kept (what the ESMS has);
/// a closed one is kept <see cref="ClosedKeptDays"/> days after its last change, then dropped (the
/// person's grain keeps the candidature and its history), and not taken back if resent later.
/// </summary>
public static class EsmsViews
{
    public const int ClosedKeptDays = 366;

    public static bool Expired(EsmsCandidatureView view, DateOnly today) =>
        !view.Status.IsOpen() && DateOnly.FromDateTime(view.UpdatedAt.UtcDateTime) < today.AddDays(-ClosedKeptDays);

    public static void DropExpired(Dictionary<string, EsmsCandidatureView> views, DateOnly today)
    {
        foreach (var id in views.Where(v => Expired(v.Value, today)).Select(v => v.Key).ToList())
            views.Remove(id);
    }
}

public sealed class EsmsGrain : Grain, IEsmsGrain
{
    private readonly IPersistentState<EsmsState> state;
    private readonly TimeProvider clock;
    private readonly OutboxDelivery<EsmsEffect> outbox;

    public EsmsGrain([PersistentState("esms", StorageNames.Main)] IPersistentState<EsmsState> state, TimeProvider clock, ILogger<EsmsGrain> logger)
    {
        this.state = state;
        this.clock = clock;
        outbox = new OutboxDelivery<EsmsEffect>(this, () => state.State.Pending, DeliverAsync, persist: null, logger);
    }

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        Telemetry.ServiceMetrics.TrackOutbox(this, "esms", () => state.State.Pending.Count);
        return outbox.DeliverAsync();
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        Telemetry.ServiceMetrics.UntrackOutbox(this);
        return base.OnDeactivateAsync(reason, cancellationToken);
    }

    private Task DeliverAsync(EsmsEffect effect) => effect switch
    {
        PlacesToVacancies e => GrainFactory.GetGrain<IVacancyGrain>(Finess.Value).OnPlacesDeclaredAsync(e.Profile, e.Places, e.By),
        CandidatureToVacancies e => GrainFactory.GetGrain<IVacancyGrain>(Finess.Value).FollowCandidatureAsync(e.View),
        CandidatureToSdo e => GrainFactory.GetGrain<Sdo.ISdoExchangeGrain>(Finess.Department).EnqueueAsync(e.View),
        _ => throw new InvalidOperationException($"Effet inconnu : {effect.GetType().Name}."),
    };

    /// <summary>Statuses a pending offer follows (OFFERED itself is recorded by the vacancy when offered).</summary>
    private static bool VacancyFollows(CandidatureStatus status) => status is CandidatureStatus.Admitted or CandidatureStatus.DeclinedByPerson
        or CandidatureStatus.Waiting or CandidatureStatus.RefusedByEsms or CandidatureStatus.Withdrawn or CandidatureStatus.Expired or CandidatureStatus.SolutionFoundElsewhere;

    private FinessNumber Finess => FinessNumber.Parse(this.GetPrimaryKeyString());

    public Task<EsmsSnapshot?> GetAsync() =>
        Task.FromResult(state.State.Profile is null ? null : Snapshot());

    public Task<EsmsProfile?> GetProfileAsync() => Task.FromResult(state.State.Profile);

    public async Task<EsmsRegistrationResult> RegisterAsync(EsmsProfile profile, string by)
    {
        if (profile.Finess != Finess)
            throw new DomainException("INVALID_ESMS", $"Le profil porte le FINESS {profile.Finess}, pas {Finess}.", "finess");
        var s = state.State;
        if (s.Profile == profile)
        {
            await RecordInRegistryAsync();
            return new EsmsRegistrationResult(Snapshot(), Changed: false);
        }

        s.Profile = profile;
        s.Version++;
        await WriteOrRollBackAsync();
        await RecordInRegistryAsync();
        return new EsmsRegistrationResult(Snapshot(), Changed: true);
    }

    public async Task<EsmsSnapshot> SetPlacesAsync(Modality modality, int capacity, int occupied, DateOnly effectiveDate, string by)
    {
        var s = state.State;
        if (s.Profile is null)
            throw new DomainException("UNKNOWN_ESMS", $"Aucun ESMS n'est enregistré sous le numéro FINESS {Finess}.", "finess");
        if (!s.Profile.Modalities.Contains(modality))
            throw new DomainException("MODALITY_NOT_OFFERED",
                $"L'ESMS {Finess} ne propose pas la modalité « {modality.Label()} » (modalités : {string.Join(", ", s.Profile.Modalities.Select(m => m.Label()))}).", "modality");

        var declared = Places.Declare(modality, capacity, occupied, effectiveDate, ParisDate.Today(clock));
        s.Places.TryGetValue(modality, out var before);
        if (before == declared)
            return Snapshot();

        // The oldest changes go to the archive before anything here changes: a failure leaves both as they were.
        if (s.PlacesHistory.Count >= 2 * FieldLimits.PlacesHistoryKept)
            await ArchiveOldestPlacesChangesAsync();
        s.Places[modality] = declared;
        s.PlacesHistory.Add(new PlacesChange(modality, before, declared, by, clock.GetUtcNow()));
        s.Version++;
        if (declared.Vacancies > 0)
            s.Pending.Put("places/" + modality, new PlacesToVacancies(s.Profile, declared, by));
        await WriteOrRollBackAsync();
        await outbox.DeliverAsync();
        return Snapshot();
    }

    public async Task<IReadOnlyList<PlacesChange>> GetArchivedPlacesChangesAsync(int page) =>
        page < 1 || page > state.State.ArchivedPlacesPages
            ? []
            : await GrainFactory.GetGrain<IPlacesHistoryArchiveGrain>(PlacesHistoryArchiveGrain.Key(Finess, page)).GetAsync();

    private async Task ArchiveOldestPlacesChangesAsync()
    {
        var s = state.State;
        var oldest = s.PlacesHistory.Take(FieldLimits.PlacesHistoryKept).ToList();
        await GrainFactory.GetGrain<IPlacesHistoryArchiveGrain>(PlacesHistoryArchiveGrain.Key(Finess, s.ArchivedPlacesPages + 1)).StoreAsync(oldest);
        s.PlacesHistory.RemoveRange(0, oldest.Count);
        s.ArchivedPlacesPages++;
    }

    public Task<Page<EsmsCandidatureView>> GetCandidaturesAsync(bool openOnly, string? after, int first)
    {
        var ordered = state.State.Candidatures.Values
            .Where(c => !openOnly || c.Status.IsOpen())
            .OrderBy(SortKey, StringComparer.Ordinal)
            .ToList();
        return Task.FromResult(Paging.Of(ordered, SortKey, after, first));
    }

    public Task ApplyCandidatureAsync(EsmsCandidatureView view) => ApplyCandidaturesAsync([view]);

    public async Task ApplyCandidaturesAsync(IReadOnlyList<EsmsCandidatureView> views)
    {
        ArgumentNullException.ThrowIfNull(views);
        // Every view is checked before the first change: a batch with one stranger changes nothing.
        foreach (var view in views)
            if (view.Finess != Finess)
                throw new DomainException("INVALID_CANDIDATURE", $"La candidature {view.Id} vise l'ESMS {view.Finess}, pas {Finess}.", "finess");
        var today = ParisDate.Today(clock);
        var applied = new List<(EsmsCandidatureView View, CandidatureStatus? Before)>();
        try
        {
            foreach (var view in views)
            {
                if (Record(view, today, out var before))
                    applied.Add((view, before));
            }
        }
        catch
        {
            // A view refused midway (the outbox full): nothing of the batch stays in memory.
            await state.ReadStateAsync();
            throw;
        }
        if (applied.Count == 0)
            return;
        await WriteOrRollBackAsync();
        // An admission reaches this list (the admitted candidature, or another closed by it): how long it took.
        foreach (var (view, before) in applied)
            if (before != view.Status && (view.Status == CandidatureStatus.Admitted
                    || (view.Status == CandidatureStatus.SolutionFoundElsewhere && view.Reason == CandidatureReason.AdmittedElsewhere)))
                Telemetry.ServiceMetrics.RecordAdmissionViewDelay(clock.GetUtcNow() - view.UpdatedAt, view.Status.ToString());
        await outbox.DeliverAsync();
    }

    /// <summary>Records the view in memory with what its vacancies and the SI-SDO must learn; false when it changes nothing. <paramref name="before"/>: the status it replaced (null when new).</summary>
    private bool Record(EsmsCandidatureView view, DateOnly today, out CandidatureStatus? before)
    {
        var candidatures = state.State.Candidatures;
        candidatures.TryGetValue(view.Id.Value, out var known);
        before = known?.Status;
        if (known is not null && known.Version >= view.Version)
            return false;
        if (known is null && EsmsViews.Expired(view, today))
            return false;
        candidatures[view.Id.Value] = view;
        EsmsViews.DropExpired(candidatures, today);
        // Only a change out of OFFERED concerns a vacancy (an offer moves the candidature to OFFERED first).
        // Out of ADMITTED: the admission is undone, a vacancy it filled opens again.
        if (known?.Status == CandidatureStatus.Offered && VacancyFollows(view.Status)
            || known?.Status == CandidatureStatus.Admitted && view.Status != CandidatureStatus.Admitted)
            state.State.Pending.Put("candidature/" + view.Id.Value, new CandidatureToVacancies(view));
        // The SI-SDO learns every status (and reason) change, when the service is its client.
        if ((known is null || known.Status != view.Status || known.Reason != view.Reason)
            && ServiceProvider.GetService(typeof(Sdo.SdoClientSwitch)) is Sdo.SdoClientSwitch { Enabled: true } sdo && sdo.Departments.Contains(Finess.Department))
            state.State.Pending.Put("sdo/" + view.Id.Value, new CandidatureToSdo(view));
        return true;
    }

    /// <summary>Request date, then id: a stable order for lists and cursors.</summary>
    public static string SortKey(EsmsCandidatureView c) => $"{c.RequestDate:yyyyMMdd}|{c.Id.Value}";

    private Task RecordInRegistryAsync()
    {
        var p = state.State.Profile!;
        return GrainFactory.GetGrain<IDepartmentRegistryGrain>(p.Finess.Department)
            .RecordEsmsAsync(new EsmsSummary(p.Finess.Value, p.Name, p.Category, p.Kind, p.Territory, p.Commune, state.State.Version));
    }

    /// <summary>
    /// A failed write must not leave the activation ahead of storage: the acknowledged state is
    /// re-read, so the caller sees the error and the grain keeps only what is durable.
    /// </summary>
    private async Task WriteOrRollBackAsync()
    {
        await state.WriteOrRestoreAsync("la fiche de cet ESMS");
    }

    private EsmsSnapshot Snapshot()
    {
        var s = state.State;
        return new EsmsSnapshot(
            s.Profile!,
            s.Places.Values.OrderBy(p => p.Modality).ToList(),
            s.PlacesHistory.ToList(),
            s.Version,
            s.Candidatures.Values.Count(c => c.Status.IsOpen()),
            s.Candidatures.Values.Count(c => c.Status == CandidatureStatus.SolutionFoundElsewhere),
            s.ArchivedPlacesPages);
    }
}
