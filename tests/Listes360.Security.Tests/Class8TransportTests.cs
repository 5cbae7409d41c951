using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Listes360.Api.GraphQL;
using Listes360.Api.Tests;
using Microsoft.Extensions.DependencyInjection;

namespace Listes360.Security.Tests;

/// <summary>
/// Issue 12, class 8 (transport): only JSON bodies are taken for JSON, the persisted-query store is
/// bounded in bytes, and the audit journal's documented page of 1,000 is accepted.
/// </summary>
[Collection(SecurityCollection.Name)]
public sealed class Class8TransportTests(ApiFixture api)
{
    private const string Write = """{"query":"mutation { registerEsms(input: {finess: \"610000127\", name: \"IME Transport\", category: \"183\"}) { esms { finess } } }"}""";

    [Theory]
    [InlineData("application/jsonp")]
    [InlineData("application/json-patch+json")]
    [InlineData("application/jsonx")]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/json; charset=iso-8859-1")]
    [InlineData("application/json; boundary=x")]
    public async Task A_body_that_is_not_utf8_json_gets_415_and_writes_nothing(string contentType)
    {
        var before = await StorageSnapshot.TakeAsync(api);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(Write)) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        var response = await api.SendAsync(request);

        Assert.True(415 == response.Status, $"{contentType} : {response.Status} {response.Body}");
        Assert.Equal("UNSUPPORTED_MEDIA_TYPE", response.FirstErrorCode);
        Assert.Empty((await StorageSnapshot.TakeAsync(api)).ChangesSince(before));
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("Application/JSON; charset=\"UTF-8\"")]
    [InlineData("application/graphql-response+json")]
    [InlineData("application/graphql+json")]
    public async Task Json_and_the_graphql_media_types_are_accepted(string contentType)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = new ByteArrayContent(Encoding.UTF8.GetBytes("""{"query":"{ __typename }"}""")) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        var response = await api.SendAsync(request);

        Assert.True(200 == response.Status, $"{contentType} : {response.Status} {response.Body}");
        Assert.Equal("Query", response.Data.GetProperty("__typename").GetString());
    }

    [Fact]
    public async Task The_persisted_query_store_stays_within_its_bytes()
    {
        var store = api.App.Services.GetRequiredService<PersistedQueries>();
        // Texts just under the document limit, more of them than the store's bytes can hold.
        var padding = new string('x', RequestLimits.MaxDocumentBytes - 100);
        var count = RequestLimits.PersistedQueryStoreBytes / padding.Length + 20;
        string? first = null, last = null;
        for (var i = 0; i < count; i++)
        {
            var text = $"{{ __typename }} # {i} {padding}";
            var response = await RegisterAsync(text);
            Assert.True(200 == response.Status, response.Body);
            first ??= text;
            last = text;
        }

        Assert.True(store.StoredBytes <= RequestLimits.PersistedQueryStoreBytes, $"{store.StoredBytes} octets");
        Assert.Equal(PersistedQueries.NotFound, (await ByHashAsync(first!)).FirstErrorCode);
        Assert.False((await ByHashAsync(last!)).HasErrors);
    }

    [Fact]
    public async Task A_text_over_the_document_limit_is_neither_run_nor_stored()
    {
        var store = api.App.Services.GetRequiredService<PersistedQueries>();
        var before = store.Count;
        var text = "{ __typename } #" + new string('x', RequestLimits.MaxDocumentBytes);

        var response = await RegisterAsync(text);

        Assert.True(400 == response.Status, response.Body);
        Assert.Equal(DocumentLimits.DocumentTooLarge, response.FirstErrorCode);
        Assert.Equal(PersistedQueries.NotFound, (await ByHashAsync(text)).FirstErrorCode);
        Assert.True(store.Count <= before, "le texte trop long a été gardé");
    }

    [Fact]
    public async Task A_page_of_a_thousand_audit_entries_is_accepted_as_documented()
    {
        var now = DateTimeOffset.UtcNow;
        var query = $$"""{ auditEntries(from: "{{now.AddDays(-1):O}}", to: "{{now.AddMinutes(1):O}}", first: {{RequestLimits.MaxAuditPageSize}}) { at subject role operation kind target outcome detail } }""";

        var response = await api.PostAsync(query);

        Assert.True(200 == response.Status, response.Body);
        Assert.False(response.HasErrors, response.Body);
        Assert.Equal(JsonValueKind.Array, response.Data.GetProperty("auditEntries").ValueKind);
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private Task<GraphQLResponse> RegisterAsync(string text) => api.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/graphql")
    {
        Content = new StringContent(JsonSerializer.Serialize(new
        {
            query = text,
            extensions = new { persistedQuery = new { version = 1, sha256Hash = Hash(text) } },
        }), Encoding.UTF8, "application/json"),
    });

    private Task<GraphQLResponse> ByHashAsync(string text) => api.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/graphql")
    {
        Content = new StringContent(JsonSerializer.Serialize(new
        {
            extensions = new { persistedQuery = new { version = 1, sha256Hash = Hash(text) } },
        }), Encoding.UTF8, "application/json"),
    });
}
