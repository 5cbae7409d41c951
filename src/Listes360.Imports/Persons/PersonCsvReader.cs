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
/// hashed as soon as it is read (<see cref="NirHasher"/>) and never kept.
/// Missing fields never refuse a row: a row without birth date (or with one that cannot be read), without
/// first name, with an invalid NIR or postcode, without identifier or with one already used is kept —
/// without the faulty field, under a made-up identifier (« ligne-12 », « 7-ligne-12 ») — and reported as a
/// warning (<see cref="PersonFileResult.Warnings"/>) with its line. Only a row that cannot be read is an
/// error, not in <see cref="PersonFileResult.Records"/>: no name at all, cells shifted (column count),
/// what the CSV screening refuses (unclosed quote, control character…).
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

    /// <summary>Columns a file must have; the birth date column may be absent (every row then has a warning).</summary>
    private static readonly string[] Required = ["record_id", "last_name", "first_name"];

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
        var warnings = new List<RowError>();
        if (!columns.ContainsKey("birth_date"))
        {
            warnings.Add(new RowError(source, 1, null, "birth_date", "MISSING_BIRTH_DATE_COLUMN",
                "colonne date de naissance (birth_date) absente : les personnes ne sont rapprochées que par leurs identifiants (n° MDPH, NIR) ou mises en vérification"));
        }
        var seenIds = new Dictionary<string, int>(StringComparer.Ordinal);
        while (csv.Read())
        {
            var line = (int)csv.LineNumber;
            string? Field(string name) =>
                columns.TryGetValue(name, out var i) && i < csv.FieldCount ? NullIfEmpty(csv.GetString(i)) : null;

            var id = Field("record_id");
            var problems = new List<(string Field, string Code, string Message)>();
            var notes = new List<(string Field, string Code, string Message)>();
            // Fewer fields, or more non-empty ones, than the header: a separator is missing or unquoted.
            var extraFilled = false;
            for (var i = header.Length; i < csv.FieldCount; i++) extraFilled |= !string.IsNullOrWhiteSpace(csv.GetString(i));
            if (csv.FieldCount < header.Length || extraFilled)
            {
                problems.Add(("", "COLUMN_COUNT", $"{csv.FieldCount} colonnes au lieu de {header.Length} (séparateur « {delimiter} »)"));
            }
            var givenId = id;
            if (id is null)
            {
                id = $"ligne-{line}";
                notes.Add(("record_id", "MISSING_RECORD_ID", $"identifiant (record_id) manquant : enregistrement écrit sous « {id} »"));
            }
            if (seenIds.TryGetValue(id, out var firstLine))
            {
                var renamed = $"{id}-ligne-{line}";
                notes.Add(("record_id", "DUPLICATE_RECORD_ID", $"identifiant « {id} » déjà utilisé ligne {firstLine} : enregistrement écrit sous « {renamed} »"));
                id = renamed;
            }
            var lastName = Field("last_name");
            var firstName = Field("first_name");
            var birthName = Field("birth_name");
            var hasLastName = FrenchNames.Fold(lastName ?? birthName).Length > 0;
            var hasFirstName = FrenchNames.Fold(firstName).Length > 0;
            if (!hasLastName && !hasFirstName)
            {
                problems.Add(("last_name", "MISSING_NAME", lastName is null && birthName is null && firstName is null
                    ? "ni nom ni prénom : enregistrement illisible"
                    : $"nom « {lastName ?? birthName} » et prénom « {firstName} » sans aucune lettre : enregistrement illisible"));
            }
            else if (lastName is null && birthName is null) notes.Add(("last_name", "MISSING_LAST_NAME", "nom manquant"));
            else if (!hasLastName) notes.Add(("last_name", "INVALID_LAST_NAME", $"nom « {lastName ?? birthName} » sans aucune lettre : ignoré"));
            if (hasLastName && firstName is null) notes.Add(("first_name", "MISSING_FIRST_NAME", "prénom manquant"));
            string? birthDate = null;
            var rawDate = Field("birth_date");
            if (rawDate is null)
            {
                if (columns.ContainsKey("birth_date")) notes.Add(("birth_date", "MISSING_BIRTH_DATE", "date de naissance manquante"));
            }
            else if (!BirthDates.TryParse(rawDate, day, out birthDate, out var dateError))
            {
                notes.Add(("birth_date", "INVALID_BIRTH_DATE", $"{dateError} : ignorée (date de naissance manquante)"));
            }
            var (hashed, nirRefusal, nirError) = NirEntry.Read(Field("nir"), hasher, keyOptional: true);
            if (nirRefusal is not null) notes.Add(("nir", nirRefusal, $"{nirError} : ignoré"));
            var nirHash = hashed?.Value;
            var postcode = Field("postcode");
            if (postcode is not null && !(postcode.Length == 5 && postcode.All(char.IsAsciiDigit)))
            {
                notes.Add(("postcode", "INVALID_POSTCODE", $"code postal « {postcode} » invalide (5 chiffres attendus) : ignoré"));
                postcode = null;
            }

            if (problems.Count > 0)
            {
                var message = string.Join(" ; ", problems.Concat(notes).Select(p => p.Message));
                errors.Add(new RowError(source, line, givenId, problems[0].Field.Length == 0 ? null : problems[0].Field, problems[0].Code, message));
                if (givenId is not null) seenIds.TryAdd(givenId, line);
                continue;
            }
            if (notes.Count > 0)
            {
                warnings.Add(new RowError(source, line, id, notes[0].Field, notes[0].Code, string.Join(" ; ", notes.Select(p => p.Message))));
            }
            seenIds[id] = line;
            records.Add(new PersonRecord
            {
                RecordId = id,
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
        return new PersonFileResult(source, records, errors.OrderBy(e => e.Line).ToList(), encodingName, delimiter)
        {
            Warnings = warnings.OrderBy(w => w.Line).ToList(),
        };
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
