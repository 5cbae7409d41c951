using System.Text;
using System.Text.Json;
using Listes360.Api.GraphQL;
using Microsoft.Extensions.DependencyInjection;

namespace Listes360.Api.Tests;

/// <summary>
/// A query text executed once is not parsed again (ValidatedDocuments); what depends on the request (the
/// variables, hence the complexity) is still checked each time; a refused text is never kept.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class DocumentCacheTests(ApiFixture api)
{
    // Unique to each test: no other test has sent (and cached) these texts.
    private static string Name() => "Cache" + Guid.NewGuid().ToString("N");

    /// <summary><paramref name="aliases"/> pages of the ESMS list, of <c>$n</c> items each (9 pages of 200 exceed the complexity limit).</summary>
    private static string Pages(string name, int aliases) =>
        $"query {name}($n: Int) {{ " + string.Concat(Enumerable.Range(0, aliases).Select(i =>
            $"p{i}: esmsList(department: \"61\", first: $n) {{ totalCount edges {{ node {{ finess name category }} }} }} ")) + "}";

    [Fact]
    public async Task A_repeated_query_is_parsed_once_and_answers_the_same()
    {
        var query = $"query {Name()} {{ esmsList(department: \"61\", first: 2) {{ totalCount }} }}";

        var first = await api.PostAsync(query);
        Assert.False(first.HasErrors, first.Body);
        for (var i = 0; i < 4; i++)
        {
            var again = await api.PostAsync(query);
            Assert.False(again.HasErrors, again.Body);
            Assert.Equal(first.Data.GetRawText(), again.Data.GetRawText());
        }
        var overGet = await api.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/graphql?query=" + Uri.EscapeDataString(query)));
        Assert.False(overGet.HasErrors, overGet.Body);

        Assert.Equal(1, api.Parser.Parses(query));
    }

    [Fact]
    public async Task The_complexity_is_checked_again_with_each_request_s_variables()
    {
        var query = Pages(Name(), aliases: 9);

        var small = await api.PostAsync(query, new { n = 1 });
        Assert.False(small.HasErrors, small.Body);

        var large = await api.PostAsync(query, new { n = 200 });
        Assert.True(400 == large.Status, large.Body);
        Assert.Equal(QueryLimitsRule.TooComplex, large.FirstErrorCode);
        Assert.Contains("trop coûteuse", large.FirstError.GetProperty("message").GetString());

        var wrongType = await api.PostAsync(query, new { n = "beaucoup" });
        Assert.True(400 == wrongType.Status, wrongType.Body);

        // The refusals came from the kept document: parsed once, validated against each request's variables.
        Assert.Equal(1, api.Parser.Parses(query));
    }

    [Fact]
    public async Task A_refused_document_is_never_kept_and_gets_its_French_error_each_time()
    {
        var query = Pages(Name(), aliases: 9);
        for (var i = 0; i < 3; i++)
        {
            var refused = await api.PostAsync(query, new { n = 200 });
            Assert.True(400 == refused.Status, refused.Body);
            Assert.Equal(QueryLimitsRule.TooComplex, refused.FirstErrorCode);
            Assert.Contains("trop coûteuse", refused.FirstError.GetProperty("message").GetString());
        }
        Assert.Equal(3, api.Parser.Parses(query));

        var unknownField = $"query {Name()} {{ esmsList(department: \"61\", first: 1) {{ nombreInconnu }} }}";
        for (var i = 0; i < 2; i++)
        {
            var invalid = await api.PostAsync(unknownField);
            Assert.True(400 == invalid.Status, invalid.Body);
        }
        Assert.Equal(2, api.Parser.Parses(unknownField));
        Assert.Null(api.App.Services.GetRequiredService<ValidatedDocuments>().Find(unknownField, null));
    }

    [Fact]
    public async Task Another_operation_of_a_kept_document_is_validated_on_its_own()
    {
        var name = Name();
        var query = $"query {name} {{ __typename }} mutation {name}Write {{ __typename }}";

        var read = await api.SendAsync(new HttpRequestMessage(HttpMethod.Get,
            $"/graphql?operationName={name}&query=" + Uri.EscapeDataString(query)));
        Assert.False(read.HasErrors, read.Body);

        var write = await api.SendAsync(new HttpRequestMessage(HttpMethod.Get,
            $"/graphql?operationName={name}Write&query=" + Uri.EscapeDataString(query)));
        Assert.True(405 == write.Status, write.Body);
    }
}

/// <summary>The cache alone: bounded in entries and in text, oldest documents leaving first.</summary>
public sealed class ValidatedDocumentsTests
{
    private static readonly global::GraphQL.Execution.GraphQLDocumentBuilder Parser = new();

    private static string Text(int i, int padding = 0) => $"{{ __typename }} # {i} " + new string('x', padding);

    [Fact]
    public void The_oldest_documents_leave_once_the_entries_are_spent()
    {
        var cache = new ValidatedDocuments(capacity: 3, maxTextBytes: 1_000_000);
        for (var i = 0; i < 5; i++)
            cache.Keep(Text(i), null, Parser.Build(Text(i)));

        Assert.Equal(3, cache.Count);
        Assert.Null(cache.Find(Text(0), null));
        Assert.Null(cache.Find(Text(1), null));
        Assert.NotNull(cache.Find(Text(4), null));
        Assert.NotNull(cache.Find(Text(4), ""));
        Assert.Null(cache.Find(Text(4), "Other"));
    }

    [Fact]
    public void The_oldest_documents_leave_once_the_text_bytes_are_spent()
    {
        var cache = new ValidatedDocuments(capacity: 1_000, maxTextBytes: 10_000);
        for (var i = 0; i < 5; i++)
            cache.Keep(Text(i, 1_500), null, Parser.Build(Text(i, 1_500))); // 3,000+ bytes each

        Assert.True(cache.TextBytes <= 10_000, $"{cache.TextBytes} octets");
        Assert.Equal(3, cache.Count);
        Assert.Null(cache.Find(Text(1, 1_500), null));
        Assert.NotNull(cache.Find(Text(4, 1_500), null));
    }

    [Fact]
    public void A_text_longer_than_a_document_may_be_is_not_kept()
    {
        var cache = new ValidatedDocuments();
        var text = "{ __typename } #" + new string('x', RequestLimits.MaxDocumentBytes);

        cache.Keep(text, null, Parser.Build("{ __typename }"));

        Assert.Equal(0, cache.Count);
    }
}
