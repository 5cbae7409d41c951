namespace Listes360.Bench;

/// <summary>Where a benchmark writes its results, and how it rewrites a results file without losing what people wrote in it.</summary>
internal static class BenchResults
{
    /// <summary>The clone's root (the folder holding Listes360.sln), searched upwards from <paramref name="start"/>.</summary>
    public static string RepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Listes360.sln")))
                return dir.FullName;
        throw new InvalidOperationException("Racine du dépôt introuvable (Listes360.sln).");
    }

    /// <summary>
    /// Writes <paramref name="generated"/> to <paramref name="path"/>, followed by the file's « ## Lecture » section as it
    /// was: the reading of the figures is written by hand and outlives the tables the benchmark produces again.
    /// </summary>
    public static void WriteKeepingReading(string path, string generated)
    {
        var reading = File.Exists(path) && File.ReadAllText(path).Split("\n## Lecture", 2) is { Length: 2 } parts ? "\n## Lecture" + parts[1] : "";
        File.WriteAllText(path, generated + reading);
    }
}
