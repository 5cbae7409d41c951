using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Azure.Data.Tables;
using Xunit;

namespace Listes360.Testing;

/// <summary>
/// A private Azurite Table service for one test collection or class: started on a free loopback
/// port with in-memory persistence (nothing left on disk), killed with its process tree on dispose.
/// </summary>
/// <remarks>
/// <para>Use it as <c>IClassFixture&lt;AzuriteFixture&gt;</c>, or share one instance across classes
/// with a collection. xunit only finds collection definitions in the test assembly itself, so each
/// test project declares its own, one line on top of <see cref="AzuriteCollectionDefinition"/>:</para>
/// <code>
/// [CollectionDefinition(AzuriteCollectionDefinition.Name)]
/// public sealed class AzuriteCollection : AzuriteCollectionDefinition;
///
/// [Collection(AzuriteCollectionDefinition.Name)]
/// public sealed class MyTests(AzuriteFixture azurite) { ... }
/// </code>
/// <para>Give each test its own table (<see cref="UniqueTableName"/>) so tests sharing one Azurite
/// never see each other's data. If Azurite cannot start, <see cref="InitializeAsync"/> throws with
/// the reason and Azurite's output: storage tests fail, they are never skipped.</para>
/// </remarks>
public sealed class AzuriteFixture : IAsyncLifetime
{
    /// <summary>The emulator's well-known development account (public, documented by Microsoft).</summary>
    public const string AccountName = "devstoreaccount1";

    private const string AccountKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private Process? _process;
    private string? _workingDirectory;
    private readonly BoundedLog _output = new();

    /// <summary>Loopback port of the Table service; valid after <see cref="InitializeAsync"/>.</summary>
    public int Port { get; private set; }

    /// <summary>Connection string of the Table service; valid after <see cref="InitializeAsync"/>.</summary>
    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};"
        + $"TableEndpoint=http://127.0.0.1:{Port}/{AccountName};";

    /// <summary>A table name no other test uses (Azure table names: letters and digits, 3 to 63).</summary>
    public static string UniqueTableName(string prefix = "t")
    {
        var start = new string([.. prefix.Where(char.IsAsciiLetterOrDigit).Take(30)]);
        if (start.Length == 0 || !char.IsAsciiLetter(start[0]))
        {
            start = "t" + start;
        }
        return start + Guid.NewGuid().ToString("N");
    }

    public TableServiceClient CreateServiceClient() => new(ConnectionString);

    public async Task InitializeAsync()
    {
        var root = RepositoryRoot.Find();
        var azuriteDirectory = Path.Combine(root, "infra", "azurite");
        await AzuriteInstallation.EnsureAsync(azuriteDirectory);

        _workingDirectory = Directory.CreateTempSubdirectory("listes360-azurite-").FullName;
        // Another process may take the port between probe and bind: try a few.
        for (var attempt = 1; ; attempt++)
        {
            Port = FreeLoopbackPort();
            _process = Start(azuriteDirectory, Port, _workingDirectory);
            var failure = await WaitUntilListeningAsync(_process, Port);
            if (failure is null)
            {
                return;
            }
            await StopProcessAsync();
            if (attempt == 3 || !_output.Text.Contains("EADDRINUSE", StringComparison.Ordinal))
            {
                DeleteWorkingDirectory(); // xunit does not dispose a fixture whose initialization failed
                throw new InvalidOperationException(
                    $"Azurite (Table) did not start on 127.0.0.1:{Port}: {failure}.{Environment.NewLine}Azurite output:{Environment.NewLine}{_output.Text}");
            }
        }
    }

    public async Task DisposeAsync()
    {
        await StopProcessAsync();
        DeleteWorkingDirectory();
    }

    private void DeleteWorkingDirectory()
    {
        if (_workingDirectory is not null && Directory.Exists(_workingDirectory))
        {
            Directory.Delete(_workingDirectory, recursive: true);
        }
    }

    private Process Start(string azuriteDirectory, int port, string workingDirectory)
    {
        var executable = Path.Combine(azuriteDirectory, "node_modules", ".bin", OperatingSystem.IsWindows() ? "azurite-table.cmd" : "azurite-table");
        var startInfo = new ProcessStartInfo(executable)
        {
            // Azurite refuses --location with --inMemoryPersistence; anything it still writes
            // lands in its working directory, deleted on dispose.
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--tableHost", "127.0.0.1", "--tablePort", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--inMemoryPersistence",
            "--skipApiVersionCheck", "--disableProductStyleUrl", "--silent",
        })
        {
            startInfo.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = startInfo };
        // Drained continuously so a chatty Azurite can never block on a full pipe.
        process.OutputDataReceived += (_, e) => _output.Add(e.Data);
        process.ErrorDataReceived += (_, e) => _output.Add(e.Data);
        try
        {
            process.Start();
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"Could not run {executable} (is Node.js installed?): {e.Message}", e);
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Null once the port accepts connections, else why it never did.</summary>
    private static async Task<string?> WaitUntilListeningAsync(Process process, int port)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartTimeout)
        {
            if (process.HasExited)
            {
                return $"the process exited with code {process.ExitCode}";
            }
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, port);
                return null;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }
        return $"the port did not answer within {StartTimeout.TotalSeconds:0} s";
    }

    private async Task StopProcessAsync()
    {
        if (_process is null)
        {
            return;
        }
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await _process.WaitForExitAsync(timeout.Token);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or OperationCanceledException)
        {
            // Already gone, or refusing to die: nothing more a test can do about it.
        }
        _process.Dispose();
        _process = null;
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Keeps the last lines of Azurite's output for error messages.</summary>
    private sealed class BoundedLog
    {
        private const int MaxLines = 200;
        private readonly Queue<string> _lines = new();

        public void Add(string? line)
        {
            if (line is null)
            {
                return;
            }
            lock (_lines)
            {
                _lines.Enqueue(line);
                if (_lines.Count > MaxLines)
                {
                    _lines.Dequeue();
                }
            }
        }

        public string Text
        {
            get
            {
                lock (_lines)
                {
                    return _lines.Count == 0 ? "(none)" : string.Join(Environment.NewLine, _lines);
                }
            }
        }
    }
}
