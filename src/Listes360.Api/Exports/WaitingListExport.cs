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
/// names, same values; lists comma-separated). Same token, same roles, same scope as the query
/// (the list shards decide: territorial-staff — their territory when the token names one —,
/// mdph-referent, admin). The file is <see cref="WaitingListCsv"/>'s: UTF-8 with a byte-order mark,
/// « ; », French headers, formula-safe cells. Every exported row is audited before a byte is sent:
/// one audit entry per person exported (target the person's id, so that « who read this person's
/// data » finds the export), and one for the export itself (target the département, with its
/// parameters and row count).
/// </summary>
public static class WaitingListExport
{
    public const string Path = "/exports/waiting-list.csv";
    public const string Operation = "Export CSV de la liste départementale";

    /// <summary>Audit entries written at once (the trail's table takes one row per call).</summary>
    private const int AuditParallelism = 16;

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
        using var acting = CallerContext.As(caller);
        // One export is one request for the audit: the shards' reads are deduplicated (RequestAuditDeduplication).
        var requestId = Guid.NewGuid().ToString("N");
        RequestContext.Set(RequestAuditDeduplication.RequestKey, requestId);
        WaitingListRequest request;
        byte[] body;
        List<WaitingListEntry> rows;
        try
        {
            request = RequestOf(http.Request.Query);
            var queries = http.RequestServices.GetRequiredService<WaitingListQueries>();
            rows = [];
            await foreach (var row in queries.AllAsync(request))
                rows.Add(row);
            var names = await EsmsNamesAsync(http.RequestServices.GetRequiredService<IGrainFactory>(), rows);
            body = WaitingListCsv.Write(rows, f => names.GetValueOrDefault(f));
        }
        catch (DomainException e)
        {
            await PlainAsync(http, e.Code == "FORBIDDEN" ? StatusCodes.Status403Forbidden : StatusCodes.Status400BadRequest, $"{e.Code} : {e.Message}");
            return;
        }

        try
        {
            await AuditRowsAsync(http, caller, request, rows, requestId);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // No row leaves unaudited: without the trail, no file.
            http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(WaitingListExport))
                .LogError(e, "Export de la liste départementale : le journal d'audit n'a pas pu être écrit ; export refusé.");
            await PlainAsync(http, StatusCodes.Status503ServiceUnavailable,
                "AUDIT_UNAVAILABLE : le journal d'audit n'a pas pu enregistrer les lignes exportées ; l'export n'est pas envoyé. Réessayez plus tard.");
            return;
        }
        http.Response.ContentType = "text/csv; charset=utf-8";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"liste-departementale-{request.Department}.csv\"";
        await http.Response.Body.WriteAsync(body);
    }

    /// <summary>One entry per person exported, then one for the export (parameters and count), all with the request's id.</summary>
    private static async Task AuditRowsAsync(HttpContext http, Domain.Security.Caller caller, WaitingListRequest request, IReadOnlyList<WaitingListEntry> rows, string requestId)
    {
        var trail = http.RequestServices.GetRequiredService<IAuditTrail>();
        var clock = http.RequestServices.GetService<TimeProvider>() ?? TimeProvider.System;
        var query = http.Request.QueryString.Value ?? "";
        var at = clock.GetUtcNow();
        await Parallel.ForEachAsync(rows.Select((row, i) => (row, i)), new ParallelOptions { MaxDegreeOfParallelism = AuditParallelism, CancellationToken = http.RequestAborted },
            async (x, token) => await trail.AppendAsync(new AuditEntry(at, caller.Subject, caller.Role, Operation, AuditKind.Read, x.row.Person.Value, AuditOutcome.Done,
                $"ligne {x.i + 1} sur {rows.Count} de l'export {requestId} ({Path}{query})"), token));
        await trail.AppendAsync(new AuditEntry(at, caller.Subject, caller.Role, Operation, AuditKind.Read, request.Department, AuditOutcome.Done,
            $"export {requestId} : {rows.Count} personne(s) exportée(s) ({Path}{query})"), http.RequestAborted);
    }

    /// <summary>The names of the ESMS the rows name, read once each as the caller (an ESMS they may not read is left as its FINESS).</summary>
    private static async Task<Dictionary<FinessNumber, string>> EsmsNamesAsync(IGrainFactory grains, IEnumerable<WaitingListEntry> rows)
    {
        var finess = rows.SelectMany(r => r.Candidatures).Select(c => c.Finess).Distinct().ToList();
        var names = await Task.WhenAll(finess.Select(async f =>
        {
            try
            {
                return (f, (await grains.GetGrain<IEsmsGrain>(f.Value).GetAsync())?.Profile.Name);
            }
            catch (DomainException e) when (e.Code == "FORBIDDEN")
            {
                return (f, null);
            }
        }));
        return names.Where(n => n.Item2 is not null).ToDictionary(n => n.f, n => n.Item2!);
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
