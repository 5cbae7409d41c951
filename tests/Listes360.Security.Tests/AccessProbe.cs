using System.Text.Json;
using Listes360.Api.Security;
using Listes360.Api.Tests;
using Listes360.Domain.Security;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Xunit.Abstractions;

namespace Listes360.Security.Tests;

/// <summary>
/// Classes 3 and 4's tries, tallied like the closing note's table (tries, refused, wrongly accepted,
/// state changed, crashes), with the helpers both classes share: tokens of any scope, fresh ESMS and
/// persons in any département.
/// </summary>
internal sealed class AccessProbe(ApiFixture api, ITestOutputHelper output)
{
    private readonly List<(string Name, bool Refused, bool WronglyAccepted, bool StateChanged, bool Crashed, string Body)> _tries = [];

    /// <summary>
    /// A token as an identity provider would issue it, with the national scope claim when asked (built
    /// here rather than with <see cref="DevTokens"/> so that the same probe replays against any version).
    /// </summary>
    public string Token(Role role, string? department = "61", string? territory = null, bool national = false, string? scope = null, params string[] finess)
    {
        var claims = new Dictionary<string, object>
        {
            [Listes360Claims.Subject] = $"probe-{role}-{department ?? "national"}",
            [Listes360Claims.Name] = $"probe-{role}-{department ?? "national"}",
            [Listes360Claims.Role] = role.ToClaim(),
        };
        if (finess.Length > 0)
            claims[Listes360Claims.Finess] = finess;
        if (department is not null)
            claims[Listes360Claims.Department] = department;
        if (territory is not null)
            claims[Listes360Claims.Territory] = territory;
        if (national || scope is not null)
            claims["scope"] = scope ?? "national";
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = api.Auth.Issuer,
            Audience = api.Auth.Audience,
            IssuedAt = now,
            NotBefore = now.AddSeconds(-1),
            Expires = now.AddMinutes(30),
            Claims = claims,
            SigningCredentials = new SigningCredentials(DevTokens.Key(api.Auth.SigningKey!), SecurityAlgorithms.HmacSha256),
        });
    }

    /// <summary>A FINESS number of the département that passes the Luhn key, and that no other test uses.</summary>
    public static string NewFiness(string department)
    {
        while (true)
        {
            var body = department + Random.Shared.Next(0, 1_000_000).ToString("D6");
            for (var check = 0; check < 10; check++)
                if (LuhnValid(body + check))
                    return body + check;
        }
    }

    private static bool LuhnValid(string digits)
    {
        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var d = digits[digits.Length - 1 - i] - '0';
            if (i % 2 == 1)
                d = d * 2 > 9 ? d * 2 - 9 : d * 2;
            sum += d;
        }
        return sum % 10 == 0;
    }

    /// <summary>Eight random letters: no two setups share an identity (persons are matched on creation).</summary>
    public static string UniqueName() =>
        string.Concat(Enumerable.Range(0, 8).Select(i => (char)((i == 0 ? 'A' : 'a') + Random.Shared.Next(26))));

    public async Task<JsonElement> Must(string query, object? variables = null, string? token = null)
    {
        var r = await api.PostAsync(query, variables, token: token);
        Assert.False(r.HasErrors, r.Body);
        return r.Data;
    }

    public async Task<string> RegisterEsmsAsync(string department, string token, string category = "255")
    {
        var finess = NewFiness(department);
        await Must("""mutation($f: String!, $c: String!) { registerEsms(input: {finess: $f, name: "ESMS de la sonde", category: $c}) { esms { finess } } }""",
            new { f = finess, c = category }, token);
        return finess;
    }

    public async Task<(string Id, string BirthName, string FirstName, DateOnly BirthDate)> CreatePersonAsync(string department, string token)
    {
        var (birthName, firstName) = (UniqueName(), UniqueName());
        var birthDate = new DateOnly(Random.Shared.Next(1960, 2000), Random.Shared.Next(1, 13), Random.Shared.Next(1, 29));
        var data = await Must("""
            mutation($d: String!, $n: String!, $f: String!, $b: DateOnly!) { createPerson(input: {department: $d, birthName: $n, firstNames: [$f], birthDate: $b, sex: FEMALE,
              situation: {kind: AT_HOME_WITHOUT_SOLUTION, since: "2025-01-01"}}) { person { id } } }
            """, new { d = department, n = birthName, f = firstName, b = birthDate.ToString("yyyy-MM-dd") }, token);
        var id = data.GetProperty("createPerson").GetProperty("person").GetProperty("id").GetString()!;
        // The CDAPH decision is the MDPH referent's to record, whoever entered the person.
        await Must("""mutation($p: ID!) { addOrientation(input: {personId: $p, decisionReference: "CDAPH-SONDE", kind: MAS, validFrom: "2025-01-01"}) { person { id } } }""",
            new { p = id }, Token(Role.MdphReferent, department));
        return (id, birthName, firstName, birthDate);
    }

    public async Task<string> ApplyAsync(string person, string finess, string token, string modality = "RESIDENTIAL") =>
        (await Must("""mutation($p: ID!, $f: String!, $m: Modality!) { createCandidature(input: {personId: $p, finess: $f, modality: $m, requestDate: "2026-03-01"}) { candidature { id } } }""",
            new { p = person, f = finess, m = modality }, token)).GetProperty("createCandidature").GetProperty("candidature").GetProperty("id").GetString()!;

    public async Task MoveAsync(string person, string candidature, string token, params string[] statuses)
    {
        foreach (var status in statuses)
            await Must("""mutation($p: ID!, $c: ID!, $s: CandidatureStatus!) { changeCandidatureStatus(input: {personId: $p, candidatureId: $c, status: $s}) { person { id } } }""",
                new { p = person, c = candidature, s = status }, token);
    }

    /// <summary>
    /// A try that must be refused with <paramref name="code"/>: refused when it is, wrongly accepted when
    /// it answers data, state changed when storage moved, crashed on a 500 or an INTERNAL_ERROR.
    /// </summary>
    public async Task<GraphQLResponse> RefusedAsync(string name, string token, string query, object? variables = null, string code = "FORBIDDEN")
    {
        var before = await StorageSnapshot.TakeAsync(api);
        var response = await api.PostAsync(query, variables, token: token);
        var changes = (await StorageSnapshot.TakeAsync(api)).ChangesSince(before);
        Record(name, refused: response.HasErrors && response.FirstErrorCode == code, wronglyAccepted: !response.HasErrors,
            stateChanged: changes.Count > 0, response);
        return response;
    }

    /// <summary>A try that must succeed: allowed in scope (not tallied as a try of the class, asserted at once).</summary>
    public async Task<GraphQLResponse> AllowedAsync(string name, string token, string query, object? variables = null)
    {
        var response = await api.PostAsync(query, variables, token: token);
        Assert.False(response.HasErrors, $"{name} devrait être permis : {response.Body}");
        return response;
    }

    /// <summary>A try whose answer must not disclose something (<paramref name="leaks"/>): the disclosure is what is refused.</summary>
    public void Record(string name, bool refused, bool wronglyAccepted, bool stateChanged, GraphQLResponse response) =>
        _tries.Add((name, refused, wronglyAccepted, stateChanged,
            response.Status >= 500 || (response.HasErrors && response.FirstErrorCode == "INTERNAL_ERROR"), response.Body));

    /// <summary>Tallies <paramref name="class"/> and asserts that every try was refused, with nothing changed and no crash.</summary>
    public void AssertAllRefused(string @class)
    {
        var row = Tally(@class);
        Assert.Equal((row.Tries, 0, 0, 0), (row.Refused, row.WronglyAccepted, row.StateChanged, row.Crashes));
    }

    /// <summary>Writes the tally row (and each try wrongly accepted) and returns it.</summary>
    public (int Tries, int Refused, int WronglyAccepted, int StateChanged, int Crashes) Tally(string @class)
    {
        var row = (_tries.Count, _tries.Count(t => t.Refused), _tries.Count(t => t.WronglyAccepted), _tries.Count(t => t.StateChanged), _tries.Count(t => t.Crashed));
        output.WriteLine($"| {@class} | {row.Item1} | {row.Item2} | {row.Item3} | {row.Item4} | {row.Item5} |");
        foreach (var t in _tries.Where(t => !t.Refused || t.WronglyAccepted || t.StateChanged || t.Crashed))
            output.WriteLine($"  {t.Name} : refusé={t.Refused} accepté à tort={t.WronglyAccepted} état changé={t.StateChanged} plantage={t.Crashed} — {t.Body[..Math.Min(300, t.Body.Length)]}");
        var file = Environment.GetEnvironmentVariable("LISTES360_PROBE_TALLY");
        if (!string.IsNullOrEmpty(file))
            File.AppendAllText(file, $"| {@class} | {row.Item1} | {row.Item2} | {row.Item3} | {row.Item4} | {row.Item5} |{Environment.NewLine}");
        return row;
    }
}
