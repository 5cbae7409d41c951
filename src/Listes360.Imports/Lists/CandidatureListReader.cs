using System.Globalization;
using CsvHelper;
using Listes360.Domain;
using Listes360.Domain.Candidatures;
using Listes360.Domain.Geography;
using Listes360.Domain.Identity;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;
using Listes360.Domain.Territories;
using Listes360.Grains.Lists;
using Listes360.Imports.Persons;
using MatchRecord = Listes360.Domain.Identity.Records.PersonRecord;

namespace Listes360.Imports.Lists;

/// <summary>What the reader got from an ESMS's list: valid rows and every rejected one, by line.</summary>
public sealed record CandidatureListFile(
    string Source,
    int RowsRead,
    IReadOnlyList<ListImportRow> Rows,
    IReadOnlyList<RowError> Errors,
    string EncodingName,
    char Delimiter);

/// <summary>
/// Reads the waiting list an ESMS keeps in a spreadsheet, exported as CSV by Excel or LibreOffice:
/// separator <c>;</c> or <c>,</c> (detected, <c>sep=;</c> first line understood), UTF-8 or Windows-1252
/// (detected), French headers in any case and with or without accents. Required columns: nom, prénom,
/// date de naissance, date de la demande, modalité (a row may leave the birth date empty when it gives
/// an MDPH file number or a NIR: it can then only join the person known by that key). Optional: nom de naissance, sexe, n° dossier MDPH,
/// NIR (hashed at once, never kept), code postal, commune, code INSEE de la commune, situation,
/// n° décision CDAPH, orientation (code IME, MAS, FAM_EAM…), début et fin de validité, source. Each
/// row is checked; a row in error is reported with its line and the French reason of every problem,
/// and is not imported. A row identical to an earlier one is a duplicate and rejected.
/// </summary>
public static class CandidatureListReader
{
    private static readonly Dictionary<string, string[]> Aliases = new()
    {
        ["last_name"] = ["nom", "nom_d_usage", "nom_usage", "nom_de_famille", "nom_usuel", "last_name"],
        ["first_name"] = ["prenom", "prenoms", "first_name"],
        ["birth_date"] = ["date_de_naissance", "date_naissance", "naissance", "ddn", "ne_e_le", "ne_le", "birth_date"],
        ["birth_name"] = ["nom_de_naissance", "nom_naissance", "nom_de_jeune_fille", "njf", "birth_name"],
        ["sex"] = ["sexe", "sex", "genre"],
        ["mdph"] = ["n_dossier_mdph", "no_dossier_mdph", "numero_dossier_mdph", "num_dossier_mdph", "numero_de_dossier_mdph", "dossier_mdph", "n_mdph", "numero_mdph", "mdph_number"],
        ["nir"] = ["nir", "nss", "numero_de_securite_sociale", "n_securite_sociale", "numero_securite_sociale", "num_secu", "n_secu"],
        ["postcode"] = ["code_postal", "cp", "postcode"],
        ["commune"] = ["commune", "ville", "localite"],
        ["commune_code"] = ["code_commune", "code_insee", "insee", "code_insee_commune"],
        ["request_date"] = ["date_de_la_demande", "date_demande", "date_de_demande", "date_d_inscription", "date_inscription", "date_de_la_demande_d_admission"],
        ["modality"] = ["modalite", "modalite_d_accueil", "mode_d_accueil", "type_d_accueil", "modalite_demandee"],
        ["situation"] = ["situation", "situation_actuelle"],
        ["decision"] = ["n_decision_cdaph", "no_decision_cdaph", "numero_decision_cdaph", "decision_cdaph", "n_decision", "reference_decision", "n_de_decision_cdaph"],
        ["orientation"] = ["orientation", "type_d_orientation", "orientation_cdaph"],
        ["valid_from"] = ["debut_de_validite", "debut_validite", "date_de_decision", "date_decision", "date_de_notification", "validite_du"],
        ["valid_to"] = ["fin_de_validite", "fin_validite", "validite_au", "date_de_fin"],
        ["source"] = ["source"],
    };

    private static readonly Dictionary<string, string> French = new()
    {
        ["last_name"] = "nom", ["first_name"] = "prénom", ["birth_date"] = "date de naissance",
        ["request_date"] = "date de la demande", ["modality"] = "modalité",
    };

    private static readonly string[] Formats =
        ["dd/MM/yyyy", "d/M/yyyy", "yyyy-MM-dd", "yyyy-M-d", "yyyyMMdd", "dd-MM-yyyy", "d-M-yyyy", "dd.MM.yyyy", "yyyy/MM/dd"];

    /// <summary>
    /// The INSEE code of the commune in force at an address given as postcode and commune name, when
    /// the département's communes ship with the service (the Orne today): ESMS exports carry addresses,
    /// not INSEE codes, and the person's territory and distances follow from the commune.
    /// </summary>
    private static string? InseeCodeOf(string? postcode, string? commune)
    {
        if (DepartmentCodes.OfPostcode(postcode) is not { } department || string.IsNullOrWhiteSpace(commune))
            return null;
        return TerritoryDirectory.TryLocate(department, postcode, commune)?.Commune.InForceInseeCode;
    }

    public static CandidatureListFile ReadFile(string path, NirHasher? hasher, DateOnly today) =>
        Read(File.ReadAllBytes(path), Path.GetFileName(path), hasher, today);

    public static CandidatureListFile Read(byte[] bytes, string source, NirHasher? hasher, DateOnly today)
    {
        var (text, encodingName) = TextDecoding.Decode(bytes);
        return Read(text, encodingName, source, hasher, today);
    }

    /// <param name="hasher">The département's NIR hasher; without it, a row giving a NIR is refused.</param>
    public static CandidatureListFile Read(string text, string encodingName, string source, NirHasher? hasher, DateOnly today)
    {
        (text, var delimiter) = TextDecoding.TakeSeparator(text);
        using var file = ImportCsv.Open(text, delimiter, (code, message) => new PersonFileException(source, code, message),
            "fichier vide : la première ligne doit donner les noms de colonnes (nom, prénom, date de naissance, date de la demande, modalité…).");
        var (csv, header, screened) = (file.Csv, file.Header, file.Screened);
        var columns = MapHeader(header, source);

        var rows = new List<ListImportRow>();
        var errors = screened.Problems.Select(p => new RowError(source, p.Line, null, null, p.Code, p.Message)).ToList();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var read = screened.Problems.Count;
        while (csv.Read())
        {
            read++;
            var line = (int)csv.LineNumber;
            string? Field(string name) =>
                columns.TryGetValue(name, out var i) && i < csv.FieldCount && !string.IsNullOrWhiteSpace(csv.GetString(i)) ? csv.GetString(i).Trim() : null;
            var problems = new List<(string Code, string Message)>();
            var all = string.Join('\u001f', Enumerable.Range(0, csv.FieldCount).Select(i => csv.GetString(i).Trim().ToUpperInvariant()));
            if (seen.TryGetValue(all, out var firstLine))
            {
                errors.Add(new RowError(source, line, null, null, "DUPLICATE_ROW", $"ligne identique à la ligne {firstLine} (doublon) : ignorée"));
                continue;
            }
            seen[all] = line;
            if (csv.FieldCount < header.Length)
                problems.Add(("COLUMN_COUNT", $"{csv.FieldCount} colonnes au lieu de {header.Length} (séparateur « {delimiter} »)"));

            var lastName = Field("last_name");
            var firstName = Field("first_name");
            var birthName = Field("birth_name");
            if (lastName is null) problems.Add(("MISSING_LAST_NAME", "nom manquant"));
            else if (FrenchNames.Fold(lastName).Length == 0) problems.Add(("INVALID_LAST_NAME", $"nom « {lastName} » sans aucune lettre"));
            if (firstName is null) problems.Add(("MISSING_FIRST_NAME", "prénom manquant"));
            // A row without birth date is read when it carries a strong key (MDPH file number, NIR): it may
            // then only join the person known by that key (the identity grain decides), never create one.
            var hasStrongKey = Field("mdph") is not null || Field("nir") is not null;
            var birth = Date(Field("birth_date"), "date de naissance", required: false, problems);
            if (Field("birth_date") is null && !hasStrongKey)
                problems.Add(("MISSING_DATE", "date de naissance manquante (sans elle, seule une ligne portant le n° de dossier MDPH ou le NIR d'une personne déjà connue peut être importée)"));
            if (birth is { } b && (b.Year < 1900 || b > today)) problems.Add(("INVALID_BIRTH_DATE", $"date de naissance {b:dd/MM/yyyy} hors limites (entre 1900 et aujourd'hui)"));
            var request = Date(Field("request_date"), "date de la demande", required: true, problems);
            if (request is { } r && RequestDates.Problem(r, today) is { } requestProblem) problems.Add((RequestDates.InvalidRequestDate, requestProblem));
            if (request is { } r2 && birth is { } b2 && r2 < b2) problems.Add(("INVALID_REQUEST_DATE", $"date de la demande {r2:dd/MM/yyyy} antérieure à la naissance"));
            Modality? modality = null;
            if (Field("modality") is not { } rawModality) problems.Add(("MISSING_MODALITY", "modalité manquante"));
            else if (ListVocabulary.Modality(rawModality) is { } m) modality = m;
            else problems.Add(("UNKNOWN_MODALITY", $"modalité « {rawModality} » inconnue (attendu : {ListVocabulary.ModalityHint})"));
            Situation? situation = null;
            if (Field("situation") is { } rawSituation)
            {
                if (ListVocabulary.Situation(rawSituation) is { } kind) situation = new Situation { Kind = kind, Since = request ?? today };
                else problems.Add(("UNKNOWN_SITUATION", $"situation « {rawSituation} » inconnue (attendu : {ListVocabulary.SituationHint})"));
            }
            var (nirHash, nirRefusal, nirError) = NirEntry.Read(Field("nir"), hasher, keyOptional: true);
            if (nirRefusal == NirEntry.HashingUnavailable) problems.Add((nirRefusal, "NIR fourni mais le secret départemental de hachage n'est pas configuré"));
            else if (nirRefusal is not null) problems.Add((nirRefusal, nirError!));
            var postcode = Field("postcode");
            if (postcode is not null && !(postcode.Length == 5 && postcode.All(char.IsAsciiDigit)))
                problems.Add(("INVALID_POSTCODE", $"code postal « {postcode} » invalide (5 chiffres attendus)"));
            ListOrientation? orientation = null;
            if (Field("decision") is { } decision)
            {
                KindOfSupport? kind = null;
                if (Field("orientation") is { } code)
                {
                    try { kind = KindsOfSupport.FromCode(code); }
                    catch (DomainException e) { problems.Add((e.Code, e.Message)); }
                }
                orientation = new ListOrientation(decision, kind,
                    Date(Field("valid_from"), "début de validité", required: false, problems), Date(Field("valid_to"), "fin de validité", required: false, problems));
            }
            var sex = ListVocabulary.Sex(Field("sex"));

            PersonIdentity? identity = null;
            if (problems.Count == 0 && birth is not null)
            {
                try
                {
                    identity = PersonIdentity.Create(birthName ?? StripMarriedName(lastName!), [firstName!], birth!.Value, sex, today,
                        usageName: birthName is null ? null : lastName, residenceCommune: Field("commune_code") ?? InseeCodeOf(postcode, Field("commune")), mdphFileNumber: Field("mdph"), nirHash: nirHash);
                }
                catch (DomainException e)
                {
                    problems.Add((e.Code, e.Message));
                }
            }
            if (problems.Count > 0)
            {
                errors.Add(new RowError(source, line, null, null, problems[0].Code, string.Join(" ; ", problems.Select(p => p.Message))));
                continue;
            }
            var match = new MatchRecord
            {
                RecordId = $"{source}:{line}",
                LastName = lastName,
                FirstName = firstName,
                BirthDate = birth?.ToString("yyyyMMdd", CultureInfo.InvariantCulture),
                BirthName = birthName,
                MdphNumber = Field("mdph"),
                NirHash = nirHash?.Value,
                Postcode = postcode,
                Commune = Field("commune"),
            };
            rows.Add(new ListImportRow(line, identity, match, situation, orientation, modality!.Value, request!.Value,
                string.Equals(Field("source"), "simulated", StringComparison.OrdinalIgnoreCase)));
        }
        return new CandidatureListFile(source, read, rows, errors.OrderBy(e => e.Line).ToList(), encodingName, delimiter);
    }

    /// <summary>« DUPONT épouse MARTIN », « MARTIN née DUPONT »: the birth name for the identity (the matching reads both).</summary>
    private static string StripMarriedName(string lastName)
    {
        foreach (var marker in new[] { " née ", " nee ", " épouse ", " epouse ", " ép. ", " ep. " })
        {
            var at = lastName.IndexOf(marker, StringComparison.OrdinalIgnoreCase);
            if (at > 0)
                return marker.Trim() is "née" or "nee" ? lastName[(at + marker.Length)..].Trim() : lastName[..at].Trim();
        }
        return lastName;
    }

    private static DateOnly? Date(string? raw, string what, bool required, List<(string Code, string Message)> problems)
    {
        if (raw is null)
        {
            if (required) problems.Add(("MISSING_DATE", $"{what} manquante"));
            return null;
        }
        var value = raw.Contains(' ', StringComparison.Ordinal) ? raw[..raw.IndexOf(' ', StringComparison.Ordinal)] : raw;
        if (DateOnly.TryParseExact(value, Formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            return date;
        problems.Add(("INVALID_DATE", $"{what} « {raw} » illisible (formats acceptés : JJ/MM/AAAA, AAAA-MM-JJ, AAAAMMJJ)"));
        return null;
    }

    private static Dictionary<string, int> MapHeader(string[] header, string source)
    {
        var columns = new Dictionary<string, int>();
        for (var i = 0; i < header.Length; i++)
        {
            var normalised = PersonCsvReader.NormaliseHeader(header[i]);
            foreach (var (canonical, aliases) in Aliases)
            {
                if (!aliases.Contains(normalised)) continue;
                if (columns.ContainsKey(canonical))
                    throw new PersonFileException(source, "DUPLICATE_COLUMN", $"la colonne « {header[i]} » apparaît deux fois (aussi « {header[columns[canonical]]} »).");
                columns[canonical] = i;
            }
        }
        var missing = French.Keys.Where(k => !columns.ContainsKey(k)).Select(k => French[k]).ToArray();
        if (missing.Length > 0)
            throw new PersonFileException(source, "MISSING_COLUMNS",
                $"colonne(s) obligatoire(s) absente(s) : {string.Join(", ", missing)}. Colonnes lues : {string.Join(", ", header.Select(h => $"« {h} »"))}.");
        return columns;
    }
}
