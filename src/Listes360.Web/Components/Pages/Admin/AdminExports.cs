using System.Text;
using Listes360.Domain;
using Listes360.Domain.Time;
using Listes360.Grains.Security;
using Listes360.Web.Sessions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Listes360.Web.Components.Pages.Admin;

/// <summary><c>GET /admin/journal.csv</c>: the audit trail with the page's filters, as the signed-in caller (administration only; the grain decides again).</summary>
public static class AdminExports
{
    public static void MapAdminExports(this IEndpointRouteBuilder endpoints) => endpoints.MapGet("/admin/journal.csv", WriteAsync);

    private static async Task WriteAsync(HttpContext http)
    {
        var session = http.RequestServices.GetRequiredService<WebCaller>();
        var caller = await session.GetAsync();
        if (caller is null)
        {
            http.Response.Redirect($"{WebSession.SignInPath}?retour={Uri.EscapeDataString(http.Request.Path + http.Request.QueryString)}");
            return;
        }
        var (query, errors) = AuditFilters.Of(http.Request.Query).ToQuery(ParisDate.Today(http.RequestServices.GetRequiredService<TimeProvider>()));
        if (query is null)
        {
            await TextAsync(http, StatusCodes.Status400BadRequest, "Le journal n'a pas été exporté : " + string.Join(" ; ", errors.Values));
            return;
        }
        IReadOnlyList<AuditEntry> entries;
        try
        {
            var grains = http.RequestServices.GetRequiredService<IGrainFactory>();
            entries = await session.RunAsync(caller, () => grains.GetGrain<IAuditGrain>(AuditGrain.Key).QueryAsync(query));
        }
        catch (DomainException e)
        {
            await TextAsync(http, e.Code == "FORBIDDEN" ? StatusCodes.Status403Forbidden : StatusCodes.Status400BadRequest, e.Message);
            return;
        }
        http.Response.ContentType = "text/csv; charset=utf-8";
        http.Response.Headers.ContentDisposition = "attachment; filename=\"journal-audit.csv\"";
        http.Response.Headers.CacheControl = "no-store";
        await http.Response.WriteAsync(AuditFilters.Csv(entries), new UTF8Encoding(false));
    }

    private static async Task TextAsync(HttpContext http, int status, string message)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "text/plain; charset=utf-8";
        await http.Response.WriteAsync(message);
    }
}
