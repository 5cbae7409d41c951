using Listes360.Domain.Registry;
using Listes360.Domain.Security;
using Listes360.Grains.Lists;
using Listes360.Grains.Security;
using Listes360.Imports.Persons;
using Listes360.Imports.Registry;

namespace Listes360.Imports.Lists;

/// <summary>
/// What an import of a list did: <see cref="RowsRead"/> = every data row of the file, each exactly one
/// of created (a new person), matched (a person already known), queued for review (a new person
/// beside a possible duplicate) or rejected (with its line and French reason).
/// <see cref="CandidaturesCreated"/> and <see cref="RowsUnchanged"/> say what changed: a second import
/// of the same file creates nothing and leaves every row unchanged. For a director
/// <see cref="OutcomesHidden"/> is set: rows are only accepted (<see cref="RowsAccepted"/>) or rejected,
/// and created, matched and queued stay at 0, so that the report reads the same whether the
/// département knew the persons or not.
/// </summary>
public sealed record ListImportReport(
    string Source,
    string Finess,
    int RowsRead,
    int PersonsCreated,
    int Matched,
    int QueuedForReview,
    int CandidaturesCreated,
    int RowsUnchanged,
    IReadOnlyList<RowError> Rejected,
    int RowsAccepted = 0,
    bool OutcomesHidden = false)
{
    /// <summary>The report of a file from the service's answer for its rows (the reader's own refusals included, by line).</summary>
    public static ListImportReport Of(CandidatureListFile file, string finess, IReadOnlyCollection<ListRowResult> results, bool outcomesHidden)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(results);
        var rejected = file.Errors
            .Concat(results.Where(r => r.Outcome == ListRowOutcome.Rejected).Select(r => new RowError(file.Source, r.Line, null, null, r.Code!, r.Message!)))
            .OrderBy(e => e.Line)
            .ToList();
        return new ListImportReport(file.Source, finess, file.RowsRead,
            results.Count(r => r.Outcome == ListRowOutcome.Created),
            results.Count(r => r.Outcome == ListRowOutcome.Matched),
            results.Count(r => r.Outcome == ListRowOutcome.QueuedForReview),
            results.Count(r => r.CandidatureCreated),
            results.Count(r => r.Outcome != ListRowOutcome.Rejected && !r.Changed),
            rejected,
            results.Count(r => r.Outcome != ListRowOutcome.Rejected),
            outcomesHidden);
    }

    /// <summary>The import's counts on the service's metrics (<c>listes360.imports</c>).</summary>
    internal static void Record(IReadOnlyCollection<ListRowResult> results, int readerErrors, TimeSpan elapsed) =>
        Grains.Telemetry.ServiceMetrics.RecordImport("list", new Dictionary<string, int>
        {
            ["created"] = results.Count(r => r.Outcome == ListRowOutcome.Created),
            ["matched"] = results.Count(r => r.Outcome == ListRowOutcome.Matched),
            ["queued_for_review"] = results.Count(r => r.Outcome == ListRowOutcome.QueuedForReview),
            ["accepted"] = results.Count(r => r.Outcome == ListRowOutcome.Accepted),
            ["rejected"] = readerErrors + results.Count(r => r.Outcome == ListRowOutcome.Rejected),
        }, elapsed);
}

/// <summary>
/// Sends a list's rows to the ESMS's <see cref="IListImportGrain"/> in chunks (so that long imports show
/// progress), as one caller (a director, a territorial staff, an administrator, or the service for the
/// demo seed). The same path for the command line, GraphQL and the seed.
/// </summary>
public sealed class CandidatureListImporter(IGrainFactory grains, Caller caller, int chunkSize = CandidatureListImporter.DefaultChunkSize)
{
    public const int DefaultChunkSize = 100;

    /// <summary>Attempts of one chunk whose answer did not arrive in time (the service under heavy load).</summary>
    public const int ChunkAttempts = 4;

    /// <summary>
    /// One chunk; when its answer does not come within the call's timeout, the chunk is sent again: an
    /// import is idempotent (rows already applied come back unchanged, the person they created is found
    /// again by identity resolution), so a chunk that was in fact applied is not applied twice (its rows then
    /// count as matched and unchanged in the report).
    /// </summary>
    internal static async Task<T> SendChunkAsync<T>(Func<Task<T>> send, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await send();
            }
            catch (TimeoutException) when (attempt < ChunkAttempts)
            {
                await Task.Delay(TimeSpan.FromSeconds(attempt * 2), cancellationToken);
            }
        }
    }

    public async Task<ListImportReport> ImportAsync(CandidatureListFile file, FinessNumber finess, Action<EsmsImportProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        var results = new List<ListRowResult>(file.Rows.Count);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        using (CallerContext.As(caller))
        {
            foreach (var chunk in file.Rows.Chunk(Math.Max(1, chunkSize)))
            {
                cancellationToken.ThrowIfCancellationRequested();
                results.AddRange(await SendChunkAsync(() => grains.GetGrain<IListImportGrain>(finess.Value).ImportAsync(chunk, file.Source, caller.Subject), cancellationToken));
                progress?.Invoke(new EsmsImportProgress(results.Count, file.Rows.Count));
            }
        }
        ListImportReport.Record(results, file.Errors.Count, watch.Elapsed);
        return ListImportReport.Of(file, finess.Value, results, caller.Role is Role.EsmsDirector);
    }
}
