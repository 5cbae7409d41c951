using FsCheck;
using FsCheck.Xunit;
using Listes360.Domain.Maintenance;
using Listes360.Domain.Persons;

namespace Listes360.Domain.Tests.Maintenance;

public class ReconcilePassTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 2, 0, 0, TimeSpan.Zero);

    private static PersonId Id(string suffix) => PersonId.Parse("61-" + suffix);

    [Fact]
    public void A_page_is_the_persons_after_the_cursor_in_ordinal_order()
    {
        var persons = new[] { Id("c"), Id("a"), Id("e"), Id("B"), Id("d") };

        Assert.Equal([Id("B"), Id("a")], ReconcilePass.PageAfter(persons, null, 2));
        Assert.Equal([Id("c"), Id("d")], ReconcilePass.PageAfter(persons, Id("a").Value, 2));
        Assert.Equal([Id("e")], ReconcilePass.PageAfter(persons, Id("d").Value, 2));
        Assert.Empty(ReconcilePass.PageAfter(persons, Id("e").Value, 2));
    }

    [Fact]
    public void A_full_batch_moves_the_cursor_a_short_one_ends_the_shard_and_the_last_shard_ends_the_pass()
    {
        var pass = ReconcilePass.Start(Now, 2).Prepare(true, 3);

        pass = pass.Advance([Id("a"), Id("b")], 1, 2, Now.AddMinutes(1));
        Assert.Equal((0, Id("b").Value, 2, 1, true), (pass.Shard, pass.After, pass.Done, pass.Failed, pass.IsRunning));
        pass = pass.Advance([Id("c")], 0, 2, Now.AddMinutes(2));
        Assert.Equal((1, (string?)null, 3, true), (pass.Shard, pass.After, pass.Done, pass.IsRunning));
        pass = pass.Advance([], 0, 2, Now.AddMinutes(3));

        Assert.False(pass.IsRunning);
        Assert.Equal(Now.AddMinutes(3), pass.FinishedAt);
        Assert.Equal(TimeSpan.FromMinutes(3), pass.Duration(Now.AddHours(5)));
        Assert.Throws<InvalidOperationException>(() => pass.Advance([], 0, 2, Now));
    }

    [Fact]
    public void Preparing_counts_a_failed_merge_step_once_and_the_total()
    {
        var pass = ReconcilePass.Start(Now, 4).Prepare(false, 120);

        Assert.Equal((true, 1, 120), (pass.Prepared, pass.Failed, pass.Total));
        Assert.Same(pass, pass.Prepare(false, 500)); // prepared once
        Assert.Equal(TimeSpan.FromSeconds(9), pass.Duration(Now.AddSeconds(9))); // running: until now
    }

    [Fact]
    public void Failures_of_a_batch_are_within_the_batch()
    {
        var pass = ReconcilePass.Start(Now, 1);

        Assert.Throws<ArgumentOutOfRangeException>(() => pass.Advance([Id("a")], 2, 10, Now));
        Assert.Throws<ArgumentOutOfRangeException>(() => ReconcilePass.Start(Now, 0));
    }

    /// <summary>Whatever the persons, shards and batch size, and wherever the pass is stopped and taken up again from its stored state, each person is reconciled exactly once.</summary>
    [Property(MaxTest = 200)]
    public bool Walking_the_shards_in_batches_visits_each_person_exactly_once(PositiveInt shardCount, PositiveInt batchSize, NonNegativeInt personCount)
    {
        var shards = Math.Min(shardCount.Get, 8);
        var size = Math.Min(batchSize.Get, 7);
        var persons = Enumerable.Range(0, Math.Min(personCount.Get, 60)).Select(i => Id($"{i * 7919 % 1000:D3}-{i}")).ToList();
        var byShard = persons.GroupBy(p => (p.Value.GetHashCode() & int.MaxValue) % shards).ToDictionary(g => g.Key, g => g.ToList());
        var seen = new List<PersonId>();
        var pass = ReconcilePass.Start(Now, shards).Prepare(true, persons.Count);
        for (var step = 0; pass.IsRunning && step < 1000; step++)
        {
            var batch = ReconcilePass.PageAfter(byShard.GetValueOrDefault(pass.Shard, []), pass.After, size);
            seen.AddRange(batch);
            pass = pass.Advance(batch, 0, size, Now); // the record is all a resumed pass has
        }
        return !pass.IsRunning && pass.Done == persons.Count && seen.Count == persons.Count && seen.ToHashSet().SetEquals(persons);
    }
}

public class DailyScheduleTests
{
    private static readonly TimeZoneInfo Paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");

    [Fact]
    public void The_pass_falls_at_the_next_local_hour()
    {
        // 30 November, 01:30 in Paris (UTC+1): 03:00 is 1 h 30 away; at 03:00 exactly, tomorrow's.
        Assert.Equal(TimeSpan.FromMinutes(90), DailySchedule.DueIn(new DateTimeOffset(2026, 11, 30, 0, 30, 0, TimeSpan.Zero), Paris, 3));
        Assert.Equal(TimeSpan.FromDays(1), DailySchedule.DueIn(new DateTimeOffset(2026, 11, 30, 2, 0, 0, TimeSpan.Zero), Paris, 3));
    }

    [Fact]
    public void Across_a_change_of_time_the_pass_stays_at_its_local_hour()
    {
        // 28 March 2026 at 03:00 in Paris (UTC+1); the next day is a 23-hour day (clocks go forward at 02:00).
        var saturday = new DateTimeOffset(2026, 3, 28, 2, 0, 0, TimeSpan.Zero);
        Assert.Equal(TimeSpan.FromHours(23), DailySchedule.DueIn(saturday, Paris, 3));
        // 02:00 does not exist on 29 March: the pass is at 03:00 that day.
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 1, 0, 0, TimeSpan.Zero), saturday.AddHours(1) + DailySchedule.DueIn(saturday.AddHours(1), Paris, 2));
        // A period of one day counted in UTC lands at 04:00 local the day after: drifted, to be set again.
        Assert.True(DailySchedule.HasDrifted(saturday.AddDays(1), Paris, 3));
        Assert.False(DailySchedule.HasDrifted(saturday.AddMinutes(20), Paris, 3));
        Assert.False(DailySchedule.HasDrifted(new DateTimeOffset(2026, 11, 29, 23, 10, 0, TimeSpan.Zero), Paris, 0)); // 00:10, just after midnight
    }

    [Fact]
    public void An_hour_outside_the_day_is_refused_in_french()
    {
        var error = Assert.Throws<DomainException>(() => DailySchedule.DueIn(DateTimeOffset.UtcNow, Paris, 24));
        Assert.Equal("INVALID_DAILY_HOUR", error.Code);
        Assert.Contains("Maintenance:DailyHour", error.Message);
    }
}
