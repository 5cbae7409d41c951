using Listes360.Domain.Maintenance;
using Listes360.Domain.Persons;
using Listes360.Grains.Common;
using Listes360.Grains.Persons;
using Microsoft.Extensions.Logging;

namespace Listes360.Grains.Department;

[GenerateSerializer, Alias("Listes360.Department.DepartmentMaintenanceState")]
public sealed class DepartmentMaintenanceState
{
    /// <summary>The pass running, else the last one.</summary>
    [Id(0)] public ReconcilePass? Pass { get; set; }

    /// <summary>The local hour the daily reminder was registered for (null: none registered by this grain).</summary>
    [Id(1)] public int? DailyHour { get; set; }

    /// <summary>The first persons of the pass running (else of the last) that could not be reconciled, and why.</summary>
    [Id(2)] public List<ReconcileFailure> Failures { get; set; } = [];
}

public sealed class DepartmentMaintenanceGrain(
    [PersistentState("maintenance", StorageNames.Main)] IPersistentState<DepartmentMaintenanceState> state,
    DepartmentTopology topology,
    TimeProvider clock,
    ILogger<DepartmentMaintenanceGrain> logger,
    ReconcileBatching? batching = null,
    Idempotency.IExpiredIdempotencyRecords? expiredIdempotency = null) : Grain, IDepartmentMaintenanceGrain, IRemindable
{
    public const string DailyReminder = "reconcile-daily";
    public const string ResumeReminder = "reconcile-resume";

    /// <summary>The resume reminder's period: the shortest Orleans allows by default.</summary>
    public static readonly TimeSpan ResumePeriod = TimeSpan.FromMinutes(1);

    private readonly ReconcileBatching _batching = batching ?? new ReconcileBatching();
    private IGrainTimer? _timer;

    /// <summary>
    /// While the last step of a pass is written and its resume reminder removed: the pass as it stood before, which
    /// <see cref="GetReconcileAsync"/> (interleaved) shows until then, so that a pass shown done has nothing left to clean.
    /// </summary>
    private ReconcilePass? _finishing;

    private string Department => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Back after a silo died (brought by the resume reminder) or after an idle deactivation: the pass goes on from its cursor.
        if (state.State.Pass is { IsRunning: true })
            StartTimer();
        return Task.CompletedTask;
    }

    public async Task<ReconcileProgress> StartReconcileAsync()
    {
        if (state.State.Pass is { IsRunning: true } running)
            return Progress(running);
        // The resume reminder before the pass is persisted: a pass stored as running always has one.
        await this.RegisterOrUpdateReminder(ResumeReminder, ResumePeriod, ResumePeriod);
        var pass = ReconcilePass.Start(clock.GetUtcNow(), topology.WaitingShards);
        state.State.Pass = pass;
        state.State.Failures = [];
        await state.WriteOrRestoreAsync("le début de la passe de réconciliation");
        StartTimer();
        logger.LogInformation("Passe de réconciliation du département {Department} commencée", Department);
        return Progress(pass);
    }

    public Task<ReconcileProgress?> GetReconcileAsync() =>
        Task.FromResult((_finishing ?? state.State.Pass) is { } pass ? Progress(pass) : null);

    public async Task EnsureDailyScheduleAsync(int localHour)
    {
        DailySchedule.RequireHour(localHour);
        if (state.State.DailyHour == localHour && await this.GetReminder(DailyReminder) is not null)
            return;
        await RegisterDailyAsync(localHour);
    }

    public async Task<ReconcileProgress?> RunNextBatchAsync()
    {
        if (state.State.Pass is not { IsRunning: true })
            return null;
        await RunBatchAsync();
        return Progress(state.State.Pass!);
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        switch (reminderName)
        {
            case DailyReminder:
                if (state.State.DailyHour is { } hour && DailySchedule.HasDrifted(clock.GetUtcNow(), clock.LocalTimeZone, hour))
                    await RegisterDailyAsync(hour);
                await DeleteExpiredIdempotencyRecordsAsync();
                if (state.State.Pass is { IsRunning: true } running)
                {
                    logger.LogWarning("Passe quotidienne du département {Department} non lancée : la passe commencée le {Started:u} est encore en cours ({Done} personnes faites)",
                        Department, running.StartedAt, running.Done);
                    return;
                }
                await StartReconcileAsync();
                return;
            case ResumeReminder:
                if (state.State.Pass is { IsRunning: true })
                    StartTimer();
                else if (await this.GetReminder(ResumeReminder) is { } stale)
                    await this.UnregisterReminder(stale);
                return;
        }
    }

    /// <summary>Best effort: records kept a day past their retention are deleted; a failure waits for tomorrow.</summary>
    private async Task DeleteExpiredIdempotencyRecordsAsync()
    {
        if (expiredIdempotency is null)
            return;
        try
        {
            var deleted = await expiredIdempotency.DeleteAsync(clock.GetUtcNow() - Domain.Idempotency.IdempotencyRules.Retention - TimeSpan.FromDays(1));
            if (deleted > 0)
                logger.LogInformation("{Deleted} clés d'idempotence expirées supprimées", deleted);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Suppression des clés d'idempotence expirées impossible ; nouvel essai demain");
        }
    }

    private async Task RegisterDailyAsync(int localHour)
    {
        await this.RegisterOrUpdateReminder(DailyReminder, DailySchedule.DueIn(clock.GetUtcNow(), clock.LocalTimeZone, localHour), TimeSpan.FromDays(1));
        state.State.DailyHour = localHour;
        await state.WriteOrRestoreAsync("l'horaire de la passe quotidienne");
    }

    private void StartTimer() =>
        _timer ??= this.RegisterGrainTimer(_ => RunBatchAsync(), new GrainTimerCreationOptions(_batching.Pause, _batching.Pause)
        {
            Interleave = false,
            KeepAlive = true,
        });

    /// <summary>One bounded step of the running pass, its cursor persisted at the end (a step redone after a crash changes nothing: reconciling is idempotent).</summary>
    private async Task RunBatchAsync()
    {
        if (state.State.Pass is not { IsRunning: true } pass)
        {
            StopTimer();
            return;
        }
        if (!pass.Prepared)
            pass = await PrepareAsync(pass);
        // Empty shards are passed in the same step (one call each); a step reconciles one batch at most.
        while (pass.IsRunning)
        {
            var batch = await GrainFactory.GetGrain<IWaitingShardGrain>(DepartmentTopology.ShardKey(Department, pass.Shard))
                .GetPersonsAfterAsync(pass.After, _batching.BatchSize);
            var failed = await ReconcileAsync(batch);
            pass = pass.Advance(batch, failed, _batching.BatchSize, clock.GetUtcNow());
            if (batch.Count > 0)
                break;
        }
        if (!pass.IsRunning)
            _finishing = state.State.Pass;
        try
        {
            state.State.Pass = pass;
            await state.WriteOrRestoreAsync("l'avancement de la passe de réconciliation");
            if (pass.IsRunning)
                return;
            StopTimer();
            if (await this.GetReminder(ResumeReminder) is { } resume)
                await this.UnregisterReminder(resume);
        }
        finally
        {
            _finishing = null;
        }
        logger.LogInformation("Passe de réconciliation du département {Department} terminée : {Persons} personnes, {Failed} en échec, {Duration}",
            Department, pass.Done, pass.Failed, pass.Duration(clock.GetUtcNow()));
        await SnapshotAsync();
    }

    /// <summary>
    /// The day's snapshot of the observatory's indicators, over the counts the pass has just rebuilt. Best
    /// effort: a failure is logged and the next pass takes the next day's (a pass run again the same day replaces it).
    /// </summary>
    private async Task SnapshotAsync()
    {
        try
        {
            var snapshot = await GrainFactory.GetGrain<IIndicatorSnapshotGrain>(Department).TakeAsync();
            logger.LogInformation("Instantané des indicateurs du département {Department} du {Date} enregistré : {Persons} personnes en attente, {Entries} inscriptions",
                Department, snapshot.Date, snapshot.Total.Persons, snapshot.Total.Entries);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Instantané des indicateurs du département {Department} non enregistré ; la passe suivante en prendra un", Department);
        }
    }

    private async Task<ReconcilePass> PrepareAsync(ReconcilePass pass)
    {
        // A merge interrupted before its tombstone is finished first, so the persons walked are whole.
        var merged = true;
        try
        {
            await GrainFactory.GetGrain<Identity.IIdentityGrain>(Department).FinishPendingMergesAsync();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Still pending: the identity grain retries at its next operation; the pass goes on.
            logger.LogWarning(e, "Passe de réconciliation du département {Department} : fusions interrompues non terminées", Department);
            merged = false;
        }
        var counts = await Task.WhenAll(Enumerable.Range(0, pass.Shards)
            .Select(i => GrainFactory.GetGrain<IWaitingShardGrain>(DepartmentTopology.ShardKey(Department, i)).CountPersonsAsync()));
        return pass.Prepare(merged, counts.Sum());
    }

    /// <summary>
    /// Reconciles the batch a few persons at a time (the pass must not crowd out the users' own requests):
    /// a window of <see cref="ReconcileBatching.Parallelism"/> persons in flight, each finished one
    /// replaced at once, so that one slow person (a receiver busy, a call timing out) holds one place of
    /// the window, not the whole batch; how many failed.
    /// </summary>
    private async Task<int> ReconcileAsync(IReadOnlyList<PersonId> batch)
    {
        var failed = 0;
        var next = 0;
        var running = new List<Task<bool>>();
        while (next < batch.Count || running.Count > 0)
        {
            while (next < batch.Count && running.Count < Math.Max(1, _batching.Parallelism))
                running.Add(ReconcileOneAsync(batch[next++]));
            var done = await Task.WhenAny(running);
            running.Remove(done);
            if (!await done)
                failed++;
        }
        return failed;
    }

    private async Task<bool> ReconcileOneAsync(PersonId id)
    {
        var started = clock.GetTimestamp();
        try
        {
            await GrainFactory.GetGrain<IPersonGrain>(id.Value).ReconcileThenDeliverAsync();
            var elapsed = clock.GetElapsedTime(started);
            if (elapsed > SlowPerson)
                logger.LogWarning("Passe de réconciliation du département {Department} : {Person} réconciliée en {Seconds:F1} s", Department, id, elapsed.TotalSeconds);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Left as it was: the person's own outbox retries, and the next pass tries again.
            var after = clock.GetElapsedTime(started);
            logger.LogWarning(e, "Passe de réconciliation du département {Department} : {Person} non réconciliée après {Seconds:F1} s", Department, id, after.TotalSeconds);
            if (state.State.Failures.Count < ReconcileFailure.MaxKept)
                state.State.Failures.Add(ReconcileFailure.Of(id.Value, e, after, clock.GetUtcNow()));
            return false;
        }
    }

    /// <summary>Above this, a person's reconcile is logged: the operator sees which files slow the pass.</summary>
    private static readonly TimeSpan SlowPerson = TimeSpan.FromSeconds(5);

    private void StopTimer()
    {
        _timer?.Dispose();
        _timer = null;
    }

    private ReconcileProgress Progress(ReconcilePass pass) => ReconcileProgress.Of(Department, pass, clock.GetUtcNow(), [.. state.State.Failures]);
}
