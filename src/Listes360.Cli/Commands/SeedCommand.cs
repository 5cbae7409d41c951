using System.CommandLine;
using Listes360.Application.Identity;
using Listes360.Domain.Registry;
using Listes360.Domain.Security;
using Listes360.Imports.Simulation;
using Microsoft.Extensions.DependencyInjection;
using NirHasher = Listes360.Domain.Persons.NirHasher;
using Listes360.Domain.Time;

namespace Listes360.Cli.Commands;

/// <summary>
/// <c>listes360 seed --department 61 [--persons N] [--output DIR]</c>: the SIMULATED demo population
/// (<see cref="DemoSeed"/>), one CSV per ESMS of the real Orne registry written to <c>.data/seed/61</c>,
/// then imported into the running service through the import-list path. <c>up</c> does the same when
/// the département has no person yet.
/// </summary>
internal static class SeedCommand
{
    public static Command Create()
    {
        var department = new Option<string>("--department") { Description = "Département de démonstration (seul 61, l'Orne, a son répertoire réel embarqué).", DefaultValueFactory = _ => OrneReferenceData.Department };
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
            if (parse.GetValue(department) != OrneReferenceData.Department)
            {
                await stderr.WriteLineAsync($"Seul le département {OrneReferenceData.Department} (Orne) a un répertoire d'ESMS embarqué pour la démonstration.");
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
                var reports = await DemoSeed.RunAsync(client, Caller.ServiceItself,
                    parse.GetValue(output) ?? Path.Combine(root, ".data", "seed", OrneReferenceData.Department), parse.GetValue(persons),
                    hasher, ParisDate.Today(TimeProvider.System), stdout, cancellationToken,
                    DemoRegistry.ImportThrough(new ImportCandidatureList(client, TimeProvider.System, hasher), Caller.ServiceItself));
                return reports.Any(r => r.Rejected.Count > 0) ? ImportEsmsCommand.RowsRejected : 0;
            }
            finally
            {
                await ServiceTarget.StopAsync(host);
            }
        });
        return command;
    }
}
