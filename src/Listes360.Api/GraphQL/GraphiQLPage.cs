using System.Net;
using System.Reflection;

namespace Listes360.Api.GraphQL;

/// <summary>
/// GraphiQL at <c>/graphiql</c>, for development: the pinned npm <c>graphiql</c> bundled offline
/// (<c>infra/graphiql</c>, output committed in <c>wwwroot/graphiql</c> and embedded in this assembly),
/// so the page loads nothing from any other server. It holds no data: every request it sends to
/// <c>/graphql</c> needs the bearer token the user pastes in its « Headers » tab.
/// </summary>
public static class GraphiQLPage
{
    /// <summary>Configuration key that turns the page on or off; by default it is on in Development only.</summary>
    public const string SettingKey = "Api:GraphiQL";

    public const string Path = "/graphiql";

    /// <summary>Nothing but this server: scripts, styles, fonts and requests (inline styles for the editor's layout).</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
        "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static readonly (string File, string MediaType)[] Assets =
    [
        ("graphiql.js", "text/javascript; charset=utf-8"),
        ("graphiql.css", "text/css; charset=utf-8"),
        ("LICENSES.txt", "text/plain; charset=utf-8"),
        ("versions.json", "application/json; charset=utf-8"),
    ];

    public static bool IsEnabled(IConfiguration configuration, IHostEnvironment environment) =>
        configuration.GetValue(SettingKey, environment.IsDevelopment());

    public static IEndpointRouteBuilder MapListes360GraphiQL(this IEndpointRouteBuilder endpoints, string graphqlPath = "/graphql")
    {
        endpoints.MapGet(Path, (HttpContext http) =>
        {
            SetHeaders(http.Response);
            var assets = http.Request.PathBase + Path;
            return Results.Content(Html(assets, http.Request.PathBase + graphqlPath), "text/html; charset=utf-8");
        }).AllowAnonymous();

        foreach (var (file, mediaType) in Assets)
        {
            var resource = "graphiql/" + file;
            endpoints.MapGet($"{Path}/{file}", (HttpContext http) =>
            {
                var stream = typeof(GraphiQLPage).Assembly.GetManifestResourceStream(resource);
                if (stream is null)
                    return Results.Problem($"La ressource {resource} manque dans l'assemblage : reconstruisez le projet.", statusCode: 500);
                SetHeaders(http.Response);
                return Results.Stream(stream, mediaType);
            }).AllowAnonymous();
        }
        return endpoints;
    }

    private static void SetHeaders(HttpResponse response)
    {
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers.CacheControl = "no-cache";
    }

    private static string Html(string assets, string endpoint)
    {
        var a = WebUtility.HtmlEncode(assets);
        var e = WebUtility.HtmlEncode(endpoint);
        return $$"""
            <!doctype html>
            <html lang="fr">
            <head>
              <meta charset="utf-8">
              <meta name="viewport" content="width=device-width, initial-scale=1">
              <meta name="robots" content="noindex">
              <title>Listes360 — GraphiQL</title>
              <link rel="stylesheet" href="{{a}}/graphiql.css">
            </head>
            <body>
              <div id="graphiql" data-endpoint="{{e}}">Chargement de GraphiQL…</div>
              <script src="{{a}}/graphiql.js"></script>
            </body>
            </html>
            """;
    }
}
