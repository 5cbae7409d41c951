using Listes360.Domain.Registry;
using Listes360.Grains.Common;

namespace Listes360.Grains.Department;

[GenerateSerializer, Alias("Listes360.Department.DepartmentRegistryState")]
public sealed class DepartmentRegistryState
{
    [Id(0)] public Dictionary<string, EsmsSummary> Esms { get; set; } = [];
}

public sealed class DepartmentRegistryGrain(
    [PersistentState("registry", StorageNames.Main)] IPersistentState<DepartmentRegistryState> state) : Grain, IDepartmentRegistryGrain
{
    public async Task RecordEsmsAsync(EsmsSummary summary)
    {
        if (state.State.Esms.TryGetValue(summary.Finess, out var known) && known == summary)
            return;
        state.State.Esms[summary.Finess] = summary;
        await state.WriteOrRestoreAsync("le répertoire des ESMS du département");
    }

    public Task<Page<EsmsSummary>> ListEsmsAsync(string? territory, KindOfSupport? kind, string? after, int first)
    {
        var ordered = state.State.Esms.Values
            .Where(e => territory is null || e.Territory == territory)
            .Where(e => kind is null || e.Kind == kind)
            .OrderBy(e => e.Finess, StringComparer.Ordinal)
            .ToList();
        return Task.FromResult(Paging.Of(ordered, e => e.Finess, after, first));
    }

    public Task<int> CountAsync() => Task.FromResult(state.State.Esms.Count);
}
