using System.CommandLine;
using Listes360.Application.Identity;
using Listes360.Domain;
using Listes360.Domain.Registry;
using Listes360.Domain.Security;
using Listes360.Imports.Lists;
using Listes360.Imports.Persons;
using Microsoft.Extensions.DependencyInjection;
using NirHasher = Listes360.Domain.Persons.NirHasher;
using Listes360.Domain.Time;

namespace Listes360.Cli.Commands;

/// <summary>
/// <c>listes360 import-list --finess X FILE [--gateway-port N]</c>: imports an ESMS's own waiting list
/// (CSV exported from a spreadsheet) into the running service, as an administrator named after the
/// system user. Each row is matched to a person (created, matched, or queued for review) and its
/// candidature created; a second run of the same file changes nothing. Exit codes as import-esms:
/// 0 every row imported, 2 some rows rejected (listed with line and reason), 1 nothing done.
/// </summary>
internal static class ImportListCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("fichier") { Description = "Liste d'attente de l'ESMS (CSV ; ou , en UTF-8 ou Windows-1252, en-têtes : nom, prénom, date de naissance, date de la demande, modalité…)." };
        var finess = new Option<string>("--finess") { Description = "Numéro FINESS de l'ESMS dont c'est la liste.", Required = true };
        var storage = ServiceTarget.StorageOption();
        var gatewayPort = ServiceTarget.GatewayPortOption();
        var command = new Command("import-list", "Importe la liste d'attente d'un ESMS dans le service démarré par ./listes360 up.") { file, finess, storage, gatewayPort };
        command.SetAction(async (parse, cancellationToken) => await RunAsync(parse.GetRequiredValue(file), parse.GetRequiredValue(finess),
            ServiceTarget.From(parse, storage, gatewayPort), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(FileInfo file, string finessText, ServiceTarget service, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        if (!FinessNumber.TryParse(finessText, out var finess, out var finessError))
        {
            await stderr.WriteLineAsync($"Import impossible, rien n'a été enregistré. {finessError}");
            return 1;
        }
        if (!file.Exists)
        {
            await stderr.WriteLineAsync($"{file.FullName} : fichier introuvable.");
            return 1;
        }
        var today = ParisDate.Today(TimeProvider.System);
        var hasher = new NirHasher(Convert.FromBase64String(DevSigningKey.LoadOrCreate(RepositoryPaths.Root(), "dev-nir-secret")));
        CandidatureListFile read;
        try
        {
            read = CandidatureListReader.ReadFile(file.FullName, hasher, today);
        }
        catch (PersonFileException e)
        {
            await stderr.WriteLineAsync($"Import impossible, rien n'a été enregistré. {e.Message}");
            return 1;
        }
        await stdout.WriteLineAsync($"Fichier {read.Source} : liste d'attente de l'ESMS {finess}, encodage {read.EncodingName}, séparateur « {read.Delimiter} », {read.RowsRead} ligne(s) de données.");

        using var host = await service.ConnectAsync(stderr, cancellationToken);
        if (host is null)
            return 1;
        try
        {
            var caller = new Caller($"{Environment.UserName} (ligne de commande)", Role.Admin, [], finess.Department, null);
            // The same use case as the importCandidatureList mutation, from a file already read (any encoding).
            var import = new ImportCandidatureList(host.Services.GetRequiredService<IClusterClient>(), TimeProvider.System, hasher);
            var report = (await import.ImportFileAsync(read, finess, caller, ImportEsmsCommand.ProgressPrinter(read.Rows.Count, stderr, "lignes traitées"), cancellationToken)).Report;
            await WriteReportAsync(report, stdout);
            return report.Rejected.Count == 0 ? 0 : ImportEsmsCommand.RowsRejected;
        }
        catch (DomainException e)
        {
            await stderr.WriteLineAsync($"Import refusé : {e.Message}");
            return 1;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Storage refused a write, the service stopped: what was imported stays, and running it again completes it.
            await stderr.WriteLineAsync(ImportListsCommand.Interrupted(e));
            return 1;
        }
        finally
        {
            await ServiceTarget.StopAsync(host);
        }
    }

    public static async Task WriteReportAsync(ListImportReport report, TextWriter output)
    {
        await output.WriteLineAsync(
            $"{report.RowsRead} ligne(s) lue(s) : {report.PersonsCreated} personne(s) créée(s), {report.Matched} rapprochée(s) d'une personne connue, " +
            $"{report.QueuedForReview} en file de vérification des doublons, {report.Rejected.Count} rejetée(s) ; " +
            $"{report.CandidaturesCreated} candidature(s) créée(s), {report.RowsUnchanged} ligne(s) sans changement.");
        if (report.Rejected.Count > 0)
        {
            await output.WriteLineAsync("Lignes rejetées (les autres ont été importées) :");
            foreach (var error in report.Rejected)
                await output.WriteLineAsync($"  {error}");
        }
    }
}
