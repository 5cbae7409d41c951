using System.Security.Claims;
using Listes360.Domain.Security;

namespace Listes360.Api.Security;

/// <summary>The token claims Listes360 reads, and the <see cref="Caller"/> they make.</summary>
public static class Listes360Claims
{
    public const string Role = "role";
    public const string Finess = "finess";
    public const string Department = "department";
    public const string Territory = "territory";
    public const string Subject = "sub";
    public const string Name = "name";
    public const string Scope = "scope";

    /// <summary>The value of <see cref="Scope"/> that makes an administrator national (no département).</summary>
    public const string NationalScope = "national";

    /// <summary>Who the token names, as the audit trail writes it: its display name, else its subject.</summary>
    public static string SubjectOf(ClaimsPrincipal user) =>
        user.FindFirst(Name)?.Value ?? user.FindFirst(Subject)?.Value ?? "inconnu";

    /// <summary>The caller, or the French reason the token cannot make one.</summary>
    public static (Caller? Caller, string? Error) ToCaller(ClaimsPrincipal user)
    {
        var roles = user.FindAll(Role).Select(c => c.Value).Distinct().ToList();
        if (roles.Count != 1)
            return (null, roles.Count == 0
                ? "Le jeton ne porte aucun rôle (claim « role »)."
                : $"Le jeton porte plusieurs rôles ({string.Join(", ", roles)}) ; un seul est admis.");
        if (!RoleNames.TryParseClaim(roles[0], out var role))
            return (null, $"Rôle « {roles[0]} » inconnu ; rôles admis : {string.Join(", ", RoleNames.ClaimValues)}.");

        var subject = SubjectOf(user);
        var finess = user.FindAll(Finess).Select(c => c.Value.Trim().ToUpperInvariant()).Distinct().ToList();
        var department = user.FindFirst(Department)?.Value;
        var territory = user.FindFirst(Territory)?.Value;
        var scopes = user.FindAll(Scope).Select(c => c.Value).Distinct().ToList();
        if (scopes.Any(s => s != NationalScope))
            return (null, $"Portée « {scopes.First(s => s != NationalScope)} » inconnue ; seule « {NationalScope} » est admise (claim « scope »).");
        var national = scopes.Count == 1;
        if (national && role is not Domain.Security.Role.Admin)
            return (null, $"Seul un jeton admin peut porter la portée « {NationalScope} » (ce jeton porte le rôle « {roles[0]} »).");
        if (national && department is not null)
            return (null, $"Un jeton à portée « {NationalScope} » ne porte pas de département (il porte « {department} ») : il vaut pour tous.");
        return (new Caller(subject, role, finess, department, territory, national), null);
    }
}
