using System.Globalization;
using Listes360.Domain.Csv;
using Listes360.Domain.Security;
using Listes360.Grains.Security;
using Microsoft.AspNetCore.Http;

namespace Listes360.Web.Components.Pages.Admin;

/// <summary>The audit trail's filters as typed in the page's address (French errors; the page and its CSV share them).</summary>
public sealed record AuditFilters(string? From, string? To, string? Subject, string? Operation, string? Target, string? Outcome, string? Role)
{
    public const int Limit = 500;

    public static AuditFilters Of(IQueryCollection q) =>
        new(q["du"], q["au"], q["qui"], q["quoi"], q["personne"], q["issue"], q["role"]);

    public string QueryString => string.Join("&", new (string, string?)[] { ("du", From), ("au", To), ("qui", Subject), ("quoi", Operation), ("personne", Target), ("issue", Outcome), ("role", Role) }
        .Where(p => !string.IsNullOrWhiteSpace(p.Item2)).Select(p => $"{p.Item1}={Uri.EscapeDataString(p.Item2!.Trim())}"));

    /// <summary>The query (a period of 7 days to today by default), or the French errors by field.</summary>
    public (AuditQuery? Query, Dictionary<string, string> Errors) ToQuery(DateOnly today)
    {
        var errors = new Dictionary<string, string>();
        var from = string.IsNullOrWhiteSpace(From) ? today.AddDays(-7) : Formats.ParseDate(From);
        var to = string.IsNullOrWhiteSpace(To) ? today : Formats.ParseDate(To);
        if (from is null) errors["du"] = $"« {From} » n'est pas une date : écrivez-la JJ/MM/AAAA.";
        if (to is null) errors["au"] = $"« {To} » n'est pas une date : écrivez-la JJ/MM/AAAA.";
        if (from is { } f && to is { } t && (t < f || t.DayNumber - f.DayNumber > 366))
            errors["au"] = "La fin de la période doit suivre son début, au plus 366 jours après.";
        AuditOutcome? outcome = Outcome switch { null or "" => null, "Done" => AuditOutcome.Done, "Denied" => AuditOutcome.Denied, "Failed" => AuditOutcome.Failed, _ => (AuditOutcome)(-1) };
        if (outcome == (AuditOutcome)(-1)) errors["issue"] = $"Issue « {Outcome} » inconnue.";
        Role? role = null;
        if (!string.IsNullOrWhiteSpace(Role))
        {
            if (RoleNames.TryParseClaim(Role, out var r)) role = r;
            else errors["role"] = $"Rôle « {Role} » inconnu.";
        }
        if (errors.Count > 0)
            return (null, errors);
        var paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");
        DateTimeOffset At(DateOnly d) => new(d.ToDateTime(TimeOnly.MinValue), paris.GetUtcOffset(d.ToDateTime(TimeOnly.MinValue)));
        return (new AuditQuery(At(from!.Value), At(to!.Value.AddDays(1)), Blank(Subject), role, Blank(Operation), Blank(Target), outcome, Limit), errors);
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    public static string OutcomeLabel(AuditOutcome outcome) => outcome switch
    {
        AuditOutcome.Done => "faite",
        AuditOutcome.Denied => "refusée",
        _ => "échouée",
    };

    public static string Csv(IEnumerable<AuditEntry> entries) =>
        string.Concat(new[] { CsvCell.Line(["quand", "qui", "role", "operation", "nature", "cible", "issue", "detail"], ';') + "\r\n" }
            .Concat(entries.Select(e => CsvCell.Line([e.At.ToString("yyyy-MM-ddTHH:mm:ssK", CultureInfo.InvariantCulture), e.Subject, e.Role.French(), e.Operation,
                e.Kind == AuditKind.Read ? "lecture" : "écriture", e.Target, OutcomeLabel(e.Outcome), e.Detail ?? ""], ';') + "\r\n")));
}
