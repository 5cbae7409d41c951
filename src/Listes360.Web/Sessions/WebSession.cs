using System.Security.Claims;
using Listes360.Domain.Security;
using Microsoft.AspNetCore.Http;

namespace Listes360.Web.Sessions;

/// <summary>
/// The pages' session: the same signed token the API takes (a development token minted like
/// <c>./listes360 token</c>, or the OpenID Connect provider's access token), kept in a Secure,
/// HttpOnly, SameSite=Strict cookie that ends when the token does. The host validates it with the
/// API's own token rules under <see cref="Scheme"/>.
/// </summary>
public static class WebSession
{
    public const string Scheme = "Listes360Web";
    public const string CookieName = "listes360_session";

    /// <summary>How long a development sign-in lasts (the token's lifetime and the cookie's).</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(8);

    /// <summary>The development sign-in page (role choice); it answers 404 when an OpenID Connect provider signs users in.</summary>
    public const string SignInPath = "/connexion";

    /// <summary>With OpenID Connect: the address that sends the browser to the provider (then back to « retour »).</summary>
    public const string OidcSignInPath = "/connexion/oidc";

    /// <summary>The OpenID Connect provider's scheme (the session itself is under <see cref="Scheme"/>).</summary>
    public const string ProviderScheme = "Listes360Oidc";

    /// <summary>Where a visitor signs in: the provider when one is configured, else the development page.</summary>
    public static string SignInPathFor(IWebSignIn signIn) => signIn.OpenIdConnect ? OidcSignInPath : SignInPath;

    public static CookieOptions CookieOptions(DateTimeOffset expires) => new()
    {
        Secure = true,
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Path = "/",
        Expires = expires,
        IsEssential = true,
    };

    /// <summary>Stores <paramref name="token"/> as the session cookie until <paramref name="expires"/>.</summary>
    public static void Store(HttpResponse response, string token, DateTimeOffset expires) =>
        response.Cookies.Append(CookieName, token, CookieOptions(expires));

    public static void End(HttpResponse response) =>
        response.Cookies.Delete(CookieName, CookieOptions(DateTimeOffset.UnixEpoch));

    /// <summary>A local path to return to after sign-in, or null (never another site: no open redirect).</summary>
    public static string? LocalReturn(string? path) =>
        path is { Length: > 1 } p && p[0] == '/' && p[1] != '/' && p[1] != '\\' && !p.Contains("://", StringComparison.Ordinal) ? p : null;
}

/// <summary>
/// What the pages need from the host's token rules (implemented by the API host, which owns them):
/// minting a development token exactly as <c>./listes360 token</c> does, and turning a validated
/// token into a <see cref="Caller"/> exactly as GraphQL does.
/// </summary>
public interface IWebSignIn
{
    /// <summary>True when tokens are signed with the local development key (no OpenID Connect authority): the role-choice page is offered.</summary>
    bool DevelopmentSignIn { get; }

    /// <summary>True when an OpenID Connect provider signs users in (Web:Oidc settings).</summary>
    bool OpenIdConnect { get; }

    string MintDevelopmentToken(string subject, Role role, IReadOnlyList<string> finess, string? department, string? territory, TimeSpan lifetime);

    (Caller? Caller, string? Error) ToCaller(ClaimsPrincipal user);
}
