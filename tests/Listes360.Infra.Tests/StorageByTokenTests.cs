using System.Net;
using Listes360.Api.Hosting;

namespace Listes360.Infra.Tests;

/// <summary>
/// What infra/azure hands the container: the table service's address and a managed identity, no key.
/// The client is built offline (a token is asked for only at the first request).
/// </summary>
public sealed class StorageByTokenTests
{
    [Fact]
    public void A_service_uri_makes_a_token_client_for_that_account_and_ignores_the_connection_string()
    {
        var settings = new StorageSettings
        {
            ServiceUri = "https://stl36061abcdefgh.table.core.windows.net/",
            ManagedIdentityClientId = "00000000-0000-0000-0000-000000000001",
            ConnectionString = "not a connection string",
        };
        Assert.True(settings.UsesTokenCredential);
        var client = settings.CreateServiceClient();
        Assert.Equal("stl36061abcdefgh", client.AccountName);
        Assert.Equal(new Uri("https://stl36061abcdefgh.table.core.windows.net/"), client.Uri);
        Assert.IsType<Azure.Identity.DefaultAzureCredential>(settings.CreateCredential());
    }

    [Fact]
    public void Without_a_service_uri_the_connection_string_is_used_as_before()
    {
        var settings = new StorageSettings();
        Assert.False(settings.UsesTokenCredential);
        Assert.Equal("devstoreaccount1", settings.CreateServiceClient().AccountName);
    }

    [Theory]
    [InlineData("http://stl36061.table.core.windows.net")]
    [InlineData("stl36061.table.core.windows.net")]
    public void A_service_uri_that_is_not_absolute_https_is_refused_in_french(string uri)
    {
        var error = Assert.Throws<InvalidOperationException>(() => new StorageSettings { ServiceUri = uri }.CreateServiceClient());
        Assert.Contains("Storage:ServiceUri", error.Message);
        Assert.Contains("https", error.Message);
    }

    [Fact]
    public void An_automatic_advertised_address_is_this_machines_own_ipv4_address()
    {
        var address = SiloConfiguration.AdvertisedAddress(ClusterSettings.AutomaticAddress);
        Assert.Equal(System.Net.Sockets.AddressFamily.InterNetwork, address.AddressFamily);
        Assert.False(IPAddress.IsLoopback(address));
        Assert.Equal(IPAddress.Parse("10.0.0.7"), SiloConfiguration.AdvertisedAddress("10.0.0.7"));
    }
}
