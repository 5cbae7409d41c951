using Listes360.Domain.Security;

namespace Listes360.Grains.Security;

/// <summary>
/// Who may call this grain method from outside the cluster. Every method of a Listes360 grain
/// interface carries either this or <see cref="InternalAttribute"/>: a method with neither is
/// refused to everyone, so no new operation can forget its rule.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class AllowAttribute(params Role[] roles) : Attribute
{
    public IReadOnlyCollection<Role> Roles { get; } = roles;

    /// <summary>How the grain key limits the callers (their ESMS, their département).</summary>
    public KeyScope Scope { get; init; } = KeyScope.None;

    /// <summary>The method returns identifying person data: each read goes to the audit trail (writes always do).</summary>
    public bool AuditReads { get; init; }
}

/// <summary>Only grains (and the service itself) may call this method: it keeps projections in step.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class InternalAttribute : Attribute;

/// <summary>
/// The argument goes into the audit entry's detail (the reason of a merge, the file of an import), so
/// that the trail says why as well as who and when.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false)]
public sealed class AuditDetailAttribute : Attribute;

/// <summary>
/// The argument names a département, an ESMS, a territory or a person: the filter checks it against
/// the caller's scope with the same <see cref="AccessPolicy.DenyScope"/> as the grain key, for every
/// role. A collection is checked item by item; <see cref="Member"/> names the property of each item
/// (or of the argument) that carries the value (<c>Finess</c> of a proposal part). Null names nothing.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false)]
public sealed class ScopedAttribute(KeyScope scope) : Attribute
{
    public KeyScope Scope { get; } = scope;

    public string? Member { get; init; }
}
