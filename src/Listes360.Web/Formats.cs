using System.Globalization;

namespace Listes360.Web;

/// <summary>How the pages write values: dates JJ/MM/AAAA, numbers the French way.</summary>
public static class Formats
{
    public static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-FR");

    public static string Date(DateOnly date) => date.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);

    public static string Date(DateOnly? date) => date is { } d ? Date(d) : "—";

    /// <summary>A moment as the date and time in Paris (JJ/MM/AAAA HH:mm).</summary>
    public static string DateTime(DateTimeOffset at) =>
        TimeZoneInfo.ConvertTime(at, Paris).ToString("dd/MM/yyyy HH:mm", CultureInfo.InvariantCulture);

    private static readonly TimeZoneInfo Paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");

    /// <summary>A date typed as JJ/MM/AAAA (or the browser's AAAA-MM-JJ of a date field), or null.</summary>
    public static DateOnly? ParseDate(string? text)
    {
        text = text?.Trim();
        if (string.IsNullOrEmpty(text))
            return null;
        return DateOnly.TryParseExact(text, ["dd/MM/yyyy", "yyyy-MM-dd"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
    }
}
