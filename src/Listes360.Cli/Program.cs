using System.CommandLine;
using Listes360.Cli.Commands;

var root = new RootCommand("Listes360 : liste d'attente départementale partagée des ESMS, harmonisation des admissions.");
root.Subcommands.Add(ServeCommand.Create());
root.Subcommands.Add(UpCommand.Create());
root.Subcommands.Add(SchemaCommand.Create());
root.Subcommands.Add(TokenCommand.Create());
return await root.Parse(args).InvokeAsync();
