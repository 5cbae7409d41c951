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

/// <summary>The store alone: bounded in bytes as well as in count, oldest texts leaving first.</summary>
public sealed class PersistedQueryStoreTests
{
    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static Dictionary<string, object?> Extensions(string text) => new()
    {
        ["persistedQuery"] = new Dictionary<string, object?> { ["version"] = 1, ["sha256Hash"] = Sha256(text) },
    };

    [Fact]
    public void Texts_leave_oldest_first_once_the_bytes_are_spent()
    {
        var store = new Listes360.Api.GraphQL.PersistedQueries(capacity: 1_000, maxBytes: 10_000);
        var texts = Enumerable.Range(0, 5).Select(i => $"{{ __typename }} # {i} " + new string('é', 1_500)).ToList(); // 3,000+ bytes each

        foreach (var text in texts)
            Assert.Null(store.Resolve(text, Extensions(text)).Code);

        Assert.True(store.StoredBytes <= 10_000, $"{store.StoredBytes} octets");
        Assert.Equal(3, store.Count);
        Assert.Equal(Listes360.Api.GraphQL.PersistedQueries.NotFound, store.Resolve(null, Extensions(texts[1])).Code);
        Assert.Equal(texts[4], store.Resolve(null, Extensions(texts[4])).Query);
    }

    [Fact]
    public void A_text_longer_than_a_document_may_be_is_not_kept()
    {
        var store = new Listes360.Api.GraphQL.PersistedQueries();
        var text = "{ __typename } #" + new string('x', Listes360.Api.GraphQL.RequestLimits.MaxDocumentBytes);

        Assert.Equal(Listes360.Api.GraphQL.DocumentLimits.DocumentTooLarge, store.Resolve(text, Extensions(text)).Code);
        Assert.Equal(0, store.Count);
    }
}
