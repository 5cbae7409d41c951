using System.Text.RegularExpressions;
using Listes360.Api.GraphQL;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Listes360.Api.Tests;

/// <summary>GraphiQL is served, from this server only, when the service runs in Development.</summary>
[Collection(LiveServerCollection.Name)]
public sealed partial class GraphiQLTests(LiveServerFixture server)
{
    private static readonly HttpClient Http = new();

    [Fact]
    public async Task The_page_is_served_in_development_and_loads_only_from_this_server()
    {
        using var response = await Http.GetAsync(server.BaseUrl + GraphiQLPage.Path);
        var html = await response.Content.ReadAsStringAsync();

        Assert.True(response.IsSuccessStatusCode, html);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<div id=\"graphiql\" data-endpoint=\"/graphql\"", html);
        Assert.DoesNotContain("https://", html);
        Assert.DoesNotContain("http://", html);
        Assert.DoesNotContain("//", html.Replace("<!doctype", "")); // no protocol-relative URL either
        var references = ScriptOrStylesheet().Matches(html).Select(m => m.Groups["url"].Value).ToList();
        Assert.Equal(["/graphiql/graphiql.css", "/graphiql/graphiql.js"], references.Order());
        Assert.Contains("default-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single());
    }

    [Fact]
    public async Task The_bundle_is_served_and_fetches_nothing_from_elsewhere()
    {
        var js = await Http.GetStringAsync(server.BaseUrl + "/graphiql/graphiql.js");
        var css = await Http.GetStringAsync(server.BaseUrl + "/graphiql/graphiql.css");

        Assert.True(js.Length > 100_000, $"graphiql.js : {js.Length} caractères");
        Assert.Contains("graphiql", js);
        Assert.Contains(".graphiql-container", css);
        // CSS loads through @import and url(); an absolute one would reach another server.
        Assert.DoesNotMatch(RemoteCssLoad(), css);
        var licences = await Http.GetStringAsync(server.BaseUrl + "/graphiql/LICENSES.txt");
        Assert.Contains("graphiql 4.", licences);
    }

    [Fact]
    public async Task The_api_behind_the_page_still_wants_a_token()
    {
        using var response = await Http.PostAsync(server.GraphQLUrl,
            new StringContent("{\"query\":\"{ __typename }\"}", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("Development", null, true)]
    [InlineData("Production", null, false)]
    [InlineData("Production", "true", true)]
    [InlineData("Development", "false", false)]
    public void The_page_is_on_in_development_unless_configured(string environment, string? setting, bool enabled)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [GraphiQLPage.SettingKey] = setting })
            .Build();
        var host = new FakeEnvironment { EnvironmentName = environment };

        Assert.Equal(enabled, GraphiQLPage.IsEnabled(configuration, host));
    }

    [GeneratedRegex("""<(?:script[^>]*\ssrc|link[^>]*\shref)="(?<url>[^"]*)""")]
    private static partial Regex ScriptOrStylesheet();

    [GeneratedRegex("""(?:@import|url\(\s*["']?)\s*(?:https?:)?//""")]
    private static partial Regex RemoteCssLoad();

    private sealed class FakeEnvironment : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "";
        public string ApplicationName { get; set; } = "";
        public string ContentRootPath { get; set; } = "";
        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } = null!;
    }
}

/// <summary>Outside Development (the API fixture runs as Production), there is no GraphiQL at all.</summary>
[Collection(ApiCollection.Name)]
public sealed class GraphiQLOutsideDevelopmentTests(ApiFixture api)
{
    [Theory]
    [InlineData("/graphiql")]
    [InlineData("/graphiql/graphiql.js")]
    [InlineData("/graphiql/graphiql.css")]
    public async Task Nothing_is_served(string path)
    {
        using var response = await api.Client.GetAsync(path);

        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
    }
}
