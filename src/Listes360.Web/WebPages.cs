using Listes360.Web.Components;
using Listes360.Web.Sessions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;

namespace Listes360.Web;

/// <summary>Registration and mapping of the web pages in the API host (two lines there).</summary>
public static class WebPages
{
    /// <summary>Where the host serves the State's design system (copied from npm at build time).</summary>
    public const string DsfrPath = "/dsfr";

    /// <summary>Where the host serves the pages' own stylesheet (screen and print).</summary>
    public const string AssetsPath = "/assets";

    /// <summary>
    /// The pages' services. <typeparamref name="TSignIn"/> is the host's token rules (minting a development
    /// token, reading a caller from a token), so that the pages never copy them.
    /// </summary>
    public static IServiceCollection AddListes360Web<TSignIn>(this IServiceCollection services) where TSignIn : class, IWebSignIn
    {
        services.AddRazorComponents();
        services.AddHttpContextAccessor();
        services.AddSingleton<IWebSignIn, TSignIn>();
        services.AddScoped<WebCaller>();
        return services;
    }

    /// <summary>Serves /dsfr and /assets from the build output, and the pages (anti-forgery on every form).</summary>
    public static WebApplication MapListes360Web(this WebApplication app)
    {
        var dsfr = Path.Combine(AppContext.BaseDirectory, "dsfr");
        var assets = Path.Combine(AppContext.BaseDirectory, "web-assets");
        if (!File.Exists(Path.Combine(dsfr, "dsfr.min.css")) || !Directory.Exists(assets))
            throw new InvalidOperationException(
                $"Les fichiers du système de design de l'État sont absents de {dsfr} : reconstruisez l'hôte (dotnet build ; il lance « npm ci » dans infra/dsfr).");
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new PhysicalFileProvider(dsfr),
            RequestPath = DsfrPath,
            OnPrepareResponse = context => context.Context.Response.Headers.CacheControl = "public, max-age=86400",
        });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(assets), RequestPath = AssetsPath });
        app.UseAntiforgery();
        if (app.Services.GetRequiredService<IWebSignIn>().OpenIdConnect)
        {
            // The development sign-in page does not exist beside a provider: 404, before any page runs.
            app.Use(async (http, next) =>
            {
                if (string.Equals(http.Request.Path.Value?.TrimEnd('/'), WebSession.SignInPath, StringComparison.OrdinalIgnoreCase))
                {
                    http.Response.StatusCode = StatusCodes.Status404NotFound;
                    http.Response.ContentType = "text/plain; charset=utf-8";
                    await http.Response.WriteAsync("Page introuvable : la connexion passe par le fournisseur d'identité (" + WebSession.OidcSignInPath + ").");
                    return;
                }
                await next();
            });
            app.MapGet(WebSession.OidcSignInPath, (HttpContext http, string? retour) =>
                Results.Challenge(new AuthenticationProperties { RedirectUri = WebSession.LocalReturn(retour) ?? "/" }, [WebSession.ProviderScheme]));
        }
        app.MapGet(Conseiller.ListExport.Path, Conseiller.ListExport.WriteAsync);
        Components.Pages.Observatory.ObservatoryExports.MapObservatoryExports(app);
        Components.Pages.Admin.AdminExports.MapAdminExports(app);
        app.MapRazorComponents<App>();
        return app;
    }
}
