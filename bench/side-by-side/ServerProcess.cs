using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Listes360.Bench.SideBySide;

/// <summary>
/// A server this run starts (the peer's <c>serve</c>, Listes360's <c>up</c>): its output is read until a
/// line says it is ready; on dispose it gets SIGINT (both stop their own PostgreSQL, silo and Azurite on
/// Ctrl-C) and, after 60 s, is killed with its process tree. Only processes this run started are signalled.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder log = new();
    private readonly List<(string Marker, TaskCompletionSource<string> Line)> waiting = [];
    public string Name { get; }

    /// <summary>Processor seconds used so far by this server and every process it started (Linux /proc; 0 elsewhere).</summary>
    public double CpuSeconds => ProcessTreeCpu.ByName(process.Id).Values.Sum();

    /// <summary>As <see cref="CpuSeconds"/>, by process name (dotnet, node, postgres…).</summary>
    public IReadOnlyDictionary<string, double> CpuSecondsByName => ProcessTreeCpu.ByName(process.Id);

    private ServerProcess(string name, Process process)
    {
        Name = name;
        this.process = process;
    }

    public static ServerProcess Start(string name, string file, IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{name} n'a pas démarré ({file}).");
        var server = new ServerProcess(name, process);
        process.OutputDataReceived += (_, e) => server.Receive(e.Data);
        process.ErrorDataReceived += (_, e) => server.Receive(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    private void Receive(string? line)
    {
        if (line is null)
            return;
        lock (log)
        {
            log.AppendLine(line);
            foreach (var (marker, tcs) in waiting)
                if (line.Contains(marker, StringComparison.Ordinal))
                    tcs.TrySetResult(line);
        }
    }

    /// <summary>The first output line containing <paramref name="marker"/> (one printed before the call counts).</summary>
    public async Task<string> WaitForLineAsync(string marker, TimeSpan timeout)
    {
        var tcs = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (log)
        {
            var earlier = log.ToString().Split('\n').FirstOrDefault(l => l.Contains(marker, StringComparison.Ordinal));
            if (earlier is not null)
                return earlier.TrimEnd('\r');
            waiting.Add((marker, tcs));
        }
        var exited = process.WaitForExitAsync();
        var done = await Task.WhenAny(tcs.Task, exited, Task.Delay(timeout));
        if (done == tcs.Task)
            return await tcs.Task;
        throw new InvalidOperationException(done == exited
            ? $"{Name} s'est arrêté avant d'être prêt (code {process.ExitCode}) :\n{Tail()}"
            : $"{Name} n'a pas écrit « {marker} » en {timeout.TotalSeconds:F0} s :\n{Tail()}");
    }

    public string Tail()
    {
        lock (log)
        {
            var text = log.ToString();
            return text.Length > 3000 ? text[^3000..] : text;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            using (var kill = Process.Start(new ProcessStartInfo("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false }))
                kill?.WaitForExit();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try { await process.WaitForExitAsync(timeout.Token); }
            catch (OperationCanceledException) { process.Kill(entireProcessTree: true); }
        }
        process.Dispose();
    }

    /// <summary>Runs a command to its end; its standard output, or an exception with its output when it fails.</summary>
    public static async Task<string> RunAsync(string file, IEnumerable<string> arguments, string workingDirectory, TimeSpan timeout, params int[] alsoSuccess)
    {
        var start = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} n'a pas démarré.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try { await process.WaitForExitAsync(cts.Token); }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{file} {string.Join(' ', start.ArgumentList)} n'a pas fini en {timeout.TotalMinutes:F0} min.");
        }
        if (process.ExitCode != 0 && !alsoSuccess.Contains(process.ExitCode))
            throw new InvalidOperationException($"{file} {string.Join(' ', start.ArgumentList)} a échoué (code {process.ExitCode}) :\n{await error}\n{await output}");
        return await output;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>Processor time of a process tree, read from /proc (utime + stime of the process and its descendants).</summary>
internal static class ProcessTreeCpu
{
    public static Dictionary<string, double> ByName(int root)
    {
        var result = new Dictionary<string, double>();
        if (!Directory.Exists("/proc"))
            return result;
        var parent = new Dictionary<int, int>();
        var ticks = new Dictionary<int, long>();
        var names = new Dictionary<int, string>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
                continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                // The command name is in parentheses and may hold spaces: the fields are counted after its closing one.
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                names[pid] = stat[(stat.IndexOf('(') + 1)..stat.LastIndexOf(')')];
                parent[pid] = int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture);
                ticks[pid] = long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        foreach (var (pid, t) in ticks)
        {
            for (var p = pid; p > 1; p = parent.GetValueOrDefault(p, 1))
                if (p == root)
                {
                    result[names[pid]] = result.GetValueOrDefault(names[pid]) + t / 100.0; // USER_HZ: 100 on Linux
                    break;
                }
        }
        return result;
    }
}
