using System.Reflection;
using System.Text;

namespace Listes360.Domain.ReferenceData;

/// <summary>
/// Reads the reference CSV files embedded in this assembly (copies of <c>data/</c>, see the
/// PROVENANCE.md files there). UTF-8, <c>;</c>-separated, one header row, <c>"</c> quoting with
/// doubled quotes. A deliberately small reader: the domain stays free of packages.
/// </summary>
internal static class EmbeddedCsv
{
    public const string FinessCategories = "Listes360.Data.finess.finess_categories_nomenclature.csv";
    public const string FinessOrne = "Listes360.Data.finess.finess_esms_ph_orne61_20210108.csv";
    public static string Territories(string department) => $"Listes360.Data.territories.territories-{department}.csv";
    public static string Communes(string department) => $"Listes360.Data.territories.communes-{department}.csv";

    public static bool Exists(string resource) =>
        typeof(EmbeddedCsv).Assembly.GetManifestResourceInfo(resource) is not null;

    public static IReadOnlyList<CsvRow> Read(string resource)
    {
        using var stream = typeof(EmbeddedCsv).Assembly.GetManifestResourceStream(resource)
            ?? throw new DomainException("REFERENCE_DATA_MISSING", $"Le fichier de référence « {resource} » n'est pas embarqué dans l'application.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return Parse(reader.ReadToEnd(), resource);
    }

    public static IReadOnlyList<CsvRow> Parse(string text, string source)
    {
        var records = Records(text).ToList();
        if (records.Count == 0) return [];
        var header = records[0].Select((name, i) => (name, i)).ToDictionary(p => p.name, p => p.i, StringComparer.Ordinal);
        var rows = new List<CsvRow>(records.Count - 1);
        for (var r = 1; r < records.Count; r++)
        {
            if (records[r].Count == 1 && records[r][0].Length == 0) continue;
            if (records[r].Count != header.Count)
                throw new DomainException("REFERENCE_DATA_INVALID",
                    $"Ligne {r + 1} de « {source} » : {records[r].Count} colonnes au lieu de {header.Count}.");
            rows.Add(new CsvRow(header, records[r], source, r + 1));
        }
        return rows;
    }

    private static IEnumerable<List<string>> Records(string text)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                    else quoted = false;
                }
                else field.Append(c);
                continue;
            }
            switch (c)
            {
                case '"': quoted = true; break;
                case ';': fields.Add(field.ToString()); field.Clear(); break;
                case '\r': break;
                case '\n':
                    fields.Add(field.ToString()); field.Clear();
                    yield return fields;
                    fields = [];
                    break;
                default: field.Append(c); break;
            }
        }
        if (field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            yield return fields;
        }
    }
}

internal sealed class CsvRow(IReadOnlyDictionary<string, int> header, IReadOnlyList<string> values, string source, int line)
{
    public string this[string column] => header.TryGetValue(column, out var i)
        ? values[i]
        : throw new DomainException("REFERENCE_DATA_INVALID", $"Colonne « {column} » absente de « {source} ».");

    public int Line => line;
}
