using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using Listes360.Api.Tests;
using Listes360.Domain.Security;

namespace Listes360.Security.Tests;

/// <summary>
/// Random GraphQL documents against the whole service: random tokens and brackets, deep nesting,
/// fragment chains and doublings, aliases, strings with control characters, mutations with random
/// arguments. Whatever arrives, the answer is JSON, never a 500 nor INTERNAL_ERROR, the host keeps
/// answering, and nothing is written (mutations go out under the observatory's token, which may write
/// nothing: each one is refused, by the limits, by validation or by the grain filter).
/// </summary>
[Collection(SecurityCollection.Name)]
public sealed class GraphQLFuzzTests(ApiFixture api)
{
    private const int Cases = 200;

    private static readonly string[] Names =
    [
        "esmsList", "esms", "person", "auditEntries", "setEsmsPlaces", "registerEsms", "createPerson", "__typename", "__schema", "__type",
        "edges", "node", "pageInfo", "totalCount", "finess", "name", "places", "capacity", "query", "mutation", "subscription", "fragment", "on", "Query",
        "Mutation", "F", "a", "true", "false", "null", "RESIDENTIAL", "input", "department", "first", "$v", "@include", "@skip",
    ];

    private static readonly string[] Punctuation = ["{", "}", "(", ")", "[", "]", ":", "...", "@", "$", "!", "=", "|", "&", ",", "\n", "#", "\"\"\""];

    private static readonly char[] Characters =
        ['a', 'Z', '0', ' ', '"', '\\', '{', '[', 'é', '\u0000', '\u0007', '\u001b', '\r', '\n', '\t', '\u202e', '\u00a0', 'u'];

    private static readonly Gen<string> Text =
        Gen.ArrayOf(Gen.Elements(Characters)).Select(chars => new string(chars));

    private static readonly Gen<string> StringLiteral = Text.Select(text => "\"" + text + "\"");

    private static readonly Gen<string> Token = Gen.Frequency(
        (6, Gen.Elements(Names)),
        (6, Gen.Elements(Punctuation)),
        (2, StringLiteral),
        (1, Gen.Choose(-100_000, 100_000).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))));

    private static readonly Gen<string> Soup = Gen.ArrayOf(Token).Select(tokens => string.Join(" ", tokens));

    private static readonly Gen<string> Deep =
        from opener in Gen.Elements("{a", "[", "{a:", "(a:", "{...on Query{")
        from depth in Gen.Choose(1, 30_000)
        from closed in Gen.Elements(true, false)
        let body = string.Concat(Enumerable.Repeat(opener, depth))
        select "{ esmsList(department: " + body + (closed ? new string('}', depth) : "") + ") { totalCount } }";

    private static readonly Gen<string> Fragments =
        from count in Gen.Choose(1, 3_000)
        from spreads in Gen.Choose(1, 3)
        from cyclic in Gen.Elements(true, false)
        select "{ ...F" + (count - 1) + " } fragment F0 on Query { " + (cyclic ? "...F" + (count - 1) : "__typename") + " } "
            + string.Concat(Enumerable.Range(1, count - 1).Select(i => $"fragment F{i} on Query {{ " + string.Concat(Enumerable.Repeat($"...F{i - 1} ", spreads)) + "} "));

    private static readonly Gen<string> Aliases =
        from count in Gen.Choose(1, 3_000)
        from field in Gen.Elements("__typename", "esmsList(department: \"61\", first: 1) { totalCount }", "esms(finess: \"610000010\") { name }")
        select "{ " + string.Concat(Enumerable.Range(0, count).Select(i => $"a{i}: {field} ")) + "}";

    private static readonly Gen<string> Mutation =
        from count in Gen.Choose(1, 15)
        from finess in Gen.OneOf(Gen.Elements("610000010", "610000011", "", "2A0000001", "ABCDEFGHI"), Text)
        from capacity in Gen.Choose(-10, 1_000_000)
        from occupied in Gen.Choose(-10, 1_000_000)
        from name in Text
        from kind in Gen.Choose(0, 2)
        select "mutation { " + string.Concat(Enumerable.Range(0, count).Select(i => $"m{i}: " + (kind switch
        {
            0 => $"setEsmsPlaces(input: {{finess: {JsonSerializer.Serialize(finess)}, modality: RESIDENTIAL, capacity: {capacity}, occupied: {occupied}}}) {{ esms {{ finess }} }}",
            1 => $"registerEsms(input: {{finess: {JsonSerializer.Serialize(finess)}, name: {JsonSerializer.Serialize(name)}, category: \"183\"}}) {{ esms {{ finess }} }}",
            _ => $"createPerson(input: {{lastName: {JsonSerializer.Serialize(name)}, firstNames: [{JsonSerializer.Serialize(name)}], birthDate: \"2010-01-01\"}}) {{ person {{ id }} }}",
        }) + " ")) + "}";

    private static readonly Gen<string> Documents = Gen.Frequency(
        (3, Soup), (2, Deep), (2, Fragments), (1, Aliases), (2, Mutation));

    [Fact]
    public async Task Random_documents_never_crash_the_host_nor_write()
    {
        var before = await StorageSnapshot.TakeAsync(api);
        var observatory = api.Token(Role.Observatory);
        var failures = new List<string>();
        var tried = 0;

        var property = Prop.ForAll(Documents.ToArbitrary(), document =>
        {
            // Off xUnit's synchronization context: FsCheck calls the property synchronously.
            var response = Task.Run(() => api.PostAsync(document, token: observatory)).GetAwaiter().GetResult();
            tried++;
            if (Problem(response) is { } problem)
            {
                failures.Add($"{problem} pour {Shorten(document)} → {Shorten(response.Body)}");
                throw new Xunit.Sdk.XunitException(failures[^1]); // FsCheck reports it with the case
            }
            return true;
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(Cases).WithEndSize(60), property);

        Assert.Empty(failures);
        Assert.Equal(Cases, tried);
        await HostHealth.AssertServingAsync(api);
        Assert.Empty((await StorageSnapshot.TakeAsync(api)).ChangesSince(before));
    }

    private static string? Problem(GraphQLResponse response)
    {
        if (response.Status >= 500)
            return $"HTTP {response.Status}";
        JsonElement json;
        try
        {
            json = response.Json;
        }
        catch (JsonException)
        {
            return "réponse non JSON";
        }
        if (json.TryGetProperty("errors", out var errors))
        {
            foreach (var error in errors.EnumerateArray())
            {
                var code = error.TryGetProperty("extensions", out var extensions) && extensions.TryGetProperty("code", out var c) ? c.GetString() : null;
                if (code is null or "INTERNAL_ERROR")
                    return $"erreur {code ?? "sans code"}";
                var message = error.GetProperty("message").GetString() ?? "";
                if (message.Contains("   at ", StringComparison.Ordinal))
                    return "trace de pile dans la réponse";
            }
        }
        return null;
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + $"… ({text.Length} caractères)";
}
