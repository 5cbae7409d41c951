using System.Text.Json;
using Listes360.Api.Tests;
using Xunit.Abstractions;

namespace Listes360.Security.Tests;

/// <summary>One hostile or careless call and the refusal it must get: an error code, or (for an import) the code of its rejected line.</summary>
public sealed record RefusalTry(string Name, string Query, object? Variables, string Code, bool RejectedRow = false);

/// <summary>
/// Replays tries against the whole service, one at a time, and counts, as the issue's closing note
/// wants: tries, refused with the expected code, wrongly accepted, storage changed, crashes (HTTP 500
/// or INTERNAL_ERROR). Every try must be refused with its code and leave storage as it was.
/// </summary>
public static class RefusalReplay
{
    public static async Task RunAsync(ApiFixture api, ITestOutputHelper output, string label, IEnumerable<RefusalTry> tries)
    {
        int count = 0, refused = 0, accepted = 0, changed = 0, crashes = 0;
        var faults = new List<string>();
        foreach (var t in tries)
        {
            count++;
            var before = await StorageSnapshot.TakeAsync(api);
            var response = await api.PostAsync(t.Query, t.Variables);
            var changes = (await StorageSnapshot.TakeAsync(api)).ChangesSince(before);
            var code = CodeOf(response, t.RejectedRow);
            if (response.Status >= 500 || code == "INTERNAL_ERROR")
            {
                crashes++;
                faults.Add($"{t.Name} : plantage ({response.Status}) {Cut(response.Body)}");
            }
            else if (code == t.Code)
            {
                refused++;
            }
            else
            {
                if (code is null) accepted++;
                faults.Add($"{t.Name} : attendu {t.Code}, reçu {code ?? "(accepté)"} {Cut(response.Body)}");
            }
            if (changes.Count > 0)
            {
                changed++;
                faults.Add($"{t.Name} : stockage modifié ({string.Join(", ", changes.Take(3))})");
            }
        }
        output.WriteLine($"{label} | tries {count} | refused {refused} | wrongly accepted {accepted} | state changed {changed} | crashes {crashes}");
        Assert.True(faults.Count == 0, string.Join("\n", faults));
    }

    private static string? CodeOf(GraphQLResponse response, bool rejectedRow)
    {
        if (response.HasErrors)
            return response.FirstErrorCode;
        if (!rejectedRow)
            return null;
        var report = response.Data.EnumerateObject().First().Value.GetProperty("report");
        return report.GetProperty("rejected") is { ValueKind: JsonValueKind.Array } rejected && rejected.GetArrayLength() > 0
            ? rejected[0].GetProperty("code").GetString()
            : null;
    }

    private static string Cut(string body) => body.Length > 300 ? body[..300] + "…" : body;

    /// <summary>Registers an ESMS (category 255, a MAS, with residential places) and returns its FINESS.</summary>
    public static async Task<string> EsmsAsync(ApiFixture api, string finess)
    {
        var r = await api.PostAsync("""
            mutation($f: String!) {
              registerEsms(input: {finess: $f, name: "MAS des Essais", category: "255", postcode: "61000", commune: "ALENCON"}) { esms { finess } }
              setEsmsPlaces(input: {finess: $f, modality: RESIDENTIAL, capacity: 40, occupied: 38}) { esms { version } }
            }
            """, new { f = finess });
        Assert.False(r.HasErrors, r.Body);
        return finess;
    }

    /// <summary>Creates an adult with a MAS orientation and returns their id.</summary>
    public static async Task<string> PersonAsync(ApiFixture api, string birthName, string firstName)
    {
        var r = await api.PostAsync("""
            mutation($n: String!, $p: String!) {
              createPerson(input: {department: "61", birthName: $n, firstNames: [$p], birthDate: "1980-02-03", sex: FEMALE}) { person { id } }
            }
            """, new { n = birthName, p = firstName });
        Assert.False(r.HasErrors, r.Body);
        var id = r.Data.GetProperty("createPerson").GetProperty("person").GetProperty("id").GetString()!;
        var o = await api.PostAsync("""
            mutation($id: ID!, $ref: String!) { addOrientation(input: {personId: $id, decisionReference: $ref, kind: MAS, validFrom: "2024-01-01"}) { person { id } } }
            """, new { id, @ref = "CDAPH-" + birthName });
        Assert.False(o.HasErrors, o.Body);
        return id;
    }
}
