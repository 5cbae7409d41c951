using System.Text;
using System.Text.Json;
using Listes360.Api.GraphQL;

namespace Listes360.Api.Tests;

/// <summary>Over-deep and over-complex requests are refused before anything runs, each with its own code.</summary>
[Collection(ApiCollection.Name)]
public sealed class QueryLimitsTests(ApiFixture api)
{
    /// <summary><c>{ __type(name: "Query") { fields { type { ofType { … } } } } }</c>, <paramref name="depth"/> selections deep.</summary>
    private static string NestedQuery(int depth)
    {
        // The operation's own selection, __type, fields and type are 4 levels; each ofType adds one.
        var ofTypes = depth - 4;
        var query = new StringBuilder("{ __type(name: \"Query\") { fields { type { name ");
        for (var i = 0; i < ofTypes; i++)
            query.Append("ofType { name ");
        query.Append('}', ofTypes + 3);
        return query.Append(" }").ToString();
    }

    /// <summary><paramref name="aliases"/> copies of a full page of the ESMS list (200 items each).</summary>
    private static string ManyPages(int aliases) =>
        "{ " + string.Concat(Enumerable.Range(0, aliases).Select(i =>
            $"p{i}: esmsList(department: \"61\", first: 200) {{ totalCount items {{ finess name category }} }} ")) + "}";

    [Fact]
    public async Task A_query_at_the_maximum_depth_runs()
    {
        var response = await api.PostAsync(NestedQuery(GraphQLRegistration.MaxDepth));

        Assert.True(200 == response.Status, response.Body);
        Assert.False(response.HasErrors, response.Body);
        Assert.True(response.Data.GetProperty("__type").GetProperty("fields").GetArrayLength() > 0, response.Body);
    }

    [Fact]
    public async Task An_over_deep_query_gets_400_and_QUERY_TOO_DEEP()
    {
        var response = await api.PostAsync(NestedQuery(GraphQLRegistration.MaxDepth + 1));

        Assert.True(400 == response.Status, response.Body);
        Assert.Equal(QueryLimitsRule.TooDeep, response.FirstErrorCode);
        var message = response.FirstError.GetProperty("message").GetString()!;
        Assert.Contains("trop imbriquée", message);
        Assert.Contains($"{GraphQLRegistration.MaxDepth} au plus", message);
        Assert.False(response.Json.TryGetProperty("data", out _), response.Body);
    }

    [Fact]
    public async Task An_over_deep_query_over_get_is_refused_too()
    {
        var url = "/graphql?query=" + Uri.EscapeDataString(NestedQuery(GraphQLRegistration.MaxDepth + 1));
        var response = await api.SendAsync(new HttpRequestMessage(HttpMethod.Get, url));

        Assert.True(400 == response.Status, response.Body);
        Assert.Equal(QueryLimitsRule.TooDeep, response.FirstErrorCode);
    }

    [Fact]
    public async Task An_over_complex_query_gets_400_and_QUERY_TOO_COMPLEX()
    {
        // Each alias asks for 200 items of 3 fields: about 600; nine of them exceed 5,000.
        var response = await api.PostAsync(ManyPages(9));

        Assert.True(400 == response.Status, response.Body);
        Assert.Equal(QueryLimitsRule.TooComplex, response.FirstErrorCode);
        var message = response.FirstError.GetProperty("message").GetString()!;
        Assert.Contains("trop coûteuse", message);
        Assert.False(response.Json.TryGetProperty("data", out _), response.Body);
    }

    [Fact]
    public async Task Eight_full_pages_in_one_request_run()
    {
        var response = await api.PostAsync(ManyPages(8));

        Assert.True(200 == response.Status, response.Body);
        Assert.False(response.HasErrors, response.Body);
        Assert.Equal(JsonValueKind.Number, response.Data.GetProperty("p7").GetProperty("totalCount").ValueKind);
    }

    [Fact]
    public async Task A_legacy_json_client_gets_the_code_with_200()
    {
        var response = await api.PostAsync(ManyPages(10), accept: "application/json");

        Assert.Equal(200, response.Status);
        Assert.Equal(QueryLimitsRule.TooComplex, response.FirstErrorCode);
    }

    [Fact]
    public async Task A_full_introspection_runs_but_not_ten_in_one_request()
    {
        const string full = "__schema { types { name fields(includeDeprecated: true) { name args { name type { name ofType { name ofType { name ofType { name } } } } } type { name ofType { name ofType { name ofType { name } } } } } } }";
        var one = await api.PostAsync("{ " + full + " }");
        Assert.True(200 == one.Status, one.Body);
        Assert.False(one.HasErrors, one.Body);

        var ten = await api.PostAsync("{ " + string.Concat(Enumerable.Range(0, 10).Select(i => $"s{i}: {full} ")) + "}");
        Assert.True(400 == ten.Status, ten.Body);
        Assert.Equal(QueryLimitsRule.TooComplex, ten.FirstErrorCode);
    }
}
