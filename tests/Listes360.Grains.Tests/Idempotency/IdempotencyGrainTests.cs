using Listes360.Domain;
using Listes360.Domain.Idempotency;
using Listes360.Domain.Security;
using Listes360.Grains.Idempotency;
using Listes360.Grains.Security;

namespace Listes360.Grains.Tests.Idempotency;

/// <summary>The idempotency record's grain: what it keeps, for how long, and who may call it.</summary>
[Collection(MemoryClusterCollection.Name)]
public sealed class IdempotencyGrainTests(MemoryClusterFixture cluster)
{
    private static readonly IdempotentResponse Answer = new(200, "application/json", """{"data":{"createCandidature":{"id":"C-1"}}}""");

    private IIdempotencyGrain Record() => cluster.Grains.GetGrain<IIdempotencyGrain>(
        IdempotencyKeys.GrainKey(new Caller("conseillère", Role.Admin, [], "61", null), Guid.NewGuid().ToString()));

    [Fact]
    public async Task The_answer_is_replayed_for_48_hours_then_the_key_runs_again()
    {
        var record = Record();
        var start = MemoryClusterFixture.Clock.Now;
        using var service = CallerContext.As(Caller.ServiceItself);
        try
        {
            Assert.Equal(IdempotencyOutcome.Started, (await record.BeginAsync("h", "a1")).Outcome);
            Assert.Equal(IdempotencyOutcome.InProgress, (await record.BeginAsync("h", "a2")).Outcome);
            Assert.True(await record.CompleteAsync("a1", Answer));

            MemoryClusterFixture.Clock.Now = start.AddHours(47);
            var replay = await record.BeginAsync("h", "a3");
            MemoryClusterFixture.Clock.Now = start.AddHours(49);
            var expired = await record.BeginAsync("h", "a4");

            Assert.Equal(IdempotencyOutcome.Replay, replay.Outcome);
            Assert.Equal(Answer, replay.Response);
            Assert.Equal(IdempotencyOutcome.Started, expired.Outcome);
        }
        finally
        {
            MemoryClusterFixture.Clock.Now = start;
        }
    }

    [Fact]
    public async Task An_attempt_without_an_answer_to_keep_frees_the_key_and_a_late_one_changes_nothing()
    {
        var record = Record();
        using var service = CallerContext.As(Caller.ServiceItself);

        await record.BeginAsync("h", "a1");
        Assert.False(await record.CompleteAsync("a1", null));
        Assert.Equal(IdempotencyOutcome.Started, (await record.BeginAsync("h2", "a2")).Outcome);
        Assert.False(await record.CompleteAsync("a1", Answer)); // a1 no longer owns the key
        Assert.Equal(IdempotencyOutcome.KeyReused, (await record.BeginAsync("h", "a3")).Outcome);
        Assert.True(await record.CompleteAsync("a2", Answer));
        Assert.Equal(IdempotencyOutcome.Replay, (await record.BeginAsync("h2", "a4")).Outcome);
    }

    [Fact]
    public async Task Only_the_service_itself_may_read_or_write_a_record()
    {
        var record = Record();
        using var user = CallerContext.As(new Caller("conseillère", Role.Admin, [], "61", null));

        var refused = await Assert.ThrowsAsync<DomainException>(() => record.BeginAsync("h", "a1"));
        Assert.Equal("FORBIDDEN", refused.Code);
        Assert.Equal("FORBIDDEN", (await Assert.ThrowsAsync<DomainException>(() => record.CompleteAsync("a1", Answer))).Code);
    }
}
