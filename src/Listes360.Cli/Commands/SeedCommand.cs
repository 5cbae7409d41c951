using System.CommandLine;
using Listes360.Application.Identity;
using Listes360.Domain.Geography;
using Listes360.Domain.Registry;
using Listes360.Grains.Common;
using Listes360.Grains.Department;
using Listes360.Grains.Registry;
using Listes360.Grains.Security;
using Listes360.Domain.Security;
using Listes360.Imports.Simulation;
using Microsoft.Extensions.DependencyInjection;
using NirHasher = Listes360.Domain.Persons.NirHasher;
using Listes360.Domain.Time;

namespace Listes360.Cli.Commands;

/// <summary>
/// <c>listes360 seed --department D [--persons N] [--output DIR]</c>: the SIMULATED demo population
/// (<see cref="DemoSeed"/>), one CSV per ESMS of the département's registry written to <c>.data/seed/D</c>,
/// then imported into the running service through the import-list path. For the Orne the real registry
/// ships with the service (<c>up</c> seeds it when the département has no person yet); another
/// département must have its registry loaded first (<c>import-esms FILE --department D</c>), and gets
/// the demonstration grid when it has none (<see cref="DemoGrid"/>).
/// </summary>
internal static class SeedCommand
{
    public static Command Create()
    {
        var department = new Option<string>("--department")
        {
            Description = "Département de la population SIMULÉE : 61 (l'Orne, répertoire réel embarqué) ou tout département dont le répertoire a été chargé par import-esms.",
            DefaultValueFactory = _ => OrneReferenceData.Department,
        };
        var persons = new Option<int>("--persons") { Description = $"Nombre de personnes SIMULÉES (par défaut {DemoSeed.DefaultPersons}).", DefaultValueFactory = _ => DemoSeed.DefaultPersons };
        var output = new Option<string?>("--output") { Description = "Dossier des CSV écrits (par défaut .data/seed/61 dans le clone)." };
        var storage = ServiceTarget.StorageOption();
        var gatewayPort = ServiceTarget.GatewayPortOption();
        var command = new Command("seed", "Génère une population SIMULÉE (une liste CSV par ESMS de l'Orne) et l'importe dans le service démarré par ./listes360 up.")
        {
            department, persons, output, storage, gatewayPort,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            if (DepartmentCodes.Normalize(parse.GetValue(department)) is not { } code)
            {
                await stderr.WriteLineAsync($"--department « {parse.GetValue(department)} » : ce n'est pas un code de département (01 à 95, 2A, 2B, 971 à 978, 984 à 988).");
                return 1;
            }
            var root = RepositoryPaths.Root();
            using var host = await ServiceTarget.From(parse, storage, gatewayPort).ConnectAsync(stderr, cancellationToken);
            if (host is null)
                return 1;
            try
            {
                var client = host.Services.GetRequiredService<IClusterClient>();
                var hasher = new NirHasher(Convert.FromBase64String(DevSigningKey.LoadOrCreate(root, "dev-nir-secret")));
                var today = ParisDate.Today(TimeProvider.System);
                var folder = parse.GetValue(output) ?? Path.Combine(root, ".data", "seed", code);
                IReadOnlyList<Imports.Lists.ListImportReport> reports;
                if (code == OrneReferenceData.Department)
                {
                    reports = await DemoSeed.RunAsync(client, Caller.ServiceItself, folder, parse.GetValue(persons), hasher, today, stdout, cancellationToken);
                }
                else
                {
                    var registry = await RegisteredEsmsAsync(client, code, cancellationToken);
                    if (registry.Count == 0)
                    {
                        await stderr.WriteLineAsync(
                            $"Le département {code} n'a aucun ESMS enregistré : chargez d'abord son répertoire, par exemple " +
                            $"« ./listes360 import-esms finess_esms_ph_france.csv --department {code} » (extrait FINESS national).");
                        return 1;
                    }
                    await DemoGrid.PublishIfNoneAsync(client, code, stdout, cancellationToken);
                    reports = await DemoSeed.RunAsync(client, Caller.ServiceItself, registry, folder, parse.GetValue(persons), hasher, today, stdout, cancellationToken);
                }
                return reports.Any(r => r.Rejected.Count > 0) ? ImportEsmsCommand.RowsRejected : 0;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                await stderr.WriteLineAsync(ImportListsCommand.Interrupted(e));
                return 1;
            }
            finally
            {
                await ServiceTarget.StopAsync(host);
            }
        });
        return command;
    }

    /// <summary>The profiles of the département's registered ESMS, in FINESS order, read as the service.</summary>
    private static async Task<IReadOnlyList<EsmsProfile>> RegisteredEsmsAsync(IGrainFactory grains, string department, CancellationToken cancellationToken)
    {
        using var acting = CallerContext.As(Caller.ServiceItself);
        var registry = grains.GetGrain<IDepartmentRegistryGrain>(department);
        var summaries = new List<EsmsSummary>();
        string? after = null;
        do
        {
            cancellationToken.ThrowIfCancellationRequested();
            var page = await registry.ListEsmsAsync(null, null, after, Paging.MaxPageSize);
            summaries.AddRange(page.Items);
            after = page.HasNextPage ? page.EndCursor : null;
        }
        while (after is not null);
        var profiles = await Task.WhenAll(summaries.Select(s => grains.GetGrain<IEsmsGrain>(s.Finess).GetProfileAsync()));
        return profiles.OfType<EsmsProfile>().OrderBy(p => p.Finess.Value, StringComparer.Ordinal).ToList();
    }
}
