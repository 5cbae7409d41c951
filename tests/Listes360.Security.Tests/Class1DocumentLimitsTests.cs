using System.Diagnostics;
using System.Text;
using Listes360.Api.GraphQL;
using Listes360.Api.Tests;
using Listes360.Domain.Security;

namespace Listes360.Security.Tests;

/// <summary>
/// Issue 12, class 1: documents whose validation cost grows faster than their size. Each is answered
/// within 2 s with its own code, nothing is written, and the host still answers afterwards (before
/// the fix, the 3,000-fragment chain overflowed the stack and ended the process).
/// </summary>
[Collection(SecurityCollection.Name)]
public sealed class Class1DocumentLimitsTests(ApiFixture api)
{
    private static readonly TimeSpan Answered = TimeSpan.FromSeconds(2);

    /// <summary>The issue's chain: each fragment selects a page of ESMS and spreads the previous one.</summary>
    public static string FragmentChain(int length)
    {
        var text = new StringBuilder($"query {{ ...F{length - 1} }} fragment F0 on Query {{ __typename }} ");
        for (var i = 1; i < length; i++)
            text.Append($"fragment F{i} on Query {{ a{i}: esmsList(department: \"61\", first: 1) {{ totalCount }} ...F{i - 1} }} ");
        return text.ToString();
    }

    /// <summary>The shortest chain: <c>fragment Fi on Query{...F(i-1)}</c>.</summary>
    public static string CompactFragmentChain(int length)
    {
        var text = new StringBuilder($"{{...F{length - 1}}}fragment F0 on Query{{__typename}}");
        for (var i = 1; i < length; i++)
            text.Append($"fragment F{i} on Query{{...F{i - 1}}}");
        return text.ToString();
    }

    /// <summary><c>fragment Fi on __Type { ...F(i-1) ...F(i-1) }</c>: 2^k fields once expanded, below one root field.</summary>
    public static string ExponentialFragments(int k)
    {
        var text = new StringBuilder($"query {{ __type(name: \"Query\") {{ ...F{k} }} }} fragment F0 on __Type {{ name }} ");
        for (var i = 1; i <= k; i++)
            text.Append($"fragment F{i} on __Type {{ ...F{i - 1} ...F{i - 1} }} ");
        return text.ToString();
    }

    public static string DeepListLiteral(int depth) =>
        "{ esmsList(department: " + new string('[', depth) + "\"61\"" + new string(']', depth) + ", first: 1) { totalCount } }";

    public static string DeepInputObject(int depth) =>
        "{ esmsList(department: \"61\", first: 1, filter: " + string.Concat(Enumerable.Repeat("{a:", depth)) + "1" + new string('}', depth) + ") { totalCount } }";

    public static string DeepSelection(int depth) =>
        "{" + string.Concat(Enumerable.Repeat("a{", depth - 1)) + "b" + new string('}', depth);

    public static string NestedAliases(int count) =>
        "{ esmsList(department: \"61\", first: 1) { edges { node { " + string.Concat(Enumerable.Range(0, count).Select(i => $"n{i}: name ")) + "} } } }";

    public static TheoryData<string, string> Documents => new()
    {
        { "chaîne de 3 000 fragments (forme du ticket, ~290 Ko)", DocumentLimits.DocumentTooLarge },
        { "chaîne de 10 000 fragments", DocumentLimits.DocumentTooLarge },
        { "chaîne compacte de 1 000 fragments", DocumentLimits.TooManyDefinitions },
        { "fragments exponentiels k=26", DocumentLimits.TooManyFields },
        { "liste littérale imbriquée 100 000 fois", DocumentLimits.DocumentTooLarge },
        { "liste littérale imbriquée 20 000 fois", DocumentLimits.LiteralTooDeep },
        { "objet d'entrée imbriqué 15 000 fois", DocumentLimits.LiteralTooDeep },
        { "20 000 sélections imbriquées", DocumentLimits.SelectionTooDeep },
        { "3 000 alias", DocumentLimits.TooManyAliases },
        { "200 utilisations d'un fragment", DocumentLimits.TooManyFragmentSpreads },
        { "30 champs à la racine", DocumentLimits.TooManyRootFields },
        { "60 000 éléments lexicaux", DocumentLimits.TooManyTokens },
    };

    public static string Document(string name) => name switch
    {
        "chaîne de 3 000 fragments (forme du ticket, ~290 Ko)" => FragmentChain(3_000),
        "chaîne de 10 000 fragments" => CompactFragmentChain(10_000),
        "chaîne compacte de 1 000 fragments" => CompactFragmentChain(1_000),
        "fragments exponentiels k=26" => ExponentialFragments(26),
        "liste littérale imbriquée 100 000 fois" => DeepListLiteral(100_000),
        "liste littérale imbriquée 20 000 fois" => DeepListLiteral(20_000),
        "objet d'entrée imbriqué 15 000 fois" => DeepInputObject(15_000),
        "20 000 sélections imbriquées" => DeepSelection(20_000),
        "3 000 alias" => NestedAliases(3_000),
        "200 utilisations d'un fragment" => "{ " + string.Concat(Enumerable.Repeat("...F ", 200)) + "} fragment F on Query { __typename }",
        "30 champs à la racine" => "{ " + string.Concat(Enumerable.Repeat("__typename ", 30)) + "}",
        "60 000 éléments lexicaux" => "{ __typename " + new string('!', 60_000) + "}",
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Documents))]
    public async Task A_costly_document_is_refused_fast_with_its_code_and_changes_nothing(string name, string code)
    {
        var before = await StorageSnapshot.TakeAsync(api);
        var clock = Stopwatch.StartNew();

        var response = await api.PostAsync(Document(name), token: api.Token(Role.Observatory));

        clock.Stop();
        Assert.True(clock.Elapsed < Answered, $"{name} : réponse en {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.True(400 == response.Status, $"{name} : {response.Status} {Truncate(response.Body)}");
        Assert.Equal(code, response.FirstErrorCode);
        var message = response.FirstError.GetProperty("message").GetString()!;
        Assert.Contains("au plus", message);
        Assert.DoesNotContain(" at ", message); // no stack trace
        Assert.Empty((await StorageSnapshot.TakeAsync(api)).ChangesSince(before));
        await HostHealth.AssertServingAsync(api);
    }

    [Fact]
    public async Task A_document_at_every_limit_still_runs()
    {
        // Each limit reached, none exceeded: what a legitimate client may send is not refused.
        var chain = CompactFragmentChain(RequestLimits.MaxDefinitions - 1);
        var response = await api.PostAsync(chain, token: api.Token(Role.Observatory));
        Assert.True(200 == response.Status, Truncate(response.Body));
        Assert.False(response.HasErrors, Truncate(response.Body));

        var aliases = await api.PostAsync(NestedAliases(RequestLimits.MaxAliases));
        Assert.True(200 == aliases.Status, Truncate(aliases.Body));

        var atLimit = await api.PostAsync("query ($d: " + new string('[', RequestLimits.MaxLiteralDepth) + "String" + new string(']', RequestLimits.MaxLiteralDepth) + ") { __typename }");
        Assert.NotEqual(DocumentLimits.LiteralTooDeep, atLimit.FirstErrorCode); // refused by validation only: $d is unused
        var overLimit = await api.PostAsync("query ($d: " + new string('[', RequestLimits.MaxLiteralDepth + 1) + "String" + new string(']', RequestLimits.MaxLiteralDepth + 1) + ") { __typename }");
        Assert.Equal(DocumentLimits.LiteralTooDeep, overLimit.FirstErrorCode);
    }

    [Fact]
    public async Task A_deeply_nested_json_variable_is_a_json_error_not_an_internal_one()
    {
        var deep = new string('[', 100_000) + new string(']', 100_000);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = new StringContent("{\"query\":\"query($x: [Int]) { __typename }\",\"variables\":{\"x\":" + deep + "}}", Encoding.UTF8, "application/json"),
        };
        var response = await api.SendAsync(request);

        Assert.True(400 == response.Status, Truncate(response.Body));
        Assert.Equal("INVALID_JSON", response.FirstErrorCode);
        await HostHealth.AssertServingAsync(api);
    }

    private static string Truncate(string body) => body.Length <= 2_000 ? body : body[..2_000] + "…";
}
