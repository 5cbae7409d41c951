using System.CommandLine;
using System.Text.RegularExpressions;
using Listes360.Domain;
using Listes360.Domain.Geography;
using Listes360.Domain.Registry;
using Listes360.Domain.Security;
using Listes360.Domain.Time;
using Listes360.Imports.Lists;
using Listes360.Imports.Persons;
using Microsoft.Extensions.DependencyInjection;
using NirHasher = Listes360.Domain.Persons.NirHasher;

namespace Listes360.Cli.Commands;

/// <summary>
/// <c>listes360 import-lists DOSSIER --department D</c>: onboards a département from the lists of its ESMS, one CSV per
/// ESMS with its FINESS number in the file's name, imported together (<see cref="DepartmentListsImporter"/>: a person's
/// rows of several lists are one write) as an administrator of the département. Every file is read and checked before
/// anything is sent: a file without FINESS in its name, of another département, twice the same ESMS, or unreadable
/// refuses the whole folder and nothing is stored. Rows are then refused one by one with their file and line, as
/// import-list does. Exit codes as import-list: 0 every row imported, 2 some rows rejected, 1 nothing done.
/// </summary>
internal static partial class ImportListsCommand
{
    public static Command Create()
    {
        var folder = new Argument<DirectoryInfo>("dossier")
        {
            Description = "Dossier des listes d'attente des ESMS du département : un fichier .csv par ESMS, son numéro FINESS dans le nom (par exemple liste-610000010.csv).",
        };
        var department = new Option<string>("--department") { Description = "Code du département dont ce sont les ESMS (61, 2A, 971…).", Required = true };
        var storage = ServiceTarget.StorageOption();
        var gatewayPort = ServiceTarget.GatewayPortOption();
        var command = new Command("import-lists", "Reprise d'un département : importe ensemble les listes d'attente de ses ESMS dans le service démarré par ./listes360 up.")
        {
            folder, department, storage, gatewayPort,
        };
        command.SetAction(async (parse, cancellationToken) => await RunAsync(parse.GetRequiredValue(folder), parse.GetRequiredValue(department),
            ServiceTarget.From(parse, storage, gatewayPort), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(DirectoryInfo folder, string departmentText, ServiceTarget service, TextWriter stdout, TextWriter stderr,
        CancellationToken cancellationToken)
    {
        if (DepartmentCodes.Normalize(departmentText) is not { } department)
        {
            await stderr.WriteLineAsync($"Import impossible, rien n'a été enregistré. --department « {departmentText} » : ce n'est pas un code de département (01 à 95, 2A, 2B, 971 à 978, 984 à 988).");
            return 1;
        }
        if (!folder.Exists)
        {
            await stderr.WriteLineAsync($"Import impossible, rien n'a été enregistré. {folder.FullName} : dossier introuvable.");
            return 1;
        }
        var paths = folder.GetFiles("*.csv").OrderBy(f => f.Name, StringComparer.Ordinal).ToList();
        if (paths.Count == 0)
        {
            await stderr.WriteLineAsync($"Import impossible, rien n'a été enregistré. {folder.FullName} : aucun fichier .csv dans ce dossier.");
            return 1;
        }

        var today = ParisDate.Today(TimeProvider.System);
        var hasher = new NirHasher(Convert.FromBase64String(DevSigningKey.LoadOrCreate(RepositoryPaths.Root(), "dev-nir-secret")));
        var problems = new List<string>();
        var files = new List<EsmsListFile>();
        foreach (var path in paths)
        {
            if (FinessInName(path.Name) is not { } finess)
            {
                problems.Add($"{path.Name} : aucun numéro FINESS valide (9 caractères, clé comprise) dans le nom du fichier, qui dit de quel ESMS est la liste");
                continue;
            }
            if (finess.Department != department)
            {
                problems.Add($"{path.Name} : l'ESMS {finess} est du département {finess.Department}, pas du {department}");
                continue;
            }
            if (files.FirstOrDefault(f => f.Finess == finess) is { } twice)
            {
                problems.Add($"{path.Name} : une autre liste de l'ESMS {finess} est dans le dossier ({twice.File.Source}) ; gardez-en une seule");
                continue;
            }
            try
            {
                files.Add(new EsmsListFile(CandidatureListReader.ReadFile(path.FullName, hasher, today), finess));
            }
            catch (PersonFileException e)
            {
                problems.Add($"{path.Name} : {e.Message}");
            }
        }
        if (problems.Count > 0)
        {
            await stderr.WriteLineAsync($"Import impossible, rien n'a été enregistré : {problems.Count} fichier(s) à corriger.");
            foreach (var problem in problems)
                await stderr.WriteLineAsync($"  {problem}");
            return 1;
        }
        var rows = files.Sum(f => f.File.Rows.Count);
        await stdout.WriteLineAsync($"Département {department} : {files.Count} liste(s) d'ESMS, {files.Sum(f => f.File.RowsRead)} ligne(s) de données.");

        using var host = await service.ConnectAsync(stderr, cancellationToken);
        if (host is null)
            return 1;
        try
        {
            var caller = new Caller($"{Environment.UserName} (ligne de commande)", Role.Admin, [], department, null);
            var reports = await new DepartmentListsImporter(host.Services.GetRequiredService<IClusterClient>(), caller)
                .ImportAsync(department, files, ImportEsmsCommand.ProgressPrinter(rows, stderr, "lignes traitées"), cancellationToken,
                    d => stderr.WriteLine($"Diffusion aux ESMS, classements et compteurs : {d.ReceiversDone} / {d.Receivers} destinataires"));
            foreach (var report in reports)
            {
                await stdout.WriteLineAsync($"{report.Source} (ESMS {report.Finess}) :");
                await ImportListCommand.WriteReportAsync(report, stdout);
            }
            await stdout.WriteLineAsync(
                $"Total : {reports.Sum(r => r.RowsRead)} ligne(s), {reports.Sum(r => r.PersonsCreated)} personne(s) créée(s), {reports.Sum(r => r.Matched)} rapprochée(s), " +
                $"{reports.Sum(r => r.QueuedForReview)} en file de vérification, {reports.Sum(r => r.Rejected.Count)} rejetée(s), {reports.Sum(r => r.CandidaturesCreated)} candidature(s) créée(s).");
            return reports.Any(r => r.Rejected.Count > 0) ? ImportEsmsCommand.RowsRejected : 0;
        }
        catch (DomainException e)
        {
            await stderr.WriteLineAsync($"Import refusé : {e.Message}");
            return 1;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await stderr.WriteLineAsync(Interrupted(e));
            return 1;
        }
        finally
        {
            await ServiceTarget.StopAsync(host);
        }
    }

    /// <summary>
    /// What to say when the service failed during an import (storage refused a write, the service stopped): the chunks
    /// already imported stay, and an import is idempotent, so running it again completes it.
    /// </summary>
    internal static string Interrupted(Exception e) =>
        $"Import interrompu par une erreur du service : {(e.InnerException ?? e).Message.Split('\n')[0].Trim()}. Les lignes déjà importées le restent ; " +
        "relancez la même commande pour terminer (une ligne déjà importée ne change rien). Le détail est dans le journal du service.";

    /// <summary>The first group of 9 digits (or 2A/2B and 7 digits) in a file name that is a valid FINESS number.</summary>
    internal static FinessNumber? FinessInName(string name)
    {
        foreach (Match match in FinessLike().Matches(name))
            if (FinessNumber.TryParse(match.Value, out var finess, out _))
                return finess;
        return null;
    }

    [GeneratedRegex("(?<![0-9A-Za-z])(?:[0-9]{9}|2[AaBb][0-9]{7})(?![0-9])")]
    private static partial Regex FinessLike();
}
