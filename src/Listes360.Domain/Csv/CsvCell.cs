using System.Text.RegularExpressions;

namespace Listes360.Domain.Csv;

/// <summary>
/// The one way the service writes a CSV cell (exports, simulated files, risk history, deduplication
/// results). A spreadsheet runs a cell that starts with <c>= + - @</c>, a tab or a carriage return as
/// a formula (« injection CSV », OWASP): such a cell is prefixed with a single quote and quoted, so
/// it opens as text. A lone number (<c>-5</c>, <c>+0.25</c>, <c>-3,5</c>) is left as it is: it cannot
/// carry a formula and a numeric column must stay numeric.
/// </summary>
public static partial class CsvCell
{
    /// <summary>Characters that make a spreadsheet read the cell as a formula (OWASP list).</summary>
    public static readonly char[] FormulaStarts = ['=', '+', '-', '@', '\t', '\r'];

    /// <summary>Whether a spreadsheet would evaluate <paramref name="value"/> rather than show it.</summary>
    public static bool IsFormulaLike(string value) =>
        value.Length > 0 && Array.IndexOf(FormulaStarts, value[0]) >= 0 && !PlainNumber().IsMatch(value);

    /// <summary>The cell as written between two <paramref name="separator"/>s: neutralised, then quoted when needed.</summary>
    public static string Write(string? value, char separator)
    {
        value ??= "";
        var neutralised = IsFormulaLike(value);
        if (neutralised)
            value = "'" + value;
        return neutralised || value.Contains(separator, StringComparison.Ordinal) || value.IndexOfAny(['"', '\n', '\r']) >= 0
            ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : value;
    }

    /// <summary>One CSV line (without its line end), every cell through <see cref="Write"/>.</summary>
    public static string Line(IEnumerable<string?> cells, char separator) =>
        string.Join(separator, cells.Select(c => Write(c, separator)));

    [GeneratedRegex(@"^[+-]?\d+([.,]\d+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex PlainNumber();
}
