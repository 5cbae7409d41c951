using Listes360.Domain.Grid;
using Listes360.Domain.Registry;
using Listes360.Grains.Common;

namespace Listes360.Grains.Grid;

[GenerateSerializer, Alias("Listes360.Grid.AdmissionStatsState")]
public sealed class AdmissionStatsState
{
    [Id(0)] public Dictionary<string, AdmissionRecord> Admissions { get; set; } = [];
}

public sealed class AdmissionStatsGrain(
    [PersistentState("admissions", StorageNames.Main)] IPersistentState<AdmissionStatsState> state) : Grain, IAdmissionStatsGrain
{
    public async Task RecordAsync(AdmissionRecord admission)
    {
        if (state.State.Admissions.TryGetValue(admission.CandidatureId, out var known) && known == admission)
            return;
        state.State.Admissions[admission.CandidatureId] = admission;
        await state.WriteOrRestoreAsync("les statistiques d'admission");
    }

    public async Task RemoveAsync(string candidatureId)
    {
        if (state.State.Admissions.Remove(candidatureId))
            await state.WriteOrRestoreAsync("les statistiques d'admission");
    }

    public Task<WaitingTime> MedianAsync(KindOfSupport kind, string? territory) =>
        Task.FromResult(WaitingTimes.Median(state.State.Admissions.Values, kind, territory));
}
