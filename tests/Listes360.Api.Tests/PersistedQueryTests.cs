using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Listes360.Api.Tests;

/// <summary>Automatic persisted queries: hash only once known, text checked against its hash.</summary>
[Collection(ApiCollection.Name)]
public sealed class PersistedQueryTests(ApiFixture api)
{
    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private Task<GraphQLResponse> PostAsync(object body) =>
        api.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"),
        });

    private static object Extensions(string hash, int version = 1) => new { persistedQuery = new { version, sha256Hash = hash } };

    [Fact]
    public async Task An_unknown_hash_asks_for_the_text_then_the_hash_alone_is_enough()
    {
        // A query unique to this test, so no other test has stored it already.
        var query = $"query Persisted{Guid.NewGuid():N} {{ esmsList(department: \"61\", first: 1) {{ totalCount }} }}";
        var hash = Sha256(query);

        var miss = await PostAsync(new { extensions = Extensions(hash) });
        Assert.Equal(200, miss.Status);
        Assert.Equal("PERSISTED_QUERY_NOT_FOUND", miss.FirstErrorCode);

        var registered = await PostAsync(new { query, extensions = Extensions(hash) });
        Assert.False(registered.HasErrors, registered.Body);

        var hit = await PostAsync(new { extensions = Extensions(hash) });
        Assert.False(hit.HasErrors, hit.Body);
        Assert.Equal(registered.Data.GetRawText(), hit.Data.GetRawText());

        var overGet = await api.SendAsync(new HttpRequestMessage(HttpMethod.Get,
            "/graphql?extensions=" + Uri.EscapeDataString(JsonSerializer.Serialize(Extensions(hash)))));
        Assert.False(overGet.HasErrors, overGet.Body);
    }

    [Fact]
    public async Task A_text_that_does_not_match_its_hash_is_refused_and_not_stored()
    {
        var query = $"query Persisted{Guid.NewGuid():N} {{ __typename }}";
        var wrong = Sha256(query + " ");

        var refused = await PostAsync(new { query, extensions = Extensions(wrong) });
        Assert.Equal(400, refused.Status);
        Assert.Equal("PERSISTED_QUERY_HASH_MISMATCH", refused.FirstErrorCode);

        var after = await PostAsync(new { extensions = Extensions(wrong) });
        Assert.Equal("PERSISTED_QUERY_NOT_FOUND", after.FirstErrorCode);
    }

    [Fact]
    public async Task Another_protocol_version_is_refused()
    {
        var response = await PostAsync(new { query = "{ __typename }", extensions = Extensions(Sha256("{ __typename }"), version: 2) });

        Assert.Equal(400, response.Status);
        Assert.Equal("PERSISTED_QUERY_VERSION_UNSUPPORTED", response.FirstErrorCode);
    }
}
