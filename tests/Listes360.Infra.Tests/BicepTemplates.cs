using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Listes360.Testing;

namespace Listes360.Infra.Tests;

/// <summary>
/// Compiles every template of infra/azure once, offline, with the Bicep compiler restored from NuGet
/// (Azure.Bicep.CommandLine.linux-x64, pinned in Directory.Packages.props), into ARM JSON the tests read.
/// The templates are compiled from a copy of infra/azure that also holds <see cref="ProbeFile"/>, a
/// template with an unused parameter: its warning proves that the linter ran with the repository's
/// bicepconfig.json, so "no warning" on the real templates means something.
/// </summary>
public sealed class BicepTemplates : IAsyncLifetime
{
    public const string ProbeFile = "linter-probe.bicep";
    private const string FolderSetting = "Listes360.Infra.Tests.BicepPackageFolder";
    private readonly string _work = Path.Combine(Path.GetTempPath(), "listes360-bicep-" + Guid.NewGuid().ToString("N"));

    public string SourceFolder { get; } = Path.Combine(RepositoryRoot.Find(), "infra", "azure");
    public int ExitCode { get; private set; }
    public string Output { get; private set; } = "";
    public IReadOnlyList<string> Templates { get; private set; } = [];

    /// <summary>The compiler's diagnostics, one per line (<c>path(line,col) : Warning rule: text</c>).</summary>
    public IReadOnlyList<string> Diagnostics => Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Where(l => Regex.IsMatch(l, @"\) : (Warning|Error|Info) ")).ToList();

    public static string CompilerPath()
    {
        var folder = AppContext.GetData(FolderSetting) as string;
        if (string.IsNullOrEmpty(folder) || !Directory.Exists(folder))
            throw new InvalidOperationException(
                $"Le paquet NuGet Azure.Bicep.CommandLine.linux-x64 n'est pas restauré (réglage {FolderSetting} : « {folder} ») : lancez « dotnet restore tests/Listes360.Infra.Tests ».");
        var compiler = Path.Combine(folder, "tools", OperatingSystem.IsWindows() ? "bicep.exe" : "bicep");
        if (!File.Exists(compiler))
            throw new InvalidOperationException($"Le compilateur Bicep est absent du paquet restauré : {compiler}.");
        if (!OperatingSystem.IsWindows() && !File.GetUnixFileMode(compiler).HasFlag(UnixFileMode.UserExecute))
            File.SetUnixFileMode(compiler, File.GetUnixFileMode(compiler) | UnixFileMode.UserExecute);
        return compiler;
    }

    public async Task InitializeAsync()
    {
        var input = Path.Combine(_work, "azure");
        CopyFolder(SourceFolder, input);
        Templates = Directory.GetFiles(input, "*.bicep", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(input, f).Replace('\\', '/')).Order().ToList();
        await File.WriteAllTextAsync(Path.Combine(input, ProbeFile), "param unused string = 'x'\n");
        // Bicep's .NET runtime is inside the binary; it needs no network for build (no registry modules here).
        (ExitCode, Output) = await NodeTool.RunAsync(CompilerPath(),
            ["build", "--pattern", "azure/**/*.bicep", "--outdir", Path.Combine(_work, "out")],
            _work, TimeSpan.FromMinutes(5), environment: new Dictionary<string, string> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1" });
    }

    /// <summary>The ARM JSON of <paramref name="template"/> (a path under infra/azure, e.g. <c>modules/storage.bicep</c>).</summary>
    public JsonObject Arm(string template)
    {
        var path = Path.Combine(_work, "out", Path.ChangeExtension(template, ".json"));
        Assert.True(File.Exists(path), $"{template} n'a pas été compilé en {path} :{Environment.NewLine}{Output}");
        return JsonNode.Parse(File.ReadAllText(path))!.AsObject();
    }

    public Task DisposeAsync()
    {
        try { Directory.Delete(_work, recursive: true); } catch (IOException) { }
        return Task.CompletedTask;
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}

/// <summary>Reading compiled ARM templates: their resources and the values behind <c>variables('…')</c>.</summary>
public static class Arm
{
    public static IEnumerable<JsonObject> Resources(JsonObject template, string type) =>
        template["resources"]!.AsArray().Select(r => r!.AsObject()).Where(r => (string?)r["type"] == type);

    public static JsonObject Single(JsonObject template, string type)
    {
        var found = Resources(template, type).ToList();
        Assert.True(found.Count == 1, $"{found.Count} ressource(s) {type} au lieu d'une.");
        return found[0];
    }

    /// <summary>An expression's <c>variables('x')</c> replaced by the variable's literal value (strings only).</summary>
    public static string Resolve(JsonObject template, string expression) =>
        Regex.Replace(expression, @"variables\('(\w+)'\)", m => "'" + (string?)template["variables"]?[m.Groups[1].Value] + "'");
}
