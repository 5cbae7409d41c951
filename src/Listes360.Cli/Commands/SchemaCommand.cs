using System.CommandLine;
using Listes360.Api.Hosting;

namespace Listes360.Cli.Commands;

/// <summary><c>listes360 schema</c>: prints the served GraphQL schema (the contract in schema.graphql).</summary>
internal static class SchemaCommand
{
    public static Command Create()
    {
        var output = new Option<string?>("--output", "-o") { Description = "Fichier où écrire le schéma (par défaut : sortie standard)." };
        var command = new Command("schema", "Affiche le schéma GraphQL servi, en SDL (regénère schema.graphql avec --output schema.graphql).") { output };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var sdl = ApiHost.PrintSchema();
            if (parse.GetValue(output) is { Length: > 0 } path)
                await File.WriteAllTextAsync(path, sdl, cancellationToken);
            else
                Console.Write(sdl);
            return 0;
        });
        return command;
    }
}
