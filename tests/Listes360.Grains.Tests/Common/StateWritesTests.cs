using Listes360.Domain;
using Listes360.Grains.Common;

namespace Listes360.Grains.Tests.Common;

/// <summary>A write storage cannot hold becomes a precise refusal, and the activation goes back to the stored state.</summary>
public sealed class StateWritesTests
{
    private sealed class TooLarge() : Exception("too large"), IStateTooLargeException
    {
        public long Size => 1_200_000;
        public long Limit => 1_048_576;
    }

    /// <summary>A state whose store holds <see cref="Stored"/> and refuses every write with <see cref="Failure"/>.</summary>
    private sealed class RefusingState(Exception failure) : IPersistentState<List<int>>
    {
        public List<int> Stored { get; } = [1, 2, 3];
        public List<int> State { get; set; } = [1, 2, 3, 4];
        public string? Etag => null;
        public bool RecordExists => true;
        public Exception Failure => failure;
        public Task ClearStateAsync() => Task.CompletedTask;
        public Task WriteStateAsync() => Task.FromException(failure);
        public Task ReadStateAsync()
        {
            State = [.. Stored];
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task A_state_too_large_is_refused_as_state_limit_reached_and_restored()
    {
        var state = new RefusingState(new TooLarge());

        var error = await Assert.ThrowsAsync<DomainException>(() => state.WriteOrRestoreAsync("la fiche de cet ESMS"));

        Assert.Equal(StateWrites.LimitReachedCode, error.Code);
        Assert.Contains("la fiche de cet ESMS dépasserait la taille", error.Message);
        Assert.Equal([1, 2, 3], state.State);
    }

    [Fact]
    public async Task Another_failure_is_rethrown_as_is_and_restored()
    {
        var state = new RefusingState(new TimeoutException("storage away"));

        await Assert.ThrowsAsync<TimeoutException>(() => state.WriteOrRestoreAsync("x"));

        Assert.Equal([1, 2, 3], state.State);
    }
}
