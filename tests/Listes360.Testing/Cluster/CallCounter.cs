using System.Collections.Concurrent;

namespace Listes360.Testing.Cluster;

/// <summary>Counts the calls grains receive, by method and grain key: how many times a pass touched each person.</summary>
public sealed class CallCounter : IIncomingGrainCallFilter
{
    private static readonly ConcurrentDictionary<string, int> Calls = new();

    /// <summary>Calls of <paramref name="method"/> received by the grain keyed <paramref name="key"/> since the test cluster started.</summary>
    public static int Count(string method, string key) => Calls.GetValueOrDefault($"{method}|{key}");

    public Task Invoke(IIncomingGrainCallContext context)
    {
        Calls.AddOrUpdate($"{context.InterfaceMethod?.Name}|{context.TargetId.Key}", 1, (_, n) => n + 1);
        return context.Invoke();
    }
}
