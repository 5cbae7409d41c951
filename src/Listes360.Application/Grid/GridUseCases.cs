using Listes360.Domain.Geography;
using Listes360.Domain.Security;
using Listes360.Grains.Grid;

namespace Listes360.Application.Grid;

public sealed record PublishGridInput(string Department, string Document);

public sealed record PublishGridResult(GridPublication Publication);

/// <summary>Publishes a new version of a département's criteria grid (the grid grain validates it and reranks every ESMS).</summary>
public sealed class PublishGrid(IGrainFactory grains) : UseCase<PublishGridInput, PublishGridResult>
{
    protected override async Task<PublishGridResult> RunAsync(PublishGridInput input, Caller caller) =>
        new(await grains.GetGrain<IGridGrain>(DepartmentCodes.Parse(input.Department)).PublishAsync(input.Document, By(caller)));
}
