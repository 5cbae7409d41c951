using Listes360.Domain;
using Listes360.Domain.Registry;

namespace Listes360.Grains.Registry;

[GenerateSerializer]
public sealed class EsmsState
{
    [Id(0)] public bool Registered { get; set; }
    [Id(1)] public string Name { get; set; } = "";
    [Id(2)] public string Category { get; set; } = "";
    [Id(3)] public Dictionary<Modality, Places> Places { get; set; } = [];
    [Id(4)] public List<PlacesChange> PlacesHistory { get; set; } = [];
    [Id(5)] public int Version { get; set; }
}

public sealed class EsmsGrain(
    [PersistentState("esms", StorageNames.Main)] IPersistentState<EsmsState> state,
    TimeProvider clock) : Grain, IEsmsGrain
{
    public Task<EsmsSnapshot?> GetAsync() =>
        Task.FromResult(state.State.Registered ? Snapshot() : null);

    public async Task<EsmsSnapshot> RegisterAsync(EsmsRegistration registration, string by)
    {
        var name = registration.Name.Trim();
        var category = registration.Category.Trim();
        if (name.Length == 0)
            throw new DomainException("INVALID_ESMS", "La raison sociale de l'ESMS est obligatoire.", "name");
        if (category.Length == 0)
            throw new DomainException("INVALID_ESMS", "La catégorie FINESS de l'ESMS est obligatoire.", "category");

        var s = state.State;
        if (s.Registered && s.Name == name && s.Category == category)
            return Snapshot();

        s.Registered = true;
        s.Name = name;
        s.Category = category;
        s.Version++;
        await WriteOrRollBackAsync();
        return Snapshot();
    }

    public async Task<EsmsSnapshot> SetPlacesAsync(Modality modality, int capacity, int occupied, DateOnly effectiveDate, string by)
    {
        var s = state.State;
        if (!s.Registered)
            throw new DomainException("UNKNOWN_ESMS", $"Aucun ESMS n'est enregistré sous le numéro FINESS {this.GetPrimaryKeyString()}.", "finess");

        var declared = Places.Declare(modality, capacity, occupied, effectiveDate);
        s.Places.TryGetValue(modality, out var before);
        if (before == declared)
            return Snapshot();

        s.Places[modality] = declared;
        s.PlacesHistory.Add(new PlacesChange(modality, before, declared, by, clock.GetUtcNow()));
        s.Version++;
        await WriteOrRollBackAsync();
        return Snapshot();
    }

    /// <summary>
    /// A failed write must not leave the activation ahead of storage: the acknowledged state is
    /// re-read, so the caller sees the error and the grain keeps only what is durable.
    /// </summary>
    private async Task WriteOrRollBackAsync()
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            await state.ReadStateAsync();
            throw;
        }
    }

    private EsmsSnapshot Snapshot()
    {
        var s = state.State;
        return new EsmsSnapshot(
            this.GetPrimaryKeyString(), s.Name, s.Category,
            s.Places.Values.OrderBy(p => p.Modality).ToList(),
            s.PlacesHistory.ToList(),
            s.Version);
    }
}
