using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Listes360.Testing;

namespace Listes360.Infra.Tests;

/// <summary>
/// The Dockerfile, without Docker (none on this machine): its build stage is replayed as written, its
/// COPY lines into a fresh folder (minus what .dockerignore leaves out), its RUN lines there, and the
/// publish output must hold the assembly the runtime stage's ENTRYPOINT starts.
/// </summary>
public sealed class DockerfileTests
{
    private static readonly string Root = RepositoryRoot.Find();

    private static List<(string Stage, string Instruction, string Arguments)> Instructions()
    {
        var lines = File.ReadAllLines(Path.Combine(Root, "Dockerfile"))
            .Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        var result = new List<(string, string, string)>();
        var stage = "";
        foreach (var line in lines)
        {
            var match = Regex.Match(line, @"^(\w+)\s+(.*)$");
            Assert.True(match.Success, $"ligne du Dockerfile non comprise : {line}");
            var (instruction, arguments) = (match.Groups[1].Value.ToUpperInvariant(), match.Groups[2].Value);
            if (instruction == "FROM")
                stage = Regex.Match(arguments, @"\bAS\s+(\w+)", RegexOptions.IgnoreCase).Groups[1].Value;
            result.Add((stage, instruction, arguments));
        }
        return result;
    }

    [Fact]
    public void The_design_system_from_node_the_build_from_the_dotnet_10_sdk_and_a_runtime_that_is_not_root()
    {
        var instructions = Instructions();
        var from = instructions.Where(i => i.Instruction == "FROM").Select(i => i.Arguments).ToList();
        Assert.Equal(["node:20-bookworm-slim AS dsfr", "mcr.microsoft.com/dotnet/sdk:10.0 AS build", "mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime"], from);
        var runtime = instructions.Where(i => i.Stage == "runtime").ToList();
        var user = runtime.Last(i => i.Instruction == "USER").Arguments;
        Assert.DoesNotMatch(@"^(root|0)(:|$)", user);
        Assert.Equal("$APP_UID", user);
        Assert.Contains(runtime, i => i.Instruction == "COPY" && i.Arguments.StartsWith("--from=build "));
        Assert.Equal("[\"dotnet\", \"Listes360.Api.dll\"]", runtime.Single(i => i.Instruction == "ENTRYPOINT").Arguments);
        // The SDK stage never ships: the runtime stage copies the publish output only.
        Assert.DoesNotContain(runtime, i => i.Instruction == "RUN");
    }

    [Fact]
    public async Task The_build_stages_publish_the_host_that_the_entry_point_starts()
    {
        var instructions = Instructions();
        var context = Path.Combine(Path.GetTempPath(), "listes360-docker-" + Guid.NewGuid().ToString("N"));
        // Each stage's file system is a folder of its own; an absolute path in a stage is under that folder.
        string InStage(string stage, string absolute) => Path.GetFullPath(Path.Combine(context, stage, absolute.TrimStart('/')));
        var published = InStage("build", "/app/publish");
        try
        {
            var ignored = File.ReadAllLines(Path.Combine(Root, ".dockerignore"))
                .Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
            var commands = 0;
            var workdir = "";
            foreach (var (stage, instruction, arguments) in instructions.Where(i => i.Stage != "runtime"))
            {
                if (instruction == "WORKDIR")
                {
                    workdir = InStage(stage, arguments);
                    Directory.CreateDirectory(workdir);
                }
                else if (instruction == "COPY")
                {
                    var parts = arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
                    var fromStage = parts[0].StartsWith("--from=", StringComparison.Ordinal) ? parts[0]["--from=".Length..] : null;
                    if (fromStage is not null) parts.RemoveAt(0);
                    var target = parts[^1].StartsWith('/') ? InStage(stage, parts[^1]) : Path.GetFullPath(Path.Combine(workdir, parts[^1]));
                    foreach (var source in parts[..^1])
                    {
                        var into = source.EndsWith('/') ? target : Path.Combine(target, Path.GetFileName(source.TrimEnd('/')));
                        if (fromStage is null)
                            CopyContext(Path.Combine(Root, source), into, ignored);
                        else
                            CopyStage(InStage(fromStage, source), into);
                    }
                }
                else if (instruction == "RUN")
                {
                    // Exactly the Dockerfile's command, with its absolute /app/publish moved under the stage's folder.
                    var words = arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries)
                        .Select(w => w == "/app/publish" ? published : w).ToList();
                    Assert.Contains(words[0], new[] { "dotnet", "npm" });
                    var (exitCode, output) = await NodeTool.RunAsync(words[0], words[1..], workdir, TimeSpan.FromMinutes(20),
                        environment: new Dictionary<string, string> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1" });
                    Assert.True(exitCode == 0, $"« {arguments} » a échoué (code {exitCode}) :{Environment.NewLine}{output}");
                    commands++;
                }
            }
            Assert.Equal(3, commands);

            // The pages' design system is in the image, not fetched from a CDN.
            Assert.True(File.Exists(Path.Combine(published, "dsfr", "dsfr.min.css")), "dsfr/dsfr.min.css absent de la sortie de publication");
            Assert.True(File.Exists(Path.Combine(published, "Listes360.Api.dll")), "Listes360.Api.dll absent de la sortie de publication");
            // A framework-dependent ASP.NET Core app: the aspnet:10.0 runtime image is enough.
            var runtimeConfig = JsonNode.Parse(File.ReadAllText(Path.Combine(published, "Listes360.Api.runtimeconfig.json")))!;
            var frameworks = runtimeConfig["runtimeOptions"]!["frameworks"]?.AsArray().Select(f => (string)f!["name"]!).ToList()
                ?? [(string)runtimeConfig["runtimeOptions"]!["framework"]!["name"]!];
            Assert.Contains("Microsoft.AspNetCore.App", frameworks);
            Assert.StartsWith("10.", (string)(runtimeConfig["runtimeOptions"]!["frameworks"]?[0] ?? runtimeConfig["runtimeOptions"]!["framework"])!["version"]!);
            // UseAppHost=false: no native launcher, started by "dotnet Listes360.Api.dll".
            Assert.False(File.Exists(Path.Combine(published, "Listes360.Api")));
            // What the host loads at run time is inside: the Azure providers, token sign-in, telemetry.
            Assert.True(File.Exists(Path.Combine(published, "Azure.Identity.dll")));
            Assert.True(File.Exists(Path.Combine(published, "Orleans.Clustering.AzureStorage.dll")));
        }
        finally
        {
            try { Directory.Delete(context, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>COPY --from: a folder (or file) of an earlier stage, as that stage left it.</summary>
    private static void CopyStage(string source, string target)
    {
        if (File.Exists(source))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(source, target, overwrite: true);
            return;
        }
        Assert.True(Directory.Exists(source), $"COPY --from : {source} n'existe pas dans l'étape d'origine.");
        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            var to = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to, overwrite: true);
        }
    }

    /// <summary>COPY of a file or a folder from the build context, leaving out what .dockerignore names (folder patterns <c>**/x/</c> and <c>x/</c>).</summary>
    private static void CopyContext(string source, string target, IReadOnlyList<string> ignored)
    {
        bool Ignored(string relative)
        {
            var path = relative.Replace('\\', '/');
            var folders = path.Split('/')[..^1];
            return ignored.Any(pattern => pattern.StartsWith("**/")
                ? folders.Contains(pattern[3..].TrimEnd('/'))
                : path.StartsWith(pattern.TrimEnd('/') + "/"));
        }
        if (File.Exists(source))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(source, target);
            return;
        }
        Assert.True(Directory.Exists(source), $"COPY : {source} n'existe pas dans le dépôt.");
        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(Root, file);
            if (Ignored(relative))
                continue;
            var to = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }
    }
}
