using System.Globalization;
using System.Text;
using Listes360.Application.Observatory;
using Listes360.Domain;
using Listes360.Domain.Csv;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;
using Listes360.Domain.Risk;
using Listes360.Domain.Time;
using Listes360.Web.Sessions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Listes360.Web.Components.Pages.Observatory;

/// <summary>
/// The observatory pages' CSV files, as the signed-in caller (same roles as the pages,
/// <see cref="ObservatoryPage.Roles"/>; same grains and audit as GraphQL): <c>/observatoire/donnees/{table}.csv</c>
/// for each indicator table and <c>/observatoire/donnees/risques.csv</c> for the rupture-risk list with the
/// page's filters. Built in memory before anything is sent: a refusal is a French 403, a bad filter a French 400.
/// </summary>
public static class ObservatoryExports
{
    public static void MapObservatoryExports(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet(ObservatoryPage.CsvFolder + "/{table}.csv", WriteAsync);

    private static async Task WriteAsync(HttpContext http, string table)
    {
        var session = http.RequestServices.GetRequiredService<WebCaller>();
        var caller = await session.GetAsync();
        if (caller is null)
        {
            http.Response.Redirect($"{WebSession.SignInPath}?retour={Uri.EscapeDataString(http.Request.Path + http.Request.QueryString)}");
            return;
        }
        if (ObservatoryPage.RefusalFor(caller) is { } refusal)
        {
            await TextAsync(http, StatusCodes.Status403Forbidden, refusal);
            return;
        }
        if (table is not ("risques" or ObservatoryHistory.Id or ObservatoryHistory.DetailId) && !ObservatoryTables.Ids.Contains(table))
        {
            await TextAsync(http, StatusCodes.Status404NotFound,
                $"Aucun tableau « {table} » : {string.Join(", ", ObservatoryTables.Ids)}, {ObservatoryHistory.Id}, {ObservatoryHistory.DetailId} ou risques.");
            return;
        }
        var department = caller.Department!;
        var queries = ActivatorUtilities.CreateInstance<RiskQueries>(http.RequestServices);
        var today = ParisDate.Today(http.RequestServices.GetRequiredService<TimeProvider>());
        string body;
        try
        {
            body = await session.RunAsync(caller, async () =>
            {
                if (table is ObservatoryHistory.Id or ObservatoryHistory.DetailId)
                {
                    var days = await queries.HistoryAsync(department, ObservatoryHistory.Days);
                    return table == ObservatoryHistory.Id
                        ? ObservatoryHistory.Csv(days, department)
                        : ObservatoryHistory.DetailCsv(days, department);
                }
                if (table != "risques")
                {
                    var indicators = await queries.IndicatorsAsync(department, today);
                    return ObservatoryTables.Csv(ObservatoryTables.Of(indicators).Single(t => t.Id == table), department, indicators.Risk.Date);
                }
                var q = http.Request.Query;
                var (filter, error) = RiskFilters.Parse(q["territoire"], q["min"], q["indicateurs"].OfType<string>());
                if (error is not null)
                    throw new DomainException("INVALID_FILTER", error);
                return await RisksAsync(queries, department, filter);
            });
        }
        catch (DomainException e)
        {
            await TextAsync(http, e.Code switch
            {
                "FORBIDDEN" => StatusCodes.Status403Forbidden,
                "PSEUDONYM_SECRET_MISSING" => StatusCodes.Status503ServiceUnavailable,
                _ => StatusCodes.Status400BadRequest,
            }, e.Message);
            return;
        }
        http.Response.ContentType = "text/csv; charset=utf-8";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"observatoire-{table}-{department}-{today:yyyyMMdd}.csv\"";
        http.Response.Headers.CacheControl = "no-store";
        await http.Response.WriteAsync(body, new UTF8Encoding(false));
    }

    private static async Task<string> RisksAsync(RiskQueries queries, string department, RiskFilter filter)
    {
        var text = new StringBuilder();
        var first = await queries.ListAsync(department, filter, null, 1);
        var model = first.Model;
        text.Append(CsvCell.Line(["pseudonyme", "periode_pseudonyme", "tranche_age", "territoire", "types_accompagnement", "situation", "indicateurs", "probabilite",
            "facteur_1", "facteur_2", "facteur_3", "calcule_le", "modele_id", "modele_donnees_simulees"], ';')).Append("\r\n");
        await foreach (var item in queries.AllAsync(department, filter))
        {
            var factors = item.TopFactors.Select(f => f.Text).Concat(Enumerable.Repeat("", 3)).Take(3).ToArray();
            text.Append(CsvCell.Line([item.Pseudonym, first.Period.Code, item.AgeBand, item.Territory ?? "", string.Join(",", item.Kinds.Select(k => k.Info().Code)),
                item.Situation?.Label() ?? "", string.Join(",", item.Flags.Select(f => f.Code())),
                item.Probability?.ToString("0.####", CultureInfo.InvariantCulture) ?? "", factors[0], factors[1], factors[2],
                item.ComputedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), model?.ModelId ?? "", model is null ? "" : model.Simulated ? "oui" : "non"], ';')).Append("\r\n");
        }
        return text.ToString();
    }

    private static async Task TextAsync(HttpContext http, int status, string message)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "text/plain; charset=utf-8";
        await http.Response.WriteAsync(message);
    }
}
