using Listes360.Api.Security;

namespace Listes360.Cli.Commands;

/// <summary>
/// The local key that signs development tokens, kept in the clone's git-ignored <c>.data/auth</c>
/// so that `up`, `serve` and `token` agree. Production validates tokens of an OIDC provider instead.
/// </summary>
internal static class DevSigningKey
{
    public static string Path(string root, string name = "dev-signing-key") => System.IO.Path.Combine(root, ".data", "auth", name);

    /// <summary>The named local secret (32 random bytes, base64), made on first use.</summary>
    public static string LoadOrCreate(string root, string name = "dev-signing-key")
    {
        var path = Path(root, name);
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
