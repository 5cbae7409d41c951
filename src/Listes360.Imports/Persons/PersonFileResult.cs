using Listes360.Domain.Identity.Records;

namespace Listes360.Imports.Persons;

/// <summary>
/// A row that could not be read: its line in the file (1 = the header), a stable code (like
/// <c>DomainException.Code</c>: <c>INVALID_BIRTH_DATE</c>, <c>DUPLICATE_RECORD_ID</c>…; the first problem's
/// when there are several) and a French message listing every problem of the row.
/// </summary>
public sealed record RowError(string Source, int Line, string? RecordId, string? Field, string Code, string Message)
{
    public override string ToString() =>
        Line <= 0 ? $"{Source} : {Message}"
        : RecordId is null ? $"{Source}, ligne {Line} : {Message}"
        : $"{Source}, ligne {Line} (enregistrement « {RecordId} ») : {Message}";
}

/// <summary>What a reader got from one file.</summary>
/// <param name="Records">The rows read without error, in file order.</param>
/// <param name="Errors">Every row rejected, with its line: none is dropped silently.</param>
/// <param name="EncodingName">utf-8 or windows-1252, as detected.</param>
/// <param name="Delimiter">The detected separator.</param>
/// <param name="TruthIds">For labelled benchmark files (FEBRL), the true entity of each record, aligned
/// with <paramref name="Records"/>; null otherwise.</param>
public sealed record PersonFileResult(
    string Source,
    IReadOnlyList<PersonRecord> Records,
    IReadOnlyList<RowError> Errors,
    string EncodingName,
    char Delimiter,
    IReadOnlyList<string>? TruthIds = null)
{
    /// <summary>Rows kept with a field missing or ignored (birth date, first name, NIR, postcode, identifier), with their line.</summary>
    public IReadOnlyList<RowError> Warnings { get; init; } = [];
}

/// <summary>
/// A file that cannot be read at all (empty, required column missing, column twice), in the style of
/// <c>DomainException</c>: a stable <see cref="Code"/> and a French message that starts with the file name.
/// </summary>
public sealed class PersonFileException(string source, string code, string message) : Exception($"{source} : {message}")
{
    public string FileName { get; } = source;

    /// <summary>Stable code: <c>EMPTY_FILE</c>, <c>MISSING_COLUMNS</c>, <c>DUPLICATE_COLUMN</c>, <c>MISSING_FEBRL_COLUMN</c>.</summary>
    public string Code { get; } = code;

    /// <summary>The message without the file name.</summary>
    public string Detail { get; } = message;
}
