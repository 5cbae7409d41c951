using System.Text;

namespace Listes360.Cli.Tests;

/// <summary>
/// `import-lists`, a département's onboarding from a folder of ESMS lists (issue 20), with the real program: the folder
/// is checked whole before anything is sent; then each file gets its own report, a person on two lists is one person,
/// a bad row is refused with its file and line, and a second run changes nothing.
/// </summary>
public sealed class ImportListsCommandTests : IDisposable
{
    private const string Header = "Nom;Prénom;Date de naissance;N° dossier MDPH;Date de la demande;Modalité;Situation;N° décision CDAPH;Orientation";
    /// <summary>Two MAS of the Orne's real registry, which `up` loads.</summary>
    private const string MasMortagne = "610005399", MasAlencon = "610005951";

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("listes360-import-lists-");
    private readonly int _apiPort = CliProcess.FreePort();
    private readonly int _storagePort = CliProcess.FreePort();
    private readonly int _gatewayPort = CliProcess.FreePort();

    private string Folder(string name)
    {
        var folder = Directory.CreateDirectory(Path.Combine(_dir.FullName, name)).FullName;
        return folder;
    }

    private static Task WriteAsync(string folder, string file, params string[] rows) =>
        File.WriteAllTextAsync(Path.Combine(folder, file), string.Join("\n", [Header, .. rows]) + "\n", new UTF8Encoding(false));

    [Fact]
    public async Task A_folder_with_a_file_that_names_no_esms_of_the_departement_is_refused_whole_before_the_service_is_called()
    {
        var folder = Folder("mal-nomme");
        await WriteAsync(folder, $"liste-{MasMortagne}.csv", "Lebreton;Odile;12/03/1980;MDPH61-1;01/09/2026;internat;à domicile;CDAPH-61-1;");
        await WriteAsync(folder, "liste-sans-numero.csv", "Lebreton;Odile;12/03/1980;MDPH61-1;01/09/2026;internat;à domicile;CDAPH-61-1;");
        await WriteAsync(folder, "liste-140000019.csv", "Lebreton;Odile;12/03/1980;MDPH61-1;01/09/2026;internat;à domicile;CDAPH-61-1;");

        var result = await ImportAsync(folder);

        Assert.Equal(1, result.Code);
        Assert.Contains("Import impossible, rien n'a été enregistré : 2 fichier(s) à corriger.", result.Output);
        Assert.Contains("liste-sans-numero.csv : aucun numéro FINESS valide", result.Output);
        Assert.Contains("liste-140000019.csv : l'ESMS 140000019 est du département 14, pas du 61", result.Output);
        // Refused before connecting: no service runs here, and the command does not say so.
        Assert.DoesNotContain("ne répond pas", result.Output);
    }

    [Fact]
    public async Task Two_lists_sharing_a_person_are_imported_together_and_a_second_run_changes_nothing()
    {
        var folder = Folder("orne");
        await WriteAsync(folder, $"liste-attente-{MasMortagne}.csv",
            "Lebreton;Odile;12/03/1980;MDPH61-1;01/09/2026;internat;à domicile;CDAPH-61-1;",
            "Marchand;Rémi;30/06/1975;MDPH61-2;15/08/2026;internat;à domicile;CDAPH-61-2;",
            "Vasseur;Inès;31/02/1990;MDPH61-3;15/08/2026;internat;à domicile;CDAPH-61-3;");
        await WriteAsync(folder, $"liste-attente-{MasAlencon}.csv",
            "LEBRETON;Odile;12/03/1980;MDPH61-1;03/09/2026;internat;à domicile;;",
            "Pottier;Lucien;02/02/1968;MDPH61-4;10/07/2026;internat;à domicile;CDAPH-61-4;");
        await using var up = await CliProcess.StartUpAsync($"http://127.0.0.1:{_apiPort}", _storagePort, Path.Combine(_dir.FullName, "azurite"), _gatewayPort,
            "--seed-persons", "0");

        var first = await ImportAsync(folder);

        Assert.True(first.Code == 2, first.Output);
        Shows("Département 61 : 2 liste(s) d'ESMS, 5 ligne(s) de données.", first.Output);
        Shows($"liste-attente-{MasAlencon}.csv (ESMS {MasAlencon}) :", first.Output);
        Shows("2 ligne(s) lue(s) : 1 personne(s) créée(s), 1 rapprochée(s) d'une personne connue, 0 en file de vérification des doublons, 0 rejetée(s) ; 2 candidature(s) créée(s)", first.Output);
        Shows($"liste-attente-{MasMortagne}.csv, ligne 4", first.Output);
        Shows("Total : 5 ligne(s), 3 personne(s) créée(s), 1 rapprochée(s), 0 en file de vérification, 1 rejetée(s), 4 candidature(s) créée(s).", first.Output);

        var again = await ImportAsync(folder);
        Assert.True(again.Code == 2, again.Output);
        Shows("Total : 5 ligne(s), 0 personne(s) créée(s), 4 rapprochée(s), 0 en file de vérification, 1 rejetée(s), 0 candidature(s) créée(s).", again.Output);
        await up.InterruptAsync(TimeSpan.FromSeconds(60));
    }

    private static void Shows(string expected, string output) =>
        Assert.True(output.Contains(expected, StringComparison.Ordinal), $"« {expected} » absent de :\n{output}");

    private async Task<(int Code, string Output)> ImportAsync(string folder)
    {
        await using var cli = CliProcess.Start("import-lists", folder, "--department", "61", "--gateway-port", _gatewayPort.ToString());
        await cli.WaitForExitAsync(TimeSpan.FromSeconds(180));
        return (cli.ExitCode, cli.Output);
    }

    public void Dispose()
    {
        try { _dir.Delete(recursive: true); } catch (IOException) { }
    }
}
