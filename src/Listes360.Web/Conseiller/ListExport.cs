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
/// <c>GET /conseiller/liste.csv</c>: the conseiller page's download link, the departmental list with the
/// page's filters and search. The export itself is the service's one CSV export of the list, the API's
/// <c>/exports/waiting-list.csv</c> (<see cref="IListCsvExport"/>, implemented by the host): the same file,
/// the same audit (one entry per person exported, one for the export). This route only reads the session
/// cookie and the page's filters. Roles: those of the conseiller pages; a refusal is a French 403 before
/// any line is written, bad filters a French 400.
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
            http.Response.Redirect($"{WebSession.SignInPathFor(http.RequestServices.GetRequiredService<IWebSignIn>())}?retour={Uri.EscapeDataString(Path + http.Request.QueryString)}");
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
        await http.RequestServices.GetRequiredService<IListCsvExport>().WriteAsync(http, caller, query.ToRequest(caller.Department!, null, ListQuery.PageSize));
    }

    private static async Task TextAsync(HttpContext http, int status, string message)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "text/plain; charset=utf-8";
        await http.Response.WriteAsync(message);
    }
}

/// <summary>
/// The service's one CSV export of the departmental list (implemented by the API host, which serves it
/// at <c>/exports/waiting-list.csv</c>): <see cref="WaitingListCsvExport"/> run as the caller, its answer
/// written to the response (the file, or a French 403, 400 or 503).
/// </summary>
public interface IListCsvExport
{
    Task WriteAsync(HttpContext http, Caller caller, WaitingListRequest request);
}
