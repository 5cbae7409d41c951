using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Azure.Data.Tables;
using Listes360.Api.Hosting;
using Listes360.AzureStorage.Backup;

namespace Listes360.Cli.Commands;

/// <summary>
/// <c>listes360 export --department 61 --storage C DIR</c> and <c>listes360 restore --storage C DIR</c>:
/// operator commands on the storage itself (no grain called, no token: whoever holds the storage's
/// credentials can read and write it all). So the storage is never implied: <c>--storage</c> is required,
/// even for the local Azurite (<c>UseDevelopmentStorage=true</c>). Both need the service stopped.
/// Exit codes: 0 done, 1 refused or failed (with the reason; nothing written when refused).
/// </summary>
internal static class BackupCommands
{
    private sealed record StorageOptions(Option<string> Storage, Option<string> GrainTable, Option<string> AuditTable, Option<string> RemindersTable, Option<string> ClusterTable)
    {
        public static StorageOptions Create()
        {
            var defaults = new StorageSettings();
            return new(
                new Option<string>("--storage") { Description = "Chaîne de connexion du stockage Azure (obligatoire, même pour l'Azurite local : UseDevelopmentStorage=true). Ces commandes agissent sur les tables directement : qui détient ces identifiants lit et écrit toutes les données.", Required = true },
                new Option<string>("--grain-table") { Description = $"Table des états de grains (par défaut {defaults.TableName}).", DefaultValueFactory = _ => defaults.TableName },
                new Option<string>("--audit-table") { Description = $"Table du journal d'audit (par défaut {defaults.AuditTableName}).", DefaultValueFactory = _ => defaults.AuditTableName },
                new Option<string>("--reminders-table") { Description = $"Table des rappels (par défaut {defaults.RemindersTableName}).", DefaultValueFactory = _ => defaults.RemindersTableName },
                new Option<string>("--cluster-table") { Description = $"Table des membres du cluster, pour vérifier qu'aucun silo ne tourne (par défaut {defaults.ClusterTableName}).", DefaultValueFactory = _ => defaults.ClusterTableName });
        }

        public void AddTo(Command command)
        {
            command.Options.Add(Storage);
            command.Options.Add(GrainTable);
            command.Options.Add(AuditTable);
            command.Options.Add(RemindersTable);
            command.Options.Add(ClusterTable);
        }

        public BackupSourceTables Tables(ParseResult parse) => new(
            parse.GetRequiredValue(GrainTable), parse.GetRequiredValue(RemindersTable), parse.GetRequiredValue(AuditTable), parse.GetRequiredValue(ClusterTable));

        /// <summary>The client, or null with the reason on stderr when the connection string is unreadable.</summary>
        public TableServiceClient? Client(ParseResult parse, TextWriter stderr)
        {
            try
            {
                return new TableServiceClient(parse.GetRequiredValue(Storage));
            }
            catch (Exception e) when (e is FormatException or InvalidOperationException or ArgumentException)
            {
                stderr.WriteLine($"Chaîne de connexion --storage illisible ({e.Message}) : rien n'a été fait.");
                return null;
            }
        }
    }

    private static string Operator => $"{Environment.UserName} (ligne de commande)";

    /// <summary>What an export or a restore gets from the common preamble: the parse, the storage's client and tables, the outputs, a watch started.</summary>
    private sealed record BackupRun(ParseResult Parse, TableServiceClient Client, BackupSourceTables Tables, TextWriter Stdout, TextWriter Stderr, Stopwatch Watch,
        CancellationToken CancellationToken);

    /// <summary>
    /// The preamble both commands share: the storage options on <paramref name="command"/>, the client made
    /// from <c>--storage</c> (exit 1 with the reason when unreadable), a watch, and a refusal
    /// (<see cref="BackupException"/>, French) written to stderr with exit code 1.
    /// </summary>
    private static void SetBackupAction(Command command, Func<BackupRun, Task> run)
    {
        var storage = StorageOptions.Create();
        storage.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            if (storage.Client(parse, stderr) is not { } client)
                return 1;
            try
            {
                await run(new BackupRun(parse, client, storage.Tables(parse), stdout, stderr, Stopwatch.StartNew(), cancellationToken));
                return 0;
            }
            catch (BackupException e)
            {
                await stderr.WriteLineAsync(e.Message);
                return 1;
            }
        });
    }

    public static Command Export()
    {
        var directory = new Argument<DirectoryInfo>("dossier") { Description = "Dossier neuf ou vide où écrire la sauvegarde (manifest.json et un fichier NDJSON par table ou type d'état)." };
        var department = new Option<string>("--department") { Description = "Département à sauvegarder (ex. 61).", Required = true };
        var serviceId = new Option<string>("--service-id") { Description = "ServiceId des silos (Listes360:Cluster:ServiceId, par défaut listes360) : les lignes d'état sont rangées sous lui.", DefaultValueFactory = _ => new ClusterSettings().ServiceId };
        var command = new Command("export", "Sauvegarde un département (états des grains, rappels, journal d'audit) depuis les tables du stockage, service arrêté ; voir docs/backup-format.md.")
        {
            directory, department, serviceId,
        };
        SetBackupAction(command, async run =>
        {
            var target = run.Parse.GetRequiredValue(directory).FullName;
            var manifest = await new DepartmentExport(new BackupStorage(run.Client, run.Tables, run.Parse.GetRequiredValue(serviceId)))
                .RunAsync(run.Parse.GetRequiredValue(department), target, Operator, run.Stderr, run.CancellationToken);
            var states = manifest.Files.Where(f => f.Table == BackupFormat.GrainStateTable).ToList();
            await run.Stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Département {manifest.Department} sauvegardé dans {target} en {run.Watch.Elapsed.TotalSeconds:0.0} s, cohérent au {manifest.AsOf:u} : " +
                $"{states.Sum(f => f.Rows)} états de grains ({string.Join(", ", states.Select(f => $"{f.StateName} {f.Rows}"))}), " +
                $"{Rows(manifest, BackupFormat.RemindersTable)} rappels, {Rows(manifest, BackupFormat.AuditTable)} entrées d'audit, {manifest.Files.Sum(f => f.Bytes) / 1024} Kio."));
            if (manifest.NotExported.Count > 0)
                await run.Stdout.WriteLineAsync("Non sauvegardé (clés sans département) : " + string.Join(", ", manifest.NotExported.Select(p => $"{p.Key} {p.Value}")) + ".");
        });
        return command;
    }

    public static Command Restore()
    {
        var directory = new Argument<DirectoryInfo>("dossier") { Description = "Dossier d'une sauvegarde écrite par listes360 export." };
        var replace = new Option<bool>("--replace-existing") { Description = "Remplacer les données du département que le stockage cible contient déjà (par défaut : refus). Les états et rappels absents de la sauvegarde sont supprimés ; le journal d'audit n'est jamais effacé." };
        var command = new Command("restore", "Reconstruit un département dans un stockage vide depuis une sauvegarde de listes360 export, service arrêté ; tout est vérifié avant la première écriture.")
        {
            directory, replace,
        };
        SetBackupAction(command, async run =>
        {
            var source = run.Parse.GetRequiredValue(directory).FullName;
            var report = await new DepartmentRestore(run.Client, run.Tables)
                .RunAsync(source, run.Parse.GetValue(replace), Operator, run.Stderr, run.CancellationToken);
            var replaced = report.Existing > 0 ? $" ; {report.Existing} lignes déjà présentes remplacées ou gardées, {report.Deleted} supprimées" : "";
            await run.Stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Département {report.Department} restauré depuis {source} en {run.Watch.Elapsed.TotalSeconds:0.0} s (état au {report.AsOf:u}) : " +
                $"{report.GrainStates} états de grains, {report.Reminders} rappels, {report.AuditEntries} entrées d'audit{replaced}. " +
                $"La restauration est inscrite au journal d'audit. Démarrez le service sur ce stockage (même ServiceId que la source)."));
        });
        return command;
    }

    private static int Rows(BackupManifest manifest, string table) => manifest.Files.Where(f => f.Table == table).Sum(f => f.Rows);
}
