using Listes360.Domain.Idempotency;

namespace Listes360.Domain.Tests.Idempotency;

public class IdempotencyRulesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);
    private static readonly IdempotentResponse Answer = new(200, "application/json", """{"data":{"x":1}}""");

    private static IdempotencyRecord Started(string hash = "h1", string attempt = "a1") =>
        IdempotencyRules.Begin(null, hash, attempt, T0).Next!;

    [Fact]
    public void A_first_request_starts_and_holds_the_key()
    {
        var decision = IdempotencyRules.Begin(null, "h1", "a1", T0);

        Assert.Equal(IdempotencyOutcome.Started, decision.Outcome);
        Assert.True(decision.Next!.InProgress);
        Assert.Equal("a1", decision.Next.Attempt);
    }

    [Fact]
    public void The_same_request_is_replayed_for_at_least_a_day_then_runs_again()
    {
        var done = IdempotencyRules.Complete(Started(), "a1", Answer, T0.AddSeconds(1));

        var dayLater = IdempotencyRules.Begin(done, "h1", "a2", T0.AddHours(24));
        var muchLater = IdempotencyRules.Begin(done, "h1", "a3", T0.AddSeconds(1) + IdempotencyRules.Retention);

        Assert.Equal(IdempotencyOutcome.Replay, dayLater.Outcome);
        Assert.Same(Answer, dayLater.Replay);
        Assert.Null(dayLater.Next);
        Assert.Equal(IdempotencyOutcome.Started, muchLater.Outcome);
        Assert.True(IdempotencyRules.Expired(done!, T0.AddSeconds(1) + IdempotencyRules.Retention));
        Assert.False(IdempotencyRules.Expired(done!, T0.AddHours(47)));
    }

    [Fact]
    public void Another_request_under_the_key_is_refused_whether_the_first_is_done_or_running()
    {
        var running = Started();
        var done = IdempotencyRules.Complete(running, "a1", Answer, T0);

        Assert.Equal(IdempotencyOutcome.KeyReused, IdempotencyRules.Begin(running, "h2", "a2", T0.AddSeconds(1)).Outcome);
        Assert.Equal(IdempotencyOutcome.KeyReused, IdempotencyRules.Begin(done, "h2", "a2", T0.AddSeconds(1)).Outcome);
    }

    [Fact]
    public void The_same_request_while_the_first_runs_waits_until_its_lease_ends()
    {
        var running = Started();

        Assert.Equal(IdempotencyOutcome.InProgress, IdempotencyRules.Begin(running, "h1", "a2", T0.AddSeconds(30)).Outcome);
        var takeover = IdempotencyRules.Begin(running, "h1", "a2", T0 + IdempotencyRules.Lease);
        Assert.Equal(IdempotencyOutcome.Started, takeover.Outcome);
        // The first attempt, late, no longer owns the key: its completion changes nothing.
        Assert.Same(takeover.Next, IdempotencyRules.Complete(takeover.Next, "a1", Answer, T0 + IdempotencyRules.Lease));
    }

    [Fact]
    public void An_attempt_whose_server_died_is_taken_over_at_once_by_the_same_request_only()
    {
        var running = IdempotencyRules.Begin(null, "h1", "a1", T0, holder: "10.0.0.1:11111@1").Next!;
        Assert.Equal("10.0.0.1:11111@1", running.Holder);

        var retried = IdempotencyRules.Begin(running, "h1", "a2", T0.AddSeconds(3), holder: "10.0.0.2:11111@1", holderDead: true);

        Assert.Equal(IdempotencyOutcome.Started, retried.Outcome);
        Assert.Equal(("a2", "10.0.0.2:11111@1"), (retried.Next!.Attempt, retried.Next.Holder));
        // Alive, it keeps the key; answered, the answer is replayed whatever became of its server.
        Assert.Equal(IdempotencyOutcome.InProgress, IdempotencyRules.Begin(running, "h1", "a2", T0.AddSeconds(3), "10.0.0.2:11111@1", holderDead: false).Outcome);
        var done = IdempotencyRules.Complete(running, "a1", Answer, T0.AddSeconds(1))!;
        Assert.Equal(IdempotencyOutcome.Replay, IdempotencyRules.Begin(done, "h1", "a2", T0.AddSeconds(3), "10.0.0.2:11111@1", holderDead: true).Outcome);
        Assert.Equal(IdempotencyOutcome.KeyReused, IdempotencyRules.Begin(running, "h2", "a2", T0.AddSeconds(3), "10.0.0.2:11111@1", holderDead: true).Outcome);
    }

    [Fact]
    public void An_attempt_with_nothing_to_keep_frees_the_key()
    {
        var freed = IdempotencyRules.Complete(Started(), "a1", null, T0.AddSeconds(1));

        Assert.Null(freed);
        Assert.Equal(IdempotencyOutcome.Started, IdempotencyRules.Begin(freed, "h2", "a2", T0.AddSeconds(2)).Outcome);
    }

    [Theory]
    [InlineData("5f0c2a8e-1b7e-4c1e-9d43-0a1f2e3d4c5b")]
    [InlineData("a")]
    [InlineData("commande 42 ~!")]
    public void Keys_of_printable_ascii_up_to_128_characters_are_accepted(string key) =>
        Assert.Null(IdempotencyRules.CheckKey([key]));

    [Fact]
    public void Malformed_keys_are_refused_with_the_reason()
    {
        Assert.Null(IdempotencyRules.CheckKey([new string('k', 128)]));
        Assert.Contains("129 caractères", IdempotencyRules.CheckKey([new string('k', 129)]));
        Assert.Contains("vide", IdempotencyRules.CheckKey([""]));
        Assert.Contains("U+00E9, position 3", IdempotencyRules.CheckKey(["clé"]));
        Assert.Contains("U+0009", IdempotencyRules.CheckKey(["a\tb"]));
        Assert.Contains("2 fois", IdempotencyRules.CheckKey(["a", "b"]));
    }
}
