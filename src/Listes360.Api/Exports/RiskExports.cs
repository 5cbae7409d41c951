using System.Globalization;
using System.Text;
using Listes360.Api.GraphQL;
using Listes360.Api.Risk;
using Listes360.Application.Observatory;
using Listes360.Api.Security;
using Listes360.Domain;
using Listes360.Domain.Candidatures;
using Listes360.Domain.Csv;
using Listes360.Domain.Registry;
using Listes360.Domain.Risk;
using Listes360.Grains.Security;
using Listes360.Risk.History;
using Listes360.Domain.Time;

namespace Listes360.Api.Exports;

/// <summary>
/// CSV exports of the observatory's answers over HTTP (same token, same roles and same grain-level
/// authorization as GraphQL): <c>GET /exports/rupture-risks.csv?department=61[&amp;territory=…][&amp;flags=CRETON,TRANSITION_AGE][&amp;minProbability=0.3]</c>
/// and <c>GET /exports/indicators.csv?department=61[&amp;date=2026-01-31]</c>. UTF-8, « ; » separated
/// (what a French spreadsheet opens); every line carries the model's provenance (id, simulated, date).
/// </summary>
public static class RiskExports
{
    public const string RuptureRisksPath = "/exports/rupture-risks.csv";
    public const string IndicatorsPath = "/exports/indicators.csv";

    public static void MapRiskExports(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(RuptureRisksPath, RuptureRisksAsync).RequireAuthorization();
        endpoints.MapGet(IndicatorsPath, IndicatorsAsync).RequireAuthorization();
    }

    private static Task RuptureRisksAsync(HttpContext http) => AsCallerAsync(http, "risques-de-rupture", async (queries, writer) =>
    {
        var q = http.Request.Query;
        var department = QueryType.Department(q["department"]);
        var flags = ((string?)q["flags"] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(f => Enum.GetValues<RiskFlag>().Cast<RiskFlag?>().FirstOrDefault(v => v!.Value.Code() == f.ToUpperInvariant())
                ?? throw new DomainException("INVALID_FLAG", $"Indicateur « {f} » inconnu : CRETON ou TRANSITION_AGE.", "flags"))
            .ToList();
        var min = (string?)q["minProbability"] is { Length: > 0 } m
            ? double.TryParse(m, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : throw new DomainException("INVALID_PROBABILITY", $"« {m} » n'est pas une probabilité (0 à 1, point décimal).", "minProbability")
            : 0;
        var filter = new RiskFilter((string?)q["territory"], [.. flags], min);
        var first = await queries.ListAsync(department, filter, null, 1);
        var model = first.Model;
        await writer.WriteAsync(Line("pseudonyme", "periode_pseudonyme", "tranche_age", "territoire", "types_accompagnement", "situation", "indicateurs", "probabilite",
            "facteur_1", "facteur_2", "facteur_3", "calcule_le", "modele_id", "modele_donnees_simulees", "modele_entraine_le"));
        await foreach (var item in queries.AllAsync(department, filter))
        {
            var factors = item.TopFactors.Select(f => f.Text).Concat(Enumerable.Repeat("", 3)).Take(3).ToArray();
            await writer.WriteAsync(Line([item.Pseudonym, first.Period.Code, item.AgeBand, item.Territory ?? "", string.Join(",", item.Kinds.Select(k => k.Info().Code)),
                item.Situation is { } s ? Codes.Of(s) : "", string.Join(",", item.Flags.Select(f => f.Code())),
                item.Probability?.ToString("0.######", CultureInfo.InvariantCulture) ?? "", factors[0], factors[1], factors[2],
                item.ComputedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), .. ModelColumns(model)]));
        }
    });

    private static Task IndicatorsAsync(HttpContext http) => AsCallerAsync(http, "indicateurs", async (queries, writer) =>
    {
        var q = http.Request.Query;
        var department = QueryType.Department(q["department"]);
        var date = (string?)q["date"] is { Length: > 0 } d
            ? DateOnly.TryParseExact(d, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed) ? parsed : throw new DomainException("INVALID_DATE", $"« {d} » n'est pas une date AAAA-MM-JJ.", "date")
            : ParisDate.Today(http.RequestServices.GetRequiredService<TimeProvider>());
        var result = await queries.IndicatorsAsync(department, date);
        var model = ModelColumns(result.Model);
        var total = result.Counts.Total();
        await writer.WriteAsync(Line("departement", "date", "indicateur", "type_accompagnement", "territoire", "statut", "motif", "code_ans_statut", "code_ans_motif",
            "valeur", "modele_id", "modele_donnees_simulees", "modele_entraine_le"));
        var day = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        Task Row(string indicator, string kind, string territory, string status, string reason, string ansStatus, string ansReason, long value) =>
            writer.WriteAsync(Line([department, day, indicator, kind, territory, status, reason, ansStatus, ansReason, value.ToString(CultureInfo.InvariantCulture), .. model]));
        await Row("personnes_distinctes_en_attente", "", "", "", "", "", "", total.Persons);
        await Row("somme_des_longueurs_de_listes", "", "", "", "", "", "", total.Entries);
        await Row("creton", "", "", "", "", "", "", result.Risk.Creton);
        await Row("transition_age", "", "", "", "", "", "", result.Risk.TransitionAge);
        foreach (var g in result.Risk.WaitingTimes)
        {
            var territory = g.Territory == RiskIndicators.AllTerritories ? "" : g.Territory;
            await Row("personnes_en_attente", g.Kind.Info().Code, territory, "", "", "", "", g.Persons);
            await Row("attente_mediane_jours", g.Kind.Info().Code, territory, "", "", "", "", g.MedianDays);
            await Row("attente_p90_jours", g.Kind.Info().Code, territory, "", "", "", "", g.P90Days);
        }
        foreach (var o in result.Risk.Outcomes)
            await Row(o.Status == CandidatureStatus.Admitted ? "admissions_365_jours" : "refus_365_jours", "", "", o.Status.Code(),
                o.Reason?.Info().Code ?? "", o.AnsStatus, o.AnsReason ?? "", o.Count);
    });

    private static string[] ModelColumns(ModelProvenance? model) =>
        model is null ? ["", "", ""] : [model.ModelId, model.Simulated ? "oui" : "non", model.TrainedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)];

    private static string Line(params string[] values) => CsvCell.Line(values, ';') + "\r\n";

    /// <summary>
    /// Runs the export as the token's caller. The CSV is built in memory before anything is sent,
    /// so a refusal or a bad parameter answers 403/400 with its French message, never half a file.
    /// </summary>
    private static async Task AsCallerAsync(HttpContext http, string fileName, Func<RiskQueries, StringWriter, Task> write)
    {
        var (caller, refusal) = Listes360Claims.ToCaller(http.User);
        if (caller is null)
        {
            await ApiAudit.RefusedAsync(http, "Export " + fileName, refusal!);
            await PlainAsync(http, StatusCodes.Status403Forbidden, refusal!);
            return;
        }
        using var acting = CallerContext.As(caller);
        // One export is one request for the audit: its fan-out over the shards is audited once (RequestAuditDeduplication).
        RequestContext.Set(RequestAuditDeduplication.RequestKey, Guid.NewGuid().ToString("N"));
        var body = new StringWriter(CultureInfo.InvariantCulture);
        try
        {
            await write(ActivatorUtilities.CreateInstance<RiskQueries>(http.RequestServices), body);
        }
        catch (DomainException e)
        {
            var status = e.Code switch
            {
                "FORBIDDEN" => StatusCodes.Status403Forbidden,
                // The service's configuration, not the request, is at fault.
                "PSEUDONYM_SECRET_MISSING" => StatusCodes.Status503ServiceUnavailable,
                _ => StatusCodes.Status400BadRequest,
            };
            await PlainAsync(http, status, $"{e.Code} : {e.Message}");
            return;
        }
        http.Response.ContentType = "text/csv; charset=utf-8";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}.csv\"";
        await http.Response.WriteAsync(body.ToString(), Encoding.UTF8);
    }

    private static async Task PlainAsync(HttpContext http, int status, string message)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "text/plain; charset=utf-8";
        await http.Response.WriteAsync(message, Encoding.UTF8);
    }
}
