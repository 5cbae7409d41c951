using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Listes360.Cli.Tests;

/// <summary>The real <c>listes360</c> program in a child process, as a person runs it.</summary>
internal sealed class CliProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private CliProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_output) _output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_output) _output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Output { get { lock (_output) return _output.ToString(); } }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public static CliProcess Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "listes360.dll"));
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        start.Environment["LISTES360_ROOT"] = Listes360.Testing.RepositoryRoot.Find();
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        return new CliProcess(Process.Start(start)!);
    }

    /// <summary>
    /// `listes360 up` on the given ports and data folder, once it says it is ready and /health
    /// answers; fails with everything it printed when it stops or is not ready in time.
    /// </summary>
    public static async Task<CliProcess> StartUpAsync(string url, int storagePort, string data, int gatewayPort, params string[] moreArgs)
    {
        var cli = Start(["up", "--urls", url, "--storage-port", storagePort.ToString(), "--data", data,
            "--silo-port", FreePort().ToString(), "--gateway-port", gatewayPort.ToString(), .. moreArgs]);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var deadline = DateTime.UtcNow.AddSeconds(180);
        while (DateTime.UtcNow < deadline)
        {
            if (cli.HasExited)
                throw new InvalidOperationException($"listes360 up s'est arrêté (code {cli.ExitCode}) :\n{cli.Output}");
            try
            {
                using var health = await http.GetAsync(url + "/health");
                if (health.IsSuccessStatusCode && cli.Output.Contains("Listes360 est prêt", StringComparison.Ordinal))
                    return cli;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }
            await Task.Delay(250);
        }
        await cli.DisposeAsync();
        throw new TimeoutException("listes360 up n'a pas répondu sur /health en 180 s :\n" + cli.Output);
    }

    public async Task WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
    }

    /// <summary>What Ctrl-C sends.</summary>
    public async Task InterruptAsync(TimeSpan timeout)
    {
        using (var kill = Process.Start("kill", ["-INT", _process.Id.ToString()]))
            await kill.WaitForExitAsync();
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
    }

    /// <summary>What a fatal crash does: the process ends at once (SIGKILL), its own cleanup never runs.</summary>
    public async Task KillOutrightAsync(TimeSpan timeout)
    {
        using (var kill = Process.Start("kill", ["-KILL", _process.Id.ToString()]))
            await kill.WaitForExitAsync();
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    public static int FreePort() => AzureStorage.Emulator.AzuriteServer.FreeLoopbackPort();

    public static bool PortIsFree(int port) => AzureStorage.Emulator.AzuriteServer.IsLoopbackPortFree(port);
}
