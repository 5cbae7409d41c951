using System.Globalization;
using System.Text;
using Listes360.Domain;
using Listes360.Domain.Csv;
using Listes360.Domain.Persons;
using Listes360.Domain.Risk;

namespace Listes360.Risk.History;

/// <summary>One observation of a person: their snapshot on a date and whether a rupture followed within 12 months.</summary>
/// <param name="Simulated">True for rows of the simulated cohort (never real persons).</param>
/// <param name="Person">A pseudonymous id of the person (rows of one person stay on the same side of the held-out split).</param>
public sealed record HistoryRow(bool Simulated, string Person, DateOnly ObservedOn, RiskSnapshot Snapshot, bool Rupture);

/// <summary>
/// The history CSV: one line per (person, observation date), UTF-8, comma-separated, header first,
/// no quoting needed (every value is a number, a date, a boolean or a code; cells still go through <see cref="CsvCell"/>). A département can write it from
/// its own pseudonymised records and retrain with <c>listes360 risk train</c>. Columns, in order:
/// <list type="table">
/// <item><term>simulated</term><description><c>true</c> for simulated rows, <c>false</c> for real pseudonymised history.</description></item>
/// <item><term>person</term><description>pseudonymous person id (letters, digits, <c>-</c>, <c>_</c>); never a name or a NIR.</description></item>
/// <item><term>observed_on</term><description>observation date, <c>yyyy-MM-dd</c>.</description></item>
/// <item><term>age_years</term><description>completed years on that date.</description></item>
/// <item><term>situation</term><description>situation code (<c>AT_HOME_WITHOUT_SOLUTION</c>, <c>IN_CHILDREN_ESMS</c>, <c>IN_CHILDREN_ESMS_UNDER_CRETON</c>, <c>IN_ADULT_ESMS</c>, <c>IN_HOSPITAL</c>, <c>IN_BELGIUM</c>, <c>OUT_OF_DEPARTMENT</c>, <c>SCHOOL_WITH_PARTIAL_SUPPORT</c>, <c>WORK_WITH_PARTIAL_SUPPORT</c>, <c>CHILD_WELFARE</c>, <c>IN_ELDERLY_CARE</c>, <c>TEMPORARY_STAYS_ONLY</c>, <c>OTHER</c>) or empty when not recorded.</description></item>
/// <item><term>months_in_situation</term><description>whole months since the situation began.</description></item>
/// <item><term>in_children_setting</term><description>children's setting test of the flags (<c>true</c>/<c>false</c>).</description></item>
/// <item><term>valid_adult_orientation</term><description>an adult CDAPH orientation is valid on the date.</description></item>
/// <item><term>valid_orientation</term><description>any CDAPH orientation is valid on the date.</description></item>
/// <item><term>months_to_orientation_end</term><description>whole months until the last valid orientation ends; empty when one is open-ended or none is valid.</description></item>
/// <item><term>medicalised_adult_need</term><description>orientation or open candidature towards a MAS or FAM/EAM.</description></item>
/// <item><term>open_candidatures</term><description>open candidatures (received … offered).</description></item>
/// <item><term>open_adult_candidatures</term><description>of which to adult ESMS.</description></item>
/// <item><term>months_waiting</term><description>whole months since the oldest open request (0 without).</description></item>
/// <item><term>refusals_last_12_months</term><description>refusals by an ESMS or declines by the person in the 365 days before.</description></item>
/// <item><term>carer_age</term><description>main carer's approximate age, empty when unknown.</description></item>
/// <item><term>carer_status</term><description><c>AVAILABLE</c>, <c>EXHAUSTED</c>, <c>ILL</c>, <c>UNAVAILABLE</c>, or empty when no carer is recorded.</description></item>
/// <item><term>flag_creton</term><description>the CRETON flag on the date.</description></item>
/// <item><term>flag_transition_age</term><description>the TRANSITION_AGE flag on the date.</description></item>
/// <item><term>adult_path_gap</term><description><c>NONE</c>, <c>NO_VALID_ADULT_ORIENTATION</c>, <c>NO_OPEN_ADULT_CANDIDATURE</c>, <c>ONLY_FAR_RANKED_CANDIDATURES</c>.</description></item>
/// <item><term>rupture_12m</term><description>the label: <c>1</c> if a rupture followed within 12 months (see README), else <c>0</c>.</description></item>
/// </list>
/// </summary>
public static class RiskHistoryCsv
{
    public static readonly string[] Columns =
    [
        "simulated", "person", "observed_on", "age_years", "situation", "months_in_situation", "in_children_setting",
        "valid_adult_orientation", "valid_orientation", "months_to_orientation_end", "medicalised_adult_need",
        "open_candidatures", "open_adult_candidatures", "months_waiting", "refusals_last_12_months", "carer_age",
        "carer_status", "flag_creton", "flag_transition_age", "adult_path_gap", "rupture_12m",
    ];

    public static string Header => string.Join(',', Columns);

    public static void Write(TextWriter writer, IEnumerable<HistoryRow> rows)
    {
        writer.Write(Header + "\n");
        foreach (var row in rows)
            writer.Write(Line(row) + "\n");
    }

    public static string Line(HistoryRow row)
    {
        var s = row.Snapshot;
        static string B(bool b) => b ? "true" : "false";
        static string I(int? i) => i?.ToString(CultureInfo.InvariantCulture) ?? "";
        return CsvCell.Line([
            B(row.Simulated), row.Person, row.ObservedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), I(s.AgeYears),
            s.Situation is { } k ? Codes.Of(k) : "", I(s.MonthsInSituation), B(s.InChildrenSetting), B(s.ValidAdultOrientation),
            B(s.ValidOrientation), I(s.MonthsToOrientationEnd), B(s.MedicalisedAdultNeed), I(s.OpenCandidatures), I(s.OpenAdultCandidatures),
            I(s.MonthsWaiting), I(s.RefusalsLast12Months), I(s.CarerAge), s.CarerStatus is { } c ? Codes.Of(c) : "",
            B(s.Creton), B(s.TransitionAge), Codes.Of(s.AdultPathGap), row.Rupture ? "1" : "0"], ',');
    }

    public static IReadOnlyList<HistoryRow> ReadFile(string path)
    {
        if (!File.Exists(path))
            throw new DomainException("HISTORY_NOT_FOUND", $"Le fichier d'historique « {path} » n'existe pas.", "input");
        using var reader = new StreamReader(path, Encoding.UTF8);
        return Read(reader, path);
    }

    /// <summary>Reads and validates every line; the first bad value stops the reading with its line and column.</summary>
    public static IReadOnlyList<HistoryRow> Read(TextReader reader, string source = "historique")
    {
        var header = reader.ReadLine()?.TrimStart('\uFEFF').Trim();
        if (header != Header)
            throw new DomainException("INVALID_HISTORY_HEADER",
                $"{source} : l'en-tête doit être exactement « {Header} » (colonnes documentées dans le README, section « Risques de rupture »).", "input");
        var rows = new List<HistoryRow>();
        var lineNumber = 1;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (line.Length == 0) continue;
            var f = line.Split(',');
            if (f.Length != Columns.Length)
                throw Bad(source, lineNumber, null, $"{f.Length} valeurs au lieu de {Columns.Length}");
            var p = new FieldParser(source, lineNumber, f);
            var person = p.Text(1);
            if (!PersonId.TryParse(person, out _, out _))
                throw Bad(source, lineNumber, "person", "identifiant pseudonyme invalide (lettres, chiffres, « - », « _ », 64 caractères au plus)");
            rows.Add(new HistoryRow(p.Bool(0), person, p.Date(2), new RiskSnapshot
            {
                AgeYears = p.Int(3, 0, 130),
                Situation = p.Optional(4, Codes.SituationOf),
                MonthsInSituation = p.Int(5, 0, 1600),
                InChildrenSetting = p.Bool(6),
                ValidAdultOrientation = p.Bool(7),
                ValidOrientation = p.Bool(8),
                MonthsToOrientationEnd = p.OptionalInt(9, 0, 1600),
                MedicalisedAdultNeed = p.Bool(10),
                OpenCandidatures = p.Int(11, 0, 1000),
                OpenAdultCandidatures = p.Int(12, 0, 1000),
                MonthsWaiting = p.Int(13, 0, 1600),
                RefusalsLast12Months = p.Int(14, 0, 1000),
                CarerAge = p.OptionalInt(15, 5, 120),
                CarerStatus = p.Optional(16, Codes.CarerStatusOf),
                Creton = p.Bool(17),
                TransitionAge = p.Bool(18),
                AdultPathGap = p.Required(19, Codes.GapOf),
            }, p.Int(20, 0, 1) == 1));
        }
        if (rows.Count == 0)
            throw new DomainException("EMPTY_HISTORY", $"{source} : aucune ligne d'observation après l'en-tête.", "input");
        return rows;
    }

    internal static DomainException Bad(string source, int line, string? column, string why) =>
        new("INVALID_HISTORY_ROW", $"{source}, ligne {line}{(column is null ? "" : $", colonne « {column} »")} : {why}.", "input");

    private readonly struct FieldParser(string source, int line, string[] f)
    {
        public string Text(int i) => f[i].Trim();

        public bool Bool(int i) => Text(i) switch
        {
            "true" or "1" => true,
            "false" or "0" => false,
            var v => throw Bad(source, line, Columns[i], $"« {v} » n'est pas true/false"),
        };

        public int Int(int i, int min, int max) =>
            int.TryParse(Text(i), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max
                ? v
                : throw Bad(source, line, Columns[i], $"« {Text(i)} » n'est pas un entier entre {min} et {max}");

        public int? OptionalInt(int i, int min, int max) => Text(i).Length == 0 ? null : Int(i, min, max);

        public DateOnly Date(int i) =>
            DateOnly.TryParseExact(Text(i), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
                ? d
                : throw Bad(source, line, Columns[i], $"« {Text(i)} » n'est pas une date AAAA-MM-JJ");

        public T? Optional<T>(int i, Func<string, T?> parse) where T : struct =>
            Text(i).Length == 0 ? null : parse(Text(i)) ?? throw Bad(source, line, Columns[i], $"code « {Text(i)} » inconnu");

        public T Required<T>(int i, Func<string, T?> parse) where T : struct =>
            parse(Text(i)) ?? throw Bad(source, line, Columns[i], $"code « {Text(i)} » inconnu");
    }
}

/// <summary>Enum values as SCREAMING_SNAKE codes (the GraphQL enum values), both ways.</summary>
public static class Codes
{
    public static string Of<T>(T value) where T : struct, Enum => Snake(value.ToString());

    public static SituationKind? SituationOf(string code) => Parse<SituationKind>(code);
    public static CarerStatus? CarerStatusOf(string code) => Parse<CarerStatus>(code);
    public static AdultPathGap? GapOf(string code) => Parse<AdultPathGap>(code);

    private static T? Parse<T>(string code) where T : struct, Enum =>
        Enum.GetValues<T>().Select(v => (T?)v).FirstOrDefault(v => Of(v!.Value) == code);

    private static string Snake(string pascal)
    {
        var sb = new StringBuilder(pascal.Length + 8);
        for (var i = 0; i < pascal.Length; i++)
        {
            if (i > 0 && char.IsUpper(pascal[i])) sb.Append('_');
            sb.Append(char.ToUpperInvariant(pascal[i]));
        }
        return sb.ToString();
    }
}
