using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace Listes360.Testing;

/// <summary>Runs the repository's pinned Node.js tools (a folder with <c>package-lock.json</c>) from tests.</summary>
public static class NodeTool
{
    private static readonly SemaphoreSlim InstallInProcess = new(1, 1);

    /// <summary>
    /// <c>npm ci</c> in <paramref name="folder"/> unless <paramref name="probe"/> (a path inside it)
    /// already exists. Test assemblies run in parallel processes and two concurrent <c>npm ci</c>
    /// would wipe each other's node_modules, so a lock file in the temp folder serialises them.
    /// </summary>
    public static async Task EnsureInstalledAsync(string folder, string probe, CancellationToken cancellationToken = default)
    {
        var probePath = Path.Combine(folder, probe);
        if (Path.Exists(probePath))
            return;
        await InstallInProcess.WaitAsync(cancellationToken);
        try
        {
            var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(folder))))[..16];
            using var crossProcess = await LockAsync(Path.Combine(Path.GetTempPath(), $"listes360-npm-{hash}.lock"), cancellationToken);
            if (Path.Exists(probePath))
                return;
            var (exitCode, output) = await RunAsync(OperatingSystem.IsWindows() ? "npm.cmd" : "npm",
                ["ci", "--no-audit", "--no-fund", "--loglevel=error"], folder, TimeSpan.FromMinutes(5), cancellationToken);
            if (exitCode != 0)
                throw new InvalidOperationException($"« npm ci » a échoué dans {folder} (code {exitCode}) :{Environment.NewLine}{output}");
        }
        finally
        {
            InstallInProcess.Release();
        }
    }

    /// <summary>Runs <paramref name="program"/> to its end; its exit code and its interleaved stdout and stderr.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string program, IEnumerable<string> arguments, string workingDirectory,
        TimeSpan timeout, CancellationToken cancellationToken = default, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            start.Environment[name] = value;
        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"Impossible de lancer {program} : {e.Message}. Node.js (20 ou plus) est-il installé ?", e);
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', start.ArgumentList)} n'a pas fini en {timeout.TotalSeconds:0} s :{Environment.NewLine}{output}");
        }
        process.WaitForExit(); // drains the redirected streams
        lock (output)
            return (process.ExitCode, output.ToString());
    }

    private static async Task<FileStream> LockAsync(string path, CancellationToken cancellationToken)
    {
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
}
