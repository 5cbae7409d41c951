using System.Text;
using Listes360.Domain.Persons;
using Listes360.Domain.Validation;
using Listes360.Imports.Lists;
using Listes360.Imports.Persons;
using Listes360.Imports.Registry;

namespace Listes360.Imports.Tests;

/// <summary>Issue 12, class 5: every import reader refuses a bad line by its line and column, and only that line.</summary>
public sealed class CsvGuardTests
{
    private const string Header = "nom;prénom;date de naissance;date de la demande;modalité";
    private const string Good = "Durand;Léa;03/04/1990;01/02/2025;internat";
    private static readonly DateOnly Today = new(2026, 11, 23);
    private static readonly NirHasher Hasher = NirHasher.FromText("test-key-for-the-guard-tests, long enough");

    private static CandidatureListFile List(string text) =>
        CandidatureListReader.Read(Encoding.UTF8.GetBytes(text), "liste.csv", Hasher, Today);

    [Fact]
    public void An_unbalanced_quote_is_refused_on_its_line_and_does_not_swallow_the_next()
    {
        var file = List($"{Header}\n\"Martin;Luc;03/04/1990;01/02/2025;internat\n{Good}\n");

        var error = Assert.Single(file.Errors);
        Assert.Equal((2, "CSV_UNCLOSED_QUOTE"), (error.Line, error.Code));
        Assert.Contains("guillemet non fermé", error.Message);
        Assert.Contains("ligne 2, colonne 1 (« nom »)", error.Message);
        Assert.Equal("Durand", Assert.Single(file.Rows).Identity!.BirthName);
        Assert.Equal(3, Assert.Single(file.Rows).Line);
        Assert.Equal(2, file.RowsRead);
    }

    [Fact]
    public void A_quote_left_open_in_a_later_column_names_that_column()
    {
        var error = Assert.Single(List($"{Header}\nMartin;Luc;\"03/04/1990;01/02/2025;internat\n").Errors);

        Assert.Contains("ligne 2, colonne 3 (« date de naissance ») : guillemet non fermé", error.Message);
    }

    [Fact]
    public void A_data_line_with_100000_extra_columns_is_refused_with_its_line_and_count()
    {
        var file = List($"{Header}\nPetit;Noé;03/04/1990;01/02/2025;internat{new string(';', 100_000)}X\n{Good}\n");

        var error = Assert.Single(file.Errors);
        Assert.Equal((2, "CSV_TOO_MANY_COLUMNS"), (error.Line, error.Code));
        Assert.Contains("ligne 2 : 100 005 colonnes pour 5 en-têtes", error.Message.Replace('\u202F', ' ').Replace('\u00A0', ' '));
        Assert.Single(file.Rows);
    }

    [Theory]
    [InlineData("Mar\0tin", "U+0000 NUL")]
    [InlineData("Mar\atin", "U+0007 BEL")]
    [InlineData("\u001B[2JMartin", "U+001B ESC")]
    [InlineData("Martin\u202E", "U+202E")]
    [InlineData("Mart\u2066in", "U+2066")]
    public void A_control_or_bidirectional_character_in_a_cell_is_refused_with_line_and_column(string name, string character)
    {
        var file = List($"{Header}\n{Good}\nLéo;{name};03/04/1990;01/02/2025;internat\n");

        var error = Assert.Single(file.Errors);
        Assert.Equal((3, "CSV_INVALID_CHARACTER"), (error.Line, error.Code));
        Assert.Contains("ligne 3, colonne 2 (« prénom »)", error.Message);
        Assert.Contains(character, error.Message);
        Assert.Single(file.Rows);
    }

    [Fact]
    public void A_cell_and_a_line_have_a_maximum_length()
    {
        var longCell = new string('A', FieldLimits.CsvMaxCellLength + 1);
        var file = List($"{Header}\n{longCell};Luc;03/04/1990;01/02/2025;internat\n");
        Assert.Equal((2, "CSV_CELL_TOO_LONG"), Assert.Single(file.Errors) is var e ? (e.Line, e.Code) : default);
        Assert.Contains("colonne 1 (« nom »)", e.Message);
        Assert.Empty(file.Rows);

        // Twenty cells of 600 characters: each cell is fine, the line is not.
        var wide = string.Join(';', Enumerable.Range(1, 20).Select(i => $"c{i}"));
        var cells = string.Join(';', Enumerable.Repeat(new string('a', 600), 20));
        var screened = CsvGuard.Screen($"{wide}\n{cells}\n", ';');
        Assert.Equal((2, "CSV_LINE_TOO_LONG"), Assert.Single(screened.Problems) is var p ? (p.Line, p.Code) : default);
    }

    [Fact]
    public void A_name_of_101_characters_in_a_row_is_refused_by_the_shared_field_rule()
    {
        var file = List($"{Header}\n{new string('M', FieldLimits.NameMaxLength + 1)};Luc;03/04/1990;01/02/2025;internat\n");

        var error = Assert.Single(file.Errors);
        Assert.Equal((2, "TEXT_TOO_LONG"), (error.Line, error.Code));
    }

    [Fact]
    public void A_bad_header_refuses_the_whole_file()
    {
        var error = Assert.Throws<PersonFileException>(() => List("nom;\"prénom;date de naissance\nDurand;Léa;03/04/1990\n"));

        Assert.Equal("CSV_UNCLOSED_QUOTE", error.Code);
        Assert.Contains("ligne 1", error.Detail);
    }

    [Fact]
    public void The_esms_registry_reader_screens_its_lines_too()
    {
        var text = "finess;name;category;postcode;commune\n" +
                   "610000010;\"IME du Bocage;183;61000;Alençon\n" +
                   "610000028;IME\u202E;183;61000;Alençon\n" +
                   "610000036;ESAT;246;61000;Alençon;;;x\n" +
                   "610000044;MAS de Flers;255;61100;Flers\n";

        var file = EsmsFileReader.Read(Encoding.UTF8.GetBytes(text), "esms.csv");

        Assert.Equal([(2, "CSV_UNCLOSED_QUOTE"), (3, "CSV_INVALID_CHARACTER"), (4, "CSV_TOO_MANY_COLUMNS")], file.Errors.Select(e => (e.Line, e.Code)));
        Assert.Equal("610000044", Assert.Single(file.Rows).Profile.Finess.Value);
    }

    [Fact]
    public void The_esms_registry_reader_refuses_a_wrong_finess_key_and_a_letter_postcode()
    {
        var text = "finess;name;category;postcode;commune\n610000011;IME;183;61000;Alençon\n610000010;IME;183;ABCDE;Alençon\n";

        var file = EsmsFileReader.Read(Encoding.UTF8.GetBytes(text), "esms.csv");

        Assert.Equal([(2, "INVALID_FINESS"), (3, "INVALID_POSTCODE")], file.Errors.Select(e => (e.Line, e.Code)));
        Assert.Contains("clé de contrôle", file.Errors[0].Message);
    }

    [Fact]
    public void The_person_reader_screens_its_lines_too()
    {
        var text = "id;nom;prenom;ddn\n1;Martin;Luc;1970-01-01\n2;\"Petit;Anne;1970-01-01\n3;Mar\0tin;Luc;1970-01-01\n";

        var file = PersonCsvReader.Read(Encoding.UTF8.GetBytes(text), "personnes.csv", Hasher, Today);

        Assert.Equal([(3, "CSV_UNCLOSED_QUOTE"), (4, "CSV_INVALID_CHARACTER")], file.Errors.Select(e => (e.Line, e.Code)));
        Assert.Equal("1", Assert.Single(file.Records).RecordId);
    }

    [Fact]
    public void Doubled_quotes_and_quoted_separators_stay_legal()
    {
        var screened = CsvGuard.Screen("a;b\n\"x;\"\"y\"\"\";z\n", ';');

        Assert.Empty(screened.Problems);
        Assert.Null(screened.HeaderProblem);
        Assert.Equal(2, screened.HeaderColumns);
    }
}
