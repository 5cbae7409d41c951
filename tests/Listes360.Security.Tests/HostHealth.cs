using Listes360.Api.Tests;

namespace Listes360.Security.Tests;

/// <summary>The host still serves after a hostile request: its health check answers and a normal query runs.</summary>
internal static class HostHealth
{
    public static async Task AssertServingAsync(ApiFixture api)
    {
        using var health = await api.Client.GetAsync("/health");
        Assert.Equal(System.Net.HttpStatusCode.OK, health.StatusCode);
        var normal = await api.PostAsync("{ esmsList(department: \"61\", first: 1) { totalCount } }");
        Assert.True(200 == normal.Status, normal.Body);
        Assert.False(normal.HasErrors, normal.Body);
    }
}
