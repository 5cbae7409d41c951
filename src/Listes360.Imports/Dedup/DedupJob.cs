using System.Globalization;
using Listes360.Domain.Csv;
using Listes360.Domain.Identity;
using Listes360.Domain.Identity.Records;
using Listes360.Imports.Persons;
using NirHasher = Listes360.Domain.Persons.NirHasher;

namespace Listes360.Imports.Dedup;

/// <summary>Input formats of <see cref="DedupJob"/>.</summary>
public enum PersonFileFormat
{
    /// <summary>Person CSV (<see cref="PersonCsvReader"/>).</summary>
    Csv,
    /// <summary>FEBRL benchmark file (<see cref="FebrlReader"/>).</summary>
    Febrl,
}

/// <summary>The outcome of <see cref="DedupJob.Run"/>.</summary>
/// <param name="RecordIds">The output id of each record, in input order: the record_id, prefixed by the
/// file name (« liste.csv:12 ») when the same record_id appears in several input files.</param>
public sealed record DedupJobResult(
    IReadOnlyList<PersonFileResult> Files,
    IReadOnlyList<string> RecordIds,
    DedupResult? Result,
    IReadOnlyList<RowError> Errors,
    IReadOnlyList<string> Warnings)
{
    public bool HasErrors => Errors.Count > 0;
}

/// <summary>
/// The <c>listes360 dedup</c> job, without the command line: read the files, deduplicate, write
/// <c>record_id,cluster_id</c> and the review pairs. A missing field never refuses a file nor a row:
/// a record without birth date is still matched (by its MDPH number or NIR, else into the review queue,
/// else a person of its own) and reported as a warning with its line; only unreadable rows (no name at
/// all, shifted cells) are errors, reported with their line, and every other record is written with its
/// cluster id. Only a file that cannot be read at all (not found, a name column missing) stops the job.
/// </summary>
public static class DedupJob
{
    /// <param name="paths">The files.</param>
    /// <param name="format">Their format.</param>
    /// <param name="hasher">The NIR hasher.</param>
    /// <param name="skipInvalid">Kept for compatibility: unreadable rows are always left out (and reported), the others always deduplicated.</param>
    /// <param name="scorer">The scorer; by default the calibrated one with the files' own name frequencies.</param>
    /// <param name="department">The département of the lists (« 61 »), when known: reads MDPH numbers written with it glued.</param>
    public static DedupJobResult Run(IReadOnlyList<string> paths, PersonFileFormat format, NirHasher hasher, bool skipInvalid = false,
        MatchScorer? scorer = null, string? department = null)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var files = new List<PersonFileResult>();
        var errors = new List<RowError>();
        var warnings = new List<string>();
        foreach (var path in paths)
        {
            PersonFileResult file;
            if (!File.Exists(path))
            {
                errors.Add(new RowError(Path.GetFileName(path), 0, null, null, "FILE_NOT_FOUND", $"fichier introuvable : {path}"));
                continue;
            }
            try
            {
                file = format == PersonFileFormat.Febrl ? FebrlReader.ReadFile(path, hasher) : PersonCsvReader.ReadFile(path, hasher);
            }
            catch (PersonFileException e)
            {
                errors.Add(new RowError(e.FileName, 1, null, null, e.Code, e.Detail));
                continue;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                errors.Add(new RowError(Path.GetFileName(path), 0, null, null, "UNREADABLE_FILE", $"fichier illisible ({e.GetType().Name}) : {path}"));
                continue;
            }
            files.Add(file);
            errors.AddRange(file.Errors);
            warnings.AddRange(file.Warnings.Select(w => w.ToString()));
        }
        var records = files.SelectMany(f => f.Records).ToList();
        var ids = QualifiedIds(files, warnings);
        if (files.Count < paths.Count)
        {
            return new DedupJobResult(files, ids, null, errors, warnings);
        }
        var missingDates = records.Count(r => r.BirthDate is null);
        if (missingDates > 0)
        {
            warnings.Add($"{missingDates} enregistrement(s) sans date de naissance : rapprochés par n° MDPH ou NIR s'ils en ont un, sinon proposés en vérification ou laissés seuls (date de naissance manquante).");
        }
        if (errors.Count > 0) warnings.Add($"{errors.Count} ligne(s) illisible(s) écartée(s) : elles ne figurent pas dans le résultat ; tous les autres enregistrements y sont.");
        var qualified = records.Select((r, i) => r.RecordId == ids[i] ? r : r with { RecordId = ids[i] }).ToList();
        var result = Deduplicator.Run(qualified, scorer, department: department);
        return new DedupJobResult(files, ids, result, errors, warnings);
    }

    private static List<string> QualifiedIds(List<PersonFileResult> files, List<string> warnings)
    {
        var owners = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            foreach (var record in file.Records)
            {
                if (!owners.TryGetValue(record.RecordId, out var set)) owners[record.RecordId] = set = [];
                set.Add(file.Source);
            }
        }
        var collisions = owners.Count(o => o.Value.Count > 1);
        if (collisions > 0)
        {
            warnings.Add($"{collisions} identifiant(s) présent(s) dans plusieurs fichiers : ils sont préfixés par le nom du fichier (« fichier.csv:identifiant »).");
        }
        return files.SelectMany(f => f.Records.Select(r => owners[r.RecordId].Count > 1 ? $"{f.Source}:{r.RecordId}" : r.RecordId)).ToList();
    }

    /// <summary>Writes <c>record_id,cluster_id</c>, one line per input record, in input order.</summary>
    public static void WriteClusters(DedupJobResult job, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(writer);
        if (job.Result is null) throw new InvalidOperationException("No deduplication result to write.");
        writer.Write("record_id,cluster_id\n");
        for (var i = 0; i < job.RecordIds.Count; i++)
        {
            writer.Write($"{Csv(job.RecordIds[i])},{job.Result.ClusterIds[i]}\n");
        }
    }

    /// <summary>Writes the review queue: <c>record_id_1,record_id_2,score,raisons</c>.</summary>
    public static void WriteReview(DedupJobResult job, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(writer);
        if (job.Result is null) throw new InvalidOperationException("No deduplication result to write.");
        writer.Write("record_id_1,record_id_2,score,raisons\n");
        foreach (var pair in job.Result.ReviewPairs)
        {
            var reasons = string.Join(" ; ", pair.Result.Reasons.Select(r => r.Contribution == 0 ? r.Text : $"{r.Text} ({r.Contribution.ToString("+0.0;-0.0", CultureInfo.GetCultureInfo("fr-FR"))})"));
            writer.Write($"{Csv(pair.FirstRecordId)},{Csv(pair.SecondRecordId)},{pair.Result.Score.ToString("0.00", CultureInfo.InvariantCulture)},{Csv(reasons)}\n");
        }
    }

    private static string Csv(string value) => CsvCell.Write(value, ',');
}
