using System.Collections.Concurrent;

namespace Listes360.Testing.Cluster;

/// <summary>
/// Makes chosen grain calls fail, as a crashed or unreachable silo would: used to show that a write
/// acknowledged by a person's grain reaches the ESMS views later, whatever happens between.
/// </summary>
public sealed class FaultInjection : IIncomingGrainCallFilter
{
    private static readonly ConcurrentDictionary<string, bool> Failing = new();

    /// <summary>Calls of <paramref name="method"/> on the grain keyed <paramref name="key"/> fail until disposed.</summary>
    public static IDisposable Fail(string method, string key)
    {
        Failing[$"{method}|{key}"] = true;
        return new Heal($"{method}|{key}");
    }

    public Task Invoke(IIncomingGrainCallContext context)
    {
        if (Failing.ContainsKey($"{context.InterfaceMethod?.Name}|{context.TargetId.Key}"))
            throw new TimeoutException($"Panne simulée : {context.InterfaceMethod?.Name} sur {context.TargetId.Key}.");
        return context.Invoke();
    }

    private sealed class Heal(string key) : IDisposable
    {
        public void Dispose() => Failing.TryRemove(key, out _);
    }
}
