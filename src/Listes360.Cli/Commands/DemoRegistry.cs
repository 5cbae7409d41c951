using Listes360.Application.Identity;
using Listes360.Domain.Registry;
using Listes360.Domain.Security;
using Listes360.Grains.Department;
using Listes360.Grains.Security;
using Listes360.Imports.Lists;
using Listes360.Imports.Registry;
using Listes360.Imports.Simulation;
using Microsoft.Extensions.DependencyInjection;
using NirHasher = Listes360.Domain.Persons.NirHasher;
using Listes360.Domain.Time;

namespace Listes360.Cli.Commands;

/// <summary>
/// The Orne's real ESMS (FINESS extract of 8 January 2021, embedded: <see cref="OrneReferenceData"/>),
/// loaded by <c>listes360 up</c> when the Orne registry is empty, as the service itself. The profiles are
/// those <c>import-esms data/finess/finess_esms_ph_orne61_20210108.csv</c> makes of the same rows, so a
/// later import of that file finds every ESMS unchanged.
/// </summary>
internal static class DemoRegistry
{
    public static async Task LoadIfEmptyAsync(IGrainFactory grains, TextWriter output, CancellationToken cancellationToken)
    {
        var registry = grains.GetGrain<IDepartmentRegistryGrain>(OrneReferenceData.Department);
        int count;
        using (CallerContext.As(Caller.ServiceItself))
            count = await registry.CountAsync();
        if (count > 0)
        {
            await output.WriteLineAsync($"Répertoire des ESMS de l'Orne : {count} ESMS enregistrés.");
            return;
        }

        // Line numbers of data/finess/finess_esms_ph_orne61_20210108.csv (line 1 is the header).
        var rows = OrneReferenceData.Esms.Select((r, i) => new EsmsFileRow(i + 2, EsmsFileReader.ProfileOf(r))).ToList();
        var report = await new EsmsRegistryImporter(grains, Caller.ServiceItself).ImportAsync(rows, cancellationToken: cancellationToken);
        await output.WriteLineAsync(
            $"Répertoire des ESMS de l'Orne : {report.Registered} ESMS chargés (données FINESS réelles, extraction du 8 janvier 2021 ; " +
            "voir data/finess/PROVENANCE.md).");
        foreach (var error in report.Rejected)
            await output.WriteLineAsync($"  non chargé : {error}");
    }

    /// <summary>The SIMULATED population (<see cref="DemoSeed"/>), when the Orne has no person yet.</summary>
    public static async Task SeedIfEmptyAsync(IServiceProvider services, string root, int persons, TextWriter output, CancellationToken cancellationToken)
    {
        var grains = services.GetRequiredService<IGrainFactory>();
        if (await DemoSeed.HasPersonsAsync(grains, services.GetRequiredService<DepartmentTopology>(), OrneReferenceData.Department))
        {
            await output.WriteLineAsync("Personnes de l'Orne : déjà enregistrées, population SIMULÉE non rechargée.");
            return;
        }
        if (persons <= 0)
            return;
        var hasher = services.GetService<NirHasher>();
        await DemoSeed.RunAsync(grains, Caller.ServiceItself, Path.Combine(root, ".data", "seed", OrneReferenceData.Department), persons,
            hasher, ParisDate.Today(TimeProvider.System), output, cancellationToken);
    }
}
