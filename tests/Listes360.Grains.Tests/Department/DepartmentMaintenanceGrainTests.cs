using Listes360.Domain;
using Listes360.Domain.Persons;
using Listes360.Domain.Security;
using Listes360.Grains.Department;
using Listes360.Grains.Persons;
using Listes360.Grains.Security;
using Orleans.Core.Internal;

namespace Listes360.Grains.Tests.Department;

/// <summary>
/// The département's reconcile pass in batches (the test silo cuts them at 10 persons): each
/// département here is the test's own, so that the pass sees exactly the persons the test created.
/// </summary>
[Collection(MemoryClusterCollection.Name)]
public sealed class DepartmentMaintenanceGrainTests(MemoryClusterFixture cluster) : IDisposable
{
    private readonly IDisposable _acting = CallerContext.As(Caller.ServiceItself);
    private readonly TimeSpan _pause = MemoryClusterFixture.Batching.Pause;

    public void Dispose()
    {
        MemoryClusterFixture.Batching.Pause = _pause;
        _acting.Dispose();
    }

    private static DateOnly Today => DateOnly.FromDateTime(MemoryClusterFixture.Clock.Now.UtcDateTime);

    [Fact]
    public async Task A_pass_over_more_persons_than_a_batch_reconciles_each_of_them_once_and_ends()
    {
        var persons = await NewPersonsAsync("27", 25);
        var grain = cluster.Grains.GetGrain<IDepartmentMaintenanceGrain>("27");

        var started = await grain.StartReconcileAsync();
        Assert.Equal(ReconcileStatus.Running, started.Status);
        Assert.Equal(0, started.Persons);
        var done = await UntilDoneAsync(grain);

        Assert.Equal(ReconcileStatus.Done, done.Status);
        Assert.Equal((25, 25, 0), (done.Persons, done.Total, done.Failed));
        Assert.Equal(started.StartedAt, done.StartedAt);
        Assert.NotNull(done.FinishedAt);
        Assert.All(persons, p => Assert.Equal(1, Reconciled(p)));
        // The resume reminder lives only while a pass runs.
        Assert.DoesNotContain(DepartmentMaintenanceGrain.ResumeReminder, await RemindersAsync(grain));
    }

    [Fact]
    public async Task A_pass_interrupted_by_the_loss_of_its_activation_resumes_from_its_cursor()
    {
        // All in one shard, so that the interruption falls within it (the cursor is a person, not a shard's start).
        var persons = await NewPersonsAsync("76", 35, inShard: 0);
        var grain = cluster.Grains.GetGrain<IDepartmentMaintenanceGrain>("76");
        MemoryClusterFixture.Batching.Pause = TimeSpan.FromHours(1); // the timer does not move: the test does
        await grain.StartReconcileAsync();
        Assert.Contains(DepartmentMaintenanceGrain.ResumeReminder, await RemindersAsync(grain));
        await grain.RunNextBatchAsync();
        var before = (await grain.RunNextBatchAsync())!;
        Assert.Equal(20, before.Persons);

        // The silo « dies »: the activation goes, with its timer; only the persisted pass is left.
        await grain.AsReference<IGrainManagementExtension>().DeactivateOnIdle();
        MemoryClusterFixture.Batching.Pause = TimeSpan.FromMilliseconds(20);
        // What the resume reminder does, on whichever silo it fires: it brings the grain back, and its timer.
        await grain.AsReference<IRemindable>().ReceiveReminder(DepartmentMaintenanceGrain.ResumeReminder,
            new TickStatus(DateTime.UtcNow, DepartmentMaintenanceGrain.ResumePeriod, DateTime.UtcNow));
        // Only a new activation can finish (the old one's timer waits an hour), from the cursor as stored
        // (through the grain storage's serializer: JSON in this test cluster).
        var done = await UntilDoneAsync(grain);

        Assert.Equal((35, 35, 0), (done.Persons, done.Total, done.Failed));
        Assert.Equal(before.StartedAt, done.StartedAt);
        // No batch done before the interruption was done again.
        Assert.All(persons, p => Assert.Equal(1, Reconciled(p)));
        Assert.DoesNotContain(DepartmentMaintenanceGrain.ResumeReminder, await RemindersAsync(grain));
    }

    [Fact]
    public async Task Starting_twice_and_the_daily_tick_during_a_pass_give_one_pass()
    {
        var persons = await NewPersonsAsync("50", 12);
        var grain = cluster.Grains.GetGrain<IDepartmentMaintenanceGrain>("50");
        MemoryClusterFixture.Batching.Pause = TimeSpan.FromHours(1);

        var starts = await Task.WhenAll(grain.StartReconcileAsync(), grain.StartReconcileAsync());
        await grain.RunNextBatchAsync();
        await grain.AsReference<IRemindable>().ReceiveReminder(DepartmentMaintenanceGrain.DailyReminder,
            new TickStatus(DateTime.UtcNow, TimeSpan.FromDays(1), DateTime.UtcNow));
        var running = (await grain.GetReconcileAsync())!;
        ReconcileProgress? last = running;
        while (last is { Status: ReconcileStatus.Running })
            last = await grain.RunNextBatchAsync() ?? await grain.GetReconcileAsync();

        Assert.Equal(starts[0].StartedAt, starts[1].StartedAt);
        Assert.Equal((ReconcileStatus.Running, starts[0].StartedAt), (running.Status, running.StartedAt));
        Assert.InRange(running.Persons, 1, 10); // one batch, not a second pass
        Assert.Equal((ReconcileStatus.Done, starts[0].StartedAt, 12), (last!.Status, last.StartedAt, last.Persons));
        Assert.All(persons, p => Assert.Equal(1, Reconciled(p)));
        Assert.Null(await grain.RunNextBatchAsync()); // nothing runs any more
    }

    [Fact]
    public async Task The_daily_tick_starts_a_pass_when_none_runs()
    {
        var persons = await NewPersonsAsync("35", 3);
        var grain = cluster.Grains.GetGrain<IDepartmentMaintenanceGrain>("35");
        Assert.Null(await grain.GetReconcileAsync());

        await grain.AsReference<IRemindable>().ReceiveReminder(DepartmentMaintenanceGrain.DailyReminder,
            new TickStatus(DateTime.UtcNow, TimeSpan.FromDays(1), DateTime.UtcNow));
        var done = await UntilDoneAsync(grain);

        Assert.Equal((3, 0), (done.Persons, done.Failed));
        Assert.All(persons, p => Assert.Equal(1, Reconciled(p)));
        // The same tick deletes idempotency records a day past their retention (48 h).
        Assert.Contains(MemoryClusterFixture.Clock.GetUtcNow() - TimeSpan.FromHours(72), MemoryClusterFixture.ExpiredIdempotency.Calls);
    }

    [Fact]
    public async Task A_person_that_fails_is_counted_and_the_pass_goes_on()
    {
        var persons = await NewPersonsAsync("22", 12);
        var grain = cluster.Grains.GetGrain<IDepartmentMaintenanceGrain>("22");

        ReconcileProgress done;
        using (FaultInjection.Fail(nameof(IPersonGrain.ReconcileThenDeliverAsync), persons[3].Value))
        {
            await grain.StartReconcileAsync();
            done = await UntilDoneAsync(grain);
        }

        Assert.Equal((12, 1), (done.Persons, done.Failed));
    }

    [Fact]
    public async Task The_daily_reminder_is_one_per_departement_however_many_hosts_ensure_it()
    {
        var finistere = cluster.Grains.GetGrain<IDepartmentMaintenanceGrain>("29");
        var morbihan = cluster.Grains.GetGrain<IDepartmentMaintenanceGrain>("56");

        // Every host does this at start, at once.
        await Task.WhenAll(finistere.EnsureDailyScheduleAsync(3), finistere.EnsureDailyScheduleAsync(3), morbihan.EnsureDailyScheduleAsync(3));
        var first = await RowsAsync(finistere);
        await finistere.EnsureDailyScheduleAsync(3);

        var daily = Assert.Single(await RowsAsync(finistere));
        Assert.Equal(DepartmentMaintenanceGrain.DailyReminder, daily.ReminderName);
        Assert.Equal(TimeSpan.FromDays(1), daily.Period);
        Assert.Equal(first.Single().ETag, daily.ETag); // not registered again
        Assert.Equal(DepartmentMaintenanceGrain.DailyReminder, Assert.Single(await RowsAsync(morbihan)).ReminderName);

        await finistere.EnsureDailyScheduleAsync(4); // another hour: the reminder moves
        Assert.NotEqual(daily.ETag, Assert.Single(await RowsAsync(finistere)).ETag);
    }

    [Fact]
    public async Task Only_an_admin_of_the_departement_starts_or_reads_its_pass()
    {
        var grain = cluster.Grains.GetGrain<IDepartmentMaintenanceGrain>("62");
        using (CallerContext.As(new Caller("admin-61", Role.Admin, [], "61", null)))
        {
            Assert.Equal("FORBIDDEN", (await Assert.ThrowsAsync<DomainException>(() => grain.StartReconcileAsync())).Code);
            Assert.Equal("FORBIDDEN", (await Assert.ThrowsAsync<DomainException>(() => grain.GetReconcileAsync())).Code);
            Assert.Equal("FORBIDDEN", (await Assert.ThrowsAsync<DomainException>(() => grain.RunNextBatchAsync())).Code);
            Assert.Equal("FORBIDDEN", (await Assert.ThrowsAsync<DomainException>(() => grain.EnsureDailyScheduleAsync(3))).Code);
        }
        using (CallerContext.As(new Caller("agent-62", Role.TerritorialStaff, [], "62", null)))
            Assert.Equal("FORBIDDEN", (await Assert.ThrowsAsync<DomainException>(() => grain.StartReconcileAsync())).Code);
        using (CallerContext.As(new Caller("admin-62", Role.Admin, [], "62", null)))
        {
            await grain.StartReconcileAsync();
            Assert.NotNull(await UntilDoneAsync(grain));
        }
    }

    private static int Reconciled(PersonId person) => CallCounter.Count(nameof(IPersonGrain.ReconcileThenDeliverAsync), person.Value);

    private static async Task<ReconcileProgress> UntilDoneAsync(IDepartmentMaintenanceGrain grain)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var progress = await grain.GetReconcileAsync();
            if (progress is { Status: ReconcileStatus.Done })
                return progress;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Passe non terminée en 30 s : {progress}");
            await Task.Delay(20);
        }
    }

    private async Task<IReadOnlyList<string>> RemindersAsync(IDepartmentMaintenanceGrain grain) =>
        (await RowsAsync(grain)).Select(r => r.ReminderName).ToList();

    private async Task<IReadOnlyList<ReminderEntry>> RowsAsync(IDepartmentMaintenanceGrain grain) =>
        (await cluster.Reminders.ReadRows(grain.GetGrainId())).Reminders.ToList();

    private async Task<PersonId[]> NewPersonsAsync(string department, int count, int? inShard = null)
    {
        var topology = new DepartmentTopology { WaitingShards = 4 };
        var ids = Enumerable.Range(0, int.MaxValue).Select(_ => PersonId.New(department))
            .Where(id => inShard is not { } shard || topology.ShardOf(id) == DepartmentTopology.ShardKey(department, shard))
            .Take(count).ToArray();
        using (CallerContext.As(new Caller("agent", Role.Admin, [], department, null)))
            foreach (var id in ids)
            {
                var identity = PersonIdentity.Create("Martin", ["Louise"], new DateOnly(1990, 5, 6), Sex.Female, Today);
                await cluster.Grains.GetGrain<IPersonGrain>(id.Value).CreateAsync(identity,
                    new Situation { Kind = SituationKind.AtHomeWithoutSolution, Since = new DateOnly(2025, 1, 1) }, null, true, "x");
            }
        return ids;
    }
}
