using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace Listes360.AzureStorage.Tests;

/// <summary>Misconfiguration must stop the silo at start with a message naming the option.</summary>
public sealed class OptionsValidationTests
{
    private const string Azurite =
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:1/devstoreaccount1;";

    [Theory]
    [InlineData("", "GrainState", "ConnectionString is empty")]
    [InlineData("   ", "GrainState", "ConnectionString is empty")]
    [InlineData("not a connection string", "GrainState", "not a valid Azure Storage connection string")]
    [InlineData(Azurite, "", "not a valid Azure table name")]
    [InlineData(Azurite, "ab", "not a valid Azure table name")]
    [InlineData(Azurite, "1states", "not a valid Azure table name")]
    [InlineData(Azurite, "grain-state", "not a valid Azure table name")]
    [InlineData(Azurite, "tables", "not a valid Azure table name")]
    public void Invalid_options_fail_when_the_provider_is_built(string connectionString, string tableName, string expected)
    {
        using var services = StorageHarness.BuildServices(o =>
        {
            o.ConnectionString = connectionString;
            o.TableName = tableName;
        });

        var error = Assert.Throws<OrleansConfigurationException>(() => services.GetRequiredKeyedService<IGrainStorage>(StorageHarness.ProviderName));

        Assert.Contains(expected, error.Message);
        Assert.Contains($"'{StorageHarness.ProviderName}'", error.Message);
    }

    [Fact]
    public async Task Unreachable_storage_fails_the_start_naming_the_endpoint()
    {
        using var services = StorageHarness.BuildServices(o => o.ConnectionString = Azurite); // port 1: nothing listens
        var storage = (AzureTableGrainStorage)services.GetRequiredKeyedService<IGrainStorage>(StorageHarness.ProviderName);

        var error = await Assert.ThrowsAsync<OrleansException>(() => storage.InitAsync(CancellationToken.None));

        Assert.Contains("could not create table 'GrainState' at http://127.0.0.1:1/", error.Message);
    }

    [Fact]
    public void Valid_options_build_the_provider()
    {
        using var services = StorageHarness.BuildServices(o => o.ConnectionString = Azurite);

        Assert.IsType<AzureTableGrainStorage>(services.GetRequiredKeyedService<IGrainStorage>(StorageHarness.ProviderName));
    }
}
