using System.Text;
using Listes360.Application.WaitingList;
using Listes360.Domain;
using Listes360.Domain.Security;
using Listes360.Domain.WaitingList;
using Listes360.Web.Components;
using Listes360.Web.Sessions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Listes360.Web.Conseiller;

/// <summary>
/// <c>GET /conseiller/liste.csv</c>: the departmental list with the page's filters and search, as the
/// domain's CSV (<see cref="WaitingListCsv"/>), streamed page by page as the signed-in caller (each page
/// read is audited by the grains, as for GraphQL). Roles: those of the conseiller pages; a refusal is a
/// French 403 before any line is written, bad filters a French 400.
/// </summary>
public static class ListExport
{
    public const string Path = "/conseiller/liste.csv";

    public static async Task WriteAsync(HttpContext http)
    {
        var session = http.RequestServices.GetRequiredService<WebCaller>();
        var caller = await session.GetAsync();
        if (caller is null)
        {
            http.Response.Redirect($"{WebSession.SignInPath}?retour={Uri.EscapeDataString(Path + http.Request.QueryString)}");
            return;
        }
        if (!ConseillerPage.Roles.Contains(caller.Role) || string.IsNullOrEmpty(caller.Department))
        {
            await TextAsync(http, StatusCodes.Status403Forbidden, $"Accès refusé : l'export de la liste départementale est ouvert au staff territorial, aux référents MDPH et à l'administration de leur département, pas au rôle « {caller.Role.French()} »{(caller.Department is null ? " sans département" : "")}.");
            return;
        }
        var query = ListQuery.Parse(http.Request.Query);
        if (query.Errors.Count > 0)
        {
            await TextAsync(http, StatusCodes.Status400BadRequest, "La liste n'a pas été exportée : " + string.Join(" ; ", query.Errors.Values));
            return;
        }
        var lists = http.RequestServices.GetRequiredService<WaitingListQueries>();
        await session.RunAsync(caller, async () =>
        {
            await using var rows = lists.AllAsync(query.ToRequest(caller.Department!, null, ListQuery.PageSize)).GetAsyncEnumerator(http.RequestAborted);
            bool any;
            try
            {
                any = await rows.MoveNextAsync(); // the first page is read (and refused, if it is) before the response starts
            }
            catch (DomainException e)
            {
                await TextAsync(http, e.Code == "FORBIDDEN" ? StatusCodes.Status403Forbidden : StatusCodes.Status400BadRequest, e.Message);
                return 0;
            }
            http.Response.ContentType = "text/csv; charset=utf-8";
            http.Response.Headers.ContentDisposition = $"attachment; filename=\"liste-attente-{caller.Department}-{DateTime.UtcNow:yyyyMMdd}.csv\"";
            http.Response.Headers.CacheControl = "no-store";
            await http.Response.Body.WriteAsync(WaitingListCsv.Preamble.ToArray(), http.RequestAborted);
            var writer = new StreamWriter(http.Response.Body, new UTF8Encoding(false), 16 * 1024) { NewLine = "\r\n" };
            await writer.WriteLineAsync(WaitingListCsv.HeaderLine);
            while (any)
            {
                await writer.WriteLineAsync(WaitingListCsv.Line(rows.Current));
                any = await rows.MoveNextAsync();
            }
            await writer.FlushAsync(http.RequestAborted);
            return 0;
        });
    }

    private static async Task TextAsync(HttpContext http, int status, string message)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "text/plain; charset=utf-8";
        await http.Response.WriteAsync(message);
    }
}
