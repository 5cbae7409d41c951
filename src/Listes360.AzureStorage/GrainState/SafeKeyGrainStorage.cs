using System.Globalization;
using System.Text.RegularExpressions;
using Listes360.Grains.Common;
using Listes360.Grains.Telemetry;
using Orleans.Storage;

namespace Listes360.AzureStorage.GrainState;

/// <summary>
/// The official Azure Table provider, seen through <see cref="StorageGrainIds"/> (keys it would
/// confuse or refuse are escaped first) and with its refusal of a too-large state turned into
/// <see cref="GrainStateTooLargeException"/>, which grains turn into a precise French refusal.
/// </summary>
internal sealed partial class SafeKeyGrainStorage(IGrainStorage official) : IGrainStorage
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        // Created by the caller a moment ago (a new GUID): nothing is stored, and the first write is an insert.
        if (NewGrainHint.IsNew(grainId) && grainState.State is not null && grainState.ETag is null)
        {
            grainState.RecordExists = false;
            return Task.CompletedTask;
        }
        ServiceMetrics.RecordStorage("read", grainId);
        return official.ReadStateAsync(StorageGrainIds.Key(stateName), StorageGrainIds.For(grainId), grainState);
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ServiceMetrics.RecordStorage("write", grainId);
        try
        {
            var bytes = await MeasuredGrainStorageSerializer.MeasureAsync(() =>
                official.WriteStateAsync(StorageGrainIds.Key(stateName), StorageGrainIds.For(grainId), grainState));
            ServiceMetrics.RecordStorageBytesWritten(grainId, bytes);
        }
        // The provider checks the size before any request, so the stored state is untouched. Its
        // exception names the parameter "dataSize" in 10.4.2 ("GrainState.Size" in other versions):
        // what is stable is the message, "Data too large to write to Azure table. Size=… MaxSize=…".
        catch (ArgumentOutOfRangeException e) when (SizeInMessage().Match(e.Message) is { Success: true } sizes)
        {
            throw new GrainStateTooLargeException(grainId.ToString(), stateName,
                long.Parse(sizes.Groups[1].Value, CultureInfo.InvariantCulture),
                long.Parse(sizes.Groups[2].Value, CultureInfo.InvariantCulture));
        }
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ServiceMetrics.RecordStorage("clear", grainId);
        return official.ClearStateAsync(StorageGrainIds.Key(stateName), StorageGrainIds.For(grainId), grainState);
    }

    /// <summary>The provider's limit: 15 binary properties of 64 KiB in one entity.</summary>
    public const int MaxStateBytes = 15 * 64 * 1024;

    [GeneratedRegex(@"too large.*\bSize=(\d+) MaxSize=(\d+)")]
    private static partial Regex SizeInMessage();
}
