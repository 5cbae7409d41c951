using Listes360.Domain.Security;

namespace Listes360.Grains.Security;

/// <summary>One line of the audit trail: who did or read what, on which ids, when, with what outcome.</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Security.AuditEntry")]
public sealed record AuditEntry(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] string Subject,
    [property: Id(2)] Role Role,
    [property: Id(3)] string Operation,
    [property: Id(4)] AuditKind Kind,
    [property: Id(5)] string Target,
    [property: Id(6)] AuditOutcome Outcome,
    [property: Id(7)] string? Detail);

public enum AuditKind
{
    Read,
    Write,
}

public enum AuditOutcome
{
    Done,
    Denied,
    Failed,
}

/// <summary>Filters of an audit query; every filter is optional, the period is required.</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Security.AuditQuery")]
public sealed record AuditQuery(
    [property: Id(0)] DateTimeOffset From,
    [property: Id(1)] DateTimeOffset To,
    [property: Id(2)] string? Subject = null,
    [property: Id(3)] Role? Role = null,
    [property: Id(4)] string? Operation = null,
    [property: Id(5)] string? Target = null,
    [property: Id(6)] AuditOutcome? Outcome = null,
    [property: Id(7)] int Limit = 100,
    [property: Id(8)] string? Department = null)
{
    /// <summary>Whether <paramref name="entry"/> passes every filter but the period (each trail reads the period its own way).</summary>
    public bool Matches(AuditEntry entry) =>
        (Subject is null || entry.Subject == Subject)
        && (Role is null || entry.Role == Role)
        && (Operation is null || entry.Operation.Contains(Operation, StringComparison.OrdinalIgnoreCase))
        && (Target is null || entry.Target == Target)
        && (Outcome is null || entry.Outcome == Outcome)
        && (Department is null || string.Equals(AccessPolicy.DepartmentOfTarget(entry.Target), Department, StringComparison.OrdinalIgnoreCase));
}

/// <summary>
/// The append-only audit trail. It has no update and no delete, on purpose: nothing in the
/// service, and so nothing in the API, can change an entry once written.
/// </summary>
public interface IAuditTrail
{
    Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default);

    /// <summary>Entries of the period matching the filters, newest first, at most <see cref="AuditQuery.Limit"/>.</summary>
    Task<IReadOnlyList<AuditEntry>> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default);
}
