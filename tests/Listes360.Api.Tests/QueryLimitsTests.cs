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
            $"p{i}: esmsList(department: \"61\", first: 200) {{ totalCount edges {{ node {{ finess name category }} }} }} ")) + "}";

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
        Assert.Contains($"{RequestLimits.MaxSelectionDepth} au plus", message);
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

/// <summary>
/// The README's « Limites des requêtes » table and <see cref="RequestLimits"/> say the same numbers:
/// each row is found by its code and every number of its value cell (parenthesised restatements
/// aside) is compared with the constants, and no code is documented twice or missing.
/// </summary>
public sealed partial class RequestLimitsReadmeTests
{
    private static readonly Dictionary<string, long[]> Expected = new()
    {
        ["REQUEST_TOO_LARGE"] = [RequestLimits.MaxRequestBytes],
        [DocumentLimits.DocumentTooLarge] = [RequestLimits.MaxDocumentBytes],
        [DocumentLimits.TooManyTokens] = [RequestLimits.MaxTokens],
        [DocumentLimits.TooManyDefinitions] = [RequestLimits.MaxDefinitions],
        [DocumentLimits.TooManyFragmentSpreads] = [RequestLimits.MaxFragmentSpreads],
        [DocumentLimits.TooManyAliases] = [RequestLimits.MaxAliases],
        [DocumentLimits.TooManyFields] = [RequestLimits.MaxFields],
        [DocumentLimits.SelectionTooDeep] = [RequestLimits.MaxSelectionDepth],
        [DocumentLimits.LiteralTooDeep] = [RequestLimits.MaxLiteralDepth],
        [DocumentLimits.TooManyMutations] = [RequestLimits.MaxMutationsPerRequest],
        [DocumentLimits.TooManyRootFields] = [RequestLimits.MaxRootFields],
        [QueryLimitsRule.TooComplex] = [RequestLimits.MaxComplexity],
        [GraphQLHttpEndpoint.TimeoutCode] = [RequestLimits.TimeBudgetSeconds],
        [WriteRateLimiter.Code] = [RequestLimits.WritesPerMinute, RequestLimits.WriteBurst],
        ["INVALID_PAGE_SIZE"] = [1, RequestLimits.MaxPageSize, 1, RequestLimits.MaxAuditPageSize],
        [PersistedQueries.NotFound] = [RequestLimits.PersistedQueryCapacity, RequestLimits.PersistedQueryStoreBytes],
    };

    [Fact]
    public void Every_documented_limit_is_the_enforced_one()
    {
        var readme = File.ReadAllText(Path.Combine(Listes360.Testing.RepositoryRoot.Find(), "README.md"));
        var section = readme[readme.IndexOf("### Limites des requêtes", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("\n### ", 10, StringComparison.Ordinal)];
        var rows = section.Split('\n').Where(line => line.StartsWith("| ", StringComparison.Ordinal) && !line.StartsWith("| limit", StringComparison.Ordinal) && !line.StartsWith("| ---", StringComparison.Ordinal)).ToList();

        var documented = new Dictionary<string, long[]>();
        foreach (var row in rows)
        {
            var cells = row.Split('|', StringSplitOptions.TrimEntries);
            var code = Code().Match(cells[3]).Groups[1].Value;
            Assert.True(code.Length > 0, $"ligne sans code : {row}");
            var numbers = Number().Matches(Parenthesised().Replace(cells[2], ""))
                .Select(m => long.Parse(m.Value.Replace(",", ""), System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            Assert.True(documented.TryAdd(code, numbers), $"code documenté deux fois : {code}");
        }

        Assert.Equal(Expected.Keys.Order(), documented.Keys.Order());
        foreach (var (code, numbers) in Expected)
            Assert.True(numbers.SequenceEqual(documented[code]), $"{code} : README {string.Join(", ", documented[code])}, code {string.Join(", ", numbers)}");
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"`([A-Z_]+)`")]
    private static partial System.Text.RegularExpressions.Regex Code();

    [System.Text.RegularExpressions.GeneratedRegex(@"\d[\d,]*")]
    private static partial System.Text.RegularExpressions.Regex Number();

    [System.Text.RegularExpressions.GeneratedRegex(@"\([^)]*\)")]
    private static partial System.Text.RegularExpressions.Regex Parenthesised();
}

/// <summary>The document check alone, without a host: linear in the document whatever its fragments do.</summary>
public sealed class DocumentLimitsTests
{
    private static DocumentLimits.Refusal? Check(string text) =>
        DocumentLimits.ScanText(text) ?? DocumentLimits.CheckDocument(GraphQLParser.Parser.Parse(text));

    [Fact]
    public void Fragments_doubling_forty_five_times_are_refused_without_being_expanded()
    {
        var text = new StringBuilder("{ __type(name: \"Query\") { ...F45 } } fragment F0 on __Type { name } ");
        for (var i = 1; i <= 45; i++)
            text.Append($"fragment F{i} on __Type {{ ...F{i - 1} ...F{i - 1} }} ");
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var refusal = Check(text.ToString());

        Assert.True(clock.ElapsedMilliseconds < 1_000, $"{clock.ElapsedMilliseconds} ms");
        Assert.Equal(DocumentLimits.TooManyFields, refusal?.Code);
        Assert.Equal(RequestLimits.MaxFields + 1, refusal!.Actual);
    }

    [Fact]
    public void A_text_the_lexer_fails_on_is_left_to_the_parser()
    {
        Assert.Null(DocumentLimits.ScanText(GraphQLOverHttpTests.TextTheParserCannotQuote));
    }

    [Fact]
    public void A_fragment_cycle_is_left_to_validation_and_does_not_loop()
    {
        Assert.Null(Check("{ ...A } fragment A on Query { ...B __typename } fragment B on Query { ...A }"));
    }

    [Fact]
    public void Depth_counts_through_fragments_and_inline_fragments()
    {
        // Each fragment adds two levels: fine alone, too deep once chained.
        var chain = new StringBuilder("{ ...F0 } ");
        for (var i = 0; i < 8; i++)
            chain.Append($"fragment F{i} on Query {{ __type(name: \"Query\") {{ fields {{ name }} }} " + (i < 7 ? $"...F{i + 1}" : "") + " } ");
        Assert.Null(Check(chain.ToString()));

        // __type's selection is level 2, and each of 14 fragments adds one: 16.
        var nested = new StringBuilder("{ __type(name: \"Query\") { ...F0 } } ");
        for (var i = 0; i < 14; i++)
            nested.Append($"fragment F{i} on __Type {{ ofType {{ " + (i < 13 ? $"...F{i + 1}" : "name") + " } } ");
        Assert.Equal(DocumentLimits.SelectionTooDeep, Check(nested.ToString())?.Code);

        var inline = "{ __typename " + string.Concat(Enumerable.Repeat("... on Query { ", RequestLimits.MaxSelectionDepth)) + "__typename" + new string('}', RequestLimits.MaxSelectionDepth) + " }";
        Assert.Equal(DocumentLimits.SelectionTooDeep, Check(inline)?.Code);
    }

    [Theory]
    [InlineData("{ a(x: [[[[[[[[[[[1]]]]]]]]]]]) }", DocumentLimits.LiteralTooDeep)]
    [InlineData("{ a(x: [[[[[[[[[[1]]]]]]]]]]) }", null)]
    [InlineData("query ($v: In = {a: {a: {a: {a: {a: {a: {a: {a: {a: {a: {a: 1}}}}}}}}}}}) { a }", DocumentLimits.LiteralTooDeep)]
    [InlineData("{ a(x: {b: [{c: [{d: [{e: [{f: [{g: 1}]}]}]}]}]}) }", DocumentLimits.LiteralTooDeep)]
    [InlineData("{ a } } } ] ) {{{{{{{{{{{{{{{{", null)]
    [InlineData("{ a(x: \"[[[[[[[[[[[[[[[[[[[[\") }", null)]
    [InlineData("{ a # [[[[[[[[[[[[[[[[[[[[[[[[[[[[\n }", null)]
    public void Literal_depth_is_counted_on_tokens_not_characters(string text, string? code)
    {
        // Unbalanced text is left to the parser, which stops where the scan did.
        Assert.Equal(code, DocumentLimits.ScanText(text)?.Code);
    }

    [Fact]
    public void Mutations_count_aliases_and_fragments_at_the_root()
    {
        var ten = "mutation { " + string.Concat(Enumerable.Range(0, 10).Select(i => $"m{i}: a ")) + "}";
        Assert.Null(Check(ten));
        Assert.Equal(DocumentLimits.TooManyMutations, Check("mutation { ...M ...M } fragment M on Mutation { a b c d e f }")?.Code);
        Assert.Equal(DocumentLimits.TooManyMutations, Check("mutation { ... on Mutation { a b c d e f } ... { g h i j k } }")?.Code);
    }
}
