using Listes360.Domain;
using Listes360.Domain.Candidatures;
using Listes360.Domain.Registry;
using Listes360.Domain.Validation;
using Listes360.Grains.Common;
using Listes360.Grains.Department;
using Listes360.Domain.Time;

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

public sealed class EsmsGrain(
    [PersistentState("esms", StorageNames.Main)] IPersistentState<EsmsState> state,
    TimeProvider clock) : Grain, IEsmsGrain
{
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
        await WriteOrRollBackAsync();
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

    public async Task ApplyCandidatureAsync(EsmsCandidatureView view)
    {
        if (view.Finess != Finess)
            throw new DomainException("INVALID_CANDIDATURE", $"La candidature {view.Id} vise l'ESMS {view.Finess}, pas {Finess}.", "finess");
        var candidatures = state.State.Candidatures;
        if (candidatures.TryGetValue(view.Id.Value, out var known) && known.Version >= view.Version)
            return;
        var today = ParisDate.Today(clock);
        if (known is null && EsmsViews.Expired(view, today))
            return;
        candidatures[view.Id.Value] = view;
        EsmsViews.DropExpired(candidatures, today);
        await WriteOrRollBackAsync();
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
