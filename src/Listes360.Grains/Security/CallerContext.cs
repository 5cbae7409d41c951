using Listes360.Domain.Security;

namespace Listes360.Grains.Security;

/// <summary>The caller travels with each grain call in Orleans' request context.</summary>
public static class CallerContext
{
    private const string Key = "listes360.caller";

    public static Caller? Current => RequestContext.Get(Key) as Caller;

    /// <summary>Acts as <paramref name="caller"/> until the returned scope is disposed.</summary>
    public static IDisposable As(Caller caller)
    {
        var previous = Current;
        RequestContext.Set(Key, caller);
        return new Restore(previous);
    }

    private sealed class Restore(Caller? previous) : IDisposable
    {
        public void Dispose()
        {
            if (previous is null)
                RequestContext.Remove(Key);
            else
                RequestContext.Set(Key, previous);
        }
    }
}
