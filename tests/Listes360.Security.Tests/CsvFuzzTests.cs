using System.Text;
using FsCheck.Xunit;
using Listes360.Domain.Persons;
using Listes360.Imports.Lists;
using Listes360.Imports.Persons;
using Listes360.Imports.Registry;

namespace Listes360.Security.Tests;

/// <summary>
/// Issue 12, class 5 (fuzz): random CSV lines — stray and unclosed quotes, separators, control and
/// bidirectional characters, huge cells, extra columns — fed to the three readers (pure, fast) and,
/// for a few files, through <c>importCandidatureList</c>: no exception escapes but the readers' own
/// file refusals, every refused line is named, and a file refused as a whole stores nothing.
/// </summary>
[Collection(SecurityCollection.Name)]
public sealed class CsvFuzzTests(Listes360.Api.Tests.ApiFixture api)
{
    private const string ListHeader = "nom;prénom;date de naissance;date de la demande;modalité;n° décision CDAPH;orientation";
    private const string EsmsHeader = "finess;name;category;postcode;commune";
    private const string PersonHeader = "id;nom;prenom;ddn";
    private static readonly DateOnly Today = new(2026, 11, 23);
    private static readonly NirHasher Hasher = NirHasher.FromText("fuzz-key-for-the-security-tests, long enough");
    private static readonly string[] Controls = ["\0", "\a", "\u001B", "\b", "\v", "\f", "\r", "\u007F", "\u0085", "\u202E", "\u2066", "\u2069", "\uD800"];
    private static readonly string[] Names = ["Durand", "Léa", "N'Guessan", "Jean-Noël", "03/04/1985", "01/02/2025", "internat", "CDAPH-61-1", "MAS", "610000010", "183", "61000", "Alençon"];

    /// <summary>A cell from generated numbers: a plain value, quotes (closed, doubled, left open), a control, a huge cell, a separator or a line break inside quotes.</summary>
    private static string Cell((byte Kind, ushort Size, int Seed) g)
    {
        var plain = Names[(g.Seed & 0x7FFFFFFF) % Names.Length];
        return (g.Kind % 12) switch
        {
            0 or 1 or 2 => plain,
            3 => $"\"{plain}",
            4 => $"\"{plain}\"\"x\"",
            5 => plain.Insert((g.Size % (plain.Length + 1)), Controls[g.Size % Controls.Length]),
            6 => new string('x', g.Size % 30_000),
            7 => $"\"{plain};{plain}\"",
            8 => $"\"{plain}\n{plain}\"",
            9 => "",
            10 => $"{plain}\"{plain}",
            _ => $"\"{plain}\"{plain}",
        };
    }

    private static string File(string header, (byte, ushort, int)[][] lines, ushort extra)
    {
        var text = new StringBuilder(header).Append('\n');
        foreach (var line in lines.Take(12))
        {
            text.AppendJoin(';', line.Take(10).Select(Cell));
            if (line.Length > 0 && (line[0].Item3 & 0xF) == 0)
                text.Append(new string(';', extra % 5_000)).Append('x');
            text.Append((line.Length & 1) == 0 ? "\n" : "\r\n");
        }
        return text.ToString();
    }

    private static int PhysicalLines(string text) => text.Count(c => c == '\n') + 1;

    /// <summary>Every refusal of a line names a line of the file, after the header.</summary>
    private static bool Named(IEnumerable<int> lines, string text) => lines.All(l => l >= 2 && l <= PhysicalLines(text));

    [Property(MaxTest = 300)]
    public bool The_list_reader_never_throws_and_names_every_refused_line((byte, ushort, int)[][] lines, ushort extra)
    {
        var text = File(ListHeader, lines, extra);
        try
        {
            var file = CandidatureListReader.Read(Encoding.UTF8.GetBytes(text), "fuzz.csv", Hasher, Today);
            return Named(file.Errors.Select(e => e.Line), text) && file.Rows.Count + file.Errors.Count <= file.RowsRead + file.Errors.Count(e => e.Code == "DUPLICATE_ROW")
                && file.Rows.All(r => r.Line >= 2);
        }
        catch (PersonFileException e)
        {
            return e.Code.Length > 0 && e.Detail.Length > 0;
        }
    }

    [Property(MaxTest = 300)]
    public bool The_esms_reader_never_throws_and_names_every_refused_line((byte, ushort, int)[][] lines, ushort extra)
    {
        var text = File(EsmsHeader, lines, extra);
        try
        {
            var file = EsmsFileReader.Read(Encoding.UTF8.GetBytes(text), "fuzz.csv");
            return Named(file.Errors.Select(e => e.Line), text);
        }
        catch (EsmsFileException e)
        {
            return e.Code.Length > 0 && e.Detail.Length > 0;
        }
    }

    [Property(MaxTest = 300)]
    public bool The_person_reader_never_throws_and_names_every_refused_line((byte, ushort, int)[][] lines, ushort extra)
    {
        var text = File(PersonHeader, lines, extra);
        try
        {
            var file = PersonCsvReader.Read(Encoding.UTF8.GetBytes(text), "fuzz.csv", Hasher, Today);
            return Named(file.Errors.Select(e => e.Line), text);
        }
        catch (PersonFileException e)
        {
            return e.Code.Length > 0 && e.Detail.Length > 0;
        }
    }

    [Fact]
    public async Task Random_files_whose_every_line_is_bad_are_refused_through_the_api_and_store_nothing()
    {
        await RefusalReplay.EsmsAsync(api, "610000093");
        var random = new Random(12);
        for (var n = 0; n < 8; n++)
        {
            // Every data line carries at least one fault the screening refuses (a control, an unclosed quote, too many cells).
            var lines = Enumerable.Range(0, 1 + random.Next(6)).Select(_ =>
            {
                var cells = Enumerable.Range(0, 7).Select(_ => Cell(((byte)random.Next(256), (ushort)random.Next(2_000), random.Next()))).ToList();
                var fault = random.Next(3) switch
                {
                    0 => "Du" + Controls[random.Next(Controls.Length)] + "rand",
                    1 => "\"Durand",
                    _ => "Durand" + new string(';', 50 + random.Next(200)) + "x",
                };
                cells[random.Next(cells.Count)] = fault;
                return string.Join(';', cells).Replace("\n", " ", StringComparison.Ordinal);
            });
            var content = ListHeader + "\n" + string.Join("\n", lines) + "\n";
            var before = await StorageSnapshot.TakeAsync(api);

            var response = await api.PostAsync("""
                mutation($c: String!) { importCandidatureList(input: {finess: "610000093", fileName: "fuzz.csv", content: $c}) { report { rowsRead personsCreated rejected { line code } } } }
                """, new { c = content });

            Assert.True(response.Status < 500, response.Body);
            if (response.HasErrors)
            {
                Assert.NotEqual("INTERNAL_ERROR", response.FirstErrorCode);
            }
            else
            {
                var report = response.Data.GetProperty("importCandidatureList").GetProperty("report");
                Assert.Equal(0, report.GetProperty("personsCreated").GetInt32());
                Assert.All(report.GetProperty("rejected").EnumerateArray(), r => Assert.InRange(r.GetProperty("line").GetInt32(), 2, PhysicalLines(content)));
            }
            Assert.Empty((await StorageSnapshot.TakeAsync(api)).ChangesSince(before));
        }
    }
}
