using Listes360.Domain.Registry;
using Listes360.Domain.Security;
using Listes360.Grains.Department;
using Listes360.Grains.Security;
using Listes360.Imports.Lists;
using Listes360.Imports.Registry;
using NirHasher = Listes360.Domain.Persons.NirHasher;

namespace Listes360.Imports.Simulation;

/// <summary>
/// <c>seed</c> and <c>up</c>: writes the SIMULATED lists of the Orne's ESMS (<see cref="DemoPopulation"/>)
/// into a folder, one CSV per ESMS, then imports them together as a département's onboarding
/// (<see cref="DepartmentListsImporter"/>: the checks and identity resolution of <c>import-list</c>, a person's rows
/// of several lists written at once).
/// </summary>
public static class DemoSeed
{
    /// <summary>
    /// Persons of the demo Orne. About 1,200 persons waiting, ~2.5 lists each (≈ 3,000 list rows,
    /// ≈ 45 per ESMS list): an order of magnitude for a département of 280,000 inhabitants whose
    /// 72 ESMS offer about 3,000 places — an assumption for a demonstration, not a statistic.
    /// </summary>
    public const int DefaultPersons = 1_200;

    /// <summary>The population's seed: the Orne keeps the demonstration's own, other départements one of their code.</summary>
    public static int SeedOf(string department) =>
        department == OrneReferenceData.Department ? DemoPopulation.DefaultSeed : DemoPopulation.DefaultSeed + StableHash(department);

    private static int StableHash(string text)
    {
        var hash = 17;
        foreach (var c in text) hash = unchecked(hash * 31 + c);
        return hash & 0xFFFF;
    }

    /// <summary>Whether the département already has persons (the waiting-count shards know every person).</summary>
    public static async Task<bool> HasPersonsAsync(IGrainFactory grains, DepartmentTopology topology, string department)
    {
        using var _ = CallerContext.As(Caller.ServiceItself);
        for (var shard = 0; shard < topology.WaitingShards; shard++)
            if ((await grains.GetGrain<IWaitingShardGrain>(DepartmentTopology.ShardKey(department, shard)).GetPersonsAsync()).Count > 0)
                return true;
        return false;
    }

    public static Task<IReadOnlyList<ListImportReport>> RunAsync(IGrainFactory grains, Caller caller, string directory, int persons,
        NirHasher? hasher, DateOnly today, TextWriter output, CancellationToken cancellationToken = default) =>
        RunAsync(grains, caller, OrneReferenceData.Esms.Select(EsmsFileReader.ProfileOf).ToList(), directory, persons, hasher, today, output, cancellationToken);

    /// <summary>
    /// The same for any département whose ESMS are registered: <paramref name="registry"/> is its registry
    /// (read from the service by <c>seed --department</c>), the population is seeded by the département's
    /// code so that each département has its own, the same on every run.
    /// </summary>
    public static async Task<IReadOnlyList<ListImportReport>> RunAsync(IGrainFactory grains, Caller caller, IReadOnlyList<EsmsProfile> registry,
        string directory, int persons, NirHasher? hasher, DateOnly today, TextWriter output, CancellationToken cancellationToken = default)
    {
        var department = registry.Count > 0 ? registry[0].Finess.Department : OrneReferenceData.Department;
        var lists = DemoPopulation.Generate(registry, persons, today, SeedOf(department));
        Directory.CreateDirectory(directory);
        foreach (var list in lists)
            await File.WriteAllBytesAsync(Path.Combine(directory, list.FileName), list.Content, cancellationToken);
        await output.WriteLineAsync($"Population SIMULÉE {(department == OrneReferenceData.Department ? "de l'Orne" : $"du département {department}")} (aucune personne réelle) : {persons} personnes, {lists.Sum(l => l.Rows)} lignes dans {lists.Count} listes d'ESMS écrites dans {directory}.");

        var files = lists.Select(l => new EsmsListFile(CandidatureListReader.Read(l.Content, l.FileName, hasher, today), l.Finess)).ToList();
        var nextReport = 0;
        var reports = await new DepartmentListsImporter(grains, caller).ImportAsync(department, files, p =>
        {
            // Every tenth of the rows, and the end: a long onboarding shows it is moving.
            if (p.Done == p.Total || p.Done * 10L / Math.Max(1, p.Total) > nextReport)
            {
                nextReport = (int)(p.Done * 10L / Math.Max(1, p.Total));
                output.WriteLine($"  … {p.Done} / {p.Total} lignes importées");
            }
        }, cancellationToken, d => output.WriteLine($"  … diffusion aux ESMS, classements et compteurs : {d.ReceiversDone} / {d.Receivers} destinataires"));
        await output.WriteLineAsync(
            $"Import des listes SIMULÉES : {reports.Sum(r => r.RowsRead)} lignes, {reports.Sum(r => r.PersonsCreated)} personnes créées, " +
            $"{reports.Sum(r => r.Matched)} rapprochées d'une personne connue, {reports.Sum(r => r.QueuedForReview)} en file de vérification, " +
            $"{reports.Sum(r => r.Rejected.Count)} rejetées.");
        // Nothing is dropped silently, even in simulated lists: each rejected row with its file and line.
        foreach (var report in reports)
            foreach (var error in report.Rejected)
                await output.WriteLineAsync($"  {error}");
        return reports;
    }
}
