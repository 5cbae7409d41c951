using Listes360.Domain.Vacancies;
using Listes360.Grains.Common;

namespace Listes360.Grains.Vacancies;

[GenerateSerializer, Alias("Listes360.Vacancies.VacancyChainState")]
public sealed class VacancyChainState
{
    [Id(0)] public Dictionary<string, VacancySummary> Summaries { get; set; } = [];
}

/// <summary>The département's vacancy summaries, applied by version; the oldest beyond <see cref="IVacancyChainGrain.MaxKept"/> dropped.</summary>
public sealed class VacancyChainGrain(
    [PersistentState("vacancy-chains", StorageNames.Main)] IPersistentState<VacancyChainState> state) : Grain, IVacancyChainGrain
{
    public async Task ApplyAsync(VacancySummary summary)
    {
        var all = state.State.Summaries;
        if (all.TryGetValue(summary.Id, out var known) && known.Version >= summary.Version)
            return;
        all[summary.Id] = summary;
        if (all.Count > IVacancyChainGrain.MaxKept)
            foreach (var old in all.Values.OrderBy(s => s.OpenedOn).ThenBy(s => s.Id, StringComparer.Ordinal).Take(all.Count - IVacancyChainGrain.MaxKept).ToList())
                all.Remove(old.Id);
        await state.WriteOrRestoreAsync("les chaînes de places libérées du département");
    }

    public Task<IReadOnlyList<VacancyChainView>> GetChainsAsync(int minLength) =>
        Task.FromResult<IReadOnlyList<VacancyChainView>>(
            VacancyChains.Of(this.GetPrimaryKeyString(), state.State.Summaries.Values, Math.Max(1, minLength)).Select(VacancyChainView.Of).ToList());

    public Task<VacancyIndicatorsView> GetIndicatorsAsync() =>
        Task.FromResult(VacancyIndicatorsView.Of(VacancyChains.Indicators(state.State.Summaries.Values)));
}
