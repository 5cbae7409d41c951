using System.CommandLine;
using Listes360.Domain.Geography;
using Listes360.Domain.Security;
using Listes360.Imports.Registry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Listes360.Cli.Commands;

/// <summary>
/// <c>listes360 import-esms FILE [--format finess|csv] [--storage C | --gateway-port N]</c>: loads a registry of ESMS
/// into the running service, as an Orleans client of its gateways (<see cref="ServiceTarget"/>), acting as an administrator named after
/// the system user (the audit trail shows who). Idempotent: a second run of the same file changes nothing.
/// Exit codes: 0 every row imported, 2 some rows rejected (listed), 1 nothing done (file unreadable,
/// service not running).
/// </summary>
internal static class ImportEsmsCommand
{
    public const int RowsRejected = 2;

    public static Command Create()
    {
        var file = new Argument<FileInfo>("fichier") { Description = "Fichier des ESMS : extrait FINESS (data/finess/…) ou CSV Listes360 (finess;name;category;postcode;commune;age_from;age_until;modalities)." };
        var format = new Option<string?>("--format") { Description = "Format du fichier : finess ou csv (par défaut : reconnu d'après la première ligne)." };
        format.AcceptOnlyFromAmong("finess", "csv");
        var department = new Option<string?>("--department") { Description = "N'importer que les ESMS de ce département (par exemple 59 depuis l'extrait FINESS national)." };
        var storage = ServiceTarget.StorageOption();
        var gatewayPort = ServiceTarget.GatewayPortOption();
        var command = new Command("import-esms", "Charge un répertoire d'ESMS (extrait FINESS ou CSV) dans le service démarré par ./listes360 up.")
        {
            file, format, department, storage, gatewayPort,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var chosen = parse.GetValue(format) switch
            {
                "finess" => EsmsFileFormat.Finess,
                "csv" => EsmsFileFormat.Csv,
                _ => (EsmsFileFormat?)null,
            };
            string? only = null;
            if (parse.GetValue(department) is { } given && (only = DepartmentCodes.Normalize(given)) is null)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"--department « {given} » : ce n'est pas un code de département (01 à 95, 2A, 2B, 971 à 978, 984 à 988).");
                return 1;
            }
            return await RunAsync(parse.GetRequiredValue(file), chosen, ServiceTarget.From(parse, storage, gatewayPort),
                parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, cancellationToken, only);
        });
        return command;
    }

    /// <param name="department">Only the rows of this département (the national extract holds every one); rows of others are counted, not imported.</param>
    public static async Task<int> RunAsync(FileInfo file, EsmsFileFormat? format, ServiceTarget service, TextWriter stdout, TextWriter stderr,
        CancellationToken cancellationToken, string? department = null)
    {
        if (!file.Exists)
        {
            await stderr.WriteLineAsync($"{file.FullName} : fichier introuvable.");
            return 1;
        }
        EsmsFileResult read;
        try
        {
            read = EsmsFileReader.ReadFile(file.FullName, format);
        }
        catch (EsmsFileException e)
        {
            await stderr.WriteLineAsync($"Import impossible, rien n'a été enregistré. {e.Message}");
            return 1;
        }
        await stdout.WriteLineAsync($"Fichier {read.Source} : {Describe(read.Format)}, encodage {read.EncodingName}, {read.RowsRead} ligne(s) de données.");
        if (department is not null)
        {
            var kept = read.Rows.Where(r => r.Profile.Finess.Department == department).ToList();
            await stdout.WriteLineAsync($"Département {department} : {kept.Count} ESMS retenus, {read.Rows.Count - kept.Count} d'autres départements laissés de côté.");
            read = read with { Rows = kept, Errors = read.Errors.Where(e => e.Finess is null || DepartmentCodes.OfCode(e.Finess) == department).ToList() };
        }

        using var host = await service.ConnectAsync(stderr, cancellationToken);
        if (host is null)
            return 1;

        try
        {
            // The national FINESS extract spans départements; only the host's operator runs this command.
            var caller = new Caller($"{Environment.UserName} (ligne de commande)", Role.Admin, [], null, null, National: true);
            var importer = new EsmsRegistryImporter(host.Services.GetRequiredService<IClusterClient>(), caller);
            var progress = ProgressPrinter(read.Rows.Count, stderr);
            var report = await importer.ImportAsync(read, progress, cancellationToken);
            await WriteReportAsync(report, stdout);
            return report.Rejected.Count == 0 ? 0 : RowsRejected;
        }
        finally
        {
            await ServiceTarget.StopAsync(host);
        }
    }

    public static async Task WriteReportAsync(EsmsImportReport report, TextWriter output)
    {
        await output.WriteLineAsync(
            $"{report.RowsRead} ligne(s) lue(s) : {report.Created} créé(s), {report.Updated} mis à jour, {report.Unchanged} inchangé(s), {report.Rejected.Count} rejeté(s).");
        if (report.OutOfRegistry.Count > 0)
        {
            await output.WriteLineAsync(
                $"{report.OutOfRegistry.Values.Sum()} ligne(s) ignorée(s), catégories FINESS hors du répertoire des ESMS pour personnes handicapées : " +
                string.Join(", ", report.OutOfRegistry.Select(p => $"{p.Key} ({p.Value})")) + ".");
        }
        if (report.OutOfWaitingListScope > 0)
        {
            await output.WriteLineAsync(
                $"Dont {report.OutOfWaitingListScope} ESMS hors liste d'attente (CAMSP, CMPP, BAPU : enregistrés, mais sans candidature possible).");
        }
        if (report.Rejected.Count > 0)
        {
            await output.WriteLineAsync("Lignes rejetées (les autres ont été importées) :");
            foreach (var error in report.Rejected)
                await output.WriteLineAsync($"  {error}");
        }
    }

    /// <summary>On files of a hundred rows or more, one line every tenth.</summary>
    internal static Action<EsmsImportProgress>? ProgressPrinter(int total, TextWriter stderr, string what = "ESMS traités")
    {
        if (total < 100) return null;
        var gate = new object();
        var lastTenth = 0;
        return p =>
        {
            var tenth = p.Done * 10 / p.Total;
            lock (gate)
            {
                if (tenth <= lastTenth) return;
                lastTenth = tenth;
                stderr.WriteLine($"  … {p.Done} / {p.Total} {what} ({tenth * 10} %)");
            }
        };
    }

    private static string Describe(EsmsFileFormat format) => format switch
    {
        EsmsFileFormat.Finess => "extrait FINESS",
        _ => "CSV Listes360",
    };
}
