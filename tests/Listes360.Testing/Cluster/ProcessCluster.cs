using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Listes360.AzureStorage.Emulator;

namespace Listes360.Testing.Cluster;

/// <summary>
/// A real cluster on this machine: one Azurite (in memory, free loopback port) and N silo
/// PROCESSES, each the built program as an operator runs it (<c>dotnet listes360.dll serve
/// --membership AzureTable …</c>: production wiring, membership in the storage's table), each on its
/// own free API, silo and gateway ports. <see cref="StartAsync"/> returns once every silo's
/// <c>/health</c> sees all N silos active, and fails with the silos' output when one stops or is not
/// ready in time. <see cref="Kill"/> ends a silo as a crash does (SIGKILL, no warning, no leaving
/// the membership); dispose stops everything.
/// </summary>
/// <remarks>No test framework here: the cluster benchmark (bench/cluster) links this file too.</remarks>
public sealed class ProcessCluster : IAsyncDisposable
{
    /// <summary>Silos sharing the same keys: a token minted with <see cref="SigningKey"/> is accepted by all.</summary>
    public string SigningKey { get; } = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    public string NirSecret { get; } = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    public const string ClusterId = "listes360";

    /// <summary>The membership table (<c>StorageSettings.ClusterTableName</c>'s default).</summary>
    public const string MembershipTable = "Listes360Cluster";

    private readonly string _workingDirectory;
    private readonly List<Silo> _silos = [];
    private string? _programDll;
    private IReadOnlyDictionary<string, string>? _settings;
    private AzuriteServer? _azurite;

    private ProcessCluster(string workingDirectory) => _workingDirectory = workingDirectory;

    public AzuriteServer Azurite => _azurite ?? throw new InvalidOperationException("Azurite n'est pas démarré.");

    public string StorageConnectionString => Azurite.ConnectionString;

    public IReadOnlyList<Silo> Silos => _silos;

    /// <summary>
    /// Azurite, then <paramref name="silos"/> silo processes started together, ready when each one's
    /// <c>/health</c> shows <paramref name="silos"/> active silos.
    /// </summary>
    /// <param name="programDll">The built <c>listes360.dll</c> (a test or bench referencing Listes360.Cli has it next to itself).</param>
    /// <param name="settings">More settings for every silo, as environment variables (<c>Section__Key</c>).</param>
    public static async Task<ProcessCluster> StartAsync(int silos, string? programDll = null, IReadOnlyDictionary<string, string>? settings = null,
        TimeSpan? timeout = null, TextWriter? log = null)
    {
        if (silos < 1) throw new ArgumentOutOfRangeException(nameof(silos));
        programDll ??= Path.Combine(AppContext.BaseDirectory, "listes360.dll");
        if (!File.Exists(programDll))
            throw new FileNotFoundException($"Programme listes360 introuvable : {programDll} (le projet doit référencer src/Listes360.Cli).", programDll);
        var cluster = new ProcessCluster(Directory.CreateTempSubdirectory("listes360-cluster-").FullName);
        try
        {
            var infra = AzuriteServer.FindInfraFolder(AppContext.BaseDirectory);
            await AzuriteServer.EnsureInstalledAsync(infra, log);
            cluster._azurite = await AzuriteServer.StartAsync(infra, Path.Combine(cluster._workingDirectory, "azurite"), inMemory: true);
            (cluster._programDll, cluster._settings) = (programDll, settings);
            for (var i = 0; i < silos; i++)
                cluster._silos.Add(cluster.Launch(i, programDll, settings));
            await cluster.WaitUntilActiveAsync(silos, cluster._silos, timeout ?? TimeSpan.FromSeconds(180));
            log?.WriteLine($"Grappe prête : {silos} silo(s), Azurite 127.0.0.1:{cluster.Azurite.Port}, API {string.Join(", ", cluster._silos.Select(s => s.Url))}");
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    private Silo Launch(int index, string programDll, IReadOnlyDictionary<string, string>? settings)
    {
        var (api, siloPort, gateway) = (AzuriteServer.FreeLoopbackPort(), AzuriteServer.FreeLoopbackPort(), AzuriteServer.FreeLoopbackPort());
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _workingDirectory,
        };
        var url = $"http://127.0.0.1:{api}";
        foreach (var arg in new[] { programDll, "serve", "--membership", "AzureTable", "--storage", StorageConnectionString,
                     "--urls", url, "--silo-port", siloPort.ToString(), "--gateway-port", gateway.ToString() })
            start.ArgumentList.Add(arg);
        var env = new Dictionary<string, string>
        {
            ["Auth__SigningKey"] = SigningKey,
            ["Nir__Secret"] = NirSecret,
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__Orleans"] = "Warning",
            // The daily pass is not what is measured here, and would only add load at an arbitrary moment.
            ["Maintenance__Enabled"] = "false",
            // Load generators write far faster than a person; the limiter is tested elsewhere.
            ["Limits__WritesPerMinute"] = "1000000",
            ["Limits__WriteBurst"] = "1000000",
            ["DOTNET_gcServer"] = "0",
        };
        if (settings is not null)
            foreach (var (key, value) in settings)
                env[key] = value;
        foreach (var (key, value) in env)
            start.Environment[key] = value;
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet n'a pas pu être lancé.");
        return new Silo(index, process, url, siloPort, gateway);
    }

    /// <summary>Until each of <paramref name="watched"/> (alive) reports <paramref name="active"/> active silos on /health.</summary>
    public async Task WaitUntilActiveAsync(int active, IEnumerable<Silo> watched, TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var deadline = Stopwatch.StartNew();
        var pending = watched.ToList();
        var last = new Dictionary<int, string>();
        var relaunched = new Dictionary<int, int>();
        while (pending.Count > 0)
        {
            foreach (var silo in pending.ToList())
            {
                // A free port is found, released, then handed to the silo: another process (a test project running
                // beside this one) may take it in between. Such a start is tried again on other ports, twice at most.
                if (silo.HasExited && silo.Output.Contains("address already in use", StringComparison.OrdinalIgnoreCase)
                    && _programDll is not null && relaunched.GetValueOrDefault(silo.Index) < 2)
                {
                    relaunched[silo.Index] = relaunched.GetValueOrDefault(silo.Index) + 1;
                    var again = Launch(silo.Index, _programDll, _settings);
                    var at = _silos.IndexOf(silo);
                    if (at >= 0) _silos[at] = again;
                    pending[pending.IndexOf(silo)] = again;
                    continue;
                }
                if (silo.HasExited)
                    throw new InvalidOperationException(
                        $"Le silo {silo.Index + 1} (API {silo.Url}) s'est arrêté au démarrage (code {silo.ExitCode}) :\n{silo.Output}");
                var seen = await ActiveSilosAsync(http, silo);
                last[silo.Index] = seen.Body;
                if (seen.Active == active)
                    pending.Remove(silo);
            }
            if (pending.Count == 0)
                break;
            if (deadline.Elapsed > timeout)
                throw new TimeoutException(
                    $"En {timeout.TotalSeconds:F0} s, les silos {string.Join(", ", pending.Select(s => s.Index + 1))} ne voient pas {active} silos actifs sur /health.\n" +
                    string.Join("\n", pending.Select(s => $"--- silo {s.Index + 1} ({s.Url}) /health : {last.GetValueOrDefault(s.Index)}\n{s.Output}")));
            await Task.Delay(250);
        }
    }

    /// <summary>What a silo's <c>/health</c> says of the active silos (-1 when it does not answer).</summary>
    public static async Task<(int Active, string Body)> ActiveSilosAsync(HttpClient http, Silo silo, CancellationToken cancellationToken = default)
    {
        try
        {
            using var response = await http.GetAsync(silo.Url + "/health", cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            using var json = JsonDocument.Parse(body);
            return json.RootElement.TryGetProperty("cluster", out var cluster) && cluster.TryGetProperty("activeSilos", out var count)
                ? (count.GetInt32(), body)
                : (-1, body);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            return (-1, e.GetType().Name + ": " + e.Message);
        }
    }

    /// <summary>The membership table's status of <paramref name="silo"/> (Active, ShuttingDown, Dead…), null when absent.</summary>
    public async Task<string?> MembershipStatusAsync(Silo silo, CancellationToken cancellationToken = default)
    {
        var table = new Azure.Data.Tables.TableClient(StorageConnectionString, MembershipTable);
        string? status = null;
        long generation = long.MinValue;
        await foreach (var row in table.QueryAsync<Azure.Data.Tables.TableEntity>(e => e.PartitionKey == ClusterId, cancellationToken: cancellationToken))
        {
            if (!row.TryGetValue("Port", out var port) || Convert.ToString(port, System.Globalization.CultureInfo.InvariantCulture) != silo.SiloPort.ToString())
                continue;
            var gen = row.TryGetValue("Generation", out var g) && long.TryParse(Convert.ToString(g, System.Globalization.CultureInfo.InvariantCulture), out var parsed) ? parsed : 0;
            if (gen >= generation)
            {
                generation = gen;
                status = row.GetString("Status");
            }
        }
        return status;
    }

    /// <summary>Ends <paramref name="silo"/> at once, as a crash does: SIGKILL, nothing of its own shutdown runs.</summary>
    public void Kill(Silo silo)
    {
        silo.KilledAt = DateTimeOffset.UtcNow;
        silo.Process.Kill(entireProcessTree: true);
        silo.Process.WaitForExit(10_000);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var silo in _silos)
        {
            try
            {
                if (!silo.Process.HasExited)
                {
                    silo.Process.Kill(entireProcessTree: true);
                    await silo.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
                }
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException or System.ComponentModel.Win32Exception)
            {
                // Already gone.
            }
            silo.Process.Dispose();
        }
        if (_azurite is not null)
            await _azurite.DisposeAsync();
        try { Directory.Delete(_workingDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    /// <summary>One silo process and its ports.</summary>
    public sealed class Silo
    {
        private const int KeptCharacters = 64 * 1024;
        private readonly StringBuilder _output = new();

        internal Silo(int index, Process process, string url, int siloPort, int gatewayPort)
        {
            Index = index;
            Process = process;
            Url = url;
            SiloPort = siloPort;
            GatewayPort = gatewayPort;
            process.OutputDataReceived += (_, e) => Append(e.Data);
            process.ErrorDataReceived += (_, e) => Append(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public int Index { get; }
        public Process Process { get; }
        public string Url { get; }
        public int SiloPort { get; }
        public int GatewayPort { get; }

        /// <summary>When <see cref="ProcessCluster.Kill"/> ended it; null while it lives.</summary>
        public DateTimeOffset? KilledAt { get; internal set; }

        public bool HasExited => Process.HasExited;
        public int ExitCode => Process.ExitCode;

        /// <summary>The last 64 KiB the process printed (standard output and error).</summary>
        public string Output { get { lock (_output) return _output.ToString(); } }

        private void Append(string? line)
        {
            if (line is null) return;
            lock (_output)
            {
                _output.AppendLine(line);
                if (_output.Length > KeptCharacters)
                    _output.Remove(0, _output.Length - KeptCharacters);
            }
        }
    }
}
