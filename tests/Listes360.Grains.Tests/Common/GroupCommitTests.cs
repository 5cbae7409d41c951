using Listes360.Grains.Common;

namespace Listes360.Grains.Tests.Common;

/// <summary>The group commit of the projections' shards, without a silo: which write carries which change, and when a caller may return.</summary>
public sealed class GroupCommitTests
{
    /// <summary>Runs <paramref name="body"/> one continuation at a time, as a grain's scheduler does (the class relies on it).</summary>
    private static Task AsGrain(Func<Task> body) =>
        Task.Factory.StartNew(body, CancellationToken.None, TaskCreationOptions.None, new ConcurrentExclusiveSchedulerPair().ExclusiveScheduler).Unwrap();

    /// <summary>A storage whose writes are held until released, counting them.</summary>
    private sealed class HeldWrites
    {
        private TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public int Started { get; private set; }
        public bool Fail { get; set; }

        public async Task WriteAsync()
        {
            Started++;
            await _release.Task;
            if (Fail)
                throw new TimeoutException("écriture simulée en échec");
        }

        public void ReleaseAll()
        {
            _release.TrySetResult();
        }

    }

    [Fact]
    public Task Changes_committed_in_one_turn_share_one_write() => AsGrain(async () =>
    {
        var storage = new HeldWrites();
        storage.ReleaseAll();
        var commit = new GroupCommit(storage.WriteAsync, () => { });

        var first = commit.CommitAsync();
        var others = Enumerable.Range(0, 9).Select(_ => commit.CommitAsync()).ToList();
        await Task.WhenAll([first, .. others]);

        Assert.Equal(1, storage.Started);
    });

    [Fact]
    public Task A_change_made_during_a_write_waits_for_the_next_write() => AsGrain(async () =>
    {
        var storage = new HeldWrites();
        var commit = new GroupCommit(storage.WriteAsync, () => { });

        var first = commit.CommitAsync();
        while (storage.Started == 0)
            await Task.Delay(10);
        var second = commit.CommitAsync();
        await Task.Delay(100);
        Assert.False(second.IsCompleted); // its change is not in the write under way

        storage.ReleaseAll();
        await Task.WhenAll(first, second);
        Assert.Equal(2, storage.Started);
    });

    [Fact]
    public Task A_failed_write_fails_its_callers_deactivates_and_the_next_commit_writes_again() => AsGrain(async () =>
    {
        var storage = new HeldWrites { Fail = true };
        var deactivated = 0;
        var commit = new GroupCommit(storage.WriteAsync, () => deactivated++);

        var first = commit.CommitAsync();
        var joined = commit.CommitAsync();
        while (storage.Started == 0)
            await Task.Delay(10);
        await Task.Delay(50); // both wait on the write under way
        storage.ReleaseAll();
        await Assert.ThrowsAsync<TimeoutException>(() => first);
        await Assert.ThrowsAsync<TimeoutException>(() => joined);
        Assert.Equal(1, deactivated);

        storage.Fail = false;
        await commit.CommitAsync();
        Assert.Equal(2, storage.Started);
    });
}
