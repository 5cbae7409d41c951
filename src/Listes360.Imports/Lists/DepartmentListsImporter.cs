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

    /// <summary>Chunks sent before the first answers: the persons of one are written while the next is resolved.</summary>
    private const int ChunksInFlight = 2;

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
            // Two chunks in flight: the grain resolves the second's rows while it writes the first's persons.
            var inFlight = new Queue<(List<(int File, DepartmentListRow Row)> Chunk, Task<IReadOnlyList<ListRowResult>> Answer)>();
            async Task TakeAnswerAsync()
            {
                var (chunk, pending) = inFlight.Dequeue();
                var answer = await pending;
                for (var i = 0; i < chunk.Count; i++)
                    results[chunk[i].File].Add(answer[i]);
                done += chunk.Count;
                progress?.Invoke(new EsmsImportProgress(done, rows.Count));
            }
            foreach (var chunk in ChunksOfPersons(rows, r => PersonKeys(r.Row.Row), Math.Clamp(chunkSize, 1, DepartmentListImportGrain.MaxRows)))
            {
                cancellationToken.ThrowIfCancellationRequested();
                inFlight.Enqueue((chunk, CandidatureListImporter.SendChunkAsync(() => grain.ImportAsync([.. chunk.Select(c => c.Row)], caller.Subject), cancellationToken)));
                if (inFlight.Count == ChunksInFlight)
                    await TakeAnswerAsync();
            }
            while (inFlight.Count > 0)
                await TakeAnswerAsync();
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
    /// The keys that tie rows of one person together whatever their spelling's small differences: the blocking keys that
    /// seldom hold two persons (first name with full birth date, birth date with last-name initial, MDPH number, NIR). Two
    /// rows sharing one travel together, and so, through them, do all rows of a person but the rarest (a typo in both the
    /// first name and the date). Only an order: resolution still decides who is who. By the smallest key alone, 8,518 of
    /// the Nord's 40,518 person writes were a person written again in a later chunk.
    /// </summary>
    private static IEnumerable<string> PersonKeys(ListImportRow row)
    {
        var keys = Domain.Identity.Blocking.Keys(row.Match);
        var linking = keys.Where(Domain.Identity.Blocking.IsNarrow).ToList();
        return linking.Count > 0 ? linking : [keys.Min(StringComparer.Ordinal) ?? $"ligne:{row.Line}"];
    }

    /// <summary>A key shared by more rows than this ties none of them (a date shared by many persons would chain the whole département).</summary>
    internal const int MaxRowsPerLinkingKey = 24;

    /// <summary>
    /// Rows in chunks of at most <paramref name="size"/>, rows that share a key together, and rows tied through others
    /// (a shares a key with b, b with c: a, b and c), groups in the order their first row appears, rows in file order;
    /// a group with more rows than a chunk holds is cut. A key held by more than <see cref="MaxRowsPerLinkingKey"/> rows
    /// ties nothing.
    /// </summary>
    internal static IEnumerable<List<T>> ChunksOfPersons<T>(IReadOnlyList<T> rows, Func<T, IEnumerable<string>> keys, int size)
    {
        var keysOf = rows.Select(r => keys(r).Distinct(StringComparer.Ordinal).ToArray()).ToList();
        var holders = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < rows.Count; i++)
            foreach (var key in keysOf[i])
                (holders.TryGetValue(key, out var list) ? list : holders[key] = []).Add(i);
        var parent = Enumerable.Range(0, rows.Count).ToArray();
        int Root(int i)
        {
            while (parent[i] != i)
                i = parent[i] = parent[parent[i]];
            return i;
        }
        foreach (var held in holders.Values.Where(h => h.Count > 1 && h.Count <= MaxRowsPerLinkingKey))
            foreach (var other in held.Skip(1))
            {
                var (a, b) = (Root(held[0]), Root(other));
                // The smaller index as root: a group is named by its first row.
                if (a != b)
                    parent[Math.Max(a, b)] = Math.Min(a, b);
            }
        var groups = Enumerable.Range(0, rows.Count).GroupBy(Root).Select(g => g.Select(i => rows[i]).ToList());
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
