using Listes360.Domain.Csv;

namespace Listes360.Domain.Tests.Csv;

public sealed class CsvCellTests
{
    [Theory]
    [InlineData("=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"")]
    [InlineData("@SUM(1+1)", "\"'@SUM(1+1)\"")]
    [InlineData("+cmd|' /C calc'!A0", "\"'+cmd|' /C calc'!A0\"")]
    [InlineData("-2+3+cmd", "\"'-2+3+cmd\"")]
    [InlineData("\tTAB", "\"'\tTAB\"")]
    [InlineData("\rCR", "\"'\rCR\"")]
    public void A_formula_like_cell_is_prefixed_with_a_quote_and_quoted(string value, string written)
    {
        Assert.True(CsvCell.IsFormulaLike(value));
        Assert.Equal(written, CsvCell.Write(value, ';'));
    }

    [Theory]
    [InlineData("-5")]
    [InlineData("+12")]
    [InlineData("-0.25")]
    [InlineData("-3,5")]
    public void A_lone_number_stays_a_number(string value)
    {
        Assert.False(CsvCell.IsFormulaLike(value));
        Assert.Equal(value, CsvCell.Write(value, ';'));
    }

    [Theory]
    [InlineData("DUPONT", "DUPONT")]
    [InlineData("", "")]
    [InlineData("a;b", "\"a;b\"")]
    [InlineData("dit \"Jo\"", "\"dit \"\"Jo\"\"\"")]
    [InlineData("ligne\nsuivante", "\"ligne\nsuivante\"")]
    [InlineData("Marie-Claire", "Marie-Claire")]
    public void Other_cells_are_quoted_only_when_needed(string value, string written) =>
        Assert.Equal(written, CsvCell.Write(value, ';'));

    [Fact]
    public void A_line_writes_every_cell_through_the_rule() =>
        Assert.Equal("P-1,\"'=1+1\",-5", CsvCell.Line(["P-1", "=1+1", "-5"], ','));

    [Fact]
    public void A_comma_line_quotes_a_comma_not_a_semicolon() =>
        Assert.Equal("\"a,b\",c;d", CsvCell.Line(["a,b", "c;d"], ','));
}
