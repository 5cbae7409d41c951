using System.Globalization;
using System.Text;
using GraphQL.Types;
using Listes360.Api.GraphQL;
using Listes360.Api.Security;
using Listes360.Application.WaitingList;
using Listes360.Domain;
using Listes360.Domain.Registry;
using Listes360.Domain.WaitingList;
using Listes360.Grains.Registry;
using Listes360.Grains.Security;

namespace Listes360.Api.Exports;

/// <summary>
/// The departmental list as CSV over HTTP: <c>GET /exports/waiting-list.csv?department=61[&amp;…]</c>,
/// with the <c>waitingList</c> query's filter, order and search as query-string parameters (same
/// names, same values; lists comma-separated). Same token, same roles, same scope as the query.
/// The export itself — the rows, the file, and its audit (one entry per person exported, one for the
/// export) — is <see cref="WaitingListCsvExport"/>, the one behind the conseiller page's download link
/// too (<see cref="WriteAsync"/>): this route only reads the token and the parameters.
/// </summary>
public static class WaitingListExport
{
    public const string Path = "/exports/waiting-list.csv";
    public const string Operation = WaitingListCsvExport.Operation;

    public static void MapWaitingListExport(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet(Path, ExportAsync).RequireAuthorization();

    private static async Task ExportAsync(HttpContext http)
    {
        var (caller, refusal) = Listes360Claims.ToCaller(http.User);
        if (caller is null)
        {
            await ApiAudit.RefusedAsync(http, Operation, refusal!);
            await PlainAsync(http, StatusCodes.Status403Forbidden, refusal!);
            return;
        }
        WaitingListRequest request;
        try
        {
            using (CallerContext.As(caller))
                request = RequestOf(http.Request.Query);
        }
        catch (DomainException e)
        {
            await PlainAsync(http, StatusCodes.Status400BadRequest, $"{e.Code} : {e.Message}");
            return;
        }
        await WriteAsync(http, caller, request);
    }

    /// <summary>
    /// Exports <paramref name="request"/> as <paramref name="caller"/> and writes the answer: the file, or
    /// a French refusal (403 when the caller may not read the list, 400 for bad parameters, 503 when the
    /// audit trail could not record the rows), nothing of the list sent before every row is audited.
    /// </summary>
    public static async Task WriteAsync(HttpContext http, Domain.Security.Caller caller, WaitingListRequest request)
    {
        WaitingListFile file;
        try
        {
            file = await http.RequestServices.GetRequiredService<WaitingListCsvExport>()
                .ExportAsync(caller, request, http.Request.Path + http.Request.QueryString, http.RequestAborted);
        }
        catch (DomainException e)
        {
            var status = e.Code switch
            {
                "FORBIDDEN" => StatusCodes.Status403Forbidden,
                WaitingListCsvExport.AuditUnavailable => StatusCodes.Status503ServiceUnavailable,
                _ => StatusCodes.Status400BadRequest,
            };
            await PlainAsync(http, status, $"{e.Code} : {e.Message}");
            return;
        }
        http.Response.ContentType = "text/csv; charset=utf-8";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"{file.FileName}\"";
        http.Response.Headers.CacheControl = "no-store";
        await http.Response.Body.WriteAsync(file.Content, http.RequestAborted);
    }

    /// <summary>The conseiller page's download link (<c>/conseiller/liste.csv</c>) hands its signed-in caller and filters to this export.</summary>
    internal sealed class ForWebPages : Listes360.Web.Conseiller.IListCsvExport
    {
        public Task WriteAsync(HttpContext http, Domain.Security.Caller caller, WaitingListRequest request) => WaitingListExport.WriteAsync(http, caller, request);
    }

    /// <summary>The <c>waitingList</c> arguments from the query string, refused in French when one cannot be read.</summary>
    internal static WaitingListRequest RequestOf(IQueryCollection q)
    {
        var known = new HashSet<string>(StringComparer.Ordinal)
        {
            "department", "territory", "kinds", "modalities", "situations", "statuses", "flags", "urgent", "withoutSolution",
            "waitingSinceFrom", "waitingSinceTo", "orientationEndingBefore", "esms", "includePreferredEsmsOnly", "orderBy", "scoreKind", "search",
        };
        if (q.Keys.FirstOrDefault(k => !known.Contains(k)) is { } unknown)
            throw new DomainException("INVALID_PARAMETER",
                $"Paramètre « {unknown} » inconnu ; paramètres possibles : {string.Join(", ", known)}.", unknown);
        if (q.Keys.FirstOrDefault(k => q[k].Count > 1) is { } repeated)
            throw new DomainException("INVALID_PARAMETER", $"Le paramètre « {repeated} » est donné plusieurs fois ; une liste s'écrit séparée par des virgules (kinds=IME,MAS).", repeated);
        var department = QueryType.Department(q["department"]);
        var filter = new WaitingListFilterInput(
            Territory: Text(q, "territory"),
            Kinds: List<KindOfSupport>(q, "kinds", new KindOfSupportType()),
            Modalities: List<Modality>(q, "modalities", new ModalityType()),
            Situations: List<Domain.Persons.SituationKind>(q, "situations", new SituationKindType()),
            Statuses: List<Domain.Candidatures.CandidatureStatus>(q, "statuses", new CandidatureStatusType()),
            Flags: List<Domain.Risk.RiskFlag>(q, "flags", new RiskFlagType()),
            Urgent: Bool(q, "urgent"),
            WithoutSolution: Bool(q, "withoutSolution"),
            WaitingSinceFrom: Date(q, "waitingSinceFrom"),
            WaitingSinceTo: Date(q, "waitingSinceTo"),
            OrientationEndingBefore: Date(q, "orientationEndingBefore"),
            Esms: Text(q, "esms"),
            IncludePreferredEsmsOnly: Bool(q, "includePreferredEsmsOnly") ?? false).ToFilter();
        var order = Text(q, "orderBy") is { } o ? One<WaitingListOrder>(o, "orderBy", new WaitingListOrderType()) : WaitingListOrder.OldestRequest;
        var scoreKind = Text(q, "scoreKind") is { } k ? One<KindOfSupport>(k, "scoreKind", new KindOfSupportType()) : (KindOfSupport?)null;
        // The search as given (a blank one is refused as by the query, not ignored).
        var search = q.ContainsKey("search") ? (string?)q["search"] ?? "" : null;
        return new WaitingListRequest(department, filter, order, search, null, Domain.Paging.PageLimits.MaxPageSize, scoreKind);
    }

    private static string? Text(IQueryCollection q, string name) => (string?)q[name] is { } v && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;

    private static bool? Bool(IQueryCollection q, string name) => Text(q, name) switch
    {
        null => null,
        "true" or "oui" => true,
        "false" or "non" => false,
        var v => throw new DomainException("INVALID_PARAMETER", $"« {v} » n'est pas un booléen pour « {name} » : true ou false.", name),
    };

    private static DateOnly? Date(IQueryCollection q, string name) => Text(q, name) is not { } v
        ? null
        : DateOnly.TryParseExact(v, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d
            : throw new DomainException("INVALID_DATE", $"« {v} » n'est pas une date AAAA-MM-JJ pour « {name} ».", name);

    private static List<T>? List<T>(IQueryCollection q, string name, EnumerationGraphType type) =>
        Text(q, name)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(v => One<T>(v, name, type)).ToList();

    /// <summary>A value by its GraphQL name (the same as the query's), e.g. <c>MAS</c>, <c>RESIDENTIAL</c>, <c>AT_HOME_WITHOUT_SOLUTION</c>.</summary>
    private static T One<T>(string value, string name, EnumerationGraphType type) =>
        type.Values.FindByName(value.ToUpperInvariant()) is { Value: T found }
            ? found
            : throw new DomainException("INVALID_PARAMETER",
                $"« {value} » n'est pas une valeur possible de « {name} » : {string.Join(", ", type.Values.Select(v => v.Name))}.", name);

    private static async Task PlainAsync(HttpContext http, int status, string message)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "text/plain; charset=utf-8";
        await http.Response.WriteAsync(message, Encoding.UTF8);
    }
}
