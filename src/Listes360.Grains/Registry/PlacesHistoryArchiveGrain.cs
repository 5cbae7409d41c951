using Listes360.Domain.Registry;
using Listes360.Grains.Common;
using Listes360.Grains.Security;

namespace Listes360.Grains.Registry;

/// <summary>
/// One page of an ESMS's older place changes, keyed « FINESS/page » (1, 2, …): the ESMS grain keeps
/// its recent changes and moves the older ones here, a page at a time, so that its own state stays
/// bounded whatever the number of declarations and nothing is lost.
/// </summary>
[Alias("Listes360.Registry.IPlacesHistoryArchiveGrain")]
public interface IPlacesHistoryArchiveGrain : IGrainWithStringKey
{
    /// <summary>Stores the page; idempotent (a retry after a failed ESMS write stores the same changes again).</summary>
    [Internal]
    [Alias("StoreAsync")]
    Task StoreAsync(IReadOnlyList<PlacesChange> changes);

    [ReadOnly]
    [Internal]
    [Alias("GetAsync")]
    Task<IReadOnlyList<PlacesChange>> GetAsync();
}

[GenerateSerializer, Alias("Listes360.Registry.PlacesHistoryPageState")]
public sealed class PlacesHistoryPageState
{
    [Id(0)] public List<PlacesChange> Changes { get; set; } = [];
}

public sealed class PlacesHistoryArchiveGrain(
    [PersistentState("placesHistory", StorageNames.Main)] IPersistentState<PlacesHistoryPageState> state) : Grain, IPlacesHistoryArchiveGrain
{
    public static string Key(FinessNumber finess, int page) => $"{finess.Value}/{page}";

    public async Task StoreAsync(IReadOnlyList<PlacesChange> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        if (changes.Count > FieldLimitsOfPage)
            throw new ArgumentException($"Une page d'archive compte au plus {FieldLimitsOfPage} changements.", nameof(changes));
        if (state.State.Changes.SequenceEqual(changes))
            return;
        state.State.Changes = [.. changes];
        await state.WriteOrRestoreAsync("cette page d'archive des places");
    }

    public Task<IReadOnlyList<PlacesChange>> GetAsync() => Task.FromResult<IReadOnlyList<PlacesChange>>(state.State.Changes.ToList());

    private const int FieldLimitsOfPage = Domain.Validation.FieldLimits.PlacesHistoryKept;
}
