using Listes360.Domain.Grid;
using Listes360.Domain.Registry;
using Listes360.Grains.Common;

namespace Listes360.Grains.Grid;

[GenerateSerializer, Alias("Listes360.Grid.AdmissionStatsState")]
public sealed class AdmissionStatsState
{
    /// <summary>Every admission, as kept before the samples: read once on activation, moved into <see cref="Samples"/>.</summary>
    [Id(0)] public Dictionary<string, AdmissionRecord> Admissions { get; set; } = [];

    /// <summary>By <see cref="AdmissionWindow.KeyOf"/>: the most recent admissions, at most <see cref="AdmissionWindow.Kept"/> each.</summary>
    [Id(1)] public Dictionary<string, List<AdmissionSample>> Samples { get; set; } = [];
}

/// <summary>
/// The « similar requests » medians of a département, bounded by <see cref="AdmissionWindow"/>: at most
/// <see cref="AdmissionWindow.Kept"/> recent admissions per kind of support and territory. Every admission of the
/// département passes here: they change the samples in memory without an await and share writes (<see cref="GroupCommit"/>),
/// instead of queueing one write each behind the others.
/// </summary>
public sealed class AdmissionStatsGrain(
    [PersistentState("admissions", StorageNames.Main)] IPersistentState<AdmissionStatsState> state) : Grain, IAdmissionStatsGrain
{
    private const string What = "les statistiques d'admission";

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var s = state.State;
        if (s.Admissions.Count == 0)
            return;
        foreach (var admission in s.Admissions.Values.OrderBy(a => a.AdmittedOn))
            AdmissionWindow.Record(s.Samples, admission);
        s.Admissions.Clear();
        await state.WriteOrRestoreAsync(What);
    }

    private GroupCommit? commit;

    private GroupCommit Commit => commit ??= new GroupCommit(() => state.WriteOrRestoreAsync(What), DeactivateOnIdle);

    public async Task RecordAsync(AdmissionRecord admission)
    {
        if (AdmissionWindow.Record(state.State.Samples, admission))
            await Commit.CommitAsync();
    }

    public async Task RemoveAsync(string candidatureId)
    {
        if (AdmissionWindow.Remove(state.State.Samples, candidatureId))
            await Commit.CommitAsync();
    }

    public Task<WaitingTime> MedianAsync(KindOfSupport kind, string? territory) =>
        Task.FromResult(AdmissionWindow.Median(state.State.Samples, kind, territory));
}
