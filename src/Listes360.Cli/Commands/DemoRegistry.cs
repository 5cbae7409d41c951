using Listes360.Domain.Registry;
using Listes360.Domain.Security;
using Listes360.Grains.Department;
using Listes360.Grains.Security;
using Listes360.Imports.Registry;

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
}
