using Listes360.Fhir.SdoClient;
using Microsoft.Extensions.Configuration;

namespace Listes360.Fhir.Tests;

public sealed class SdoClientOptionsTests
{
    [Fact]
    public void Off_by_default_and_then_nothing_is_asked()
    {
        var options = new SdoClientOptions();
        Assert.False(options.Enabled);
        Assert.Empty(options.Problems());
    }

    [Fact]
    public void On_without_address_credentials_or_departement_says_each_problem_in_french()
    {
        var problems = new SdoClientOptions { Enabled = true, BaseUrl = "sdo.local/fhir" }.Problems();
        Assert.Contains(problems, p => p.Contains("SdoClient:BaseUrl « sdo.local/fhir » n'est pas une adresse http(s) absolue"));
        Assert.Contains(problems, p => p.Contains("ni jeton"));
        Assert.Contains(problems, p => p.Contains("SdoClient:Departments"));
        Assert.Contains(new SdoClientOptions { Enabled = true, BaseUrl = "https://sdo.example.fr/fhir", TokenUrl = "https://sdo.example.fr/token", Departments = ["61"] }.Problems(),
            p => p.Contains("ClientId et ClientSecret sont obligatoires"));
        Assert.Empty(new SdoClientOptions { Enabled = true, BaseUrl = "https://sdo.example.fr/fhir", Token = "t", Departments = ["61"] }.Problems());
    }

    [Fact]
    public void Registration_refuses_to_start_with_a_bad_configuration()
    {
        var configuration = new Microsoft.Extensions.Configuration.ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["SdoClient:Enabled"] = "true", ["SdoClient:BaseUrl"] = "https://sdo.example.fr/fhir" }).Build();
        var e = Assert.Throws<InvalidOperationException>(() => { SdoClientRegistration.AddListes360SdoClient(new Microsoft.Extensions.DependencyInjection.ServiceCollection(), configuration); });
        Assert.StartsWith("Client SI-SDO mal configuré", e.Message);
    }

    [Fact]
    public void Retries_double_from_the_first_delay_up_to_the_cap_and_only_for_transient_answers()
    {
        var options = new SdoClientOptions { FirstRetrySeconds = 5, MaxRetrySeconds = 60 };
        Assert.Equal([5, 10, 20, 40, 60, 60], Enumerable.Range(1, 6).Select(a => SdoRetry.Delay(a, options).TotalSeconds).ToArray());
        Assert.True(SdoRetry.IsTransient(503));
        Assert.True(SdoRetry.IsTransient(429));
        Assert.True(SdoRetry.IsTransient(408));
        Assert.False(SdoRetry.IsTransient(422));
        Assert.False(SdoRetry.IsTransient(404));
        Assert.False(SdoRetry.IsTransient(401));
    }
}
