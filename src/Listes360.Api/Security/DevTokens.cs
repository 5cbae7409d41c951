using System.Security.Cryptography;
using Listes360.Domain.Security;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Listes360.Api.Security;

/// <summary>Development tokens signed with the local key (never used with an OIDC authority).</summary>
public static class DevTokens
{
    public static string NewSigningKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public static SymmetricSecurityKey Key(string base64)
    {
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            throw new InvalidOperationException("Auth:SigningKey doit être en base64.");
        }
        if (bytes.Length < 32)
            throw new InvalidOperationException($"Auth:SigningKey doit compter au moins 32 octets (il en a {bytes.Length}).");
        return new SymmetricSecurityKey(bytes) { KeyId = "listes360-dev" };
    }

    public static string Mint(AuthSettings settings, string subject, Role role, IReadOnlyList<string> finess,
        string? department, string? territory, TimeSpan lifetime, DateTimeOffset? now = null, string? audience = null, bool national = false)
    {
        if (settings.SigningKey is null)
            throw new InvalidOperationException("Aucune clé de signature locale (Auth:SigningKey) : impossible d'émettre un jeton de développement.");
        var issuedAt = (now ?? DateTimeOffset.UtcNow).UtcDateTime;
        var claims = new Dictionary<string, object>
        {
            [Listes360Claims.Subject] = subject,
            [Listes360Claims.Name] = subject,
            [Listes360Claims.Role] = role.ToClaim(),
        };
        if (finess.Count > 0)
            claims[Listes360Claims.Finess] = finess.ToArray();
        if (department is not null)
            claims[Listes360Claims.Department] = department;
        if (territory is not null)
            claims[Listes360Claims.Territory] = territory;
        if (national)
            claims[Listes360Claims.Scope] = Listes360Claims.NationalScope;

        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = settings.Issuer,
            Audience = audience ?? settings.Audience,
            IssuedAt = issuedAt,
            NotBefore = issuedAt.AddSeconds(-1),
            Expires = issuedAt.Add(lifetime),
            Claims = claims,
            SigningCredentials = new SigningCredentials(Key(settings.SigningKey), SecurityAlgorithms.HmacSha256),
        });
    }
}
