using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Storage;

namespace Listes360.Storage.AzureTables;

/// <summary>Orleans grain storage on Azure Table storage. (Skeleton: implementation in progress.)</summary>
public sealed class AzureTableGrainStorage : IGrainStorage
{
    private readonly string _name;
    private readonly AzureTableGrainStorageOptions _options;

    public AzureTableGrainStorage(string name, AzureTableGrainStorageOptions options)
    {
        _name = name;
        _options = options;
    }

    internal static AzureTableGrainStorage Create(IServiceProvider services, string name) =>
        new(name, services.GetRequiredService<IOptionsMonitor<AzureTableGrainStorageOptions>>().Get(name));

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => throw new NotImplementedException(_name + _options.TableName);
    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => throw new NotImplementedException();
    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => throw new NotImplementedException();
}
