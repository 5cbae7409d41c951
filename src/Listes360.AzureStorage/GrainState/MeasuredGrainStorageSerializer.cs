using System.Runtime.CompilerServices;
using Orleans.Storage;

namespace Listes360.AzureStorage.GrainState;

/// <summary>
/// The storage serializer, with the size of each state it serializes handed back to the write that asked for it
/// (<see cref="SafeKeyGrainStorage"/>, which knows the grain): the official provider serializes inside its write and
/// says nothing of the size.
/// </summary>
internal sealed class MeasuredGrainStorageSerializer(IGrainStorageSerializer inner) : IGrainStorageSerializer
{
    private static readonly AsyncLocal<StrongBox<long>?> Measure = new();

    public BinaryData Serialize<T>(T? input)
    {
        var data = inner.Serialize(input);
        if (Measure.Value is { } box)
            box.Value += data.ToMemory().Length;
        return data;
    }

    public T? Deserialize<T>(BinaryData input) => inner.Deserialize<T>(input);

    /// <summary>Runs <paramref name="write"/> and returns how many bytes it serialized (0 when it serialized nothing).</summary>
    /// <remarks>The box is set in the caller's flow before the write starts, so the provider's serialization, in the same flow, adds to it.</remarks>
    public static async Task<long> MeasureAsync(Func<Task> write)
    {
        var box = new StrongBox<long>();
        Measure.Value = box;
        try
        {
            await write();
        }
        finally
        {
            Measure.Value = null;
        }
        return box.Value;
    }
}
