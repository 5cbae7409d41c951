using Listes360.Api.Hosting;
using Microsoft.Extensions.Configuration;

namespace Listes360.Api.Tests;

/// <summary>The service's cluster settings live in Listes360:Cluster; the former Orleans:* keys are refused with the key to use.</summary>
public sealed class ClusterSettingsTests
{
    private static IConfiguration Configuration(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build();

    [Fact]
    public void The_former_orleans_clustering_key_is_refused_naming_the_new_one()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ClusterSettings.From(Configuration(("Orleans:Clustering", "Redis"))));

        Assert.Contains("Orleans:Clustering (« Redis ») n'est plus lu", error.Message, StringComparison.Ordinal);
        Assert.Contains("Listes360:Cluster:Membership", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Settings_are_read_from_the_service_section_with_development_defaults()
    {
        var defaults = ClusterSettings.From(Configuration());
        Assert.Equal("Localhost", defaults.Membership);
        Assert.Equal("127.0.0.1", defaults.AdvertisedAddress);

        var set = ClusterSettings.From(Configuration(
            ("Listes360:Cluster:Membership", "AzureTable"), ("Listes360:Cluster:AdvertisedAddress", "10.0.0.7"), ("Listes360:Cluster:SiloPort", "12000")));
        Assert.Equal("AzureTable", set.Membership);
        Assert.Equal("10.0.0.7", set.AdvertisedAddress);
        Assert.Equal(12000, set.SiloPort);
    }

    [Fact]
    public void An_unknown_membership_stops_the_silo_at_start_in_french()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ApiHost.Build([], new Dictionary<string, string?> { ["Listes360:Cluster:Membership"] = "Redis" }));

        Assert.Equal("Listes360:Cluster:Membership « Redis » inconnu : valeurs admises Localhost (un seul silo) ou AzureTable (plusieurs silos).", error.Message);
    }
}
