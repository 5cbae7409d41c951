using System.Collections.Concurrent;
using Listes360.Domain;
using Listes360.Domain.Registry;
using Listes360.Domain.Security;
using Listes360.Grains.Registry;
using Listes360.Grains.Security;

namespace Listes360.Imports.Registry;

/// <summary>Where an import stands: rows done out of the total.</summary>
public readonly record struct EsmsImportProgress(int Done, int Total);

/// <summary>
/// What an import did. <see cref="RowsRead"/> counts every data row of the file; each is exactly one of
/// created, updated, unchanged, rejected (with its line and French reason) or
/// <see cref="OutOfRegistry"/> (FINESS extract rows of categories that are not ESMS for disabled people).
/// <see cref="OutOfWaitingListScope"/>: ESMS registered whose kind is outside the waiting list (CAMSP,
/// CMPP, BAPU: registered all the same, so that the registry is FINESS's; eligibility refuses them).
/// </summary>
public sealed record EsmsImportReport(
    int RowsRead,
    int Created,
    int Updated,
    int Unchanged,
    IReadOnlyList<EsmsRowError> Rejected,
    IReadOnlyDictionary<string, int> OutOfRegistry,
    int OutOfWaitingListScope)
{
    public int Registered => Created + Updated + Unchanged;
}

/// <summary>
/// Registers ESMS rows in their grains (<see cref="IEsmsGrain.RegisterAsync"/>), as one caller
/// (an administrator from the command line, or <see cref="Caller.ServiceItself"/> for the demo seed),
/// a few at a time. Registration is idempotent: an identical profile counts as unchanged and writes
/// nothing, so running the same import twice changes nothing.
/// </summary>
public sealed class EsmsRegistryImporter(IGrainFactory grains, Caller caller, int parallelism = EsmsRegistryImporter.DefaultParallelism)
{
    public const int DefaultParallelism = 8;

    /// <summary>Imports the rows a reader got, and reports its rejected rows with the grains' ones, by line.</summary>
    public async Task<EsmsImportReport> ImportAsync(EsmsFileResult file, Action<EsmsImportProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        var report = await ImportAsync(file.Rows, progress, cancellationToken);
        return report with
        {
            RowsRead = file.RowsRead,
            Rejected = file.Errors.Concat(report.Rejected).OrderBy(e => e.Line).ToList(),
            OutOfRegistry = file.OutOfRegistry,
        };
    }

    public async Task<EsmsImportReport> ImportAsync(IReadOnlyList<EsmsFileRow> rows, Action<EsmsImportProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        int created = 0, updated = 0, unchanged = 0, done = 0, outOfScope = 0;
        var rejected = new ConcurrentBag<EsmsRowError>();
        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(rows, options, async (row, _) =>
        {
            // The caller travels in Orleans' request context, which is per async flow: set it in each one.
            using (CallerContext.As(caller))
            {
                try
                {
                    var result = await grains.GetGrain<IEsmsGrain>(row.Profile.Finess.Value).RegisterAsync(row.Profile, caller.Subject);
                    if (!result.Changed) Interlocked.Increment(ref unchanged);
                    else if (result.Esms.Version == 1) Interlocked.Increment(ref created);
                    else Interlocked.Increment(ref updated);
                    if (!row.Profile.Kind.Info().InWaitingListScope) Interlocked.Increment(ref outOfScope);
                }
                catch (DomainException e)
                {
                    rejected.Add(new EsmsRowError(row.Line, row.Profile.Finess.Value, e.Code, e.Message));
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    rejected.Add(new EsmsRowError(row.Line, row.Profile.Finess.Value, "REGISTRATION_FAILED",
                        $"enregistrement impossible : {e.Message}"));
                }
            }
            progress?.Invoke(new EsmsImportProgress(Interlocked.Increment(ref done), rows.Count));
        });
        return new EsmsImportReport(rows.Count, created, updated, unchanged, rejected.OrderBy(e => e.Line).ToList(),
            new Dictionary<string, int>(), outOfScope);
    }
}
