using Listes360.Api.GraphQL;
using Listes360.Api.Tests;
using Listes360.Domain.Security;

namespace Listes360.Security.Tests;

/// <summary>
/// Issue 12, class 2 (per request): one request of 1,000 aliased <c>setEsmsPlaces</c> was accepted and
/// wrote 16,128 times. Now a request carries at most <see cref="RequestLimits.MaxMutationsPerRequest"/>
/// mutations and <see cref="RequestLimits.MaxRootFields"/> root fields, refused before anything runs,
/// and each caller's writing requests are rate limited (429 RATE_LIMITED with Retry-After).
/// </summary>
[Collection(SecurityCollection.Name)]
public sealed class Class2FanOutTests(ApiFixture api, TightLimitsFixture tight) : IClassFixture<TightLimitsFixture>
{
    private const string Finess = "610000119";

    private static string AliasedPlaces(int count) =>
        "mutation ($input: SetEsmsPlacesInput!) { " + string.Concat(Enumerable.Range(0, count).Select(i => $"p{i}: setEsmsPlaces(input: $input) {{ esms {{ finess }} }} ")) + "}";

    private static readonly object Places = new { input = new { finess = Finess, modality = "RESIDENTIAL", capacity = 30, occupied = 27 } };

    private async Task RegisterEsmsAsync()
    {
        // Registered once for the suite; a second registration is refused and changes nothing.
        await api.PostAsync($$"""mutation { registerEsms(input: {finess: "{{Finess}}", name: "IME des Essais", category: "183"}) { esms { finess } } }""");
    }

    [Fact]
    public async Task A_thousand_aliased_mutations_are_refused_before_any_write()
    {
        await RegisterEsmsAsync();
        var before = await StorageSnapshot.TakeAsync(api);

        var response = await api.PostAsync(AliasedPlaces(1_000), Places);

        Assert.True(400 == response.Status, response.Body);
        Assert.Equal(DocumentLimits.TooManyMutations, response.FirstErrorCode);
        Assert.Contains($"{RequestLimits.MaxMutationsPerRequest} au plus", response.FirstError.GetProperty("message").GetString());
        Assert.Empty((await StorageSnapshot.TakeAsync(api)).ChangesSince(before));
    }

    [Fact]
    public async Task The_issue_s_inline_form_is_refused_too_and_writes_nothing()
    {
        await RegisterEsmsAsync();
        var before = await StorageSnapshot.TakeAsync(api);
        var inline = "mutation { " + string.Concat(Enumerable.Range(0, 1_000).Select(i =>
            $"p{i}: setEsmsPlaces(input: {{finess: \"{Finess}\", modality: RESIDENTIAL, capacity: 30, occupied: 27}}) {{ esms {{ finess }} }} ")) + "}";

        var response = await api.PostAsync(inline);

        Assert.True(400 == response.Status, response.Body);
        Assert.Contains(response.FirstErrorCode, new[] { DocumentLimits.DocumentTooLarge, DocumentLimits.TooManyTokens, DocumentLimits.TooManyMutations });
        Assert.Empty((await StorageSnapshot.TakeAsync(api)).ChangesSince(before));
    }

    [Fact]
    public async Task One_mutation_over_the_limit_is_refused_and_the_limit_itself_runs()
    {
        await RegisterEsmsAsync();
        var before = await StorageSnapshot.TakeAsync(api);
        var over = await api.PostAsync(AliasedPlaces(RequestLimits.MaxMutationsPerRequest + 1), Places);
        Assert.Equal(DocumentLimits.TooManyMutations, over.FirstErrorCode);
        Assert.Empty((await StorageSnapshot.TakeAsync(api)).ChangesSince(before));

        var atLimit = await api.PostAsync(AliasedPlaces(RequestLimits.MaxMutationsPerRequest), Places);
        Assert.True(200 == atLimit.Status, atLimit.Body);
        Assert.False(atLimit.HasErrors, atLimit.Body);
    }

    [Fact]
    public async Task Mutations_hidden_in_fragments_are_counted()
    {
        var before = await StorageSnapshot.TakeAsync(api);
        var fragments = "mutation ($input: SetEsmsPlacesInput!) { ...W ...W } fragment W on Mutation { "
            + string.Concat(Enumerable.Range(0, 6).Select(i => $"w{i}: setEsmsPlaces(input: $input) {{ esms {{ finess }} }} ")) + "}";

        var response = await api.PostAsync(fragments, Places);

        Assert.Equal(DocumentLimits.TooManyMutations, response.FirstErrorCode);
        Assert.Empty((await StorageSnapshot.TakeAsync(api)).ChangesSince(before));
    }

    [Fact]
    public async Task Too_many_root_fields_in_a_query_are_refused()
    {
        var query = "{ " + string.Concat(Enumerable.Range(0, RequestLimits.MaxRootFields + 1).Select(i => $"c{i}: esmsList(department: \"61\", first: 1) {{ totalCount }} ")) + "}";

        var response = await api.PostAsync(query);

        Assert.True(400 == response.Status, response.Body);
        Assert.Equal(DocumentLimits.TooManyRootFields, response.FirstErrorCode);
    }

    [Fact]
    public async Task Writes_beyond_a_caller_s_allowance_get_429_and_retry_after_while_others_still_write()
    {
        var host = tight.Api;
        var before = await StorageSnapshot.TakeAsync(host);
        var token = host.Token(Role.Admin);
        for (var i = 0; i < TightLimitsFixture.Burst; i++)
        {
            var allowed = await host.PostAsync("mutation { __typename }", token: token);
            Assert.True(200 == allowed.Status, allowed.Body);
            Assert.Equal("Mutation", allowed.Data.GetProperty("__typename").GetString());
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = new StringContent("{\"query\":\"mutation { __typename }\"}", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new("Bearer", token);
        using var limited = await host.Client.SendAsync(request);
        var body = await limited.Content.ReadAsStringAsync();

        Assert.Equal(429, (int)limited.StatusCode);
        Assert.Contains(WriteRateLimiter.Code, body);
        Assert.Contains("Réessayez dans", body);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero, string.Join(", ", limited.Headers));
        // Reads are not limited (this host's read budget is spent at once: they stop there), nor is another caller.
        var read = await host.PostAsync("{ __typename }", token: token);
        Assert.Equal(GraphQLHttpEndpoint.TimeoutCode, read.FirstErrorCode);
        var other = await host.PostAsync("mutation { __typename }", token: host.Token(Role.EsmsDirector, "610000010"));
        Assert.True(200 == other.Status, other.Body);
        Assert.Empty((await StorageSnapshot.TakeAsync(host)).ChangesSince(before));
    }

    /// <summary>Class 1's time budget: a spent budget is that request's error (503 QUERY_TIMEOUT), the host keeps serving.</summary>
    [Fact]
    public async Task A_spent_time_budget_answers_query_timeout_and_the_host_keeps_serving()
    {
        var host = tight.Api;

        var response = await host.PostAsync("{ esmsList(department: \"61\", first: 1) { totalCount } }");

        Assert.True(503 == response.Status, response.Body);
        Assert.Equal(GraphQLHttpEndpoint.TimeoutCode, response.FirstErrorCode);
        Assert.Contains("temps alloué", response.FirstError.GetProperty("message").GetString());
        using var health = await host.Client.GetAsync("/health");
        Assert.Equal(System.Net.HttpStatusCode.OK, health.StatusCode);
    }
}
