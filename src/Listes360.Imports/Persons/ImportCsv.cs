using CsvHelper;

namespace Listes360.Imports.Persons;

/// <summary>
/// How every import file with a header row is opened: screened first (<see cref="CsvGuard"/>: a line
/// that would break the reader is reported, not thrown), then its header read; a bad or empty header
/// refuses the whole file, since no row could be read against it.
/// </summary>
public static class ImportCsv
{
    /// <param name="refuse">Builds the reader's own file-level exception from a code and a French message.</param>
    /// <param name="emptyFileMessage">What an empty file should have held, in French.</param>
    public static OpenedCsv Open(
        string text, char delimiter, Func<string, string, Exception> refuse, string emptyFileMessage)
    {
        var screened = CsvGuard.Screen(text, delimiter);
        if (screened.HeaderProblem is { } headerProblem)
            throw refuse(headerProblem.Code, $"en-têtes, {headerProblem.Message}");
        var csv = CsvReader.FromText(screened.Text, TextDecoding.CsvOptions(delimiter));
        try
        {
            csv.ReadHeader();
            var header = csv.Headers.ToArray();
            if (header.Length == 0 || header.All(string.IsNullOrWhiteSpace))
                throw refuse("EMPTY_FILE", emptyFileMessage);
            return new OpenedCsv(csv, header, screened);
        }
        catch
        {
            csv.Dispose();
            throw;
        }
    }
}

/// <summary>An import file opened: its reader (positioned after the header), header and screening report.</summary>
public sealed record OpenedCsv(CsvReader Csv, string[] Header, ScreenedCsv Screened) : IDisposable
{
    public void Dispose() => Csv.Dispose();
}
