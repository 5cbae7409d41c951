using System.Security.Claims;
using Listes360.Domain.Security;
using Listes360.Web;
using Listes360.Web.Sessions;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;

namespace Listes360.Api.Security;

/// <summary>
/// The web pages' sign-in, on the API's own token rules: a development token minted by
/// <see cref="DevTokens.Mint"/> (as <c>./listes360 token</c>), a caller read by
/// <see cref="Listes360Claims.ToCaller"/> (as GraphQL), and the session cookie validated under
/// <see cref="WebSession.Scheme"/> with <see cref="AuthenticationSetup.ValidationParameters"/>.
/// </summary>
public sealed class WebSignIn(IOptions<AuthSettings> options, IOptions<WebOidcSettings> oidc) : IWebSignIn
{
    private readonly AuthSettings settings = options.Value;

    /// <summary>Only without an OpenID Connect provider for the pages, and with the local development key.</summary>
    public bool DevelopmentSignIn => !OpenIdConnect && settings.Authority is null && settings.SigningKey is not null;

    public bool OpenIdConnect => oidc.Value.Enabled;

    public string MintDevelopmentToken(string subject, Role role, IReadOnlyList<string> finess, string? department, string? territory, TimeSpan lifetime) =>
        DevelopmentSignIn
            ? DevTokens.Mint(settings, subject, role, finess, department, territory, lifetime)
            : throw new InvalidOperationException("La connexion de développement n'existe pas quand un fournisseur OpenID Connect signe les jetons (Auth:Authority).");

    public (Caller? Caller, string? Error) ToCaller(ClaimsPrincipal user) => Listes360Claims.ToCaller(user);

    /// <summary>
    /// The pages, and the scheme that reads their session: with Web:Oidc, a cookie holding the identity the
    /// provider signed in (its claims mapped by <see cref="WebOidcClaims.Map"/>); without, a cookie holding
    /// a development token read with the API's token rules.
    /// </summary>
    public static IServiceCollection AddListes360WebSignIn(IServiceCollection services, IConfiguration configuration)
    {
        var settings = configuration.GetSection(AuthSettings.Section).Get<AuthSettings>() ?? new AuthSettings();
        services.Configure<AuthSettings>(configuration.GetSection(AuthSettings.Section));
        var oidc = configuration.GetSection(WebOidcSettings.Section).Get<WebOidcSettings>() ?? new WebOidcSettings();
        services.Configure<WebOidcSettings>(configuration.GetSection(WebOidcSettings.Section));
        if (oidc.Problem() is { } problem)
            throw new InvalidOperationException("Connexion OpenID Connect des pages mal configurée : " + problem);
        if (oidc.Enabled)
        {
            WebOidcSignIn.Add(services, oidc);
            services.AddListes360Web<WebSignIn>();
            return services;
        }
        services.AddAuthentication().AddJwtBearer(WebSession.Scheme, jwt =>
        {
            jwt.MapInboundClaims = false;
            jwt.Authority = settings.Authority;
            jwt.RequireHttpsMetadata = settings.Authority?.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ?? false;
            jwt.TokenValidationParameters = AuthenticationSetup.ValidationParameters(settings);
            jwt.Events = new JwtBearerEvents
            {
                // The session cookie only: a page never takes a bearer header, GraphQL never takes the cookie.
                OnMessageReceived = context =>
                {
                    if (context.Request.Cookies.TryGetValue(WebSession.CookieName, out var token) && token.Length > 0)
                        context.Token = token;
                    else
                        context.NoResult();
                    return Task.CompletedTask;
                },
                OnChallenge = context =>
                {
                    context.HandleResponse();
                    var back = context.Request.Path + context.Request.QueryString;
                    context.Response.Redirect($"{WebSession.SignInPath}?retour={Uri.EscapeDataString(back)}");
                    return Task.CompletedTask;
                },
            };
        });
        services.AddListes360Web<WebSignIn>();
        services.AddSingleton<Listes360.Web.Conseiller.IListCsvExport, Exports.WaitingListExport.ForWebPages>();
        return services;
    }
}
