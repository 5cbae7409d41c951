using System.Net.Http.Headers;
using System.Text;

namespace Listes360.Api.Tests;

/// <summary>The endpoint follows the GraphQL-over-HTTP specification.</summary>
[Collection(ApiCollection.Name)]
public sealed class GraphQLOverHttpTests(ApiFixture api)
{
    private const string TypeNameQuery = "{ __typename }";

    [Fact]
    public async Task Post_answers_in_the_graphql_response_media_type()
    {
        var response = await api.PostAsync(TypeNameQuery);

        Assert.Equal(200, response.Status);
        Assert.Equal("application/graphql-response+json", response.MediaType);
        Assert.Equal("Query", response.Data.GetProperty("__typename").GetString());
    }

    [Fact]
    public async Task Get_runs_a_query_with_variables()
    {
        var url = "/graphql?query=" + Uri.EscapeDataString("query Q($f: String!) { esms(finess: $f) { name } }")
                  + "&variables=" + Uri.EscapeDataString("{\"f\":\"610000069\"}");
        var response = await api.SendAsync(new HttpRequestMessage(HttpMethod.Get, url));

        Assert.Equal(200, response.Status);
        Assert.False(response.HasErrors, response.Body);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, response.Data.GetProperty("esms").ValueKind);
    }

    [Fact]
    public async Task Get_refuses_a_mutation_with_405()
    {
        var url = "/graphql?query=" + Uri.EscapeDataString("mutation { registerEsms(input: {finess: \"610000077\", name: \"X\", category: \"183\"}) { esms { finess } } }");
        var response = await api.SendAsync(new HttpRequestMessage(HttpMethod.Get, url));

        Assert.True(405 == response.Status, response.Body);
        Assert.Equal("MUTATION_OVER_GET", response.FirstErrorCode);
        var check = await api.PostAsync("{ esms(finess: \"610000077\") { name } }");
        Assert.Equal(System.Text.Json.JsonValueKind.Null, check.Data.GetProperty("esms").ValueKind);
    }

    [Fact]
    public async Task Malformed_json_gets_400_with_a_json_error_and_a_code()
    {
        var response = await api.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = new StringContent("{\"query\": \"{ __typename }\"", Encoding.UTF8, "application/json"),
        });

        Assert.Equal(400, response.Status);
        Assert.Equal("INVALID_JSON", response.FirstErrorCode);
        Assert.Contains("JSON", response.FirstError.GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_body_without_query_gets_400()
    {
        var response = await api.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = new StringContent("{\"variables\": {}}", Encoding.UTF8, "application/json"),
        });

        Assert.Equal(400, response.Status);
        Assert.Equal("QUERY_MISSING", response.FirstErrorCode);
    }

    [Fact]
    public async Task A_non_json_body_gets_415()
    {
        var response = await api.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = new StringContent(TypeNameQuery, Encoding.UTF8, "text/plain"),
        });

        Assert.Equal(415, response.Status);
        Assert.Equal("UNSUPPORTED_MEDIA_TYPE", response.FirstErrorCode);
    }

    /// <summary>Found by the fuzz test: GraphQLParser fails with an index error while quoting such a text.</summary>
    public const string TextTheParserCannotQuote = "\"\"\" , ... null query person items @skip \"\\\t\r0\" \"\u001b[au\\\" [ \"\"\u0007\u0007éa\"\" query { finess true RESIDENTIAL ) [";

    [Fact]
    public async Task A_text_the_parser_cannot_even_quote_is_a_syntax_error_not_an_internal_one()
    {
        var response = await api.PostAsync(TextTheParserCannotQuote);

        Assert.True(400 == response.Status, response.Body);
        Assert.Equal("SYNTAX_ERROR", response.FirstErrorCode);
    }

    [Fact]
    public async Task A_syntax_error_gets_400_with_a_code()
    {
        var response = await api.PostAsync("{ esms(finess: ");

        Assert.Equal(400, response.Status);
        Assert.Equal("application/graphql-response+json", response.MediaType);
        Assert.NotNull(response.FirstErrorCode);
    }

    [Fact]
    public async Task An_unknown_field_gets_400_with_a_code()
    {
        var response = await api.PostAsync("{ nothingHere }");

        Assert.Equal(400, response.Status);
        Assert.Equal("FIELDS_ON_CORRECT_TYPE", response.FirstErrorCode);
    }

    [Fact]
    public async Task A_legacy_json_client_gets_200_with_errors()
    {
        var response = await api.PostAsync("{ nothingHere }", accept: "application/json");

        Assert.Equal(200, response.Status);
        Assert.Equal("application/json", response.MediaType);
        Assert.True(response.HasErrors);
    }

    [Fact]
    public async Task An_oversized_body_gets_413()
    {
        var padding = new string(' ', 1024 * 1024 + 1);
        var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = new StringContent("{\"query\": \"{ __typename }\"" + padding + "}", Encoding.UTF8, "application/json"),
        };

        var response = await api.SendAsync(request);

        Assert.Equal(413, response.Status);
        Assert.Equal("REQUEST_TOO_LARGE", response.FirstErrorCode);
    }

    [Fact]
    public async Task An_over_deep_query_is_refused_before_execution()
    {
        // Introspection types nest deeply: ofType chains past the depth limit (the query is valid
        // otherwise: it used to miss a closing brace and was refused as a syntax error).
        var deep = "{ __schema { types { fields { type { " + string.Concat(Enumerable.Repeat("ofType { ", 12)) + "name " + new string('}', 17);

        var response = await api.PostAsync(deep);

        Assert.Equal(400, response.Status);
        Assert.True(response.HasErrors);
        Assert.Equal("QUERY_TOO_DEEP", response.FirstErrorCode);
        Assert.Equal(System.Text.Json.JsonValueKind.Undefined, response.Json.TryGetProperty("data", out var data) ? data.ValueKind : System.Text.Json.JsonValueKind.Undefined);
    }

    [Fact]
    public async Task Health_reports_storage_reachable_and_the_silos_of_the_cluster()
    {
        using var response = await api.Client.GetAsync("/health");
        var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("healthy", body.GetProperty("status").GetString());
        Assert.True(body.GetProperty("storage").GetProperty("reachable").GetBoolean());
        var cluster = body.GetProperty("cluster");
        Assert.True(cluster.GetProperty("reachable").GetBoolean());
        Assert.Equal(1, cluster.GetProperty("activeSilos").GetInt32());
        Assert.Equal(1, cluster.GetProperty("silosByStatus").GetProperty("Active").GetInt32());
        // Open to anyone: no silo address.
        Assert.DoesNotContain("127.0.0.1:", cluster.GetRawText());
    }
}
