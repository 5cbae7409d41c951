using System.Globalization;
using System.Text.RegularExpressions;
using CsvHelper;
using Listes360.Domain;
using Listes360.Domain.Registry;
using Listes360.Imports.Persons;

namespace Listes360.Imports.Registry;

/// <summary>
/// Reads a file of ESMS for the département registry, in one of two formats (the README's « Le
/// répertoire des ESMS » documents both):
/// <list type="bullet">
/// <item><see cref="EsmsFileFormat.Finess"/>: the ministry's open-data extract, <c>;</c>-separated, with a
/// header of FINESS column names (<c>nofinesset</c>, <c>rs</c>, <c>categetab</c>, and when present
/// <c>codepostal</c>, <c>libelle_commune_acheminement</c> or <c>ligneacheminement</c>, <c>latitude</c>,
/// <c>longitude</c>; others ignored), as in <c>data/finess/</c>; or the raw etalab extract, without
/// header, whose lines start with <c>structureet;</c> (positions in <see cref="RawExtract"/>).</item>
/// <item><see cref="EsmsFileFormat.Csv"/>: our own CSV with a header <c>finess;name;category;postcode;
/// commune;age_from;age_until;modalities</c> (French names accepted, <c>;</c> or <c>,</c>).</item>
/// </list>
/// UTF-8 or Windows-1252 / ISO-8859-1, detected (<see cref="TextDecoding"/>). Each row goes through the
/// registry rules (<see cref="EsmsRegistrationRequest.ToProfile"/>); a row in error is reported with its
/// line and every problem in French, and the other rows are still read.
/// </summary>
public static partial class EsmsFileReader
{
    /// <summary>
    /// Positions (0-based) of the raw etalab extract's <c>structureet</c> lines used here, following the
    /// data.gouv.fr description of <c>etalab-cs1100507-stock-*.csv</c>: 0 <c>structureet</c>,
    /// 1 <c>nofinesset</c>, 2 <c>nofinessej</c>, 3 <c>rs</c>, 4 <c>rslongue</c>, …, 15
    /// <c>ligneacheminement</c> (« 61000 ALENCON »), 16 <c>telephone</c>, 17 <c>telecopie</c>, 18
    /// <c>categetab</c>, 19 <c>libcategetab</c>, … Its <c>geolocalisation</c> lines give Lambert-93
    /// coordinates, which are not converted: ESMS read from the raw extract have no latitude/longitude.
    /// </summary>
    public static class RawExtract
    {
        public const int Finess = 1;
        public const int Name = 3;
        public const int PostalLine = 15;
        public const int Category = 18;
        public const int MinimumFields = Category + 1;
    }

    private static readonly Dictionary<string, string[]> CsvAliases = new()
    {
        ["finess"] = ["finess", "n_finess", "no_finess", "numero_finess", "num_finess", "finess_et", "nofinesset"],
        ["name"] = ["name", "nom", "nom_de_l_esms", "nom_esms", "raison_sociale", "rs", "libelle"],
        ["category"] = ["category", "categorie", "categorie_finess", "code_categorie", "categetab"],
        ["postcode"] = ["postcode", "code_postal", "cp", "codepostal", "postal_code"],
        ["commune"] = ["commune", "ville", "localite", "libelle_commune_acheminement", "city"],
        ["age_from"] = ["age_from", "age_min", "age_minimum", "age_minimal", "age_de", "age_debut", "de_age"],
        ["age_until"] = ["age_until", "age_max", "age_maximum", "age_limite", "age_fin", "jusqu_a_age", "age_jusqu_a"],
        ["modalities"] = ["modalities", "modalites", "modalite", "modalites_d_accueil", "modalites_accueil"],
        ["latitude"] = ["latitude", "lat"],
        ["longitude"] = ["longitude", "lon", "lng"],
    };

    private static readonly Dictionary<string, string[]> FinessAliases = new()
    {
        ["finess"] = ["nofinesset"],
        ["name"] = ["rs"],
        ["category"] = ["categetab"],
        ["postcode"] = ["codepostal"],
        ["commune"] = ["libelle_commune_acheminement"],
        ["postal_line"] = ["ligneacheminement"],
        ["latitude"] = ["latitude"],
        ["longitude"] = ["longitude"],
    };

    private static readonly string[] Required = ["finess", "name", "category"];

    private static readonly Dictionary<string, string> FrenchColumnNames = new()
    {
        ["finess"] = "FINESS (finess)", ["name"] = "nom (name)", ["category"] = "catégorie FINESS (category)",
        ["postcode"] = "code postal", ["commune"] = "commune", ["postal_line"] = "ligne d'acheminement",
        ["age_from"] = "âge minimal", ["age_until"] = "âge limite", ["modalities"] = "modalités",
        ["latitude"] = "latitude", ["longitude"] = "longitude",
    };

    /// <summary>Accepted modality spellings, normalised: English enum names (any case, with or without <c>_</c>) and French labels.</summary>
    private static readonly Dictionary<string, Modality> ModalityNames = BuildModalityNames();

    [GeneratedRegex(@"^(\d{5})\s+(.+)$")]
    private static partial Regex PostalLine();

    public static EsmsFileResult ReadFile(string path, EsmsFileFormat? format = null) =>
        Read(File.ReadAllBytes(path), Path.GetFileName(path), format);

    /// <param name="format">Null: detected (<see cref="DetectFormat"/>).</param>
    public static EsmsFileResult Read(byte[] bytes, string source, EsmsFileFormat? format = null)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        var (text, encodingName) = TextDecoding.Decode(bytes);
        if (string.IsNullOrWhiteSpace(text))
            throw new EsmsFileException(source, "EMPTY_FILE", "fichier vide.");
        var chosen = format ?? DetectFormat(text);
        if (chosen == EsmsFileFormat.Finess && IsRawExtract(text))
            return ReadRawExtract(text, source, encodingName);
        return ReadWithHeader(text, source, encodingName, chosen);
    }

    /// <summary>
    /// <see cref="EsmsFileFormat.Finess"/> when the first line is a FINESS header (it names
    /// <c>nofinesset</c>) or the raw etalab extract (<c>finess;etalab;…</c> or <c>structureet;…</c>);
    /// otherwise <see cref="EsmsFileFormat.Csv"/>.
    /// </summary>
    public static EsmsFileFormat DetectFormat(string text)
    {
        if (IsRawExtract(text)) return EsmsFileFormat.Finess;
        var first = FirstLine(text);
        var names = first.Split([';', ',', '\t']).Select(h => PersonCsvReader.NormaliseHeader(h.Trim('"')));
        return names.Contains("nofinesset") ? EsmsFileFormat.Finess : EsmsFileFormat.Csv;
    }

    /// <summary>
    /// The profile of a row of the embedded FINESS extract (<see cref="OrneReferenceData"/>), exactly as
    /// this reader makes it from the same row in a file: the seed of <c>listes360 up</c> and a later
    /// <c>import-esms</c> of <c>data/finess/</c> agree, so the import finds every ESMS unchanged.
    /// </summary>
    public static EsmsProfile ProfileOf(FinessEsmsRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new EsmsRegistrationRequest(record.Finess.Value, record.Name, record.Category, record.Postcode, record.Commune,
            Latitude: record.Latitude, Longitude: record.Longitude).ToProfile();
    }

    private static string FirstLine(string text)
    {
        var trimmed = text.TrimStart('\r', '\n');
        var end = trimmed.IndexOfAny(['\r', '\n']);
        return end < 0 ? trimmed : trimmed[..end];
    }

    private static bool IsRawExtract(string text)
    {
        var first = FirstLine(text);
        return first.StartsWith("finess;etalab", StringComparison.OrdinalIgnoreCase)
            || first.StartsWith("structureet;", StringComparison.OrdinalIgnoreCase);
    }

    private static EsmsFileResult ReadWithHeader(string text, string source, string encodingName, EsmsFileFormat format)
    {
        var delimiter = format == EsmsFileFormat.Finess ? ';' : TextDecoding.DetectDelimiter(text);
        using var file = ImportCsv.Open(text, delimiter, (code, message) => new EsmsFileException(source, code, message),
            "fichier vide : la première ligne doit donner les noms de colonnes.");
        var (csv, header, screened) = (file.Csv, file.Header, file.Screened);
        var columns = MapHeader(header, source, format);

        var builder = new ResultBuilder(source, format, delimiter);
        builder.Reject(screened);
        while (csv.Read())
        {
            var line = (int)csv.LineNumber;
            string? Field(string name) =>
                columns.TryGetValue(name, out var i) && i < csv.FieldCount ? NullIfEmpty(csv.GetString(i)) : null;

            var extraFilled = false;
            for (var i = header.Length; i < csv.FieldCount; i++) extraFilled |= !string.IsNullOrWhiteSpace(csv.GetString(i));
            var columnProblem = csv.FieldCount < header.Length || extraFilled
                ? $"{csv.FieldCount} colonnes au lieu de {header.Length} (séparateur « {delimiter} »)"
                : null;

            var postcode = Field("postcode");
            var commune = Field("commune");
            if (postcode is null && commune is null && Field("postal_line") is { } postal)
                (postcode, commune) = SplitPostalLine(postal);
            builder.Add(line, columnProblem, new RawRow(Field("finess"), Field("name"), Field("category"), postcode, commune,
                Field("age_from"), Field("age_until"), Field("modalities"), Field("latitude"), Field("longitude")));
        }
        return builder.Build(encodingName);
    }

    private static EsmsFileResult ReadRawExtract(string text, string source, string encodingName)
    {
        var options = CsvReaderOptions.Default with
        {
            Separator = ';',
            HasHeader = false,
            TrimWhitespace = true,
            SkipEmptyLines = true,
            TrackLineNumbers = true,
        };
        var screened = CsvGuard.Screen(text, ';', hasHeader: false);
        using var csv = CsvReader.FromText(screened.Text, options);
        var builder = new ResultBuilder(source, EsmsFileFormat.Finess, ';');
        builder.Reject(screened);
        while (csv.Read())
        {
            var line = (int)csv.LineNumber;
            var kind = csv.FieldCount > 0 ? csv.GetString(0).Trim().ToLowerInvariant() : "";
            if (kind is "finess" or "geolocalisation") continue;
            if (kind != "structureet")
            {
                builder.Reject(line, null, "UNKNOWN_LINE_TYPE", $"ligne de type « {kind} » inconnue dans un extrait FINESS (structureet, geolocalisation attendus)");
                continue;
            }
            string? At(int i) => i < csv.FieldCount ? NullIfEmpty(csv.GetString(i)) : null;
            var columnProblem = csv.FieldCount < RawExtract.MinimumFields
                ? $"{csv.FieldCount} colonnes au lieu d'au moins {RawExtract.MinimumFields} (extrait FINESS brut)"
                : null;
            var (postcode, commune) = At(RawExtract.PostalLine) is { } postal ? SplitPostalLine(postal) : (null, null);
            builder.Add(line, columnProblem, new RawRow(At(RawExtract.Finess), At(RawExtract.Name), At(RawExtract.Category),
                postcode, commune, null, null, null, null, null));
        }
        return builder.Build(encodingName);
    }

    private static (string? Postcode, string? Commune) SplitPostalLine(string postal)
    {
        var match = PostalLine().Match(postal.Trim());
        return match.Success ? (match.Groups[1].Value, match.Groups[2].Value.Trim()) : (null, postal.Trim());
    }

    private static Dictionary<string, int> MapHeader(string[] header, string source, EsmsFileFormat format)
    {
        var aliases = format == EsmsFileFormat.Finess ? FinessAliases : CsvAliases;
        var columns = new Dictionary<string, int>();
        for (var i = 0; i < header.Length; i++)
        {
            var normalised = PersonCsvReader.NormaliseHeader(header[i]);
            foreach (var (canonical, names) in aliases)
            {
                if (!names.Contains(normalised)) continue;
                if (columns.TryGetValue(canonical, out var first))
                    throw new EsmsFileException(source, "DUPLICATE_COLUMN", $"la colonne {FrenchColumnNames[canonical]} apparaît deux fois (« {header[first]} » et « {header[i]} »).");
                columns[canonical] = i;
            }
        }
        var missing = Required.Where(r => !columns.ContainsKey(r)).ToArray();
        if (missing.Length > 0)
        {
            var expected = format == EsmsFileFormat.Finess
                ? "extrait FINESS : nofinesset, rs, categetab"
                : "CSV Listes360 : finess, name (nom), category (catégorie)";
            throw new EsmsFileException(source, "MISSING_COLUMNS",
                $"colonne(s) obligatoire(s) absente(s) ({expected}) : {string.Join(", ", missing.Select(m => FrenchColumnNames[m]))}. " +
                $"Colonnes lues : {string.Join(", ", header.Select(h => $"« {h} »"))}.");
        }
        return columns;
    }

    private static Dictionary<string, Modality> BuildModalityNames()
    {
        var names = new Dictionary<string, Modality>(StringComparer.Ordinal);
        foreach (var m in Modalities.All)
        {
            names[m.ToString().ToLowerInvariant()] = m;
            names[PersonCsvReader.NormaliseHeader(SnakeCase(m.ToString()))] = m;
            names[PersonCsvReader.NormaliseHeader(m.Label())] = m;
        }
        names["semi_internat"] = Modality.SemiResidential;
        names["accueil_de_jour"] = Modality.SemiResidential;
        names["temporaire"] = Modality.Temporary;
        names["sequentiel"] = Modality.Sequential;
        names["milieu_ordinaire"] = Modality.InCommunity;
        names["prestation_en_milieu_ordinaire"] = Modality.InCommunity;
        return names;
    }

    private static string SnakeCase(string pascal) =>
        string.Concat(pascal.Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + c : c.ToString()));

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private sealed record RawRow(string? Finess, string? Name, string? Category, string? Postcode, string? Commune,
        string? AgeFrom, string? AgeUntil, string? Modalities, string? Latitude, string? Longitude);

    /// <summary>Checks each row, collecting every problem of a row before rejecting it.</summary>
    private sealed class ResultBuilder(string source, EsmsFileFormat format, char delimiter)
    {
        private readonly List<EsmsFileRow> _rows = [];
        private readonly List<EsmsRowError> _errors = [];
        private readonly SortedDictionary<string, int> _outOfRegistry = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int> _seen = new(StringComparer.Ordinal);

        public void Reject(int line, string? finess, string code, string message) =>
            _errors.Add(new EsmsRowError(line, finess, code, message));

        /// <summary>The lines the screening refused (unclosed quote, control character, too long, too many columns).</summary>
        public void Reject(ScreenedCsv screened) =>
            _errors.AddRange(screened.Problems.Select(p => new EsmsRowError(p.Line, null, p.Code, p.Message)));

        public void Add(int line, string? columnProblem, RawRow row)
        {
            var problems = new List<(string Code, string Message)>();
            if (columnProblem is not null) problems.Add(("COLUMN_COUNT", columnProblem));

            FinessNumber? finess = null;
            if (row.Finess is null) problems.Add(("MISSING_FINESS", "numéro FINESS manquant"));
            else if (!FinessNumber.TryParse(row.Finess, out var parsed, out var finessError)) problems.Add(("INVALID_FINESS", Uncapitalised(finessError).TrimEnd('.')));
            else if (_seen.TryGetValue(parsed.Value, out var firstLine)) problems.Add(("DUPLICATE_FINESS", $"le FINESS {parsed.Value} figure déjà ligne {firstLine} (seule la première ligne est prise)"));
            else finess = parsed;

            if (row.Name is null) problems.Add(("INVALID_ESMS_NAME", "nom de l'ESMS vide"));

            if (row.Category is null) problems.Add(("UNKNOWN_FINESS_CATEGORY", "catégorie FINESS vide"));
            else if (!FinessCategoryMap.TryGetKind(row.Category, out _))
            {
                // The raw national extract lists hospitals, EHPAD, pharmacies…: not errors, just not ESMS of this registry.
                if (format == EsmsFileFormat.Finess && problems.Count == 0 && FinessNomenclature.TryGet(row.Category.Trim()) is { Label.Length: > 0 } known
                    && !known.InPhFilter)
                {
                    _outOfRegistry[row.Category.Trim()] = _outOfRegistry.GetValueOrDefault(row.Category.Trim()) + 1;
                    if (finess is { } f) _seen[f.Value] = line;
                    return;
                }
                problems.Add(("UNKNOWN_FINESS_CATEGORY", Uncapitalised(CategoryError(row.Category))));
            }

            var ageFrom = Age(row.AgeFrom, "âge minimal", problems);
            var ageUntil = Age(row.AgeUntil, "âge limite", problems);
            if (ageFrom is { } from && ageUntil is { } until && until <= from)
                problems.Add(("INVALID_AGE_RANGE", $"âge limite ({until} ans) inférieur ou égal à l'âge minimal ({from} ans)"));

            var modalities = ParseModalities(row.Modalities, problems);
            if (row.Postcode is { } pc && !(pc.Length == 5 && pc.All(char.IsAsciiDigit)))
                problems.Add(("INVALID_POSTCODE", $"code postal « {pc} » invalide (5 chiffres attendus)"));
            var latitude = Coordinate(row.Latitude, "latitude", 90, problems);
            var longitude = Coordinate(row.Longitude, "longitude", 180, problems);

            if (problems.Count == 0)
            {
                try
                {
                    var profile = new EsmsRegistrationRequest(row.Finess!, row.Name!, row.Category!, row.Postcode, row.Commune,
                        ageFrom, ageUntil, modalities, latitude, longitude).ToProfile();
                    _seen[profile.Finess.Value] = line;
                    _rows.Add(new EsmsFileRow(line, profile));
                    return;
                }
                catch (DomainException e)
                {
                    problems.Add((e.Code, Uncapitalised(e.Message).TrimEnd('.')));
                }
            }
            if (finess is { } known2) _seen.TryAdd(known2.Value, line);
            _errors.Add(new EsmsRowError(line, row.Finess, problems[0].Code, string.Join(" ; ", problems.Select(p => p.Message))));
        }

        public EsmsFileResult Build(string encodingName) =>
            new(source, format, _rows, _errors.OrderBy(e => e.Line).ToList(), new Dictionary<string, int>(_outOfRegistry), encodingName, delimiter);

        private static string CategoryError(string category)
        {
            try
            {
                FinessCategoryMap.KindOf(category);
                return $"catégorie FINESS « {category} » inconnue";
            }
            catch (DomainException e)
            {
                return e.Message.TrimEnd('.');
            }
        }

        private static int? Age(string? value, string what, List<(string, string)> problems)
        {
            if (value is null) return null;
            var text = value.Trim();
            if (text.EndsWith("ans", StringComparison.OrdinalIgnoreCase)) text = text[..^3].Trim();
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var age))
            {
                problems.Add(("INVALID_AGE_RANGE", $"{what} « {value} » illisible (nombre entier d'années attendu)"));
                return null;
            }
            if (age > 120)
            {
                problems.Add(("INVALID_AGE_RANGE", $"{what} de {age} ans hors limites (0 à 120 ans)"));
                return null;
            }
            return age;
        }

        private IReadOnlyList<Modality>? ParseModalities(string? value, List<(string, string)> problems)
        {
            if (value is null) return null;
            var result = new List<Modality>();
            foreach (var part in value.Split('|', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (ModalityNames.TryGetValue(PersonCsvReader.NormaliseHeader(part), out var m)) result.Add(m);
                else problems.Add(("UNKNOWN_MODALITY", $"modalité « {part} » inconnue (admises : {string.Join(", ", Modalities.All.Select(x => $"{x} / {x.Label()}"))} ; séparées par « | »)"));
            }
            return result.Count > 0 ? result : null;
        }

        private double? Coordinate(string? value, string what, double limit, List<(string, string)> problems)
        {
            if (value is null) return null;
            // A French spreadsheet writes « 48,6 » in a ;-separated file.
            var text = delimiter == ';' ? value.Replace(',', '.') : value;
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && Math.Abs(number) <= limit)
                return number;
            problems.Add(("INVALID_COORDINATES", $"{what} « {value} » invalide (degrés décimaux WGS84, entre -{limit} et {limit})"));
            return null;
        }

        private static string Uncapitalised(string message) =>
            message.Length > 1 && char.IsUpper(message[0]) && !char.IsUpper(message[1])
                ? char.ToLowerInvariant(message[0]) + message[1..]
                : message;
    }
}
