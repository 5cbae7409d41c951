namespace Listes360.Cli.Commands;

/// <summary>Where the clone is: the root script says so in LISTES360_ROOT, else the working folder's ancestors.</summary>
internal static class RepositoryPaths
{
    public static string Root()
    {
        if (Environment.GetEnvironmentVariable("LISTES360_ROOT") is { Length: > 0 } fromScript)
            return fromScript;
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Listes360.sln")))
                    return dir.FullName;
            }
        }
        throw new DirectoryNotFoundException("Lancez listes360 depuis un clone du dépôt (dossier contenant Listes360.sln), ou définissez LISTES360_ROOT.");
    }
}
