namespace Listes360.Grains.Common;

/// <summary>
/// Lets one change of a grain's state at a time run from its first change to its write, for grains whose
/// receiving applies interleave with their other commands (<see cref="ApplyBatcher{T}"/>).
/// </summary>
public sealed class WriteGate
{
    private readonly SemaphoreSlim gate = new(1, 1);

    public async Task<IDisposable> EnterAsync()
    {
        await gate.WaitAsync();
        return new Exit(gate);
    }

    private sealed class Exit(SemaphoreSlim gate) : IDisposable
    {
        private int exited;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref exited, 1) == 0)
                gate.Release();
        }
    }
}
