using System.Text;
using Listes360.Domain.Registry;
using Listes360.Imports.Persons;
using Listes360.Imports.Registry;

namespace Listes360.Imports.Tests.Registry;

public class EsmsFileReaderTests
{
    private static readonly string OrneFile = Path.Combine(Listes360.Testing.RepositoryRoot.Find(), "data", "finess", "finess_esms_ph_orne61_20210108.csv");

    private static EsmsFileResult Read(string text, Encoding? encoding = null, EsmsFileFormat? format = null) =>
        EsmsFileReader.Read((encoding ?? new UTF8Encoding(false)).GetBytes(text), "esms.csv", format);

    private const string OwnHeader = "finess;name;category;postcode;commune;age_from;age_until;modalities\n";

    // ----- FINESS extract, named columns -----

    [Fact]
    public void The_shipped_orne_extract_reads_72_esms_as_the_embedded_registry_does()
    {
        var file = EsmsFileReader.ReadFile(OrneFile);

        Assert.Equal(EsmsFileFormat.Finess, file.Format);
        Assert.Equal("utf-8", file.EncodingName);
        Assert.Empty(file.Errors);
        Assert.Empty(file.OutOfRegistry);
        Assert.Equal(72, file.RowsRead);
        Assert.Equal(Enumerable.Range(2, 72), file.Rows.Select(r => r.Line));
        // Same profiles as `up`'s seed: a re-import finds them unchanged.
        Assert.Equal(OrneReferenceData.Esms.Select(EsmsFileReader.ProfileOf), file.Rows.Select(r => r.Profile));
        var foyer = file.Rows[0].Profile;
        Assert.Equal("610002438", foyer.Finess.Value);
        Assert.Equal("FOYER OCCUPATIONNEL \"LA BEAUGEARDIERE\"", foyer.Name);
        Assert.Equal(KindOfSupport.FoyerDeVie, foyer.Kind);
        Assert.Equal("61190", foyer.Postcode);
        Assert.Equal(48.647558, foyer.Latitude);
        Assert.Equal(0.678230, foyer.Longitude);
        Assert.NotNull(foyer.Territory);
        Assert.Equal(3, file.Rows.Count(r => !r.Profile.Kind.Info().InWaitingListScope));
    }

    [Theory]
    [InlineData(1252)]
    [InlineData(28591)]
    public void A_finess_extract_in_windows_1252_or_iso_8859_1_keeps_its_accents(int codePage)
    {
        var encoding = codePage == 1252 ? TextDecoding.Windows1252 : Encoding.Latin1;
        var file = Read("nofinesset;nofinessej;rs;codepostal;libelle_commune_acheminement;categetab;latitude;longitude\n" +
                        "610000010;610000002;RÉSIDENCE L'ÉTÉ;61000;ALENCON;255;48.43;0.09\n", encoding);

        Assert.Equal("windows-1252", file.EncodingName);
        Assert.Empty(file.Errors);
        Assert.Equal("RÉSIDENCE L'ÉTÉ", Assert.Single(file.Rows).Profile.Name);
    }

    [Fact]
    public void The_postal_line_gives_postcode_and_commune_when_they_are_not_split()
    {
        var file = Read("nofinesset;rs;ligneacheminement;categetab\n610000010;IME TEST;61000 ALENCON;183\n");
        var profile = Assert.Single(file.Rows).Profile;
        Assert.Equal("61000", profile.Postcode);
        Assert.Equal("ALENCON", profile.Commune);
        Assert.Null(profile.Latitude);
    }

    [Fact]
    public void In_a_finess_extract_other_establishments_are_skipped_and_counted_but_an_unknown_category_is_an_error()
    {
        var file = Read("nofinesset;rs;codepostal;categetab\n" +
                        "610000010;IME TEST;61000;183\n" +
                        "610000028;EHPAD TEST;61000;500\n" +
                        "610000036;CH TEST;61000;355\n" +
                        "610000044;???;61000;999\n");

        Assert.Single(file.Rows);
        Assert.Equal(new Dictionary<string, int> { ["355"] = 1, ["500"] = 1 }, file.OutOfRegistry);
        var error = Assert.Single(file.Errors);
        Assert.Equal((5, "UNKNOWN_FINESS_CATEGORY"), (error.Line, error.Code));
        Assert.Contains("« 999 » n'existe pas dans la nomenclature FINESS", error.Message);
        Assert.Equal(4, file.RowsRead);
    }

    // ----- FINESS extract, raw etalab lines -----

    [Fact]
    public void The_raw_etalab_extract_is_read_by_position()
    {
        static string Structure(string finess, string name, string postal, string category) =>
            // 0 structureet, 1 nofinesset, 2 nofinessej, 3 rs, 4 rslongue, 5 complrs, 6 compldistrib, 7 numvoie, 8 typvoie,
            // 9 voie, 10 compvoie, 11 lieuditbp, 12 commune, 13 departement, 14 libdepartement, 15 ligneacheminement,
            // 16 telephone, 17 telecopie, 18 categetab, 19 libcategetab, 20 categagretab, … 31 numuai
            $"structureet;{finess};610000002;{name};{name} LONGUE;;;12;RUE;DES LILAS;;;001;61;ORNE;{postal};0233000000;;{category};Libellé;4101;Agrégat;;;;;;;2001-01-01;2001-01-01;2020-01-01;";
        var text = "finess;etalab;95;2021-01-08\n" +
                   Structure("610000010", "IME DES LILAS", "61000 ALENCON", "183") + "\n" +
                   Structure("610000028", "CH ALENCON", "61000 ALENCON", "355") + "\n" +
                   "geolocalisation;610000010;490000.1;6820000.2;1,ATLASANTE,100,IGN,BD_ADRESSE,V2.2,LAMBERT_93;2020-01-01\n" +
                   Structure("61000003", "SESSAD COURT", "61000 ALENCON", "182") + "\n";

        var file = Read(text, TextDecoding.Windows1252);

        Assert.Equal(EsmsFileFormat.Finess, file.Format);
        var row = Assert.Single(file.Rows);
        Assert.Equal(2, row.Line);
        Assert.Equal(("610000010", "IME DES LILAS", "183", "61000", "ALENCON"),
            (row.Profile.Finess.Value, row.Profile.Name, row.Profile.Category, row.Profile.Postcode, row.Profile.Commune));
        Assert.Null(row.Profile.Latitude);
        Assert.Equal(new Dictionary<string, int> { ["355"] = 1 }, file.OutOfRegistry);
        var error = Assert.Single(file.Errors);
        Assert.Equal((5, "INVALID_FINESS"), (error.Line, error.Code));
    }

    // ----- our CSV -----

    [Fact]
    public void Our_csv_with_english_header_and_commas()
    {
        var file = Read("finess,name,category,postcode,commune,age_from,age_until,modalities\n" +
                        "610000010,IME Les Tilleuls,183,61000,Alençon,6,20,Residential|NonResidential\n" +
                        "610000028,SAVS du Houlme,446,,,,,\n");

        Assert.Equal((EsmsFileFormat.Csv, ','), (file.Format, file.Delimiter));
        Assert.Empty(file.Errors);
        var ime = file.Rows[0].Profile;
        Assert.Equal(new AgeRange(6, 20), ime.AgeRange);
        Assert.Equal([Modality.Residential, Modality.NonResidential], ime.Modalities.ToArray());
        Assert.Equal("Alençon", ime.Commune);
        Assert.NotNull(ime.Territory);
        var savs = file.Rows[1].Profile;
        Assert.Equal(KindOfSupport.Savs.Info().UsualAgeRange, savs.AgeRange);
        Assert.Equal(KindOfSupport.Savs.Info().UsualModalities.Order().ToArray(), savs.Modalities.ToArray());
    }

    [Fact]
    public void Our_csv_with_french_header_french_modalities_and_windows_1252()
    {
        var file = Read("N° FINESS;Nom;Catégorie;Code postal;Commune;Âge min;Âge max;Modalités\n" +
                        "610000010;IME Les Tilleuls;183;61000;Alençon;6 ans;20 ans;Internat | semi-internat / accueil de jour | ACCUEIL TEMPORAIRE\n" +
                        "610000028;MAS du Bocage;255;;;;;IN_COMMUNITY|accueil séquentiel\n", TextDecoding.Windows1252);

        Assert.Equal((EsmsFileFormat.Csv, ';', "windows-1252"), (file.Format, file.Delimiter, file.EncodingName));
        Assert.Empty(file.Errors);
        Assert.Equal([Modality.Residential, Modality.SemiResidential, Modality.Temporary], file.Rows[0].Profile.Modalities.ToArray());
        Assert.Equal([Modality.Sequential, Modality.InCommunity], file.Rows[1].Profile.Modalities.ToArray());
        Assert.Equal(new AgeRange(6, 20), file.Rows[0].Profile.AgeRange);
    }

    [Fact]
    public void Camsp_and_cmpp_are_registered_though_out_of_the_waiting_list()
    {
        var file = Read(OwnHeader + "610000010;CAMSP d'Alençon;190;;;;;\n610000028;CMPP de Flers;189;;;;;\n");
        Assert.Empty(file.Errors);
        Assert.All(file.Rows, r => Assert.False(r.Profile.Kind.Info().InWaitingListScope));
    }

    [Theory]
    [InlineData("61000001X;IME;183;;;;;", "INVALID_FINESS", "le numéro FINESS « 61000001X » ne doit contenir que des chiffres")]
    [InlineData("6100;IME;183;;;;;", "INVALID_FINESS", "doit compter 9 caractères (il en a 4)")]
    [InlineData(";IME;183;;;;;", "MISSING_FINESS", "numéro FINESS manquant")]
    [InlineData("610000010; ;183;;;;;", "INVALID_ESMS_NAME", "nom de l'ESMS vide")]
    [InlineData("610000010;IME;999;;;;;", "UNKNOWN_FINESS_CATEGORY", "la catégorie FINESS « 999 » n'existe pas")]
    [InlineData("610000010;EHPAD;500;;;;;", "UNKNOWN_FINESS_CATEGORY", "la catégorie FINESS « 500 » (« Etablissement d'hébergement pour personnes âgées dépendantes »")]
    [InlineData("610000010;IME;;;;;;", "UNKNOWN_FINESS_CATEGORY", "catégorie FINESS vide")]
    [InlineData("610000010;IME;183;;;12;8;", "INVALID_AGE_RANGE", "âge limite (8 ans) inférieur ou égal à l'âge minimal (12 ans)")]
    [InlineData("610000010;IME;183;;;six;;", "INVALID_AGE_RANGE", "âge minimal « six » illisible")]
    [InlineData("610000010;IME;183;;;;150;", "INVALID_AGE_RANGE", "âge limite de 150 ans hors limites")]
    [InlineData("610000010;IME;183;;;;;Internat|Colonie", "UNKNOWN_MODALITY", "modalité « Colonie » inconnue")]
    [InlineData("610000010;IME;183;6100;;;;", "INVALID_POSTCODE", "code postal « 6100 » invalide")]
    [InlineData("610000010;IME;183;;;;", "COLUMN_COUNT", "7 colonnes au lieu de 8")]
    public void Each_bad_row_is_reported_with_its_line_in_french_and_the_others_are_read(string row, string code, string message)
    {
        var file = Read(OwnHeader + "610000028;SESSAD Bon;182;;;;;\n" + row + "\n" + "610000036;ESAT Bon;246;;;;;\n");

        Assert.Equal(["610000028", "610000036"], file.Rows.Select(r => r.Profile.Finess.Value));
        var error = Assert.Single(file.Errors);
        Assert.Equal(3, error.Line);
        Assert.Equal(code, error.Code);
        Assert.Contains(message, error.Message);
        Assert.StartsWith("ligne 3", error.ToString());
    }

    [Fact]
    public void Every_problem_of_a_row_is_listed_and_a_duplicate_finess_is_refused()
    {
        var file = Read(OwnHeader + "610000010;IME;183;;;;;\n61000001X;;999;;;;;\n610000010;IME bis;183;;;;;\n");

        Assert.Single(file.Rows);
        Assert.Equal([3, 4], file.Errors.Select(e => e.Line));
        Assert.Contains("en position 9 ; nom de l'ESMS vide ; la catégorie FINESS « 999 »", file.Errors[0].Message);
        Assert.Equal("DUPLICATE_FINESS", file.Errors[1].Code);
        Assert.Contains("le FINESS 610000010 figure déjà ligne 2", file.Errors[1].Message);
    }

    [Fact]
    public void A_missing_required_column_stops_the_file()
    {
        var error = Assert.Throws<EsmsFileException>(() => Read("finess;commune\n610000010;Alençon\n"));
        Assert.Equal("MISSING_COLUMNS", error.Code);
        Assert.Contains("nom (name), catégorie FINESS (category)", error.Message);

        var finess = Assert.Throws<EsmsFileException>(() => Read("finess;name;category\n610000010;IME;183\n", format: EsmsFileFormat.Finess));
        Assert.Contains("extrait FINESS : nofinesset, rs, categetab", finess.Message);
        Assert.Equal("EMPTY_FILE", Assert.Throws<EsmsFileException>(() => Read("\n")).Code);
    }

    [Fact]
    public void The_format_is_recognised_from_the_first_line()
    {
        Assert.Equal(EsmsFileFormat.Finess, EsmsFileReader.DetectFormat("nofinesset;nofinessej;rs\n"));
        Assert.Equal(EsmsFileFormat.Finess, EsmsFileReader.DetectFormat("finess;etalab;95;2021-01-08\n"));
        Assert.Equal(EsmsFileFormat.Finess, EsmsFileReader.DetectFormat("structureet;010000024;…\n"));
        Assert.Equal(EsmsFileFormat.Csv, EsmsFileReader.DetectFormat(OwnHeader));
    }
}
