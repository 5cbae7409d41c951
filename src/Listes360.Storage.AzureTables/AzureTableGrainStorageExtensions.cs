using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Runtime.Hosting;
using Orleans.Storage;

namespace Listes360.Storage.AzureTables;

public static class AzureTableGrainStorageExtensions
{
    /// <summary>Registers a named grain storage provider backed by Azure Table storage.</summary>
    public static ISiloBuilder AddAzureTableGrainStorage(
        this ISiloBuilder builder, string name, Action<AzureTableGrainStorageOptions> configure)
    {
        builder.Services.AddAzureTableGrainStorage(name, configure);
        return builder;
    }

    public static IServiceCollection AddAzureTableGrainStorage(
        this IServiceCollection services, string name, Action<AzureTableGrainStorageOptions> configure)
    {
        services.AddOptions<AzureTableGrainStorageOptions>(name).Configure(configure);
        services.AddTransient<IPostConfigureOptions<AzureTableGrainStorageOptions>, DefaultStorageProviderSerializerOptionsConfigurator<AzureTableGrainStorageOptions>>();
        return services.AddGrainStorage(name, AzureTableGrainStorage.Create);
    }
}
