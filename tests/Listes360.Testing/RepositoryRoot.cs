namespace Listes360.Testing;

/// <summary>Locates the repository from a test's output directory, to reach <c>infra/</c> and <c>data/</c>.</summary>
public static class RepositoryRoot
{
    private const string Marker = "Listes360.sln";

    /// <summary>The nearest directory above the test binaries that holds <c>Listes360.sln</c>.</summary>
    public static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, Marker)))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException($"No {Marker} found above {AppContext.BaseDirectory}.");
    }
}
