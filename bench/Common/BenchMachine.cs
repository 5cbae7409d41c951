using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Json.Serialization;

namespace Listes360.Bench;

/// <summary>What every benchmark report says of the machine it ran on (shared by the bench projects, linked as a source file).</summary>
internal static class BenchMachine
{
    /// <summary>The machine a results file was measured on, written beside the figures.</summary>
    public sealed record Description(
        [property: JsonPropertyName("cores")] int Cores,
        [property: JsonPropertyName("memoryGiB")] double MemoryGiB,
        [property: JsonPropertyName("os")] string Os,
        [property: JsonPropertyName("dotnet")] string Dotnet,
        [property: JsonPropertyName("cpu")] string Cpu,
        [property: JsonPropertyName("loadAverageAtEnd")] string LoadAverageAtEnd,
        [property: JsonPropertyName("dateUtc")] string DateUtc,
        [property: JsonPropertyName("configuration")] string Configuration);

    /// <param name="benchAssembly">The benchmark's own assembly, to tell a Debug build (whose times mean little).</param>
    public static Description Describe(Assembly benchAssembly) => new(
        Environment.ProcessorCount,
        Math.Round(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1024.0 / 1024 / 1024, 1),
        RuntimeInformation.OSDescription,
        RuntimeInformation.FrameworkDescription,
        CpuModel(),
        LoadAverage(),
        DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture),
        IsRelease(benchAssembly) ? "Release" : "Debug");

    /// <summary>The same in one line, for Markdown reports.</summary>
    public static string Summary(Assembly benchAssembly)
    {
        var d = Describe(benchAssembly);
        return $"{d.Cores} cores ({d.Cpu}), {d.MemoryGiB.ToString("0.0", CultureInfo.InvariantCulture)} GiB, {d.Os}, {d.Dotnet}, {d.Configuration}, load {d.LoadAverageAtEnd}, {d.DateUtc}";
    }

    public static bool IsRelease(Assembly assembly)
    {
        var debuggable = assembly.GetCustomAttributes(typeof(DebuggableAttribute), false).OfType<DebuggableAttribute>().FirstOrDefault();
        return debuggable is null || !debuggable.IsJITOptimizerDisabled;
    }

    public static string CpuModel()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line is null ? RuntimeInformation.ProcessArchitecture.ToString() : line.Split(':', 2)[1].Trim();
        }
        catch (IOException)
        {
            return RuntimeInformation.ProcessArchitecture.ToString();
        }
    }

    /// <summary>1, 5 and 15 minutes: on a shared machine, what the times must be read against.</summary>
    public static string LoadAverage()
    {
        try
        {
            return string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "n/a";
        }
    }
}
