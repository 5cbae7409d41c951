using Listes360.Domain.Registry;
using Listes360.Domain.Security;
using Listes360.Grains.Lists;
using Listes360.Grains.Security;
using Listes360.Imports.Registry;

namespace Listes360.Imports.Lists;

/// <summary>An ESMS's list already read, with the FINESS it belongs to.</summary>
public sealed record EsmsListFile(CandidatureListFile File, FinessNumber Finess);

/// <summary>
/// Onboards a département: the lists of its ESMS sent to its <see cref="IDepartmentListImportGrain"/> in chunks
/// that mix lists. Rows that may be one person (they share a blocking key of the identity engine) travel in the same
/// chunk, so that a person on several lists is written once, not once per list; chunks go one after the other in
/// the same order on every run (the same persons created). Answers one <see cref="ListImportReport"/> per file, as
/// importing the files one by one would, with progress in rows.
/// </summary>
public sealed class DepartmentListsImporter(IGrainFactory grains, Caller caller, int chunkSize = DepartmentListsImporter.DefaultChunkSize)
{
    /// <summary>Rows of one call: large enough that a chunk holds most of a person's lists, small enough to answer in seconds.</summary>
    public const int DefaultChunkSize = 500;

    /// <param name="delivery">Where the delivery of the held effects stands, every few seconds after the last chunk.</param>
    public async Task<IReadOnlyList<ListImportReport>> ImportAsync(string department, IReadOnlyList<EsmsListFile> files,
        Action<EsmsImportProgress>? progress = null, CancellationToken cancellationToken = default, Action<HeldEffectsDelivery>? delivery = null)
    {
        ArgumentNullException.ThrowIfNull(files);
        var rows = files.SelectMany((f, n) => f.File.Rows.Select(r => (File: n, Row: new DepartmentListRow(f.Finess.Value, f.File.Source, r)))).ToList();
        var results = files.Select(_ => new List<ListRowResult>()).ToArray();
        var done = 0;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var grain = grains.GetGrain<IDepartmentListImportGrain>(department);
        using (CallerContext.As(caller))
        {
            foreach (var chunk in ChunksOfPersons(rows, r => PersonKey(r.Row.Row), Math.Clamp(chunkSize, 1, DepartmentListImportGrain.MaxRows)))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var answer = await CandidatureListImporter.SendChunkAsync(() => grain.ImportAsync([.. chunk.Select(c => c.Row)], caller.Subject), cancellationToken);
                for (var i = 0; i < chunk.Count; i++)
                    results[chunk[i].File].Add(answer[i]);
                done += chunk.Count;
                progress?.Invoke(new EsmsImportProgress(done, rows.Count));
            }
            // The held effects: once done, every ESMS, ranking and count shows the rows. A call answers within seconds.
            HeldEffectsDelivery state;
            while (!(state = await grain.CompleteAsync()).Done)
            {
                cancellationToken.ThrowIfCancellationRequested();
                delivery?.Invoke(state);
            }
        }
        var all = results.SelectMany(r => r).ToList();
        ListImportReport.Record(all, files.Sum(f => f.File.Errors.Count), watch.Elapsed);
        return [.. files.Select((f, n) => ListImportReport.Of(f.File, f.Finess.Value, results[n], outcomesHidden: false))];
    }

    /// <summary>
    /// The key rows of one person share whatever their spelling's small differences: the smallest of their blocking keys
    /// (the identity engine compares only rows that share one). Only an order: resolution still decides who is who.
    /// </summary>
    private static string PersonKey(ListImportRow row) => Domain.Identity.Blocking.Keys(row.Match).Min(StringComparer.Ordinal) ?? $"ligne:{row.Line}";

    /// <summary>
    /// Rows in chunks of at most <paramref name="size"/>, the rows of a key together (in file order, keys in the order
    /// they first appear); a key with more rows than a chunk holds is cut.
    /// </summary>
    internal static IEnumerable<List<T>> ChunksOfPersons<T>(IReadOnlyList<T> rows, Func<T, string> key, int size)
    {
        var groups = rows.GroupBy(key, StringComparer.Ordinal).Select(g => g.ToList());
        var chunk = new List<T>(size);
        foreach (var group in groups)
        {
            if (chunk.Count > 0 && chunk.Count + group.Count > size)
            {
                yield return chunk;
                chunk = new List<T>(size);
            }
            foreach (var row in group)
            {
                chunk.Add(row);
                if (chunk.Count == size)
                {
                    yield return chunk;
                    chunk = new List<T>(size);
                }
            }
        }
        if (chunk.Count > 0)
            yield return chunk;
    }
}
