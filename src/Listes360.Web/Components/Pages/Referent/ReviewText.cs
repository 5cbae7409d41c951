using System.Globalization;
using Listes360.Domain.Identity.Records;

namespace Listes360.Web.Components.Pages.Referent;

/// <summary>How the referent's pages write an identity as a list wrote it.</summary>
public static class ReviewText
{
    public static string Href(string itemId) => $"/referent/doublons/{Uri.EscapeDataString(itemId)}";

    public static string PersonHref(string personId) => $"/referent/personnes/{Uri.EscapeDataString(personId)}";

    public static string Name(PersonRecord record) =>
        string.Join(" ", new[] { record.LastName, record.FirstName }.Where(s => !string.IsNullOrWhiteSpace(s))) is { Length: > 0 } name ? name : "(nom non renseigné)";

    /// <summary>A canonical YYYYMMDD birth date as JJ/MM/AAAA (as written when it is not one).</summary>
    public static string BirthDate(string? yyyymmdd) =>
        yyyymmdd is null ? "non renseignée"
        : DateOnly.TryParseExact(yyyymmdd, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? Formats.Date(d) : yyyymmdd;

    public static string Or(string? value) => string.IsNullOrWhiteSpace(value) ? "non renseigné" : value;
}
