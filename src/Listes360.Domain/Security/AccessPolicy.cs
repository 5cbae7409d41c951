using Listes360.Domain.Registry;

namespace Listes360.Domain.Security;

/// <summary>What a grain key says about who may touch it.</summary>
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
}

/// <summary>Role and key checks made for every grain call, below GraphQL.</summary>
public static class AccessPolicy
{
    /// <summary>Null when allowed, else the French reason for the refusal.</summary>
    public static string? Deny(Caller caller, IReadOnlyCollection<Role> allowed, KeyScope scope, string key)
    {
        if (caller.Role is Role.System)
            return null;
        if (!allowed.Contains(caller.Role))
            return $"Accès refusé : le rôle « {caller.Role.French()} » ne permet pas cette opération.";
        if (caller.Role is Role.Admin)
            return null;

        return scope switch
        {
            KeyScope.None => null,
            KeyScope.Finess => DenyFiness(caller, key),
            KeyScope.Department => SameDepartment(caller, DepartmentOfKey(key)),
            KeyScope.Person when caller.Role is Role.EsmsDirector =>
                caller.Finess.Any(f => FinessNumber.TryParse(f, out var own, out _) && own.Department == DepartmentOfKey(key))
                    ? null
                    : $"Accès refusé : aucun des ESMS de votre jeton n'est dans le département {DepartmentOfKey(key)}.",
            KeyScope.Person => SameDepartment(caller, DepartmentOfKey(key)),
            _ => "Accès refusé : règle d'accès inconnue.",
        };
    }

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

    private static string? DenyFiness(Caller caller, string key)
    {
        key = key.Split('|', 2)[0];
        if (!FinessNumber.TryParse(key, out var finess, out _))
            return $"Accès refusé : « {key} » n'est pas un numéro FINESS.";
        if (caller.Role is Role.EsmsDirector)
            return caller.Finess.Contains(finess.Value, StringComparer.Ordinal)
                ? null
                : $"Accès refusé : votre jeton ne porte pas l'ESMS {finess.Value}.";
        return SameDepartment(caller, finess.Department);
    }

    private static string? SameDepartment(Caller caller, string department) =>
        string.Equals(caller.Department, department, StringComparison.OrdinalIgnoreCase)
            ? null
            : $"Accès refusé : votre jeton ne porte pas le département {department}.";
}
