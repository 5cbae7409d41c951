using Listes360.Domain;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;
using Listes360.Domain.Security;
using Listes360.Grains.Persons;
using Listes360.Grains.Registry;
using Listes360.Grains.Security;
using Microsoft.Extensions.Logging;

namespace Listes360.Grains.Lists;

public sealed class DepartmentListImportGrain(TimeProvider clock, Department.DepartmentTopology topology, IServiceProvider services, ILogger<DepartmentListImportGrain> logger)
    : Grain, IDepartmentListImportGrain
{
    /// <summary>Rows of one call: a chunk answers well within the call timeout and its report comes back as progress.</summary>
    public const int MaxRows = 2_000;

    /// <summary>
    /// Rows whose effects are held before a bulk delivery: a chunk mixes lists (a person's rows together), so an ESMS's
    /// rows come in every chunk, and each delivery writes every ESMS and ranking touched. Held over the onboarding (up to
    /// a large département's lists), each is written a few times instead of once per chunk: at 5,000 persons, 14
    /// deliveries of 2,000 rows wrote the rankings 5,216 times. The held effects weigh a few kilobytes per person.
    /// </summary>
    public const int HeldRows = 30_000;

    /// <summary>
    /// How long effects are held at most (checked at each chunk): half a person's grace (<see cref="BulkDeliveryGrace.Onboarding"/>),
    /// after which the person would deliver them itself, one by one.
    /// </summary>
    private TimeSpan HeldFor => grace.Onboarding / 2;

    private readonly BulkDeliveryGrace grace = BulkDeliveryGrace.Of(services);

    private readonly Dictionary<PersonId, ListRowsAppliedForBulk> held = [];

    /// <summary>Done once the last chunk sent was resolved by the identity index (or failed): the next chunk's turn.</summary>
    private Task resolvedInTurn = Task.CompletedTask;
    private int heldRows;
    private DateTimeOffset heldSince;
    private Task delivering = Task.CompletedTask;
    private PersonEffectsInBulk? current;

    public async Task<IReadOnlyList<ListRowResult>> ImportAsync(IReadOnlyList<DepartmentListRow> rows, string by)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count > MaxRows)
            throw new DomainException("TOO_MANY_ROWS", $"{rows.Count} lignes dans un seul envoi, {MaxRows} au plus : envoyez-les en plusieurs fois. Rien n'a été importé.", "rows");
        var department = this.GetPrimaryKeyString();
        // FINESS numbers are checked before anything is read: a malformed one refuses the call, not a row.
        var finessOf = rows.Select(r => r.Finess).Distinct(StringComparer.Ordinal).ToDictionary(f => f, f => FinessNumber.Parse(f), StringComparer.Ordinal);

        // Chunks interleave (the client sends the next one before this one answers): each takes its turn as it arrives, before
        // any await, and waits for the chunk before it to be resolved by the identity index, so that rows are resolved in the
        // order they were sent and each chunk's preview is still valid when it resolves; the persons of one chunk are then
        // written while the next is resolved.
        var before = resolvedInTurn;
        var mine = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        resolvedInTurn = mine.Task;
        // The caller was checked for this département; the rows are applied by the service on their behalf.
        using var acting = CallerContext.As(new Caller($"{by} (import des listes du département {department})", Role.System, [], department, null));
        var profiles = new Dictionary<FinessNumber, EsmsProfile?>();
        IReadOnlyList<ListRowResult> results;
        try
        {
            foreach (var finess in finessOf.Values.Where(f => f.Department == department))
                profiles[finess] = await GrainFactory.GetGrain<IEsmsGrain>(finess.Value).GetProfileAsync();
            await before;
            results = await new ListRowsImport(GrainFactory, clock, topology, logger, grace.Onboarding).ImportAsync(department,
                [.. rows.Select(r => new ListRowOfEsms(r.Row, finessOf[r.Finess], profiles.GetValueOrDefault(finessOf[r.Finess]), r.Source))], by, blind: false, Hold,
                resolved: () => mine.TrySetResult());
        }
        finally
        {
            mine.TrySetResult();
        }
        // Delivered beside the next chunks, not before this one answers: a delivery to a thousand rankings on a busy
        // machine can take longer than the caller waits for a chunk. One delivery at a time; meanwhile rows are held.
        if (delivering.IsCompleted && (heldRows >= HeldRows || (held.Count > 0 && clock.GetUtcNow() - heldSince >= HeldFor)))
            delivering = DeliverHeldAsync();
        return results;
    }

    /// <summary>How long a <see cref="CompleteAsync"/> call waits for the delivery before answering where it stands.</summary>
    public static readonly TimeSpan CompleteWaitsAtMost = TimeSpan.FromSeconds(10);

    public async Task<HeldEffectsDelivery> CompleteAsync()
    {
        if (delivering.IsCompleted && held.Count > 0)
            delivering = DeliverHeldAsync();
        await Task.WhenAny(delivering, Task.Delay(CompleteWaitsAtMost));
        // What was held while the previous delivery ran goes next, at the next call.
        var done = delivering.IsCompleted && held.Count == 0;
        return new HeldEffectsDelivery(current?.Receivers ?? 0, done ? current?.Receivers ?? 0 : current?.ReceiversDone ?? 0, done);
    }

    /// <summary>
    /// A person applied again replaces its earlier entry: its pending effects are the newest of each kind. Chunks interleave,
    /// so a person's later version may arrive first: the higher version stays (the person acknowledges only its current one).
    /// </summary>
    private Task Hold(IReadOnlyDictionary<PersonId, ListRowsAppliedForBulk> applied)
    {
        if (held.Count == 0)
            heldSince = clock.GetUtcNow();
        foreach (var (person, bulk) in applied)
        {
            if (held.TryGetValue(person, out var earlier) && earlier.Version > bulk.Version)
                continue;
            held[person] = bulk;
            heldRows += bulk.Rows.Length;
        }
        return Task.CompletedTask;
    }

    private async Task DeliverHeldAsync()
    {
        if (held.Count == 0)
            return;
        var batch = new Dictionary<PersonId, ListRowsAppliedForBulk>(held);
        held.Clear();
        heldRows = 0;
        using var acting = CallerContext.As(new Caller($"import des listes du département {this.GetPrimaryKeyString()}", Role.System, [], this.GetPrimaryKeyString(), null));
        try
        {
            current = new PersonEffectsInBulk(GrainFactory, topology, logger);
            await current.DeliverAsync(batch);
        }
        catch (Exception e)
        {
            // Each person delivers what was not acknowledged after its grace.
            logger.LogWarning(e, "Livraison groupée de l'import des listes interrompue : chaque personne livrera ses effets elle-même");
        }
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // Delivered now rather than after each person's grace; what fails here, the persons deliver themselves.
        await delivering;
        await DeliverHeldAsync();
        await base.OnDeactivateAsync(reason, cancellationToken);
    }
}
