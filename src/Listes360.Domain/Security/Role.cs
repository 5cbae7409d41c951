namespace Listes360.Domain.Security;

/// <summary>The roles of DESIGN.md's users table; <see cref="System"/> is the service itself (imports, daily passes).</summary>
public enum Role
{
    EsmsDirector,
    TerritorialStaff,
    MdphReferent,
    Observatory,
    Admin,
    System,
}

public static class RoleNames
{
    private static readonly Dictionary<string, Role> ByClaim = new(StringComparer.Ordinal)
    {
        ["esms-director"] = Role.EsmsDirector,
        ["territorial-staff"] = Role.TerritorialStaff,
        ["mdph-referent"] = Role.MdphReferent,
        ["observatory"] = Role.Observatory,
        ["admin"] = Role.Admin,
    };

    /// <summary>The role claim values a token may carry (System is never granted by a token).</summary>
    public static IReadOnlyCollection<string> ClaimValues => ByClaim.Keys;

    public static string ToClaim(this Role role) =>
        ByClaim.FirstOrDefault(pair => pair.Value == role).Key
        ?? throw new ArgumentOutOfRangeException(nameof(role), role, "Ce rôle ne se porte pas dans un jeton.");

    public static bool TryParseClaim(string? value, out Role role) => ByClaim.TryGetValue(value ?? "", out role);

    public static string French(this Role role) => role switch
    {
        Role.EsmsDirector => "direction d'ESMS",
        Role.TerritorialStaff => "équipe territoriale",
        Role.MdphReferent => "référent MDPH",
        Role.Observatory => "observatoire",
        Role.Admin => "administration",
        Role.System => "service",
        _ => role.ToString(),
    };
}
