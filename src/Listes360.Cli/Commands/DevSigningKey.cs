using Listes360.Api.Security;

namespace Listes360.Cli.Commands;

/// <summary>
/// The local key that signs development tokens, kept in the clone's git-ignored <c>.data/auth</c>
/// so that `up`, `serve` and `token` agree. Production validates tokens of an OIDC provider instead.
/// </summary>
internal static class DevSigningKey
{
    public static string Path(string root) => System.IO.Path.Combine(root, ".data", "auth", "dev-signing-key");

    public static string LoadOrCreate(string root)
    {
        var path = Path(root);
        if (File.Exists(path))
            return File.ReadAllText(path).Trim();
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        var key = DevTokens.NewSigningKey();
        File.WriteAllText(path, key);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return key;
    }
}
