using System.Security.Claims;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Listes360.Api.Security;
using Listes360.Api.Tests;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Listes360.Security.Tests;

/// <summary>What the tests of classes 7 to 9 read answers with: CSV cells, strings of a JSON answer, exact ages, a token without role.</summary>
internal static partial class Probe
{
    /// <summary>A number of years that is not the end of a band (« 40-59 ans » is a band, « 49 ans » an age).</summary>
    [GeneratedRegex(@"(?<![-\d])\d{1,3}\s*ans\b")]
    public static partial Regex ExactAge();

    /// <summary>The cells of a CSV line as a spreadsheet reads them back (quotes removed, doubled quotes undone).</summary>
    public static List<string> Cells(string line, char separator)
    {
        var cells = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted && c == '"' && i + 1 < line.Length && line[i + 1] == '"') { cell.Append('"'); i++; }
            else if (c == '"') quoted = !quoted;
            else if (c == separator && !quoted) { cells.Add(cell.ToString()); cell.Clear(); }
            else cell.Append(c);
        }
        cells.Add(cell.ToString());
        return cells;
    }

    /// <summary>Every string (and number, as written) of a JSON answer.</summary>
    public static IEnumerable<string> StringValues(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => StringValues(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(StringValues),
        JsonValueKind.String => [element.GetString()!],
        JsonValueKind.Number => [element.GetRawText()],
        _ => [],
    };

    /// <summary>A well-signed token that carries no role: valid for authentication, refused by the API.</summary>
    public static string RolelessToken(ApiFixture api, string subject) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = api.Auth.Issuer,
        Audience = api.Auth.Audience,
        Expires = DateTime.UtcNow.AddMinutes(10),
        Subject = new ClaimsIdentity([new Claim(Listes360Claims.Subject, subject), new Claim(Listes360Claims.Name, subject), new Claim(Listes360Claims.Department, "61")]),
        SigningCredentials = new SigningCredentials(DevTokens.Key(api.Auth.SigningKey!), SecurityAlgorithms.HmacSha256),
    });
}
