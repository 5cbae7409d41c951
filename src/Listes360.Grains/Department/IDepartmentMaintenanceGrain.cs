using Listes360.Domain.Maintenance;
using Listes360.Domain.Security;
using Listes360.Grains.Security;

namespace Listes360.Grains.Department;

/// <summary>
/// Département-wide reconcile passes (key: the département code): every person re-sends its
/// candidature views and its contribution to the counts, and applies the orientations that ended.
/// Once a day for the whole cluster through a reminder, and on demand. A pass runs in bounded batches
/// on a grain timer, its cursor persisted after each; a short reminder brings the grain back on
/// another silo if its silo dies, and the pass goes on from the cursor.
/// </summary>
[Alias("Listes360.Department.IDepartmentMaintenanceGrain")]
public interface IDepartmentMaintenanceGrain : IGrainWithStringKey
{
    /// <summary>Starts a pass, or returns the one running (one at a time): answers at once with its progress.</summary>
    [Allow(Role.Admin, Scope = KeyScope.Department)]
    [Alias("StartReconcileAsync")]
    Task<ReconcileProgress> StartReconcileAsync();

    /// <summary>The pass running, else the last one (null: none yet).</summary>
    /// <remarks>Interleaved: it answers while a batch of the pass runs (the pass is an immutable record the batch
    /// replaces whole), instead of queueing behind it until the caller's timeout.</remarks>
    [ReadOnly, AlwaysInterleave]
    [Allow(Role.Admin, Scope = KeyScope.Department)]
    [Alias("GetReconcileAsync")]
    Task<ReconcileProgress?> GetReconcileAsync();

    /// <summary>
    /// Makes sure the daily pass's reminder exists, due at <paramref name="localHour"/> (the silo's local
    /// time) every day. Idempotent: every host calls it at start, the reminder is one per département.
    /// </summary>
    [Internal]
    [Alias("EnsureDailyScheduleAsync")]
    Task EnsureDailyScheduleAsync(int localHour);

    /// <summary>Processes the running pass's next batch now (what its timer does); null when none runs.</summary>
    [Internal]
    [Alias("RunNextBatchAsync")]
    Task<ReconcileProgress?> RunNextBatchAsync();
}

public enum ReconcileStatus
{
    Running,
    Done,
}

/// <summary>Where a pass stands, for its callers.</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Department.ReconcileProgress")]
public sealed record ReconcileProgress(
    [property: Id(0)] string Department,
    [property: Id(1)] ReconcileStatus Status,
    [property: Id(2)] DateTimeOffset StartedAt,
    [property: Id(3)] DateTimeOffset? FinishedAt,
    [property: Id(4)] int Persons,
    [property: Id(5)] int? Total,
    [property: Id(6)] int Failed,
    [property: Id(7)] TimeSpan Duration,
    [property: Id(8)] IReadOnlyList<ReconcileFailure>? Failures = null)
{
    public static ReconcileProgress Of(string department, ReconcilePass pass, DateTimeOffset now, IReadOnlyList<ReconcileFailure>? failures = null) =>
        new(department, pass.IsRunning ? ReconcileStatus.Running : ReconcileStatus.Done, pass.StartedAt, pass.FinishedAt,
            pass.Done, pass.Total, pass.Failed, pass.Duration(now), failures ?? []);
}

/// <summary>A person the pass could not reconcile, and why (in French): the first ones of the pass, at most <see cref="MaxKept"/>.</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Department.ReconcileFailure")]
public sealed record ReconcileFailure(
    [property: Id(0)] string PersonId,
    [property: Id(1)] string Reason,
    [property: Id(2)] DateTimeOffset At)
{
    public const int MaxKept = 20;

    public static ReconcileFailure Of(string person, Exception e, TimeSpan after, DateTimeOffset at) => new(person, e switch
    {
        Domain.DomainException d => $"{d.Message} ({d.Code})",
        TimeoutException => $"pas de réponse en {after.TotalSeconds:0} s (un destinataire de ses envois occupé ou injoignable) ; reprise par la passe suivante",
        _ => $"{e.GetType().Name} : {(e.Message.Length > 300 ? e.Message[..300] + "…" : e.Message)}",
    }, at);
}

/// <summary>How a pass is cut (defaults for production; test clusters register their own).</summary>
public sealed class ReconcileBatching
{
    /// <summary>Persons per timer tick: a tick stays far below Orleans' response timeout.</summary>
    public int BatchSize { get; set; } = 200;

    /// <summary>Persons reconciled at once within a batch: the pass must not crowd out the users' own requests.</summary>
    public int Parallelism { get; set; } = 16;

    /// <summary>Between two batches (and before the first).</summary>
    public TimeSpan Pause { get; set; } = TimeSpan.FromSeconds(1);
}
