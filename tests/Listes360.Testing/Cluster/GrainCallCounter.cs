using System.Collections.Concurrent;
using Listes360.Grains.Security;

namespace Listes360.Testing.Cluster;

/// <summary>
/// Records every grain call made on behalf of a watched caller (the token's subject, carried in the
/// request context to nested grain-to-grain calls too): how many grain calls one request costs.
/// </summary>
public sealed class GrainCallCounter : IIncomingGrainCallFilter
{
    private static readonly ConcurrentDictionary<string, ConcurrentQueue<string>> Watched = new();

    /// <summary>Starts recording the calls made for <paramref name="subject"/>; read them with <see cref="Calls"/>.</summary>
    public static IDisposable Watch(string subject)
    {
        Watched[subject] = new ConcurrentQueue<string>();
        return new Unwatch(subject);
    }

    /// <summary>The calls recorded for <paramref name="subject"/> so far (« IRankingGrain.GetPositionsAsync »…), and clears them.</summary>
    public static IReadOnlyList<string> Take(string subject)
    {
        var calls = Watched.TryGetValue(subject, out var queue) ? queue.ToArray() : [];
        Watched[subject] = new ConcurrentQueue<string>();
        return calls;
    }

    public Task Invoke(IIncomingGrainCallContext context)
    {
        if (CallerContext.Current?.Subject is { } subject && Watched.TryGetValue(subject, out var calls))
            calls.Enqueue($"{context.InterfaceMethod?.DeclaringType?.Name}.{context.InterfaceMethod?.Name}");
        return context.Invoke();
    }

    private sealed class Unwatch(string subject) : IDisposable
    {
        public void Dispose() => Watched.TryRemove(subject, out _);
    }
}
