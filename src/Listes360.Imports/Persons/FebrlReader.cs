using System.Globalization;
using System.Text.RegularExpressions;
using CsvHelper;
using Listes360.Domain.Identity.Records;
using NirHasher = Listes360.Domain.Persons.NirHasher;

namespace Listes360.Imports.Persons;

/// <summary>
/// Reads a FEBRL benchmark file (Christen, ANU; as shipped by the Python Record Linkage Toolkit):
/// columns <c>rec_id, given_name, surname, street_number, address_1, address_2, suburb, postcode,
/// state, date_of_birth, soc_sec_id</c>, separated by « , ». The truth is in <c>rec_id</c>:
/// <c>rec-N-org</c> and <c>rec-N-dup-K</c> are entity N. FEBRL dates keep their 8 digits even when a
/// deliberate error makes them impossible (the comparison is per digit); the social security id plays
/// the NIR and is hashed like one.
/// </summary>
public static partial class FebrlReader
{
    [GeneratedRegex(@"^rec-(\d+)-(org|dup-\d+)$")]
    private static partial Regex RecId();

    public static PersonFileResult ReadFile(string path, NirHasher hasher) =>
        Read(File.ReadAllText(path), Path.GetFileName(path), hasher);

    public static PersonFileResult Read(string text, string source, NirHasher hasher)
    {
        ArgumentNullException.ThrowIfNull(hasher);
        var options = CsvReaderOptions.Default with { Separator = ',', HasHeader = true, TrimWhitespace = true, TrackLineNumbers = true };
        using var csv = CsvReader.FromText(text, options);
        csv.ReadHeader();
        if (csv.Headers.Count == 0) throw new PersonFileException(source, "EMPTY_FILE", "fichier FEBRL vide.");
        var header = csv.Headers.Select(h => h.Trim()).ToArray();
        int Column(string name) => Array.IndexOf(header, name) is var i and >= 0
            ? i
            : throw new PersonFileException(source, "MISSING_FEBRL_COLUMN", $"colonne FEBRL « {name} » absente.");
        var (recId, given, surname, number, address1, address2, suburb, postcode, dob, ssn) = (
            Column("rec_id"), Column("given_name"), Column("surname"), Column("street_number"), Column("address_1"),
            Column("address_2"), Column("suburb"), Column("postcode"), Column("date_of_birth"), Column("soc_sec_id"));

        var records = new List<PersonRecord>();
        var truth = new List<string>();
        var errors = new List<RowError>();
        var warnings = new List<RowError>();
        while (csv.Read())
        {
            string? Field(int i) => i < csv.FieldCount && csv.GetString(i) is { Length: > 0 } v ? v.Trim() : null;
            var id = Field(recId);
            var match = id is null ? null : RecId().Match(id);
            if (match is null || !match.Success)
            {
                errors.Add(new RowError(source, (int)csv.LineNumber, id, "rec_id", "INVALID_FEBRL_ID", $"rec_id « {id} » illisible (rec-N-org ou rec-N-dup-K attendu)"));
                continue;
            }
            var date = Field(dob);
            if (date is not null && !(date.Length == 8 && date.All(char.IsAsciiDigit)))
            {
                // Kept without its date (a missing field never refuses a record), reported as a warning.
                warnings.Add(new RowError(source, (int)csv.LineNumber, id, "date_of_birth", "INVALID_BIRTH_DATE", $"date « {date} » : 8 chiffres AAAAMMJJ attendus ; ignorée (date de naissance manquante)"));
                date = null;
            }
            var address = string.Join(' ', new[] { Field(number), Field(address1), Field(address2) }.Where(s => s is not null));
            records.Add(new PersonRecord
            {
                RecordId = id!,
                FirstName = Field(given),
                LastName = Field(surname),
                BirthDate = date,
                NirHash = hasher.Hash(Field(ssn)),
                Postcode = Field(postcode),
                Commune = Field(suburb),
                Address = address.Length == 0 ? null : address,
            });
            truth.Add(match.Groups[1].Value);
        }
        return new PersonFileResult(source, records, errors, "utf-8", ',', truth) { Warnings = warnings };
    }
}
