using Listes360.Domain.Security;

namespace Listes360.Grains.Security;

/// <summary>Reading the audit trail (key: "audit"). There is no method that changes it.</summary>
[Alias("Listes360.Security.IAuditGrain")]
public interface IAuditGrain : IGrainWithStringKey
{
    [ReadOnly]
    [Allow(Role.Admin)]
    [Alias("QueryAsync")]
    Task<IReadOnlyList<AuditEntry>> QueryAsync(AuditQuery query);
}

[StatelessWorker]
public sealed class AuditGrain(IAuditTrail trail) : Grain, IAuditGrain
{
    public const string Key = "audit";

    /// <summary>Largest page of the journal (the README's limits table reads it through RequestLimits).</summary>
    public const int MaxPageSize = 1_000;

    public Task<IReadOnlyList<AuditEntry>> QueryAsync(AuditQuery query)
    {
        if (query.To < query.From)
            throw new Domain.DomainException("INVALID_PERIOD", "La fin de la période précède son début.", "to");
        if ((query.To - query.From).TotalDays > 366)
            throw new Domain.DomainException("INVALID_PERIOD", "La période d'une recherche dans le journal d'audit est limitée à 366 jours.", "from");
        Domain.Paging.PageLimits.Check(query.Limit, MaxPageSize, "Le nombre d'entrées demandé doit être compris");
        // A département's administrator reads what happened in their département only (targets of
        // no département, such as refusals of the HTTP layer, are the national administrator's).
        if (CallerContext.Current is { Role: Role.Admin } caller && !AccessPolicy.IsNationalAdmin(caller))
            query = query with { Department = caller.Department ?? "" };
        return trail.QueryAsync(query);
    }
}
