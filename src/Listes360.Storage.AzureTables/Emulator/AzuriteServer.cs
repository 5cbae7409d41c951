using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Listes360.Storage.AzureTables.Emulator;

/// <summary>
/// A local Azurite Table service (npm package pinned in <c>infra/azurite</c>), bound to 127.0.0.1
/// only. Used by <c>./listes360 up</c> and by the test fixtures; never in production.
/// </summary>
public sealed class AzuriteServer : IAsyncDisposable
{
    /// <summary>Azurite's well-known development account key (public, documented by Microsoft).</summary>
    private const string DevAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly Process _process;
    private readonly StringBuilder _output;

    private AzuriteServer(Process process, int port, StringBuilder output)
    {
        _process = process;
        Port = port;
        _output = output;
    }

    public int Port { get; }

    public string ConnectionString => ConnectionStringFor(Port);

    /// <summary>What Azurite printed so far (for diagnostics when something fails).</summary>
    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    public static string ConnectionStringFor(int port) =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={DevAccountKey};TableEndpoint=http://127.0.0.1:{port}/devstoreaccount1;";

    /// <summary>The <c>infra/azurite</c> folder of the clone that contains <paramref name="from"/>.</summary>
    public static string FindInfraFolder(string from)
    {
        for (var dir = new DirectoryInfo(from); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Listes360.sln")))
                return Path.Combine(dir.FullName, "infra", "azurite");
        }
        throw new DirectoryNotFoundException($"Aucun clone de Listes360 (Listes360.sln) au-dessus de {from} : impossible de trouver infra/azurite.");
    }

    /// <summary>Installs the pinned Azurite with <c>npm ci</c> when it is missing; safe across processes.</summary>
    public static async Task EnsureInstalledAsync(string infraFolder, TextWriter? log = null, CancellationToken cancellationToken = default)
    {
        if (File.Exists(Executable(infraFolder)))
            return;

        // Several test assemblies may start at once: one installs, the others wait for it.
        var lockPath = Path.Combine(infraFolder, ".npm-ci.lock");
        var deadline = DateTime.UtcNow.AddMinutes(5);
        while (true)
        {
            try
            {
                await using var _ = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
                if (File.Exists(Executable(infraFolder)))
                    return;
                log?.WriteLine("Installation d'Azurite (npm ci dans infra/azurite)…");
                await RunNpmCiAsync(infraFolder, cancellationToken);
                return;
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(500, cancellationToken);
            }
        }
    }

    /// <summary>
    /// Starts Azurite on 127.0.0.1:<paramref name="port"/> (0 picks a free port) with its data in
    /// <paramref name="dataFolder"/>, and waits until it accepts connections.
    /// </summary>
    public static async Task<AzuriteServer> StartAsync(string infraFolder, string dataFolder, int port = 0, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        await EnsureInstalledAsync(infraFolder, cancellationToken: cancellationToken);
        Directory.CreateDirectory(dataFolder);
        if (port == 0)
            port = FreeLoopbackPort();
        else if (!IsFree(port))
            throw new InvalidOperationException($"Le port 127.0.0.1:{port} est déjà utilisé : Azurite ne peut pas démarrer (un autre « listes360 up » tourne-t-il déjà ?).");

        var start = new ProcessStartInfo(Executable(infraFolder))
        {
            ArgumentList =
            {
                "--tableHost", "127.0.0.1", "--tablePort", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--location", dataFolder, "--skipApiVersionCheck", "--disableProductStyleUrl",
                // Azurite otherwise sends telemetry, and its stop waits on it: nothing leaves this machine.
                "--disableTelemetry",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var output = new StringBuilder();
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        try
        {
            process.Start();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new InvalidOperationException($"Impossible de lancer Azurite ({start.FileName}) : {e.Message}. Node.js est-il installé ?", e);
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var server = new AzuriteServer(process, port, output);
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"Azurite s'est arrêté au démarrage (code {process.ExitCode}) : {server.Output}");
            if (await AcceptsConnectionsAsync(port, cancellationToken))
                return server;
            if (DateTime.UtcNow > deadline)
            {
                await server.DisposeAsync();
                throw new TimeoutException($"Azurite n'a pas ouvert le port {port} en {(timeout ?? TimeSpan.FromSeconds(30)).TotalSeconds} s : {server.Output}");
            }
            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>
    /// Stops Azurite as Ctrl-C does, so that it writes its database to disk before exiting (a hard
    /// kill loses the writes it has not flushed yet); kills it only if it does not stop in time.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                if (!OperatingSystem.IsWindows() && SendSignal(_process.Id, SigInt) == 0)
                {
                    try
                    {
                        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(15));
                    }
                    catch (TimeoutException)
                    {
                        // Falls through to the hard kill below.
                    }
                }
                if (!_process.HasExited)
                {
                    _process.Kill(entireProcessTree: true);
                    await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
                }
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        _process.Dispose();
    }

    private const int SigInt = 2;

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);

    private static string Executable(string infraFolder) =>
        Path.Combine(infraFolder, "node_modules", ".bin", OperatingSystem.IsWindows() ? "azurite-table.cmd" : "azurite-table");

    private static async Task RunNpmCiAsync(string infraFolder, CancellationToken cancellationToken)
    {
        var npm = new ProcessStartInfo(OperatingSystem.IsWindows() ? "npm.cmd" : "npm")
        {
            ArgumentList = { "ci", "--no-audit", "--no-fund", "--loglevel=error" },
            WorkingDirectory = infraFolder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(npm) ?? throw new InvalidOperationException("npm n'a pas pu être lancé.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"« npm ci » a échoué dans {infraFolder} (code {process.ExitCode}) : {await stderr}{await stdout}");
    }

    private static async Task<bool> AcceptsConnectionsAsync(int port, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static bool IsFree(int port)
    {
        try
        {
            var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>A port the OS says is free now (it may be taken before use: callers start at once).</summary>
    public static int FreeLoopbackPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
