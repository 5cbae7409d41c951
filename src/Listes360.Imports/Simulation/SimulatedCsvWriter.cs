using System.Globalization;
using System.Text;
using Listes360.Domain.Csv;

namespace Listes360.Imports.Simulation;

/// <summary>
/// Writes SIMULATED rows (source=simulated) as a French ESMS export would look: French headers,
/// <c>;</c> separator, dates as <c>JJ/MM/AAAA</c> (or another accepted format), UTF-8 or Windows-1252.
/// Every row says <c>source=simulated</c> (column <c>source</c>); the last column
/// <c>simulated_person_id</c> carries the truth; readers ignore unknown columns. Name such files with
/// <c>source=simulated</c> too (the benchmark writes <c>persons-source=simulated-seed…csv</c>).
/// </summary>
public static class SimulatedCsvWriter
{
    public const string Header = "identifiant;nom;prénom;date de naissance;nom de naissance;n° dossier MDPH;NIR;code postal;commune;source;simulated_person_id";

    public static void Write(IEnumerable<SimulatedRow> rows, TextWriter writer, string dateFormat = "dd/MM/yyyy", char separator = ';')
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteLine(Header.Replace(';', separator));
        foreach (var row in rows)
        {
            var date = DateOnly.ParseExact(row.BirthDate, "yyyyMMdd", CultureInfo.InvariantCulture).ToString(dateFormat, CultureInfo.InvariantCulture);
            string[] fields = [row.RecordId, row.LastName, row.FirstName, date, row.BirthName ?? "", row.MdphNumber ?? "", row.Nir ?? "", row.Postcode ?? "", row.Commune ?? "", "simulated", row.PersonId.ToString(CultureInfo.InvariantCulture)];
            writer.WriteLine(string.Join(separator, fields.Select(f => Quote(f, separator))));
        }
    }

    public static byte[] ToBytes(IEnumerable<SimulatedRow> rows, Encoding encoding, string dateFormat = "dd/MM/yyyy", char separator = ';')
    {
        ArgumentNullException.ThrowIfNull(encoding);
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        Write(rows, text, dateFormat, separator);
        return encoding.GetBytes(text.ToString());
    }

    /// <summary>One CSV line, fields quoted when they hold the separator or a quote (as Excel writes them), formulas neutralised (<see cref="CsvCell"/>).</summary>
    public static string Line(IEnumerable<string> fields, char separator) => string.Join(separator, fields.Select(f => Quote(f, separator)));

    private static string Quote(string field, char separator) => CsvCell.Write(field, separator);
}
