using System.Text;
using CsvHelper;

namespace Listes360.Imports.Persons;

/// <summary>
/// Encoding detection for files exported from spreadsheets: UTF-8 (with or without BOM) when the bytes
/// are valid UTF-8, otherwise Windows-1252 (Excel's « CSV (séparateur : point-virgule) » on French Windows).
/// </summary>
public static class TextDecoding
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    static TextDecoding() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>Windows-1252 (needs the code-pages provider on .NET).</summary>
    public static Encoding Windows1252 => Encoding.GetEncoding(1252);

    public static (string Text, string EncodingName) Decode(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        var span = bytes.AsSpan();
        if (span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) span = span[3..];
        try
        {
            return (StrictUtf8.GetString(span), "utf-8");
        }
        catch (DecoderFallbackException)
        {
            return (Windows1252.GetString(span), "windows-1252");
        }
    }

    /// <summary>The separator of the header line: the most frequent of <c>;</c>, <c>,</c> and tab outside quotes.</summary>
    public static char DetectDelimiter(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int semicolons = 0, commas = 0, tabs = 0;
        var quoted = false;
        foreach (var c in text)
        {
            if (c == '"') quoted = !quoted;
            else if (!quoted && c is '\n' or '\r') break;
            else if (!quoted && c == ';') semicolons++;
            else if (!quoted && c == ',') commas++;
            else if (!quoted && c == '\t') tabs++;
        }
        if (tabs > semicolons && tabs > commas) return '\t';
        return semicolons >= commas && semicolons > 0 ? ';' : ',';
    }

    /// <summary>
    /// The separator of a spreadsheet export: Excel may write a first line « sep=; » that gives it (the
    /// line is blanked, not removed, so that line numbers stay those of the file); else detected.
    /// </summary>
    public static (string Text, char Delimiter) TakeSeparator(string text)
    {
        if (text.StartsWith("sep=", StringComparison.OrdinalIgnoreCase) && text.Length > 4 && text[4] is not ('\r' or '\n'))
        {
            var endOfLine = text.IndexOf('\n', StringComparison.Ordinal);
            return (endOfLine < 0 ? "" : "\n" + text[(endOfLine + 1)..], text[4]);
        }
        return (text, DetectDelimiter(text));
    }

    /// <summary>How every import file is read: a header row, trimmed cells, blank lines skipped, line numbers kept for the reports.</summary>
    public static CsvReaderOptions CsvOptions(char delimiter) => CsvReaderOptions.Default with
    {
        Separator = delimiter,
        HasHeader = true,
        TrimWhitespace = true,
        SkipEmptyLines = true,
        TrackLineNumbers = true,
    };
}
