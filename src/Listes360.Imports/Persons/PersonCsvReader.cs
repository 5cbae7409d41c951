using System.Globalization;
using System.Text;
using CsvHelper;
using Listes360.Domain.Identity;
using Listes360.Domain.Identity.Records;
using NirHasher = Listes360.Domain.Persons.NirHasher;
using Nir = Listes360.Domain.Persons.Nir;
using Listes360.Domain.Time;

namespace Listes360.Imports.Persons;

/// <summary>
/// Reads persons from a CSV with a header row: <c>record_id, last_name, first_name, birth_date,
/// birth_name, mdph_number, nir, postcode, commune</c> (and optionally <c>address</c>), or their French
/// names (nom, prénom, date de naissance, nom de naissance, n° dossier MDPH, NIR, code postal, commune,
/// adresse…), case- and accent-insensitive. Separator <c>;</c>, <c>,</c> or tab, detected; UTF-8 or
/// Windows-1252, detected; dates <c>AAAA-MM-JJ</c>, <c>JJ/MM/AAAA</c> or <c>AAAAMMJJ</c>. The NIR is
/// hashed as soon as it is read (<see cref="NirHasher"/>) and never kept. A row in error is reported
/// with its line and the reason in French; it is not in <see cref="PersonFileResult.Records"/>.
/// </summary>
public static class PersonCsvReader
{
    /// <summary>Canonical column → accepted header names (already normalised by <see cref="NormaliseHeader"/>).</summary>
    private static readonly Dictionary<string, string[]> Aliases = new()
    {
        ["record_id"] = ["record_id", "recordid", "id", "identifiant", "id_enregistrement", "reference", "ref", "numero_ligne"],
        ["last_name"] = ["last_name", "lastname", "nom", "nom_d_usage", "nom_usage", "nom_de_famille", "nom_usuel", "surname", "family_name"],
        ["first_name"] = ["first_name", "firstname", "prenom", "prenoms", "given_name"],
        ["birth_date"] = ["birth_date", "birthdate", "date_de_naissance", "date_naissance", "naissance", "ddn", "ne_e_le", "ne_le", "date_of_birth"],
        ["birth_name"] = ["birth_name", "nom_de_naissance", "nom_naissance", "nom_de_jeune_fille", "njf"],
        ["mdph_number"] = ["mdph_number", "n_dossier_mdph", "no_dossier_mdph", "numero_dossier_mdph", "num_dossier_mdph", "numero_de_dossier_mdph", "dossier_mdph", "mdph", "n_mdph", "numero_mdph"],
        ["nir"] = ["nir", "nss", "numero_de_securite_sociale", "n_securite_sociale", "numero_securite_sociale", "num_secu", "n_secu", "securite_sociale"],
        ["postcode"] = ["postcode", "code_postal", "cp", "postal_code", "zip"],
        ["commune"] = ["commune", "ville", "localite", "city", "suburb"],
        ["address"] = ["address", "adresse", "adresse_postale"],
    };

    private static readonly string[] Required = ["record_id", "last_name", "first_name", "birth_date"];

    private static readonly Dictionary<string, string> FrenchColumnNames = new()
    {
        ["record_id"] = "identifiant (record_id)", ["last_name"] = "nom (last_name)", ["first_name"] = "prénom (first_name)",
        ["birth_date"] = "date de naissance (birth_date)", ["birth_name"] = "nom de naissance", ["mdph_number"] = "n° de dossier MDPH",
        ["nir"] = "NIR", ["postcode"] = "code postal", ["commune"] = "commune", ["address"] = "adresse",
    };

    public static PersonFileResult ReadFile(string path, NirHasher hasher, DateOnly? today = null) =>
        Read(File.ReadAllBytes(path), Path.GetFileName(path), hasher, today);

    public static PersonFileResult Read(Stream stream, string source, NirHasher hasher, DateOnly? today = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return Read(buffer.ToArray(), source, hasher, today);
    }

    public static PersonFileResult Read(byte[] bytes, string source, NirHasher hasher, DateOnly? today = null)
    {
        ArgumentNullException.ThrowIfNull(hasher);
        var (text, encodingName) = TextDecoding.Decode(bytes);
        (text, var delimiter) = TextDecoding.TakeSeparator(text);
        var day = today ?? ParisDate.Today(TimeProvider.System);
        using var file = ImportCsv.Open(text, delimiter, (code, message) => new PersonFileException(source, code, message),
            "fichier vide : la première ligne doit donner les noms de colonnes.");
        var (csv, header, screened) = (file.Csv, file.Header, file.Screened);
        var columns = MapHeader(header, source);

        var records = new List<PersonRecord>();
        var errors = screened.Problems.Select(p => new RowError(source, p.Line, null, null, p.Code, p.Message)).ToList();
        var seenIds = new Dictionary<string, int>(StringComparer.Ordinal);
        while (csv.Read())
        {
            var line = (int)csv.LineNumber;
            string? Field(string name) =>
                columns.TryGetValue(name, out var i) && i < csv.FieldCount ? NullIfEmpty(csv.GetString(i)) : null;

            var id = Field("record_id");
            var problems = new List<(string Field, string Code, string Message)>();
            // Fewer fields, or more non-empty ones, than the header: a separator is missing or unquoted.
            var extraFilled = false;
            for (var i = header.Length; i < csv.FieldCount; i++) extraFilled |= !string.IsNullOrWhiteSpace(csv.GetString(i));
            if (csv.FieldCount < header.Length || extraFilled)
            {
                problems.Add(("", "COLUMN_COUNT", $"{csv.FieldCount} colonnes au lieu de {header.Length} (séparateur « {delimiter} »)"));
            }
            if (id is null) problems.Add(("record_id", "MISSING_RECORD_ID", "identifiant (record_id) manquant"));
            else if (seenIds.TryGetValue(id, out var firstLine)) problems.Add(("record_id", "DUPLICATE_RECORD_ID", $"identifiant « {id} » déjà utilisé ligne {firstLine}"));
            var lastName = Field("last_name");
            var firstName = Field("first_name");
            var birthName = Field("birth_name");
            if (lastName is null && birthName is null) problems.Add(("last_name", "MISSING_LAST_NAME", "nom manquant"));
            else if (FrenchNames.Fold(lastName ?? birthName).Length == 0) problems.Add(("last_name", "INVALID_LAST_NAME", $"nom « {lastName ?? birthName} » sans aucune lettre"));
            if (firstName is null) problems.Add(("first_name", "MISSING_FIRST_NAME", "prénom manquant"));
            string? birthDate = null;
            var rawDate = Field("birth_date");
            if (rawDate is null) problems.Add(("birth_date", "MISSING_BIRTH_DATE", "date de naissance manquante"));
            else if (!BirthDates.TryParse(rawDate, day, out birthDate, out var dateError)) problems.Add(("birth_date", "INVALID_BIRTH_DATE", dateError));
            var (hashed, nirRefusal, nirError) = NirEntry.Read(Field("nir"), hasher, keyOptional: true);
            if (nirRefusal is not null) problems.Add(("nir", nirRefusal, nirError!));
            var nirHash = hashed?.Value;
            var postcode = Field("postcode");
            if (postcode is not null && !(postcode.Length == 5 && postcode.All(char.IsAsciiDigit)))
            {
                problems.Add(("postcode", "INVALID_POSTCODE", $"code postal « {postcode} » invalide (5 chiffres attendus)"));
            }

            if (problems.Count > 0)
            {
                var message = string.Join(" ; ", problems.Select(p => p.Message));
                errors.Add(new RowError(source, line, id, problems[0].Field.Length == 0 ? null : problems[0].Field, problems[0].Code, message));
                if (id is not null) seenIds.TryAdd(id, line);
                continue;
            }
            seenIds[id!] = line;
            records.Add(new PersonRecord
            {
                RecordId = id!,
                LastName = lastName ?? birthName,
                FirstName = firstName,
                BirthDate = birthDate,
                BirthName = birthName,
                MdphNumber = Field("mdph_number"),
                NirHash = nirHash,
                Postcode = postcode,
                Commune = Field("commune"),
                Address = Field("address"),
            });
        }
        return new PersonFileResult(source, records, errors.OrderBy(e => e.Line).ToList(), encodingName, delimiter);
    }

    private static Dictionary<string, int> MapHeader(string[] header, string source)
    {
        var columns = new Dictionary<string, int>();
        for (var i = 0; i < header.Length; i++)
        {
            var normalised = NormaliseHeader(header[i]);
            foreach (var (canonical, aliases) in Aliases)
            {
                if (!aliases.Contains(normalised)) continue;
                if (columns.ContainsKey(canonical))
                {
                    throw new PersonFileException(source, "DUPLICATE_COLUMN", $"la colonne {FrenchColumnNames[canonical]} apparaît deux fois (« {header[columns[canonical]]} » et « {header[i]} »).");
                }
                columns[canonical] = i;
            }
        }
        var missing = Required.Where(r => !columns.ContainsKey(r)).Select(r => FrenchColumnNames[r]).ToArray();
        if (missing.Length > 0)
        {
            throw new PersonFileException(source, "MISSING_COLUMNS",
                $"colonne(s) obligatoire(s) absente(s) : {string.Join(", ", missing)}. Colonnes lues : {string.Join(", ", header.Select(h => $"« {h} »"))}.");
        }
        return columns;
    }

    /// <summary>« N° dossier MDPH » → n_dossier_mdph; « Date de naissance » → date_de_naissance; « Prénom » → prenom.</summary>
    public static string NormaliseHeader(string header)
    {
        var decomposed = (header ?? "").Trim().Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark) continue;
            if (char.IsAsciiLetterOrDigit(c)) sb.Append(char.ToLowerInvariant(c));
            else if (sb.Length > 0 && sb[^1] != '_') sb.Append('_');
        }
        return sb.ToString().Trim('_');
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
