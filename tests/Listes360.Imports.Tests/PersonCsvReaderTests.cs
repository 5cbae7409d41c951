using System.Text;
using Listes360.Domain.Identity.Records;
using Listes360.Imports.Persons;
using NirHasher = Listes360.Domain.Persons.NirHasher;

namespace Listes360.Imports.Tests;

public class PersonCsvReaderTests
{
    private static readonly NirHasher Hasher = NirHasher.FromText("test-key-for-the-import-tests, long enough");
    private static readonly DateOnly Today = new(2026, 11, 23);

    private static PersonFileResult Read(string text, Encoding? encoding = null) =>
        PersonCsvReader.Read((encoding ?? new UTF8Encoding(false)).GetBytes(text), "liste.csv", Hasher, Today);

    [Fact]
    public void English_headers_with_commas()
    {
        var file = Read("record_id,last_name,first_name,birth_date,birth_name,mdph_number,nir,postcode,commune\n" +
                        "1,Martin,Sophie,1965-09-12,Dupont,61-2010-42,2 65 09 61 123 456,61000,Alençon\n");
        Assert.Empty(file.Errors);
        Assert.Equal(',', file.Delimiter);
        var record = Assert.Single(file.Records);
        Assert.Equal("1", record.RecordId);
        Assert.Equal("Martin", record.LastName);
        Assert.Equal("Dupont", record.BirthName);
        Assert.Equal("19650912", record.BirthDate);
        Assert.Equal("61-2010-42", record.MdphNumber);
        Assert.Equal(Hasher.Hash("2650961123456"), record.NirHash);
        Assert.Equal("61000", record.Postcode);
        Assert.Equal("Alençon", record.Commune);
    }

    [Fact]
    public void French_headers_any_case_and_accents_with_semicolons()
    {
        var file = Read("Identifiant;NOM;Prénom;Date de naissance;Nom de naissance;N° dossier MDPH;Code postal;Commune\n" +
                        "a;Martin;Sophie;12/09/1965;;;61000;Alençon\n" +
                        "b;Durand;Luc;19700101;;;61100;Flers\n");
        Assert.Empty(file.Errors);
        Assert.Equal(';', file.Delimiter);
        Assert.Equal(["19650912", "19700101"], file.Records.Select(r => r.BirthDate));
        Assert.Null(file.Records[0].BirthName);
    }

    [Theory]
    [InlineData("prenom")]
    [InlineData("PRÉNOM")]
    [InlineData("first_name")]
    [InlineData("Prénoms")]
    public void First_name_aliases(string header)
    {
        var file = Read($"id;nom;{header};date_de_naissance\n1;Martin;Sophie;1965-09-12\n");
        Assert.Equal("Sophie", Assert.Single(file.Records).FirstName);
    }

    [Fact]
    public void Windows_1252_is_detected_and_decoded()
    {
        var bytes = TextDecoding.Windows1252.GetBytes("identifiant;nom;prénom;date de naissance\n1;Lefèvre;Hélène;03/04/1987\n");
        var file = PersonCsvReader.Read(bytes, "liste.csv", Hasher, Today);
        Assert.Equal("windows-1252", file.EncodingName);
        var record = Assert.Single(file.Records);
        Assert.Equal("Lefèvre", record.LastName);
        Assert.Equal("Hélène", record.FirstName);
    }

    [Fact]
    public void Utf8_with_bom_is_read()
    {
        var bytes = new UTF8Encoding(true).GetPreamble().Concat(Encoding.UTF8.GetBytes("identifiant;nom;prénom;date de naissance\n1;Lefèvre;Hélène;03/04/1987\n")).ToArray();
        var file = PersonCsvReader.Read(bytes, "liste.csv", Hasher, Today);
        Assert.Equal("utf-8", file.EncodingName);
        Assert.Equal("Hélène", Assert.Single(file.Records).FirstName);
    }

    [Fact]
    public void Excel_separator_hint_line_is_honoured_and_lines_keep_their_numbers()
    {
        var file = Read("sep=;\nidentifiant;nom;prénom;date de naissance\n1;Martin;Luc;1970-01-01\n2;Petit;Anne;1970-13-01\n");
        Assert.Equal(';', file.Delimiter);
        Assert.Equal(2, file.Records.Count); // the unreadable date is dropped, not the row (issue 16)
        Assert.Null(file.Records[1].BirthDate);
        Assert.Empty(file.Errors);
        Assert.Equal(4, Assert.Single(file.Warnings).Line);
    }

    [Fact]
    public void Empty_file_is_refused()
    {
        var error = Assert.Throws<PersonFileException>(() => Read(""));
        Assert.Equal("EMPTY_FILE", error.Code);
    }

    [Fact]
    public void Trailing_empty_fields_are_tolerated_but_shifted_columns_are_not()
    {
        var file = Read("id;nom;prenom;ddn\n1;Martin;Luc;1970-01-01;;\n2;Martin; dit Tintin;Luc;1970-01-01\n3;Petit;Anne\n");
        Assert.Equal(["1"], file.Records.Select(r => r.RecordId));
        Assert.Equal(["CSV_TOO_MANY_COLUMNS", "COLUMN_COUNT"], file.Errors.Select(e => e.Code));
        Assert.Contains("ligne 3 : 5 colonnes pour 4 en-têtes", file.Errors[0].Message);
        Assert.Contains("3 colonnes au lieu de 4", file.Errors[1].Message);
    }

    [Fact]
    public void Quoted_fields_with_the_separator()
    {
        var file = Read("id;nom;prenom;ddn;commune\n1;\"Martin; dit Tintin\";Luc;1970-01-01;\"Bagnoles de l'Orne\"\n");
        Assert.Empty(file.Errors);
        Assert.Equal("Martin; dit Tintin", Assert.Single(file.Records).LastName);
    }

    [Fact]
    public void Bad_fields_are_reported_with_their_line_and_the_rows_kept()
    {
        // Issue 16: a missing or invalid field never refuses the row; it is dropped and reported as a warning.
        var file = Read("identifiant;nom;prénom;date de naissance;NIR;code postal\n" +
                        "1;Martin;Sophie;31/02/1965;;61000\n" +
                        "2;Durand;Luc;1970-01-01;;61000\n" +
                        "\n" +
                        "3;;Anne;1970-01-01;;61000\n" +
                        "4;Petit;Paul;1970-01-01;12345;61000\n" +
                        "2;Roux;Léa;1980-01-01;;610\n" +
                        "5;;;1980-01-01;;61000\n");
        Assert.Equal(["1", "2", "3", "4", "2-ligne-7"], file.Records.Select(r => r.RecordId));
        Assert.Null(file.Records[0].BirthDate);
        Assert.Null(file.Records[3].NirHash);
        Assert.Null(file.Records[4].Postcode);
        Assert.Equal(4, file.Warnings.Count);
        Assert.Equal((2, "1", "birth_date", "INVALID_BIRTH_DATE"), (file.Warnings[0].Line, file.Warnings[0].RecordId, file.Warnings[0].Field, file.Warnings[0].Code));
        Assert.Contains("31/02/1965", file.Warnings[0].Message);
        Assert.Contains("liste.csv, ligne 2", file.Warnings[0].ToString());
        Assert.Equal(5, file.Warnings[1].Line);
        Assert.Contains("nom manquant", file.Warnings[1].Message);
        Assert.Equal(6, file.Warnings[2].Line);
        Assert.Contains("la saisie en compte 5", file.Warnings[2].Message);
        Assert.Equal(7, file.Warnings[3].Line);
        Assert.Contains("déjà utilisé ligne 3", file.Warnings[3].Message);
        Assert.Equal("DUPLICATE_RECORD_ID", file.Warnings[3].Code);
        Assert.Contains("code postal « 610 »", file.Warnings[3].Message);
        // Only a row without any name is unreadable: an error, not a record.
        var error = Assert.Single(file.Errors);
        Assert.Equal((8, "MISSING_NAME"), (error.Line, error.Code));
        Assert.Contains("ni nom ni prénom", error.Message);
    }

    [Fact]
    public void A_file_without_birth_date_column_is_read_with_one_warning()
    {
        var file = Read("identifiant;nom;prénom;n° dossier MDPH\n1;Martin;Luc;61-012345\n2;Petit;Anne;\n");
        Assert.Equal(2, file.Records.Count);
        Assert.All(file.Records, r => Assert.Null(r.BirthDate));
        Assert.Empty(file.Errors);
        Assert.Equal("MISSING_BIRTH_DATE_COLUMN", Assert.Single(file.Warnings).Code);
    }

    [Fact]
    public void Missing_required_columns_stop_the_file_with_a_french_message()
    {
        var error = Assert.Throws<PersonFileException>(() => Read("identifiant;nom;ville\n1;Martin;Flers\n"));
        Assert.Equal("MISSING_COLUMNS", error.Code);
        Assert.StartsWith("liste.csv : ", error.Message, StringComparison.Ordinal);
        Assert.Contains("prénom (first_name)", error.Message);
        Assert.DoesNotContain("date de naissance (birth_date)", error.Message); // optional since issue 16
    }

    [Fact]
    public void The_nir_is_never_kept()
    {
        var file = Read("id;nom;prenom;ddn;nir\n1;Martin;Luc;1970-01-01;1 70 01 61 123 456\n");
        var record = Assert.Single(file.Records);
        Assert.DoesNotContain("170016112345", record.ToString(), StringComparison.Ordinal);
        Assert.Equal(64, record.NirHash!.Length);
    }

    [Theory]
    [InlineData("N° dossier MDPH", "n_dossier_mdph")]
    [InlineData("Date de naissance", "date_de_naissance")]
    [InlineData(" Prénom ", "prenom")]
    [InlineData("code-postal", "code_postal")]
    public void Header_normalisation(string header, string expected) =>
        Assert.Equal(expected, PersonCsvReader.NormaliseHeader(header));

    [Fact]
    public void Delimiter_detection()
    {
        Assert.Equal(';', TextDecoding.DetectDelimiter("a;b;c\n1,2;3"));
        Assert.Equal(',', TextDecoding.DetectDelimiter("a,b,c\n1;2;3"));
        Assert.Equal('\t', TextDecoding.DetectDelimiter("a\tb\tc"));
        Assert.Equal(',', TextDecoding.DetectDelimiter("\"a;b\",c,d"));
    }
}
