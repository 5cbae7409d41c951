using Listes360.Domain.Grid;
using Listes360.Grains.Common;

namespace Listes360.Grains.Grid;

[GenerateSerializer, Alias("Listes360.Grid.RankingArchivePageState")]
public sealed class RankingArchivePageState
{
    [Id(0)] public List<SupersededFacts> Versions { get; set; } = [];
}

public sealed class RankingArchiveGrain(
    [PersistentState("rankingHistory", StorageNames.Main)] IPersistentState<RankingArchivePageState> state) : Grain, IRankingArchiveGrain
{
    public static string Key(string rankingKey, int page) => $"{rankingKey}/{page}";

    public async Task StoreAsync(IReadOnlyList<SupersededFacts> versions)
    {
        ArgumentNullException.ThrowIfNull(versions);
        if (versions.Count > FactsRetention.SupersededKept)
            throw new ArgumentException($"Une page d'archive d'un classement compte au plus {FactsRetention.SupersededKept} versions.", nameof(versions));
        if (state.State.Versions.SequenceEqual(versions))
            return;
        state.State.Versions = [.. versions];
        await state.WriteOrRestoreAsync("cette page d'archive du classement");
    }

    public Task<IReadOnlyList<SupersededFacts>> GetAsync() => Task.FromResult<IReadOnlyList<SupersededFacts>>(state.State.Versions);

    public async Task ClearAsync()
    {
        if (state.RecordExists || state.State.Versions.Count > 0)
            await state.ClearStateAsync();
        DeactivateOnIdle();
    }
}
