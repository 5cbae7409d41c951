using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Listes360.Cli.Tests;

/// <summary>
/// The README's examples against the API run as written. The ```bash blocks that call the API
/// (curl, the contract check) are run in order in ONE bash session, as a person pastes them in one
/// terminal (a later block uses the $TOKEN of an earlier one), against a real `listes360 up` started
/// by the fixture, with two substitutions only: the service's port (a free one, so a developer's own
/// `up` is left alone) and `./listes360`, the program this test project builds. Blocks that start the
/// service themselves are the fixture's job. Each block must succeed; its calls must answer without
/// errors unless the block shows the error it expects in a `# {…}` line, whose fragments between
/// « … » must all appear in what the service answered.
/// </summary>
public sealed partial class ReadmeExamplesTests(ReadmeExamplesTests.Service service) : IClassFixture<ReadmeExamplesTests.Service>
{
    private const string DocumentedUrl = "http://127.0.0.1:5360";
    private const string Marker = "@@fin-du-bloc-readme@@";
    private static readonly string Root = Listes360.Testing.RepositoryRoot.Find();

    /// <summary>The blocks that call the running API, in the README's order, with their first line.</summary>
    internal static List<(int Line, string Text)> ApiBlocks() =>
        BashBlocks(File.ReadAllText(Path.Combine(Root, "README.md")))
            .Where(b => (b.Text.Contains("curl ", StringComparison.Ordinal) || b.Text.Contains("check-schema", StringComparison.Ordinal))
                        && !b.Text.Contains("./listes360 up", StringComparison.Ordinal))
            .ToList();

    [Fact]
    public async Task The_readme_examples_run_as_written_in_one_terminal()
    {
        var blocks = ApiBlocks();
        Assert.True(blocks.Count >= 2, "Le README devrait montrer au moins deux exemples d'appel de l'API.");
        var cli = $"dotnet \"{Path.Combine(AppContext.BaseDirectory, "listes360.dll")}\" ";
        var script = string.Join('\n', blocks.Select(b => string.Join('\n', b.Text.Split('\n')
                // Installing the contract tool is .ci/run's job (npm ci in tests/contract); running it
                // here at the same time as the API tests' own contract test would pull node_modules
                // from under it.
                .Where(l => !l.Contains("npm ci", StringComparison.Ordinal))
                .Select(l => l.Replace(DocumentedUrl, service.Url, StringComparison.Ordinal).Replace("./listes360 ", cli, StringComparison.Ordinal)))
            + $"\necho; echo {Marker}"));

        var (code, output) = await RunBashAsync(script);

        var outputs = output.Split(Marker);
        for (var i = 0; i < blocks.Count; i++)
        {
            var (line, block) = blocks[i];
            Assert.True(i < outputs.Length - 1, $"README, bloc de la ligne {line} : échec (code {code})\n{outputs[^1]}");
            var answered = outputs[i];
            var expected = block.Split('\n').Where(l => l.TrimStart().StartsWith("# {", StringComparison.Ordinal)).ToList();
            if (expected.Count == 0 && block.Contains("curl ", StringComparison.Ordinal))
            {
                Assert.True(answered.Contains("\"data\"", StringComparison.Ordinal) && !answered.Contains("\"errors\"", StringComparison.Ordinal),
                    $"README, bloc de la ligne {line} : réponse inattendue\n{answered}");
            }
            foreach (var fragment in expected.SelectMany(e => e.TrimStart()[2..].Split('…')).Select(f => f.Trim().Trim(',').Trim()).Where(f => f.Length > 0))
                Assert.True(answered.Contains(fragment, StringComparison.Ordinal), $"README, bloc de la ligne {line} : « {fragment} » attendu dans\n{answered}");
        }
        Assert.True(code == 0, $"bash a fini avec le code {code}\n{output}");
    }

    /// <summary>`listes360 up` on free ports and a temporary data folder, for the whole class.</summary>
    public sealed class Service : IAsyncLifetime
    {
        private readonly string _data = Path.Combine(Path.GetTempPath(), "listes360-readme-" + Guid.NewGuid().ToString("N"));
        private readonly int _apiPort = CliProcess.FreePort();
        private CliProcess? _up;

        public string Url => $"http://127.0.0.1:{_apiPort}";

        public async Task InitializeAsync()
        {
            // The examples use no person: the simulated population would only slow the start.
            _up = await CliProcess.StartUpAsync(Url, CliProcess.FreePort(), _data, CliProcess.FreePort(), "--seed-persons", "0");
        }

        public async Task DisposeAsync()
        {
            if (_up is not null)
            {
                try
                {
                    await _up.InterruptAsync(TimeSpan.FromSeconds(60));
                }
                finally
                {
                    // Killed if Ctrl-C did not stop it (a shell that ignores SIGINT in its background jobs passes that on): never left running.
                    await _up.DisposeAsync();
                }
            }
            if (Directory.Exists(_data))
                Directory.Delete(_data, recursive: true);
        }
    }

    /// <summary>The ```bash blocks of a Markdown text, with the line each starts on.</summary>
    internal static IEnumerable<(int Line, string Text)> BashBlocks(string markdown)
    {
        foreach (Match m in BashBlock().Matches(markdown))
            yield return (markdown[..m.Index].Count(c => c == '\n') + 1, m.Groups[1].Value.TrimEnd());
    }

    private static async Task<(int Code, string Output)> RunBashAsync(string script)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Root };
        start.ArgumentList.Add("-euo");
        start.ArgumentList.Add("pipefail");
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        start.Environment["LISTES360_ROOT"] = Root;
        using var bash = Process.Start(start)!;
        var stdout = bash.StandardOutput.ReadToEndAsync();
        var stderr = bash.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await bash.WaitForExitAsync(cts.Token);
        return (bash.ExitCode, await stdout + await stderr);
    }

    [GeneratedRegex(@"^```bash\n(.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex BashBlock();
}
