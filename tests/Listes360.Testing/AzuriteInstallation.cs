using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace Listes360.Testing;

/// <summary>
/// Installs the pinned Azurite (<c>npm ci</c> in <c>infra/azurite</c>) when it is missing. Test
/// assemblies run in parallel processes, so a lock file serialises the install across processes:
/// two concurrent <c>npm ci</c> would wipe each other's <c>node_modules</c>.
/// </summary>
internal static class AzuriteInstallation
{
    private static readonly TimeSpan LockTimeout = TimeSpan.FromMinutes(5);
    private static readonly SemaphoreSlim InProcess = new(1, 1);

    public static async Task EnsureAsync(string azuriteDirectory)
    {
        if (IsInstalled(azuriteDirectory))
        {
            return;
        }
        await InProcess.WaitAsync();
        try
        {
            using var crossProcess = await AcquireLockAsync(azuriteDirectory);
            if (!IsInstalled(azuriteDirectory))
            {
                await RunNpmCiAsync(azuriteDirectory);
            }
        }
        finally
        {
            InProcess.Release();
        }
    }

    private static bool IsInstalled(string azuriteDirectory) =>
        File.Exists(Path.Combine(azuriteDirectory, "node_modules", ".bin", OperatingSystem.IsWindows() ? "azurite-table.cmd" : "azurite-table"));

    /// <summary>An exclusively opened file in the temp folder (not the repository, to keep it clean),
    /// never deleted: deleting it on release would let a waiter lock a fresh file while another still
    /// holds the old one. Named after the directory so separate checkouts do not wait on each other.</summary>
    private static async Task<FileStream> AcquireLockAsync(string azuriteDirectory)
    {
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(azuriteDirectory))))[..16];
        var path = Path.Combine(Path.GetTempPath(), $"listes360-azurite-npm-{hash}.lock");
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (waited.Elapsed < LockTimeout)
            {
                await Task.Delay(250);
            }
        }
    }

    private static async Task RunNpmCiAsync(string azuriteDirectory)
    {
        var startInfo = new ProcessStartInfo(OperatingSystem.IsWindows() ? "npm.cmd" : "npm")
        {
            WorkingDirectory = azuriteDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "ci", "--no-audit", "--no-fund", "--loglevel=error" })
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)
            ?? throw new InvalidOperationException("Could not start npm to install Azurite.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"npm ci in {azuriteDirectory} failed with code {process.ExitCode}:{Environment.NewLine}{await stderr}{await stdout}");
        }
    }
}
