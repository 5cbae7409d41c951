using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Listes360.Grains.Telemetry;

/// <summary>
/// The service's own measures of its work, on the meter <see cref="MeterName"/> (the one the API host's
/// OpenTelemetry exports, by OTLP or on <c>/metrics</c>): list imports (rows by outcome, duration),
/// outbox lengths (effects not yet delivered, by kind of grain), the identity review queue's pending
/// items (by département), and the delay between an admission and each ESMS view it updates. Gauges
/// are this silo's: the grains active here report what they hold.
/// </summary>
public static class ServiceMetrics
{
    public const string MeterName = "Listes360";

    public const string ImportRowsName = "listes360.imports.rows";
    public const string ImportDurationName = "listes360.imports.duration";
    public const string OutboxPendingName = "listes360.outbox.pending";
    public const string ReviewQueuePendingName = "listes360.identity.review_queue.pending";
    public const string AdmissionViewDelayName = "listes360.admissions.esms_view_delay";
    public const string StorageOperationsName = "listes360.storage.operations";
    public const string StorageWrittenName = "listes360.storage.written";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> ImportRows = Meter.CreateCounter<long>(ImportRowsName, unit: "{row}",
        description: "Lignes de listes importées, par type d'import et par résultat (created, matched, queued_for_review, accepted, rejected).");

    private static readonly Histogram<double> ImportDuration = Meter.CreateHistogram<double>(ImportDurationName, unit: "s",
        description: "Durée d'un import de liste (lecture du fichier exclue), par type d'import.");

    private static readonly Histogram<double> AdmissionViewDelay = Meter.CreateHistogram<double>(AdmissionViewDelayName, unit: "s",
        description: "Délai entre une admission et la mise à jour de chaque vue d'ESMS qu'elle change (la liste qui admet, et les autres listes de la personne) : " +
                     "la plus grande valeur d'une admission est le délai jusqu'à la dernière vue à jour.");

    private static readonly Counter<long> StorageOperations = Meter.CreateCounter<long>(StorageOperationsName, unit: "{operation}",
        description: "Lectures, écritures et effacements d'états de grains dans le stockage, par opération (read, write, clear) et par type de grain : " +
                     "ce que coûte chaque travail en requêtes au stockage (un import, une admission…).");

    private static readonly Counter<long> StorageBytesWritten = Meter.CreateCounter<long>(StorageWrittenName, unit: "By",
        description: "Octets d'états de grains envoyés au stockage par les écritures, par type de grain : avec le nombre d'écritures, " +
                     "ce que pèse chaque travail pour Azure Table (une admission réécrit-elle de gros états ?).");

    /// <summary>Live outboxes of this silo: each active grain's count, read when the gauge is collected.</summary>
    private static readonly ConcurrentDictionary<object, (string Kind, Func<int> Count)> Outboxes = new(ReferenceEqualityComparer.Instance);

    private static readonly ConcurrentDictionary<string, int> ReviewQueues = new(StringComparer.Ordinal);

    static ServiceMetrics()
    {
        Meter.CreateObservableGauge<int>(OutboxPendingName, ObserveOutboxes, unit: "{effect}",
            description: "Effets en attente de livraison dans les outbox des grains actifs de ce silo, par type de grain (person, esms).");
        Meter.CreateObservableGauge<int>(ReviewQueuePendingName, ObserveReviewQueues, unit: "{item}",
            description: "Paires de personnes en attente dans la file de vérification des doublons, par département.");
    }

    /// <summary>Creates the gauges (the host calls it once at start, so that they exist before the first grain reports).</summary>
    public static void Initialize()
    {
    }

    /// <summary>One list import: its rows by outcome and how long the grains took.</summary>
    public static void RecordImport(string kind, IReadOnlyDictionary<string, int> rowsByOutcome, TimeSpan duration)
    {
        ArgumentNullException.ThrowIfNull(rowsByOutcome);
        foreach (var (outcome, rows) in rowsByOutcome)
            if (rows > 0)
                ImportRows.Add(rows, new KeyValuePair<string, object?>("kind", kind), new KeyValuePair<string, object?>("outcome", outcome));
        ImportDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("kind", kind));
    }

    /// <summary>An ESMS view updated by an admission (the admitted candidature, or another one closed by it).</summary>
    public static void RecordAdmissionViewDelay(TimeSpan delay, string status) =>
        AdmissionViewDelay.Record(Math.Max(0, delay.TotalSeconds), new KeyValuePair<string, object?>("status", status));

    /// <summary>One request of a grain's state to storage (<paramref name="operation"/>: read, write or clear).</summary>
    public static void RecordStorage(string operation, GrainId grain) =>
        StorageOperations.Add(1, new KeyValuePair<string, object?>("operation", operation), new KeyValuePair<string, object?>("grain", grain.Type.ToString()));

    /// <summary>The bytes of one write of a grain's state (the serialized state, or the rows a keyed write sends).</summary>
    public static void RecordStorageBytesWritten(GrainId grain, long bytes) =>
        StorageBytesWritten.Add(bytes, new KeyValuePair<string, object?>("grain", grain.Type.ToString()));

    /// <summary>An active grain's outbox, counted until <see cref="UntrackOutbox"/> (its deactivation).</summary>
    public static void TrackOutbox(object grain, string kind, Func<int> count) => Outboxes[grain] = (kind, count);

    public static void UntrackOutbox(object grain) => Outboxes.TryRemove(grain, out _);

    /// <summary>The pending items of a département's review queue, as its grain last saw them.</summary>
    public static void SetReviewQueue(string department, int pending) => ReviewQueues[department] = pending;

    private static IEnumerable<Measurement<int>> ObserveOutboxes()
    {
        var totals = new Dictionary<string, int>(StringComparer.Ordinal) { ["person"] = 0, ["esms"] = 0 };
        foreach (var (_, (kind, count)) in Outboxes)
        {
            int value;
            try { value = count(); }
            catch (InvalidOperationException) { continue; } // a grain between two states: counted at the next collection
            totals[kind] = totals.GetValueOrDefault(kind) + value;
        }
        return totals.Select(t => new Measurement<int>(t.Value, new KeyValuePair<string, object?>("grain", t.Key)));
    }

    private static IEnumerable<Measurement<int>> ObserveReviewQueues() =>
        ReviewQueues.Select(q => new Measurement<int>(q.Value, new KeyValuePair<string, object?>("department", q.Key)));
}
