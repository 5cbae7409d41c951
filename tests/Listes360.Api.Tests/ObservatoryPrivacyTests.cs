using System.Text;
using System.Text.Json;
using GraphQL;
using GraphQL.Types;
using Listes360.Domain.Persons;
using Listes360.Domain.Security;
using Microsoft.Extensions.DependencyInjection;
using Listes360.Domain.Time;

namespace Listes360.Api.Tests;

/// <summary>
/// The observatory never receives a name, a birth date, a NIR hash or an MDPH number. Every query
/// the role matrix opens to the observatory is asked with EVERY field the schema lets it select
/// (generated from the schema, so a field added later is covered without editing this test), over
/// a département holding a person with unmistakable identifying values; none may appear.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ObservatoryPrivacyTests(ApiFixture api)
{
    private const int SelectionDepth = 5;

    private static readonly string[] IdentifyingFieldNames = ["birthName", "usageName", "firstNames", "birthDate", "mdphFileNumber", "nirHash", "nir"];

    public static TheoryData<string> ObservatoryQueries()
    {
        var data = new TheoryData<string>();
        foreach (var (field, entry) in RoleMatrixTests.Matrix)
            if (field.StartsWith("Query.", StringComparison.Ordinal) && entry.Allowed.Contains(Role.Observatory))
                data.Add(field);
        return data;
    }

    [Fact]
    public void The_observatory_has_queries_to_check()
    {
        // Guards the theory below against passing on an empty set if the matrix changes shape.
        Assert.NotEmpty(ObservatoryQueries());
    }

    [Theory]
    [MemberData(nameof(ObservatoryQueries))]
    public async Task Every_field_of_an_observatory_query_leaves_identity_out(string field)
    {
        var known = await SeedIdentifiablePersonAsync();
        var schema = api.App.Services.GetRequiredService<ISchema>();
        var operation = RoleMatrixTests.Matrix[field].Operation.Replace("{finess}", known.Finess);

        // A field refused to the observatory (FORBIDDEN) protects itself; it is left out and the
        // rest asked again, so that everything the observatory CAN receive is checked.
        var refused = new HashSet<string>();
        GraphQLResponse response;
        while (true)
        {
            response = await api.PostAsync(ExhaustiveQuery(schema, operation, field["Query.".Length..], refused), token: api.Token(Role.Observatory));
            var errors = response.Json.TryGetProperty("errors", out var e) ? e.EnumerateArray().ToList() : [];
            if (errors.Count == 0)
                break;
            foreach (var error in errors)
            {
                Assert.True(error.GetProperty("extensions").GetProperty("code").GetString() == "FORBIDDEN", $"{field} : erreur inattendue {error}");
                var path = string.Join('.', error.GetProperty("path").EnumerateArray().Where(s => s.ValueKind == JsonValueKind.String).Select(s => s.GetString()));
                Assert.True(refused.Add(path), $"{field} : {path} refusé à nouveau après avoir été retiré : {response.Body}");
            }
        }

        var root = response.Json.GetProperty("data").GetProperty(field["Query.".Length..]);
        Assert.True(root.ValueKind != JsonValueKind.Null, $"{field} n'a rien rendu à l'observatoire : {response.Body}");
        var data = response.Json.GetProperty("data").GetRawText();
        // Compared with the decoded strings: the raw JSON may escape accents (Z\u00E9phyrine).
        var strings = StringValues(response.Json.GetProperty("data")).ToList();
        foreach (var value in known.IdentifyingValues)
            Assert.False(strings.Any(s => s.Contains(value, StringComparison.OrdinalIgnoreCase)), $"{field} a rendu « {value} » à l'observatoire : {data}");
        foreach (var name in IdentifyingFieldNames)
            Assert.False(HasNonNullProperty(response.Json.GetProperty("data"), name), $"{field} a rendu un champ « {name} » renseigné à l'observatoire : {data}");
    }

    private sealed record KnownPerson(string Finess, IReadOnlyList<string> IdentifyingValues);

    /// <summary>As admin: an ESMS and a person with values that cannot appear by chance, candidate there.</summary>
    private async Task<KnownPerson> SeedIdentifiablePersonAsync()
    {
        async Task<JsonElement> Admin(string q, object? v = null)
        {
            var r = await api.PostAsync(q, v);
            Assert.False(r.HasErrors, r.Body);
            return r.Data;
        }

        var finess = Listes360.Domain.Registry.FinessNumber.WithKey("61" + Random.Shared.Next(800_000, 899_999).ToString("D6")).Value;
        await Admin("""mutation($f: String!) { registerEsms(input: {finess: $f, name: "ESMS de l'observatoire", category: "255"}) { esms { finess } } }""", new { f = finess });
        const string nir = "1 83 07 61 123 456";
        var fullNir = nir.Replace(" ", "") is var n ? n + Nir.ControlKey(n).ToString("D2") : "";
        var person = (await Admin("""
            mutation($nir: String!) { createPerson(input: {department: "61", birthName: "Quintavalle", usageName: "Obscurantine",
              firstNames: ["Zéphyrine", "Aldegonde"], birthDate: "1983-07-19", sex: FEMALE, mdphFileNumber: "MDPH-61-OBS-77881",
              nir: $nir, residenceCommune: "61001", situation: {kind: AT_HOME_WITHOUT_SOLUTION, since: "2024-01-01"},
              carer: {relationship: PARENT, age: 87, status: EXHAUSTED}}) { person { id } } }
            """, new { nir = fullNir })).GetProperty("createPerson").GetProperty("person").GetProperty("id").GetString()!;
        await Admin("""mutation($p: ID!) { addOrientation(input: {personId: $p, decisionReference: "CDAPH-OBS-1", kind: MAS, validFrom: "2025-01-01"}) { person { id } } }""", new { p = person });
        await Admin("""mutation($p: ID!, $f: String!) { createCandidature(input: {personId: $p, finess: $f, modality: RESIDENTIAL, requestDate: "2026-02-01"}) { candidature { id } } }""", new { p = person, f = finess });

        var hash = api.App.Services.GetRequiredService<NirHasher>().Hash(Nir.Parse(fullNir)).Value;
        // Exact ages (hers and her carer's) are identifying too: the observatory gets age bands only.
        var today = ParisDate.Today(TimeProvider.System);
        var age = today.Year - 1983 - (today < new DateOnly(today.Year, 7, 19) ? 1 : 0);
        return new KnownPerson(finess, ["Quintavalle", "Obscurantine", "Zéphyrine", "Aldegonde", "1983-07-19", "19/07/1983", "MDPH-61-OBS-77881", fullNir, hash,
            $"{age} ans", "87 ans"]);
    }

    /// <summary>
    /// The matrix's call of <paramref name="fieldName"/> (its arguments) with a selection of every
    /// field reachable within <see cref="SelectionDepth"/> levels that needs no required argument.
    /// </summary>
    private static string ExhaustiveQuery(ISchema schema, string matrixOperation, string fieldName, IReadOnlySet<string> excluded)
    {
        var field = schema.Query.Fields.Find(fieldName)!;
        var start = matrixOperation.IndexOf(fieldName, StringComparison.Ordinal) + fieldName.Length;
        var arguments = "";
        if (matrixOperation[start] == '(')
        {
            var depth = 0;
            var end = start;
            do
            {
                depth += matrixOperation[end] switch { '(' => 1, ')' => -1, _ => 0 };
                end++;
            }
            while (depth > 0);
            arguments = matrixOperation[start..end];
        }
        var selection = new StringBuilder();
        AppendSelection(selection, field.ResolvedType!, SelectionDepth, fieldName, excluded);
        return "{ " + fieldName + arguments + selection + " }";
    }

    private static void AppendSelection(StringBuilder into, IGraphType type, int depth, string path, IReadOnlySet<string> excluded)
    {
        var named = type.GetNamedType();
        if (named is not IComplexGraphType complex)
            return;
        into.Append(" {");
        foreach (var f in complex.Fields)
        {
            if (f.Arguments?.Any(a => a.ResolvedType is NonNullGraphType && a.DefaultValue is null) == true)
                continue;
            var child = f.ResolvedType!.GetNamedType();
            var childPath = path + "." + f.Name;
            if ((child is IComplexGraphType && depth <= 1) || excluded.Contains(childPath))
                continue;
            into.Append(' ').Append(f.Name);
            if (child is IComplexGraphType)
                AppendSelection(into, child, depth - 1, childPath, excluded);
        }
        into.Append(" __typename }");
    }

    private static IEnumerable<string> StringValues(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => StringValues(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(StringValues),
        JsonValueKind.String => [element.GetString()!],
        _ => [],
    };

    private static bool HasNonNullProperty(JsonElement element, string name) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().Any(p =>
            (p.NameEquals(name) && p.Value.ValueKind != JsonValueKind.Null) || HasNonNullProperty(p.Value, name)),
        JsonValueKind.Array => element.EnumerateArray().Any(e => HasNonNullProperty(e, name)),
        _ => false,
    };
}
