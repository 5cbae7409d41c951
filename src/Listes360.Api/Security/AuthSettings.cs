namespace Listes360.Api.Security;

/// <summary>
/// Token validation (configuration section <c>Auth</c>). In production, <see cref="Authority"/> names
/// the OIDC provider whose keys sign the tokens; in development and tests a local symmetric key does.
/// </summary>
public sealed class AuthSettings
{
    public const string Section = "Auth";

    public string Issuer { get; set; } = "listes360-dev";
    public string Audience { get; set; } = "listes360";

    /// <summary>OIDC authority (its discovery document gives the signing keys); wins over <see cref="SigningKey"/>.</summary>
    public string? Authority { get; set; }

    /// <summary>Development signing key, base64, at least 32 bytes.</summary>
    public string? SigningKey { get; set; }
}
