using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Listes360.Api.Security;
using Listes360.Domain.Security;
using Listes360.Testing.Cluster;

namespace Listes360.Api.Tests;

/// <summary>
/// Failover without confusion, through the API: a mutation sent again with its Idempotency-Key gets
/// its first answer instead of running twice, and a grain call failing as during a failover answers
/// UNAVAILABLE, retryable, not an internal error.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class IdempotencyAndFailoverTests(ApiFixture api)
{
    private static int _next = 700;

    private const string CreateCandidature =
        """mutation($p: ID!, $f: String!) { createCandidature(input: {personId: $p, finess: $f, modality: RESIDENTIAL, requestDate: "2026-03-01"}) { candidature { id status } } }""";

    [Fact]
    public async Task A_mutation_sent_again_with_its_key_gets_the_first_answer_and_runs_once()
    {
        var (person, finess) = await PersonWithOrientation();
        var key = Guid.NewGuid().ToString();

        var first = await Send(CreateCandidature, new { p = person, f = finess }, key);
        var again = await Send(CreateCandidature, new { p = person, f = finess }, key);
        var withoutKey = await Send(CreateCandidature, new { p = person, f = finess });

        Assert.Equal(200, first.Status);
        Assert.False(HasErrors(first.Body), first.Body);
        Assert.Equal("stored", first.Header("Idempotency-Status"));
        Assert.Equal(first.Status, again.Status);
        Assert.Equal(first.Body, again.Body);
        Assert.Equal("replayed", again.Header("Idempotency-Status"));
        Assert.Equal("DUPLICATE_CANDIDATURE", Code(withoutKey.Body));
        Assert.Single(await Candidatures(person));
    }

    [Fact]
    public async Task The_same_key_with_another_request_is_refused_and_changes_nothing()
    {
        var (person, finess) = await PersonWithOrientation();
        var other = await Esms("MAS reprise B");
        var key = "commande-" + Guid.NewGuid().ToString("N");
        await Send(CreateCandidature, new { p = person, f = finess }, key);

        var reused = await Send(CreateCandidature, new { p = person, f = other }, key);

        Assert.Equal(422, reused.Status);
        Assert.Equal("IDEMPOTENCY_KEY_REUSED", Code(reused.Body));
        Assert.Contains("autre requête", Message(reused.Body));
        Assert.Equal(new[] { finess }, (await Candidatures(person)).Select(c => c.Finess));
    }

    [Fact]
    public async Task Two_callers_with_the_same_key_are_independent()
    {
        var (person, finess) = await PersonWithOrientation();
        var (otherPerson, otherFiness) = await PersonWithOrientation();
        var key = "meme-cle-" + Guid.NewGuid().ToString("N");
        var someoneElse = DevTokens.Mint(api.Auth, "autre-admin", Role.Admin, [], "61", null, TimeSpan.FromMinutes(30));

        var mine = await Send(CreateCandidature, new { p = person, f = finess }, key);
        var theirs = await Send(CreateCandidature, new { p = otherPerson, f = otherFiness }, key, someoneElse);

        Assert.False(HasErrors(mine.Body), mine.Body);
        Assert.Equal(200, theirs.Status);
        Assert.False(HasErrors(theirs.Body), theirs.Body);
        Assert.Equal("stored", theirs.Header("Idempotency-Status"));
        Assert.Single(await Candidatures(otherPerson));
    }

    [Theory]
    [InlineData("x", null)] // replaced by 129 characters below
    [InlineData("clé", "U+00E9")]
    public async Task A_malformed_key_is_refused_with_a_precise_french_error(string key, string? words)
    {
        if (key == "x")
            (key, words) = (new string('k', 129), "128 au plus");
        var (person, finess) = await PersonWithOrientation();

        var response = await Send(CreateCandidature, new { p = person, f = finess }, key);

        Assert.Equal(400, response.Status);
        Assert.Equal("INVALID_IDEMPOTENCY_KEY", Code(response.Body));
        Assert.Contains("Idempotency-Key", Message(response.Body));
        Assert.Contains(words!, Message(response.Body));
        Assert.Empty(await Candidatures(person));
    }

    [Fact]
    public async Task A_query_ignores_the_key()
    {
        var (person, _) = await PersonWithOrientation();

        var response = await Send("""query($p: ID!) { person(id: $p) { id } }""", new { p = person }, "clé invalide é");

        Assert.Equal(200, response.Status);
        Assert.False(HasErrors(response.Body), response.Body);
        Assert.Null(response.Header("Idempotency-Status"));
    }

    [Fact]
    public async Task A_grain_failing_as_in_a_failover_answers_unavailable_retryable_and_the_retry_really_runs()
    {
        var (person, finess) = await PersonWithOrientation();
        var key = Guid.NewGuid().ToString();

        GraphQLResult failed, read;
        using (FaultInjection.Fail("CreateCandidatureAsync", person))
        using (FaultInjection.Fail("GetAsync", person))
        {
            failed = await Send(CreateCandidature, new { p = person, f = finess }, key);
            read = await Send("""query($p: ID!) { person(id: $p) { id } }""", new { p = person });
        }
        var retried = await Send(CreateCandidature, new { p = person, f = finess }, key);

        foreach (var response in new[] { failed, read })
        {
            Assert.Equal(200, response.Status); // executed: GraphQL over HTTP keeps 2xx, the errors say the rest
            Assert.Equal("UNAVAILABLE", Code(response.Body));
            Assert.True(Error(response.Body).GetProperty("extensions").GetProperty("retryable").GetBoolean());
            Assert.Contains("momentanément indisponible", Message(response.Body));
            Assert.Equal("5", response.Header("Retry-After"));
        }
        Assert.Equal("not-stored; reason=retryable", failed.Header("Idempotency-Status"));
        Assert.False(HasErrors(retried.Body), retried.Body);
        Assert.Equal("stored", retried.Header("Idempotency-Status"));
        Assert.Single(await Candidatures(person));
    }

    [Fact]
    public async Task The_first_answer_outlives_a_restart_of_the_silo_and_the_api()
    {
        var (person, finess) = await PersonWithOrientation();
        var key = Guid.NewGuid().ToString();
        var first = await Send(CreateCandidature, new { p = person, f = finess }, key);

        await api.RestartAsync();
        var again = await Send(CreateCandidature, new { p = person, f = finess }, key);

        Assert.Equal("stored", first.Header("Idempotency-Status"));
        Assert.Equal(first.Body, again.Body);
        Assert.Equal("replayed", again.Header("Idempotency-Status"));
        Assert.Single(await Candidatures(person));
    }

    [Fact]
    public async Task When_the_key_record_itself_is_unreachable_the_whole_request_is_unavailable_and_nothing_ran()
    {
        var (person, finess) = await PersonWithOrientation();
        var key = Guid.NewGuid().ToString();
        var record = Listes360.Grains.Idempotency.IdempotencyKeys.GrainKey(new Caller("test-" + Role.Admin, Role.Admin, [], "61", null), key);

        GraphQLResult failed;
        using (FaultInjection.Fail("BeginAsync", record))
            failed = await Send(CreateCandidature, new { p = person, f = finess }, key);

        Assert.Equal(503, failed.Status);
        Assert.Equal("UNAVAILABLE", Code(failed.Body));
        Assert.True(Error(failed.Body).GetProperty("extensions").GetProperty("retryable").GetBoolean());
        Assert.Equal("5", failed.Header("Retry-After"));
        Assert.Empty(await Candidatures(person));
    }

    private sealed record GraphQLResult(int Status, string Body, HttpResponseHeaders Headers, HttpContentHeaders ContentHeaders)
    {
        public string? Header(string name) =>
            Headers.TryGetValues(name, out var values) || ContentHeaders.TryGetValues(name, out values) ? string.Join(",", values) : null;
    }

    private async Task<GraphQLResult> Send(string query, object? variables, string? key = null, string? token = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { query, variables }), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token ?? api.AdminToken);
        if (key is not null)
            Assert.True(request.Headers.TryAddWithoutValidation("Idempotency-Key", key));
        using var response = await api.Client.SendAsync(request);
        return new GraphQLResult((int)response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers, response.Content.Headers);
    }

    private static bool HasErrors(string body) =>
        JsonDocument.Parse(body).RootElement.TryGetProperty("errors", out var errors) && errors.GetArrayLength() > 0;

    private static JsonElement Error(string body) => JsonDocument.Parse(body).RootElement.GetProperty("errors")[0];

    private static string? Code(string body) => Error(body).GetProperty("extensions").GetProperty("code").GetString();

    private static string Message(string body) => Error(body).GetProperty("message").GetString()!;

    private async Task<(string Person, string Finess)> PersonWithOrientation()
    {
        var finess = await Esms("MAS reprise");
        // A name and a birth date of its own: the same ones would be taken for the same human.
        var n = Interlocked.Increment(ref _next);
        var name = "Reprise" + new string([.. n.ToString("D4").Select(d => (char)('a' + d - '0'))]);
        var created = await Ok($$"""mutation { createPerson(input: {department: "61", birthName: "{{name}}", firstNames: ["Test"], birthDate: "1980-{{1 + n % 12:D2}}-{{1 + n % 28:D2}}", sex: FEMALE, residenceCommune: "61001", situation: {kind: AT_HOME_WITHOUT_SOLUTION, since: "2025-01-01"}, consentToShare: true}) { person { id } } }""", null);
        var person = created.GetProperty("createPerson").GetProperty("person").GetProperty("id").GetString()!;
        await Ok("""mutation($p: ID!) { addOrientation(input: {personId: $p, decisionReference: "CDAPH-R", kind: MAS, validFrom: "2025-01-01"}) { person { id } } }""", new { p = person });
        return (person, finess);
    }

    private async Task<string> Esms(string name)
    {
        var finess = Listes360.Domain.Registry.FinessNumber.WithKey("61" + Interlocked.Increment(ref _next).ToString("D6")).Value;
        await Ok("""mutation($f: String!, $n: String!) { registerEsms(input: {finess: $f, name: $n, category: "255"}) { esms { finess } } }""", new { f = finess, n = name });
        return finess;
    }

    private async Task<List<(string Id, string Finess)>> Candidatures(string person) =>
        (await Ok("""query($p: ID!) { person(id: $p) { candidatures { id finess } } }""", new { p = person }))
            .GetProperty("person").GetProperty("candidatures").EnumerateArray()
            .Select(c => (c.GetProperty("id").GetString()!, c.GetProperty("finess").GetString()!)).ToList();

    private async Task<JsonElement> Ok(string query, object? variables)
    {
        var response = await api.PostAsync(query, variables);
        Assert.False(response.HasErrors, response.Body);
        return response.Data;
    }
}
