using System.Text.Json;
using Listes360.Api.Tests;

namespace Listes360.Security.Tests;

/// <summary>As admin: an ESMS (a MAS) and persons in the rupture-risk list, candidates there, with carers of known ages.</summary>
internal static class ObservatorySeed
{
    public const string Finess = "610000184";

    public static async Task<JsonElement> AdminAsync(ApiFixture api, string query, object? variables = null)
    {
        var r = await api.PostAsync(query, variables);
        Assert.False(r.HasErrors, r.Body);
        return r.Data;
    }

    /// <summary>A person waiting at home for a MAS, candidate at <see cref="Finess"/>, whose carer is <paramref name="carerAge"/>.</summary>
    public static async Task<string> WaitingPersonAsync(ApiFixture api, string birthName, string birthDate, int carerAge)
    {
        await AdminAsync(api, """mutation($f: String!) { registerEsms(input: {finess: $f, name: "MAS de la sécurité", category: "255"}) { esms { finess } } }""", new { f = Finess });
        var id = (await AdminAsync(api, $$$"""
            mutation($n: String!, $b: DateOnly!) { createPerson(input: {department: "61", birthName: $n, firstNames: ["Sûreté"], birthDate: $b, sex: FEMALE,
              residenceCommune: "61001", situation: {kind: AT_HOME_WITHOUT_SOLUTION, since: "2024-01-01"}, carer: {relationship: PARENT, age: {{{carerAge}}}, status: EXHAUSTED}}) { person { id } } }
            """, new { n = birthName, b = birthDate })).GetProperty("createPerson").GetProperty("person").GetProperty("id").GetString()!;
        await AdminAsync(api, """mutation($p: ID!) { addOrientation(input: {personId: $p, decisionReference: "CDAPH-SEC", kind: MAS, validFrom: "2024-01-01"}) { person { id } } }""", new { p = id });
        await AdminAsync(api, """mutation($p: ID!, $f: String!) { createCandidature(input: {personId: $p, finess: $f, modality: RESIDENTIAL, requestDate: "2024-02-01"}) { candidature { id } } }""", new { p = id, f = Finess });
        return id;
    }
}
