using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Listes360.Bench.Peer;

/// <summary>
/// A PostgreSQL cluster of its own for one run: <c>initdb</c> in a temporary folder, <c>postgres</c> on a
/// free loopback port, stopped and deleted on dispose. Debian's <c>postgresql</c> package provides the
/// binaries (<c>/usr/lib/postgresql/N/bin</c>); PostgreSQL refuses to run as root, so as root the
/// cluster runs as the package's <c>postgres</c> user (<c>runuser</c>).
/// </summary>
internal sealed class PostgresCluster : IAsyncDisposable
{
    private readonly string directory;
    private readonly string bin;
    private readonly bool asPostgresUser;
    private Process? server;

    public int Port { get; }
    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Maximum Pool Size=64;No Reset On Close=true";

    private PostgresCluster(string directory, string bin, bool asPostgresUser, int port)
    {
        this.directory = directory;
        this.bin = bin;
        this.asPostgresUser = asPostgresUser;
        Port = port;
    }

    public static async Task<PostgresCluster> StartAsync(TextWriter log)
    {
        var bin = FindBinaries() ?? throw new InvalidOperationException(
            "PostgreSQL est introuvable (/usr/lib/postgresql/*/bin) : installez le paquet Debian « postgresql » (apt-get install postgresql).");
        var asPostgres = Environment.UserName == "root";
        var directory = Path.Combine(Path.GetTempPath(), $"listes360-peer-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        if (asPostgres)
            await RunAsync("chown", ["postgres:postgres", directory], log);
        var cluster = new PostgresCluster(directory, bin, asPostgres, FreePort());
        await cluster.RunPgAsync("initdb", ["-D", Path.Combine(directory, "data"), "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8"], log);
        cluster.server = cluster.StartServer();
        await cluster.WaitReadyAsync();
        await log.WriteLineAsync($"PostgreSQL démarré sur 127.0.0.1:{cluster.Port} ({bin}), données dans {directory}.");
        return cluster;
    }

    /// <summary>
    /// The settings a competent administrator gives a 2-core, 24 GiB machine dedicated to the database:
    /// a quarter of the memory for shared buffers, work memory for sorts, durable commits kept (the
    /// peer must not win by losing data).
    /// </summary>
    private Process StartServer()
    {
        string[] args =
        [
            "-D", Path.Combine(directory, "data"), "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-k", directory,
            "-c", "listen_addresses=127.0.0.1", "-c", "shared_buffers=2GB", "-c", "work_mem=32MB", "-c", "maintenance_work_mem=512MB",
            "-c", "effective_cache_size=12GB", "-c", "max_connections=200", "-c", "synchronous_commit=on", "-c", "fsync=on",
            "-c", "random_page_cost=1.1", "-c", "jit=off",
        ];
        var start = Command(Path.Combine(bin, "postgres"), args);
        start.RedirectStandardError = true;
        start.RedirectStandardOutput = true;
        var process = Process.Start(start) ?? throw new InvalidOperationException("PostgreSQL n'a pas démarré.");
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        return process;
    }

    private async Task WaitReadyAsync()
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < until)
        {
            if (server is { HasExited: true })
                throw new InvalidOperationException($"PostgreSQL s'est arrêté au démarrage (code {server.ExitCode}).");
            try
            {
                using var tcp = new TcpClient();
                await tcp.ConnectAsync(IPAddress.Loopback, Port);
                await using var connection = new Npgsql.NpgsqlConnection(ConnectionString);
                await connection.OpenAsync();
                return;
            }
            catch (Exception e) when (e is SocketException or Npgsql.NpgsqlException)
            {
                await Task.Delay(200);
            }
        }
        throw new InvalidOperationException($"PostgreSQL ne répond pas sur 127.0.0.1:{Port} après 30 s.");
    }

    public async ValueTask DisposeAsync()
    {
        if (server is { HasExited: false })
        {
            // SIGINT is PostgreSQL's « fast shutdown »; the process is ours, started above.
            await RunAsync("kill", ["-INT", server.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], TextWriter.Null);
            if (!server.WaitForExit(TimeSpan.FromSeconds(20)))
                server.Kill(entireProcessTree: true);
        }
        server?.Dispose();
        try { Directory.Delete(directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private Task RunPgAsync(string tool, string[] args, TextWriter log) => RunStartAsync(Command(Path.Combine(bin, tool), args), log);

    private ProcessStartInfo Command(string file, string[] args)
    {
        var start = asPostgresUser ? new ProcessStartInfo("runuser") : new ProcessStartInfo(file);
        if (asPostgresUser)
        {
            foreach (var a in new[] { "-u", "postgres", "--", file }) start.ArgumentList.Add(a);
        }
        foreach (var a in args) start.ArgumentList.Add(a);
        start.UseShellExecute = false;
        return start;
    }

    private static Task RunAsync(string file, string[] args, TextWriter log)
    {
        var start = new ProcessStartInfo(file) { UseShellExecute = false };
        foreach (var a in args) start.ArgumentList.Add(a);
        return RunStartAsync(start, log);
    }

    private static async Task RunStartAsync(ProcessStartInfo start, TextWriter log)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} n'a pas démarré.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{start.FileName} {string.Join(' ', start.ArgumentList)} a échoué (code {process.ExitCode}) : {await error}{await output}");
        _ = log;
    }

    private static string? FindBinaries() =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderByDescending(d => d, StringComparer.Ordinal)
                .FirstOrDefault()
            : null;

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
