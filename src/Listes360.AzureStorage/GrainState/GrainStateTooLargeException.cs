using System.Globalization;

namespace Listes360.AzureStorage.GrainState;

/// <summary>
/// A grain state does not fit in one Azure Table entity. The write was refused before touching
/// storage, so the previously stored state is intact; the grain's state must be made smaller
/// (or split across grains).
/// </summary>
[GenerateSerializer]
[Alias("Listes360.AzureStorage.GrainStateTooLargeException")]
public sealed class GrainStateTooLargeException : OrleansException, Listes360.Grains.Common.IStateTooLargeException
{
    public GrainStateTooLargeException(string grainId, string stateName, long size, long limit)
        : base(string.Create(CultureInfo.InvariantCulture,
            $"Grain state '{stateName}' of grain '{grainId}' takes {size:N0} bytes in Azure Table storage, "
            + $"over the limit of {limit:N0} bytes (one entity of at most 1 MiB). "
            + $"The write was refused and the stored state left unchanged."))
    {
        GrainId = grainId;
        StateName = stateName;
        Size = size;
        Limit = limit;
    }

    [Id(0)] public string GrainId { get; }
    [Id(1)] public string StateName { get; }
    [Id(2)] public long Size { get; }
    [Id(3)] public long Limit { get; }
}
