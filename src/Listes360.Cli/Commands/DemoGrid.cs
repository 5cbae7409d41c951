using System.Text.Json.Nodes;
using Listes360.Domain.Grid;
using Listes360.Domain.Registry;
using Listes360.Domain.Security;
using Listes360.Grains.Grid;
using Listes360.Grains.Security;

namespace Listes360.Cli.Commands;

/// <summary>
/// The grid a demonstration département gets from <c>seed</c> when it has none: the Orne's default grid
/// (the only one shipped), relabelled as a demonstration copy. A grid is a département's policy, voted by
/// its own bodies: Listes360 ships none for other départements, and this copy says it is not theirs.
/// </summary>
internal static class DemoGrid
{
    public static async Task PublishIfNoneAsync(IGrainFactory grains, string department, TextWriter output, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var acting = CallerContext.As(Caller.ServiceItself);
        var grid = grains.GetGrain<IGridGrain>(department);
        if ((await grid.GetVersionsAsync()).Count > 0)
            return;
        var document = JsonNode.Parse(GridDocument.DefaultJson(OrneReferenceData.Department))!.AsObject();
        document["department"] = department;
        document["label"] = $"Grille de DÉMONSTRATION du département {department} : copie de la grille par défaut de l'Orne (données SIMULÉES)";
        var published = await grid.PublishAsync(document.ToJsonString(), "seed (démonstration)");
        await output.WriteLineAsync($"Grille de démonstration publiée pour le département {department} (version {published.Grid.Version}, copie de celle de l'Orne).");
    }
}
