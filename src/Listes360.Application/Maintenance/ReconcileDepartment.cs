using Listes360.Domain.Geography;
using Listes360.Domain.Security;
using Listes360.Grains.Department;

namespace Listes360.Application.Maintenance;

public sealed record ReconcileDepartmentInput(string Department);

/// <summary>The reconciliation pass started, or the one already running.</summary>
public sealed record ReconcileDepartmentResult(ReconcileProgress Pass);

/// <summary>Starts a reconciliation pass over a département's persons (one at a time: a running pass is returned).</summary>
public sealed class ReconcileDepartment(IGrainFactory grains) : UseCase<ReconcileDepartmentInput, ReconcileDepartmentResult>
{
    protected override async Task<ReconcileDepartmentResult> RunAsync(ReconcileDepartmentInput input, Caller caller) =>
        new(await grains.GetGrain<IDepartmentMaintenanceGrain>(DepartmentCodes.Parse(input.Department)).StartReconcileAsync());
}
