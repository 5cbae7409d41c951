using Listes360.Domain;
using Listes360.Domain.Registry;
using Listes360.Domain.Security;
using Listes360.Domain.WaitingList;
using Listes360.Grains.Registry;
using Listes360.Grains.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Listes360.Application.WaitingList;

/// <summary>A departmental list exported: the CSV bytes, a file name, and how many persons it names.</summary>
public sealed record WaitingListFile(byte[] Content, string FileName, int Rows);

/// <summary>
/// The one CSV export of the departmental list, behind both of its routes: the API's
/// <c>GET /exports/waiting-list.csv</c> (bearer token, the query's parameter names) and the conseiller
/// page's download link <c>GET /conseiller/liste.csv</c> (session cookie, the page's filters). The rows are
/// read as the caller (the list shards decide roles and scope: territorial staff — their territory when
/// the token names one —, MDPH referent, administrator); the file is <see cref="WaitingListCsv"/>'s
/// (UTF-8 with a byte-order mark, « ; », French headers, formula-safe cells, ESMS named when the caller
/// may read them). <b>One audit rule</b>: every exported row is audited before the file is handed back —
/// one entry per person exported (target the person's id, so that « who read this person's data » finds
/// the export), then one for the export itself (target the département, with its parameters and row
/// count). Without the trail, no file: <see cref="AuditUnavailable"/>.
/// </summary>
public sealed class WaitingListCsvExport(IGrainFactory grains, WaitingListQueries lists, IAuditTrail trail, TimeProvider? clock = null,
    ILogger<WaitingListCsvExport>? logger = null)
{
    public const string Operation = "Export CSV de la liste départementale";

    /// <summary>The code of the refusal when the audit trail could not record the rows (no file is sent).</summary>
    public const string AuditUnavailable = "AUDIT_UNAVAILABLE";

    /// <summary>Audit entries written at once (the trail's table takes one row per call).</summary>
    private const int AuditParallelism = 16;

    /// <param name="caller">Who exports (refused by the shards in French when they may not read the list).</param>
    /// <param name="request">Filter, order, search (its page fields are ignored: every matching row is exported).</param>
    /// <param name="origin">The route and its parameters as asked, written in the audit entries.</param>
    /// <exception cref="DomainException">A refusal (<c>FORBIDDEN</c>), a bad parameter, or <see cref="AuditUnavailable"/>.</exception>
    public async Task<WaitingListFile> ExportAsync(Caller caller, WaitingListRequest request, string origin, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(request);
        using var acting = CallerContext.As(caller);
        // One export is one request for the audit: the shards' reads are deduplicated (RequestAuditDeduplication).
        var requestId = Guid.NewGuid().ToString("N");
        RequestContext.Set(RequestAuditDeduplication.RequestKey, requestId);
        try
        {
            var rows = new List<WaitingListEntry>();
            await foreach (var row in lists.AllAsync(request).WithCancellation(cancellationToken))
                rows.Add(row);
            var names = await EsmsNamesAsync(rows);
            var body = WaitingListCsv.Write(rows, f => names.GetValueOrDefault(f));
            try
            {
                await AuditRowsAsync(caller, request, rows, requestId, origin, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException and not DomainException)
            {
                (logger ?? NullLogger<WaitingListCsvExport>.Instance).LogError(e, "Export de la liste départementale : le journal d'audit n'a pas pu être écrit ; export refusé.");
                throw new DomainException(AuditUnavailable,
                    "le journal d'audit n'a pas pu enregistrer les lignes exportées ; l'export n'est pas envoyé. Réessayez plus tard.");
            }
            var today = (clock ?? TimeProvider.System).GetUtcNow();
            return new WaitingListFile(body, $"liste-departementale-{request.Department}-{today:yyyyMMdd}.csv", rows.Count);
        }
        finally
        {
            RequestContext.Remove(RequestAuditDeduplication.RequestKey);
        }
    }

    /// <summary>One entry per person exported, then one for the export (parameters and count), all with the request's id.</summary>
    private async Task AuditRowsAsync(Caller caller, WaitingListRequest request, IReadOnlyList<WaitingListEntry> rows, string requestId, string origin,
        CancellationToken cancellationToken)
    {
        var at = (clock ?? TimeProvider.System).GetUtcNow();
        await Parallel.ForEachAsync(rows.Select((row, i) => (row, i)), new ParallelOptions { MaxDegreeOfParallelism = AuditParallelism, CancellationToken = cancellationToken },
            async (x, token) => await trail.AppendAsync(new AuditEntry(at, caller.Subject, caller.Role, Operation, AuditKind.Read, x.row.Person.Value, AuditOutcome.Done,
                $"ligne {x.i + 1} sur {rows.Count} de l'export {requestId} ({origin})"), token));
        await trail.AppendAsync(new AuditEntry(at, caller.Subject, caller.Role, Operation, AuditKind.Read, request.Department, AuditOutcome.Done,
            $"export {requestId} : {rows.Count} personne(s) exportée(s) ({origin})"), cancellationToken);
    }

    /// <summary>The names of the ESMS the rows name, read once each as the caller (an ESMS they may not read is left as its FINESS).</summary>
    private async Task<Dictionary<FinessNumber, string>> EsmsNamesAsync(IEnumerable<WaitingListEntry> rows)
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
}
