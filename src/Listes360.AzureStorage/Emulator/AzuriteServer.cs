using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace Listes360.AzureStorage.Emulator;

/// <summary>
/// A local Azurite Table service (npm package pinned in <c>infra/azurite</c>), bound to 127.0.0.1
/// only. Used by <c>./listes360 up</c> and by the test fixtures; never in production.
/// </summary>
public sealed partial class AzuriteServer : IAsyncDisposable
{
    /// <summary>Azurite's well-known development account key (public, documented by Microsoft).</summary>
    private const string DevAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly SemaphoreSlim InstallInProcess = new(1, 1);
    private readonly Process _process;
    private readonly BoundedLog _output;

    private AzuriteServer(Process process, int port, BoundedLog output)
    {
        _process = process;
        Port = port;
        _output = output;
    }

    public int Port { get; }

    public string ConnectionString => ConnectionStringFor(Port);

    /// <summary>The last lines Azurite printed (for diagnostics when something fails).</summary>
    public string Output => _output.Text;

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

    /// <summary>
    /// Installs the pinned Azurite with <c>npm ci</c> when it is missing. Test assemblies run in
    /// parallel processes and two concurrent <c>npm ci</c> would wipe each other's node_modules, so a
    /// lock file serialises the install across processes.
    /// </summary>
    public static async Task EnsureInstalledAsync(string infraFolder, TextWriter? log = null, CancellationToken cancellationToken = default)
    {
        if (File.Exists(Executable(infraFolder)))
            return;
        await InstallInProcess.WaitAsync(cancellationToken);
        try
        {
            using var crossProcess = await AcquireInstallLockAsync(infraFolder, cancellationToken);
            if (File.Exists(Executable(infraFolder)))
                return;
            log?.WriteLine("Installation d'Azurite (npm ci dans infra/azurite)…");
            await RunNpmCiAsync(infraFolder, cancellationToken);
        }
        finally
        {
            InstallInProcess.Release();
        }
    }

    /// <summary>
    /// How long Azurite may take to listen: node starts it in a second or two on an idle machine, but a
    /// machine busy building (a CI runner, a laptop compiling) has been seen to take over 30 s.
    /// </summary>
    public static readonly TimeSpan DefaultStartTimeout = TimeSpan.FromSeconds(120);

    /// <summary>
    /// Starts Azurite on 127.0.0.1 and waits until it accepts connections. With
    /// <paramref name="inMemory"/>, nothing is persisted and <paramref name="folder"/> is only its
    /// working folder; otherwise its database lives there. Port 0 picks a free port (retrying if
    /// another process takes it between the probe and the bind).
    /// </summary>
    public static async Task<AzuriteServer> StartAsync(string infraFolder, string folder, int port = 0, bool inMemory = false,
        TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        await EnsureInstalledAsync(infraFolder, cancellationToken: cancellationToken);
        Directory.CreateDirectory(folder);
        var pickPort = port == 0;
        if (!pickPort && !IsLoopbackPortFree(port))
            throw new InvalidOperationException($"Le port 127.0.0.1:{port} est déjà utilisé : Azurite ne peut pas démarrer (un autre « listes360 up » tourne-t-il déjà ?).");

        for (var attempt = 1; ; attempt++)
        {
            var chosen = pickPort ? FreeLoopbackPort() : port;
            var server = Launch(infraFolder, folder, chosen, inMemory);
            var failure = await WaitUntilListeningAsync(server, timeout ?? DefaultStartTimeout, cancellationToken);
            if (failure is null)
                return server;
            await server.DisposeAsync();
            if (!pickPort || attempt == 3 || !server.Output.Contains("EADDRINUSE", StringComparison.Ordinal))
                throw new InvalidOperationException($"Azurite (Table) n'a pas démarré sur 127.0.0.1:{chosen} : {failure}.{Environment.NewLine}Sortie d'Azurite :{Environment.NewLine}{server.Output}");
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
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
            // Already gone, or refusing to die: nothing more can be done from here.
        }
        _process.Dispose();
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

    private static AzuriteServer Launch(string infraFolder, string folder, int port, bool inMemory)
    {
        var start = new ProcessStartInfo(Executable(infraFolder))
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--tableHost", "127.0.0.1", "--tablePort", port.ToString(CultureInfo.InvariantCulture),
            "--skipApiVersionCheck", "--disableProductStyleUrl",
            // Azurite otherwise sends telemetry, and its stop waits on it: nothing leaves this machine.
            "--disableTelemetry",
        })
        {
            start.ArgumentList.Add(argument);
        }
        // Azurite stops by itself when this process dies without disposing it (killed, crashed):
        // an orphan would keep its port and the next `listes360 up` could not start.
        var watchdog = Path.GetFullPath(Path.Combine(infraFolder, "parent-watchdog.cjs"));
        // Azurite otherwise looks an entity up by its RowKey first, which Orleans gives to every grain of a type:
        // each read scanned them all (point-lookup.cjs says why and what changes).
        var pointLookup = Path.GetFullPath(Path.Combine(infraFolder, "point-lookup.cjs"));
        // Azurite otherwise rewrites an existing entity at a cost in the size of its table (rewrite-in-place.cjs says why).
        var rewriteInPlace = Path.GetFullPath(Path.Combine(infraFolder, "rewrite-in-place.cjs"));
        start.Environment["NODE_OPTIONS"] =
            $"{Environment.GetEnvironmentVariable("NODE_OPTIONS")} --require \"{watchdog}\" --require \"{pointLookup}\" --require \"{rewriteInPlace}\"".Trim();
        // Azurite refuses --location together with --inMemoryPersistence.
        start.ArgumentList.Add(inMemory ? "--inMemoryPersistence" : "--location");
        if (!inMemory)
            start.ArgumentList.Add(folder);

        var output = new BoundedLog();
        var process = new Process { StartInfo = start };
        // Drained continuously so a chatty Azurite never blocks on a full pipe.
        process.OutputDataReceived += (_, e) => output.Add(e.Data);
        process.ErrorDataReceived += (_, e) => output.Add(e.Data);
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
        return new AzuriteServer(process, port, output);
    }

    /// <summary>Null once the port accepts connections, else why it never did.</summary>
    private static async Task<string?> WaitUntilListeningAsync(AzuriteServer server, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < timeout)
        {
            if (server._process.HasExited)
                return $"le processus s'est arrêté (code {server._process.ExitCode})";
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, server.Port, cancellationToken);
                return null;
            }
            catch (SocketException)
            {
                await Task.Delay(100, cancellationToken);
            }
        }
        return $"le port n'a pas répondu en {timeout.TotalSeconds:0} s";
    }

    private static string Executable(string infraFolder) =>
        Path.Combine(infraFolder, "node_modules", ".bin", OperatingSystem.IsWindows() ? "azurite-table.cmd" : "azurite-table");

    /// <summary>
    /// An exclusively opened file in the temp folder (not the clone, to keep it clean), never
    /// deleted: deleting it on release would let a waiter lock a fresh file while another still holds
    /// the old one. Named after the folder so separate clones do not wait on each other.
    /// </summary>
    private static async Task<FileStream> AcquireInstallLockAsync(string infraFolder, CancellationToken cancellationToken)
    {
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(infraFolder))))[..16];
        var path = Path.Combine(Path.GetTempPath(), $"listes360-azurite-npm-{hash}.lock");
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (waited.Elapsed < TimeSpan.FromMinutes(5))
            {
                await Task.Delay(250, cancellationToken);
            }
        }
    }

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

    /// <summary>Whether nothing listens on 127.0.0.1:<paramref name="port"/> (a listener can take it).</summary>
    public static bool IsLoopbackPortFree(int port)
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

    private const int SigInt = 2;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);

    /// <summary>Keeps the last lines of Azurite's output for error messages.</summary>
    private sealed class BoundedLog
    {
        private const int MaxLines = 200;
        private readonly Queue<string> _lines = new();

        public void Add(string? line)
        {
            if (line is null)
                return;
            lock (_lines)
            {
                _lines.Enqueue(line);
                if (_lines.Count > MaxLines)
                    _lines.Dequeue();
            }
        }

        public string Text
        {
            get { lock (_lines) return string.Join(Environment.NewLine, _lines); }
        }
    }
}
