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
/// that mix lists (a person's rows of several lists in one chunk are one write of that person), one chunk after
/// the other so that identity resolution sees the rows in file order (the same persons created on every run).
/// Answers one <see cref="ListImportReport"/> per file, as importing the files one by one would, with progress in rows.
/// </summary>
public sealed class DepartmentListsImporter(IGrainFactory grains, Caller caller, int chunkSize = DepartmentListsImporter.DefaultChunkSize)
{
    /// <summary>Rows of one call: large enough that a chunk holds most of a person's lists, small enough to answer in seconds.</summary>
    public const int DefaultChunkSize = 500;

    public async Task<IReadOnlyList<ListImportReport>> ImportAsync(string department, IReadOnlyList<EsmsListFile> files,
        Action<EsmsImportProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(files);
        var rows = files.SelectMany((f, n) => f.File.Rows.Select(r => (File: n, Row: new DepartmentListRow(f.Finess.Value, f.File.Source, r)))).ToList();
        var results = files.Select(_ => new List<ListRowResult>()).ToArray();
        var done = 0;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var grain = grains.GetGrain<IDepartmentListImportGrain>(department);
        using (CallerContext.As(caller))
        {
            foreach (var chunk in rows.Chunk(Math.Clamp(chunkSize, 1, DepartmentListImportGrain.MaxRows)))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var answer = await CandidatureListImporter.SendChunkAsync(() => grain.ImportAsync([.. chunk.Select(c => c.Row)], caller.Subject), cancellationToken);
                for (var i = 0; i < chunk.Length; i++)
                    results[chunk[i].File].Add(answer[i]);
                done += chunk.Length;
                progress?.Invoke(new EsmsImportProgress(done, rows.Count));
            }
        }
        var all = results.SelectMany(r => r).ToList();
        ListImportReport.Record(all, files.Sum(f => f.File.Errors.Count), watch.Elapsed);
        return [.. files.Select((f, n) => ListImportReport.Of(f.File, f.Finess.Value, results[n], outcomesHidden: false))];
    }
}
