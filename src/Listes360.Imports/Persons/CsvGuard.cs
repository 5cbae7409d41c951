using System.Globalization;
using Listes360.Domain.Validation;

namespace Listes360.Imports.Persons;

/// <summary>A line of an import file refused before parsing: its line, its column (1-based) when one is at fault, why.</summary>
public sealed record CsvLineProblem(int Line, int? Column, string Code, string Message);

/// <summary>The text handed to the CSV parser (refused lines blanked, so line numbers stay the file's) and what was refused.</summary>
public sealed record ScreenedCsv(string Text, IReadOnlyList<CsvLineProblem> Problems, CsvLineProblem? HeaderProblem, int HeaderColumns);

/// <summary>
/// Screens an import file line by line before the CSV parser sees it, so that one bad line costs
/// only itself: a quoted cell must close on its line (« guillemet non fermé » otherwise: none of the
/// imported fields spans lines, and a quote left open would silently swallow the next rows), no
/// control or bidirectional formatting character in a cell, at most <see cref="FieldLimits.CsvMaxLineLength"/>
/// characters a line, <see cref="FieldLimits.CsvMaxCellLength"/> a cell, and no more cells than the
/// header (or than <see cref="FieldLimits.CsvMaxColumns"/>). Pure: the text in, the verdicts out.
/// </summary>
public static class CsvGuard
{
    public static ScreenedCsv Screen(string text, char delimiter, bool hasHeader = true)
    {
        ArgumentNullException.ThrowIfNull(text);
        var problems = new List<CsvLineProblem>();
        var output = new System.Text.StringBuilder(text.Length);
        CsvLineProblem? headerProblem = null;
        var headerColumns = 0;
        var headerSeen = !hasHeader;
        string[] headerNames = [];
        var lineNumber = 0;
        var start = 0;
        while (start <= text.Length)
        {
            var end = text.IndexOf('\n', start);
            var last = end < 0;
            if (last) end = text.Length;
            lineNumber++;
            var length = end - start;
            if (length > 0 && text[end - 1] == '\r') length--;
            var line = text.AsSpan(start, length);
            var columns = 0;
            var problem = line.IsWhiteSpace() ? null : Check(line, lineNumber, delimiter, headerSeen ? headerColumns : 0, out columns);
            if (!line.IsWhiteSpace() && !headerSeen)
            {
                headerSeen = true;
                headerColumns = columns;
                headerProblem = problem;
                headerNames = HeaderCells(line, delimiter);
            }
            else if (problem is not null)
            {
                problems.Add(Named(problem, headerNames));
            }
            if (problem is null)
                output.Append(line);
            if (!last)
                output.Append('\n');
            start = end + 1;
            if (last) break;
        }
        return new ScreenedCsv(output.ToString(), problems, headerProblem, headerColumns);
    }

    private static CsvLineProblem? Check(ReadOnlySpan<char> line, int lineNumber, char delimiter, int headerColumns, out int columns)
    {
        columns = 1;
        CsvLineProblem? first = null;
        var cellStart = 0;
        var quoted = false;
        var atCellStart = true;
        // Empty cells past the header are what spreadsheets leave behind (« ;; »): tolerated; filled ones are not.
        var extraFilled = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (atCellStart && c == '"')
            {
                extraFilled |= headerColumns > 0 && columns > headerColumns;
                quoted = true;
                atCellStart = false;
                continue;
            }
            if (quoted)
            {
                if (c == '"')
                {
                    if (i + 1 < line.Length && line[i + 1] == '"') i++;
                    else quoted = false;
                    continue;
                }
            }
            else if (c == delimiter)
            {
                first ??= CellTooLong(i - cellStart, lineNumber, columns);
                columns++;
                cellStart = i + 1;
                atCellStart = true;
                continue;
            }
            if (atCellStart && c is ' ' or '\t')
                continue;
            atCellStart = false;
            extraFilled |= headerColumns > 0 && columns > headerColumns;
            if (first is null && IsForbidden(line, i))
                first = new CsvLineProblem(lineNumber, columns, "CSV_INVALID_CHARACTER",
                    $"ligne {lineNumber}, colonne {columns} : caractère interdit ({Describe(line, i)}) en position {i - cellStart + 1} de la cellule ; les caractères de contrôle et de mise en forme invisible ne sont pas admis");
        }
        if (quoted)
            return new CsvLineProblem(lineNumber, columns, "CSV_UNCLOSED_QUOTE",
                $"ligne {lineNumber}, colonne {columns} : guillemet non fermé (la cellule ouverte par « \" » ne se referme pas sur sa ligne ; doublez les guillemets à l'intérieur d'une cellule : \"\")");
        first ??= CellTooLong(line.Length - cellStart, lineNumber, columns);
        if (extraFilled)
            return new CsvLineProblem(lineNumber, headerColumns + 1, "CSV_TOO_MANY_COLUMNS",
                $"ligne {lineNumber} : {N(columns)} colonnes pour {N(headerColumns)} en-têtes (séparateur « {delimiter} ») ; la ligne est refusée");
        if (columns > FieldLimits.CsvMaxColumns)
            return new CsvLineProblem(lineNumber, FieldLimits.CsvMaxColumns + 1, "CSV_TOO_MANY_COLUMNS",
                $"ligne {lineNumber} : {N(columns)} colonnes ; {N(FieldLimits.CsvMaxColumns)} au plus");
        if (first is not null)
            return first;
        if (line.Length > FieldLimits.CsvMaxLineLength)
            return new CsvLineProblem(lineNumber, null, "CSV_LINE_TOO_LONG",
                $"ligne {lineNumber} : {N(line.Length)} caractères ; {N(FieldLimits.CsvMaxLineLength)} au plus par ligne");
        return null;
    }

    /// <summary>« colonne 3 » becomes « colonne 3 (« date de naissance ») » when the header names it.</summary>
    private static CsvLineProblem Named(CsvLineProblem problem, string[] headerNames) =>
        problem.Column is { } column && column <= headerNames.Length && headerNames[column - 1].Length > 0
            ? problem with { Message = problem.Message.Replace($"colonne {column} :", $"colonne {column} (« {FieldRules.Shorten(headerNames[column - 1])} ») :", StringComparison.Ordinal) }
            : problem;

    private static string[] HeaderCells(ReadOnlySpan<char> line, char delimiter)
    {
        var cells = new List<string>();
        var cell = new System.Text.StringBuilder();
        var quoted = false;
        foreach (var c in line)
        {
            if (c == '"') quoted = !quoted;
            else if (c == delimiter && !quoted) { cells.Add(cell.ToString().Trim()); cell.Clear(); }
            else cell.Append(c);
        }
        cells.Add(cell.ToString().Trim());
        return [.. cells];
    }

    private static CsvLineProblem? CellTooLong(int length, int lineNumber, int column) =>
        length > FieldLimits.CsvMaxCellLength
            ? new CsvLineProblem(lineNumber, column, "CSV_CELL_TOO_LONG",
                $"ligne {lineNumber}, colonne {column} : cellule de {N(length)} caractères ; {N(FieldLimits.CsvMaxCellLength)} au plus")
            : null;

    // A tab is a separator or blank space in a spreadsheet export; every other control is refused.
    private static bool IsForbidden(ReadOnlySpan<char> line, int i)
    {
        var c = line[i];
        if (c == '\t') return false;
        if (char.IsHighSurrogate(c) && i + 1 < line.Length && char.IsLowSurrogate(line[i + 1])) return false;
        if (char.IsLowSurrogate(c) && i > 0 && char.IsHighSurrogate(line[i - 1])) return false;
        return FieldRules.FirstForbiddenCharacter(c.ToString(), multiLine: false) is not null;
    }

    private static string Describe(ReadOnlySpan<char> line, int i) =>
        FieldRules.FirstForbiddenCharacter(line[i].ToString(), multiLine: false)?.Name ?? $"U+{(int)line[i]:X4}";

    private static string N(int n) => n.ToString("N0", CultureInfo.GetCultureInfo("fr-FR"));
}
