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
/// into a folder, one CSV per ESMS, then imports each through the same path as <c>import-list</c>.
/// </summary>
public static class DemoSeed
{
    /// <summary>
    /// Persons of the demo Orne. About 1,200 persons waiting, ~2.5 lists each (≈ 3,000 list rows,
    /// ≈ 45 per ESMS list): an order of magnitude for a département of 280,000 inhabitants whose
    /// 72 ESMS offer about 3,000 places — an assumption for a demonstration, not a statistic.
    /// </summary>
    public const int DefaultPersons = 1_200;

    /// <summary>Lists imported at once by <c>seed</c> and <c>up</c>.</summary>
    public const int DefaultListsInFlight = 4;

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

    /// <param name="listsInFlight">Lists imported at once (1: one after the other, in file order: the same
    /// persons created on every run, as tests expect; the command line passes <see cref="DefaultListsInFlight"/>).</param>
    /// <param name="import">How a list is imported (the command line passes the ImportCandidatureList use case,
    /// the same as the importCandidatureList mutation); by default <see cref="CandidatureListImporter"/>, the piece that use case calls.</param>
    public static Task<IReadOnlyList<ListImportReport>> RunAsync(IGrainFactory grains, Caller caller, string directory, int persons,
        NirHasher? hasher, DateOnly today, TextWriter output, CancellationToken cancellationToken = default,
        Func<CandidatureListFile, FinessNumber, CancellationToken, Task<ListImportReport>>? import = null, int listsInFlight = 1) =>
        RunAsync(grains, caller, OrneReferenceData.Esms.Select(EsmsFileReader.ProfileOf).ToList(), directory, persons, hasher, today, output, cancellationToken, import, listsInFlight);

    /// <summary>
    /// The same for any département whose ESMS are registered: <paramref name="registry"/> is its registry
    /// (read from the service by <c>seed --department</c>), the population is seeded by the département's
    /// code so that each département has its own, the same on every run.
    /// </summary>
    public static async Task<IReadOnlyList<ListImportReport>> RunAsync(IGrainFactory grains, Caller caller, IReadOnlyList<EsmsProfile> registry,
        string directory, int persons, NirHasher? hasher, DateOnly today, TextWriter output, CancellationToken cancellationToken = default,
        Func<CandidatureListFile, FinessNumber, CancellationToken, Task<ListImportReport>>? import = null, int listsInFlight = 1)
    {
        var department = registry.Count > 0 ? registry[0].Finess.Department : OrneReferenceData.Department;
        var lists = DemoPopulation.Generate(registry, persons, today, SeedOf(department));
        Directory.CreateDirectory(directory);
        foreach (var list in lists)
            await File.WriteAllBytesAsync(Path.Combine(directory, list.FileName), list.Content, cancellationToken);
        await output.WriteLineAsync($"Population SIMULÉE {(department == OrneReferenceData.Department ? "de l'Orne" : $"du département {department}")} (aucune personne réelle) : {persons} personnes, {lists.Sum(l => l.Rows)} lignes dans {lists.Count} listes d'ESMS écrites dans {directory}.");

        var importer = new CandidatureListImporter(grains, caller);
        import ??= (file, finess, token) => importer.ImportAsync(file, finess, cancellationToken: token);
        var reports = new ListImportReport[lists.Count];
        var done = 0;
        // Each list waits mostly on storage round trips (its chunks go through the identity grain, then its
        // persons write): several lists in flight keep the silo and storage busy. The identity grain still
        // resolves one chunk at a time, so two lists never create the same person.
        await Parallel.ForEachAsync(Enumerable.Range(0, lists.Count),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, listsInFlight), CancellationToken = cancellationToken },
            async (index, token) =>
            {
                var list = lists[index];
                var file = CandidatureListReader.Read(list.Content, list.FileName, hasher, today);
                reports[index] = await import(file, list.Finess, token);
                var count = Interlocked.Increment(ref done);
                if (count % 10 == 0 || count == lists.Count)
                {
                    lock (output)
                        output.WriteLine($"  … {count} / {lists.Count} listes importées");
                }
            });
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
