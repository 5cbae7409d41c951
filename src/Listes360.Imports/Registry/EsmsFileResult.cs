using Listes360.Domain.Registry;

namespace Listes360.Imports.Registry;

/// <summary>The two file formats <c>listes360 import-esms</c> reads (see the README, « Le répertoire des ESMS »).</summary>
public enum EsmsFileFormat
{
    /// <summary>The ministry's FINESS open-data extract: named columns (<c>nofinesset;rs;…</c>) or the raw etalab extract (<c>structureet;…</c> lines).</summary>
    Finess,

    /// <summary>Our own CSV: <c>finess;name;category;postcode;commune;age_from;age_until;modalities</c>.</summary>
    Csv,
}

/// <summary>One ESMS read without error: its line in the file and the profile the registry rules made of it.</summary>
public sealed record EsmsFileRow(int Line, EsmsProfile Profile);

/// <summary>
/// A row that was not imported: its line in the file (1 = the first line), the FINESS number as written
/// when there is one, a stable code (<c>INVALID_FINESS</c>, <c>UNKNOWN_FINESS_CATEGORY</c>…, the first
/// problem's when there are several) and a French message listing every problem of the row.
/// </summary>
public sealed record EsmsRowError(int Line, string? Finess, string Code, string Message)
{
    public override string ToString() =>
        Finess is null ? $"ligne {Line} : {Message}" : $"ligne {Line} (FINESS « {Finess} ») : {Message}";
}

/// <summary>What a reader got from one file.</summary>
/// <param name="Rows">The ESMS read without error, in file order.</param>
/// <param name="Errors">Every row rejected, with its line: none is dropped silently.</param>
/// <param name="OutOfRegistry">FINESS extract only: rows of a known FINESS category that is not an ESMS
/// for disabled people (hospital, EHPAD, SSIAD…), skipped and counted by category, not errors: the raw
/// national extract holds every kind of establishment.</param>
/// <param name="EncodingName">utf-8 or windows-1252, as detected.</param>
public sealed record EsmsFileResult(
    string Source,
    EsmsFileFormat Format,
    IReadOnlyList<EsmsFileRow> Rows,
    IReadOnlyList<EsmsRowError> Errors,
    IReadOnlyDictionary<string, int> OutOfRegistry,
    string EncodingName,
    char Delimiter)
{
    /// <summary>Data rows of the file: read, rejected and skipped.</summary>
    public int RowsRead => Rows.Count + Errors.Count + OutOfRegistry.Values.Sum();
}

/// <summary>A file that cannot be read at all (empty, required column missing, column twice); the message is French.</summary>
public sealed class EsmsFileException(string source, string code, string message) : Exception($"{source} : {message}")
{
    public string FileName { get; } = source;

    /// <summary>Stable code: <c>EMPTY_FILE</c>, <c>MISSING_COLUMNS</c>, <c>DUPLICATE_COLUMN</c>.</summary>
    public string Code { get; } = code;

    public string Detail { get; } = message;
}
