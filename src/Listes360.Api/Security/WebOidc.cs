using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.Cookies;
using Listes360.Domain.Security;
using Listes360.Web.Sessions;

namespace Listes360.Api.Security;

/// <summary>
/// The web pages' sign-in through an OpenID Connect provider (configuration section <c>Web:Oidc</c>;
/// ProConnect, an Entra ID tenant, any provider): on when <see cref="Authority"/> is set, and then the
/// development role-choice page does not exist. The provider's claims are mapped to the claims the API
/// reads (<see cref="Listes360Claims"/>), so a page's caller is the one a token with those claims makes.
/// </summary>
public sealed class WebOidcSettings
{
    public const string Section = "Web:Oidc";

    /// <summary>The provider's address (its /.well-known/openid-configuration gives the endpoints and keys).</summary>
    public string? Authority { get; set; }

    public string? ClientId { get; set; }

    /// <summary>The client's secret (from a secret store, never a committed file); none for a public client with PKCE.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>Scopes asked for, separated by spaces.</summary>
    public string Scopes { get; set; } = "openid profile email";

    /// <summary>Where the provider sends the browser back (to declare at the provider).</summary>
    public string CallbackPath { get; set; } = "/signin-oidc";

    /// <summary>Reads the user info endpoint too (ProConnect gives its claims there).</summary>
    public bool UserInfo { get; set; } = true;

    /// <summary>The provider's claim carrying the role (Entra ID: « roles »).</summary>
    public string RoleClaim { get; set; } = "role";

    /// <summary>The provider's claim carrying the FINESS of a director's ESMS (several values or separated by commas).</summary>
    public string FinessClaim { get; set; } = "finess";

    public string DepartmentClaim { get; set; } = "department";

    public string TerritoryClaim { get; set; } = "territory";

    public string SubjectClaim { get; set; } = "sub";

    /// <summary>The display name written in the audit trail and histories.</summary>
    public string NameClaim { get; set; } = "name";

    /// <summary>A provider's role value → a Listes360 role (esms-director, territorial-staff, mdph-referent, observatory, admin).</summary>
    public Dictionary<string, string> Roles { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The département of a deployment, for users whose provider gives none.</summary>
    public string? Department { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(Authority);

    /// <summary>The French reason these settings cannot work, or null.</summary>
    public string? Problem() =>
        !Enabled ? null
        : !Uri.TryCreate(Authority, UriKind.Absolute, out var authority) || authority.Scheme is not ("https" or "http")
            ? $"Web:Oidc:Authority « {Authority} » n'est pas une adresse http(s) absolue."
        : string.IsNullOrWhiteSpace(ClientId) ? "Web:Oidc:ClientId manque : l'identifiant de Listes360 chez le fournisseur d'identité."
        : !CallbackPath.StartsWith('/') ? $"Web:Oidc:CallbackPath « {CallbackPath} » doit commencer par « / »."
        : Roles.FirstOrDefault(r => !RoleNames.TryParseClaim(r.Value, out _)) is { Key: not null } bad
            ? $"Web:Oidc:Roles:{bad.Key} vaut « {bad.Value} », qui n'est pas un rôle Listes360 ({string.Join(", ", RoleNames.ClaimValues)})."
        : null;
}

/// <summary>The provider's claims → the claims the API reads. A pure function (unit-tested).</summary>
public static class WebOidcClaims
{
    /// <summary>
    /// The Listes360 identity of a user signed in by the provider, or the French reason there is none. Role
    /// values are translated by <see cref="WebOidcSettings.Roles"/> (a value that is already a Listes360 role
    /// passes; others, e.g. roles of other applications, are ignored); exactly one role must remain. The
    /// result is checked by <see cref="Listes360Claims.ToCaller"/>, the API's own rule.
    /// </summary>
    public static (ClaimsIdentity? Identity, string? Error) Map(IEnumerable<Claim> providerClaims, WebOidcSettings settings)
    {
        var claims = providerClaims.ToList();
        IEnumerable<string> Values(string type) =>
            claims.Where(c => c.Type == type).Select(c => c.Value.Trim()).Where(v => v.Length > 0);

        var roles = Values(settings.RoleClaim)
            .Select(v => settings.Roles.TryGetValue(v, out var mapped) ? mapped : RoleNames.TryParseClaim(v, out _) ? v : null)
            .OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        if (roles.Count == 0)
            return (null, $"Le fournisseur d'identité ne donne aucun rôle Listes360 pour ce compte (claim « {settings.RoleClaim} ») : demandez à l'administrateur de vous attribuer un rôle.");
        var subject = Values(settings.SubjectClaim).FirstOrDefault();
        if (subject is null)
            return (null, $"Le fournisseur d'identité ne donne pas d'identifiant de compte (claim « {settings.SubjectClaim} »).");

        var mappedClaims = new List<Claim> { new(Listes360Claims.Subject, subject) };
        if (Values(settings.NameClaim).FirstOrDefault() is { } name)
            mappedClaims.Add(new Claim(Listes360Claims.Name, name));
        mappedClaims.AddRange(roles.Select(r => new Claim(Listes360Claims.Role, r)));
        mappedClaims.AddRange(Values(settings.FinessClaim)
            .SelectMany(v => v.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries))
            .Distinct(StringComparer.Ordinal).Select(f => new Claim(Listes360Claims.Finess, f)));
        if ((Values(settings.DepartmentClaim).FirstOrDefault() ?? settings.Department) is { } department)
            mappedClaims.Add(new Claim(Listes360Claims.Department, department));
        if (Values(settings.TerritoryClaim).FirstOrDefault() is { } territory)
            mappedClaims.Add(new Claim(Listes360Claims.Territory, territory));

        var identity = new ClaimsIdentity(mappedClaims, WebSession.Scheme, Listes360Claims.Name, Listes360Claims.Role);
        var (_, error) = Listes360Claims.ToCaller(new ClaimsPrincipal(identity));
        return error is null ? (identity, null) : (null, error);
    }
}

/// <summary>The schemes of the pages' OpenID Connect sign-in: the provider's (code flow with PKCE) and the session cookie it fills.</summary>
internal static class WebOidcSignIn
{
    public static void Add(IServiceCollection services, WebOidcSettings settings)
    {
        services.AddAuthentication()
            .AddCookie(WebSession.Scheme, cookie =>
            {
                cookie.Cookie.Name = WebSession.CookieName;
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SecurePolicy = CookieSecurePolicy.Always;
                // Lax, not Strict: the first page after the provider's redirect must carry the new session.
                cookie.Cookie.SameSite = SameSiteMode.Lax;
                cookie.Cookie.IsEssential = true;
                cookie.ExpireTimeSpan = WebSession.Lifetime;
                cookie.SlidingExpiration = false;
                cookie.ForwardChallenge = WebSession.ProviderScheme;
            })
            .AddOpenIdConnect(WebSession.ProviderScheme, options =>
            {
                options.Authority = settings.Authority;
                options.RequireHttpsMetadata = settings.Authority!.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
                options.ClientId = settings.ClientId;
                options.ClientSecret = string.IsNullOrWhiteSpace(settings.ClientSecret) ? null : settings.ClientSecret;
                options.ResponseType = "code";
                options.UsePkce = true;
                options.CallbackPath = settings.CallbackPath;
                options.SignInScheme = WebSession.Scheme;
                options.MapInboundClaims = false;
                options.GetClaimsFromUserInfoEndpoint = settings.UserInfo;
                options.SaveTokens = false;
                options.Scope.Clear();
                foreach (var scope in settings.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                    options.Scope.Add(scope);
                options.TokenValidationParameters.NameClaimType = settings.NameClaim;
                options.TokenValidationParameters.RoleClaimType = settings.RoleClaim;
                options.Events.OnTicketReceived = async context =>
                {
                    var (identity, error) = WebOidcClaims.Map(context.Principal?.Claims ?? [], settings);
                    if (identity is null)
                    {
                        context.HandleResponse();
                        await RefuseAsync(context.HttpContext, error!);
                        return;
                    }
                    context.Principal = new ClaimsPrincipal(identity);
                    context.Properties!.IsPersistent = false;
                    context.Properties.ExpiresUtc = DateTimeOffset.UtcNow.Add(WebSession.Lifetime);
                };
                options.Events.OnRemoteFailure = async context =>
                {
                    context.HandleResponse();
                    context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Listes360.Authentication")
                        .LogWarning("Connexion OpenID Connect échouée : {Detail}", context.Failure?.Message);
                    await RefuseAsync(context.HttpContext, "Le fournisseur d'identité n'a pas confirmé la connexion (réponse absente, expirée ou invalide) : recommencez depuis la page demandée.");
                };
            });
    }

    /// <summary>A refused sign-in: HTTP 403 and a short French page saying why (no session is stored).</summary>
    private static async Task RefuseAsync(HttpContext http, string reason)
    {
        http.Response.StatusCode = StatusCodes.Status403Forbidden;
        http.Response.ContentType = "text/html; charset=utf-8";
        var text = System.Net.WebUtility.HtmlEncode(reason);
        await http.Response.WriteAsync($"""
            <!DOCTYPE html>
            <html lang="fr"><head><meta charset="utf-8"><title>Connexion refusée — Listes360</title>
            <link rel="stylesheet" href="/dsfr/dsfr.min.css"></head>
            <body><main class="fr-container fr-my-6w" role="main"><h1>Connexion refusée</h1><p>{text}</p>
            <p><a class="fr-link" href="/">Revenir à l'accueil</a></p></main></body></html>
            """);
    }
}
