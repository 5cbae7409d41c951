using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;

namespace Listes360.Bench;

/// <summary>What every benchmark report says of the machine it ran on (shared by the bench projects, linked as a source file).</summary>
internal static class BenchMachine
{
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
