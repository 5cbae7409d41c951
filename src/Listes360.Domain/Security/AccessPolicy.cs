using Listes360.Domain.Registry;
using Listes360.Domain.Territories;

namespace Listes360.Domain.Security;

/// <summary>What a grain key, or an argument, says about who may touch it.</summary>
public enum KeyScope
{
    /// <summary>Not tied to a place (roles decide alone).</summary>
    None,
    /// <summary>
    /// The key is a FINESS number, or starts with one followed by <c>|</c> (a ranking: <c>610000010|RESIDENTIAL</c>):
    /// directors only for their own ESMS, others within their département.
    /// </summary>
    Finess,
    /// <summary>The key starts with a département code (<c>61</c>, <c>61:…</c>): callers of that département.</summary>
    Department,
    /// <summary>
    /// A person of a département: callers of that département, and directors of an ESMS there, whom
    /// the person's grain then lets through only for candidatures to their own ESMS.
    /// </summary>
    Person,
    /// <summary>
    /// A territory (EPCI code): one of the caller's département, and a territorial staff member whose
    /// token names a territory only that one. Absent (null): the whole département, left to the grain.
    /// </summary>
    Territory,
}

/// <summary>Role and scope checks made for every grain call, below GraphQL, on the key and on every scoped argument.</summary>
public static class AccessPolicy
{
    /// <summary>Null when allowed, else the French reason for the refusal.</summary>
    public static string? Deny(Caller caller, IReadOnlyCollection<Role> allowed, KeyScope scope, string key)
    {
        if (caller.Role is Role.System)
            return null;
        if (!allowed.Contains(caller.Role))
            return $"Accès refusé : le rôle « {caller.Role.French()} » ne permet pas cette opération.";
        return DenyScope(caller, scope, key);
    }

    /// <summary>
    /// Null when <paramref name="value"/> (a key or an argument naming a place or a person) is within the
    /// caller's scope, else the French reason. Every role is bound, the administrator included: only
    /// a national administrator (<see cref="Caller.National"/>) and the service itself are not.
    /// </summary>
    public static string? DenyScope(Caller caller, KeyScope scope, string? value)
    {
        if (caller.Role is Role.System || IsNationalAdmin(caller) || scope is KeyScope.None)
            return null;
        if (value is null)
            return null; // an absent optional argument names nothing

        return scope switch
        {
            KeyScope.Finess => DenyFiness(caller, value),
            KeyScope.Department => SameDepartment(caller, DepartmentOfKey(value)),
            KeyScope.Person when caller.Role is Role.EsmsDirector =>
                caller.Finess.Any(f => FinessNumber.TryParse(f, out var own, out _) && own.Department == DepartmentOfKey(value))
                    ? null
                    : $"Accès refusé : aucun des ESMS de votre jeton n'est dans le département {DepartmentOfKey(value)}.",
            KeyScope.Person => SameDepartment(caller, DepartmentOfKey(value)),
            KeyScope.Territory => DenyTerritory(caller, value),
            _ => "Accès refusé : règle d'accès inconnue.",
        };
    }

    /// <summary>An administrator whose token explicitly carries the national scope.</summary>
    public static bool IsNationalAdmin(Caller caller) => caller is { Role: Role.Admin, National: true };

    /// <summary>
    /// The département a département-scoped key belongs to: its leading letters and digits
    /// (<c>61</c>, <c>61-4f…</c> for a person, <c>61-w3</c> for a shard, <c>2A-…</c>).
    /// </summary>
    public static string DepartmentOfKey(string key)
    {
        var end = 0;
        while (end < key.Length && char.IsAsciiLetterOrDigit(key[end]))
            end++;
        return key[..end];
    }

    /// <summary>
    /// The département a grain key or audit target belongs to, whatever its scope: a FINESS number's
    /// (<c>610000010</c>, <c>610000010|RESIDENTIAL</c>), else the leading code (<c>61-4f…</c>, <c>61-w3</c>);
    /// a key of no département (<c>audit</c>, an HTTP path) gives one that matches none.
    /// </summary>
    public static string DepartmentOfTarget(string key) =>
        FinessNumber.TryParse(key.Split('|', 2)[0], out var finess, out _) ? finess.Department : DepartmentOfKey(key);

    private static string? DenyFiness(Caller caller, string key)
    {
        key = key.Split('|', 2)[0];
        if (!FinessNumber.TryParse(key, out var finess, out _))
            return $"Accès refusé : « {key} » n'est pas un numéro FINESS.";
        if (caller.Role is Role.EsmsDirector)
            return DenyOtherEsms(caller, finess);
        return SameDepartment(caller, finess.Department);
    }

    /// <summary>Whether a director's token carries the ESMS: the one rule of which ESMS a director sees.</summary>
    public static bool CarriesEsms(Caller director, string finess) => director.Finess.Contains(finess, StringComparer.Ordinal);

    /// <summary>The refusal for a director acting on an ESMS their token does not carry; <c>null</c> otherwise (and for other roles).</summary>
    public static string? DenyOtherEsms(Caller caller, FinessNumber finess) =>
        caller.Role is Role.EsmsDirector && !CarriesEsms(caller, finess.Value)
            ? $"Accès refusé : votre jeton ne porte pas l'ESMS {finess.Value}."
            : null;

    /// <summary>
    /// The territory a list is read for: a territorial staff whose token names a territory reads that
    /// territory only (whatever the request left empty; asking for another is refused, <c>FORBIDDEN</c>);
    /// any other caller reads what they asked (<c>null</c>: the whole département of the key).
    /// </summary>
    public static string? TerritoryFor(Caller? caller, string? asked)
    {
        if (caller is not { Role: Role.TerritorialStaff, Territory: { Length: > 0 } own })
            return asked;
        if (asked is not null && asked != own)
            throw new DomainException("FORBIDDEN", $"Accès refusé : votre jeton porte le territoire {own}, pas {asked}.");
        return own;
    }

    private static string? DenyTerritory(Caller caller, string territory)
    {
        if (caller is { Role: Role.TerritorialStaff, Territory: { Length: > 0 } own } && own != territory)
            return $"Accès refusé : votre jeton porte le territoire {own}, pas {territory}.";
        if (caller.Department is not { Length: > 0 } department)
            return NoDepartment(caller);
        TerritoryDirectory directory;
        try
        {
            directory = TerritoryDirectory.FromEmbedded(department);
        }
        catch (DomainException e) when (e.Code == "TERRITORIES_NOT_AVAILABLE")
        {
            // Without the département's territories the key (the département) is the only bound checked.
            return null;
        }
        return directory.TerritoryByCode(territory) is null
            ? $"Accès refusé : le territoire {territory} n'est pas un territoire du département {department} de votre jeton."
            : null;
    }

    private static string? SameDepartment(Caller caller, string department) =>
        caller.Department is not { Length: > 0 }
            ? NoDepartment(caller)
            : string.Equals(caller.Department, department, StringComparison.OrdinalIgnoreCase)
                ? null
                : $"Accès refusé : votre jeton porte le département {caller.Department}, pas le département {department}.";

    private static string NoDepartment(Caller caller) => caller.Role is Role.Admin
        ? "Accès refusé : votre jeton d'administration ne porte aucun département ; seul un jeton à portée nationale (« scope: national ») vaut pour tous les départements."
        : "Accès refusé : votre jeton ne porte aucun département.";
}
