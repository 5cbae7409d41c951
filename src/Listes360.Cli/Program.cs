using System.CommandLine;
using Listes360.Cli.Commands;

var root = new RootCommand("Listes360 : liste d'attente départementale partagée des ESMS, harmonisation des admissions.");
root.Subcommands.Add(ServeCommand.Create());
root.Subcommands.Add(UpCommand.Create());
root.Subcommands.Add(SchemaCommand.Create());
root.Subcommands.Add(TokenCommand.Create());
root.Subcommands.Add(DedupCommand.Create());
root.Subcommands.Add(ImportEsmsCommand.Create());
root.Subcommands.Add(ImportListCommand.Create());
root.Subcommands.Add(ImportListsCommand.Create());
root.Subcommands.Add(SeedCommand.Create());
root.Subcommands.Add(RiskCommand.Create());
root.Subcommands.Add(BackupCommands.Export());
root.Subcommands.Add(BackupCommands.Restore());
// The host stops itself on Ctrl-C and `up` then stops Azurite cleanly; System.CommandLine's own
// handler would end the process after a short timeout, before Azurite has flushed its data.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
