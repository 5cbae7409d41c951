using System.Text;

namespace Listes360.Cli.Tests;

/// <summary>
/// The acceptance, end to end with the real program: `up` loads the Orne's 72 real ESMS, then
/// `import-esms` of the shipped extract changes nothing; a changed name is one update; a bad row is
/// reported with its line and the other rows are imported; a second `up` leaves the registry as it is.
/// </summary>
public sealed class ImportEsmsCommandTests : IDisposable
{
    private static readonly string Root = Listes360.Testing.RepositoryRoot.Find();
    private static readonly string OrneFile = Path.Combine(Root, "data", "finess", "finess_esms_ph_orne61_20210108.csv");

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("listes360-import-esms-");
    private readonly int _apiPort = CliProcess.FreePort();
    private readonly int _storagePort = CliProcess.FreePort();
    private readonly int _gatewayPort = CliProcess.FreePort();

    private string Url => $"http://127.0.0.1:{_apiPort}";

    [Fact]
    public async Task Up_loads_the_orne_registry_and_import_esms_changes_only_what_differs()
    {
        await using var up = await StartUpAsync();
        Assert.Contains("Répertoire des ESMS de l'Orne : 72 ESMS chargés (données FINESS réelles, extraction du 8 janvier 2021", up.Output);

        var same = await ImportAsync(OrneFile);
        Assert.True(same.Code == 0, same.Output);
        Assert.Contains("72 ligne(s) lue(s) : 0 créé(s), 0 mis à jour, 72 inchangé(s), 0 rejeté(s).", same.Output);

        var lines = await File.ReadAllLinesAsync(OrneFile);
        Assert.Contains("FOYER LA SOURCE DE VARENNE-CHAMPSECRET", lines[2]);
        lines[2] = lines[2].Replace("FOYER LA SOURCE DE VARENNE-CHAMPSECRET", "FOYER DE VIE LA SOURCE", StringComparison.Ordinal);
        var modified = Path.Combine(_dir.FullName, "orne-modifie.csv");
        await File.WriteAllLinesAsync(modified, lines);
        var changed = await ImportAsync(modified);
        Assert.True(changed.Code == 0, changed.Output);
        Assert.Contains("72 ligne(s) lue(s) : 0 créé(s), 1 mis à jour, 71 inchangé(s), 0 rejeté(s).", changed.Output);

        var own = Path.Combine(_dir.FullName, "nouveaux.csv");
        await File.WriteAllTextAsync(own,
            "finess;nom;catégorie;code postal;commune;âge min;âge max;modalités\n" +
            "610900011;IME Les Tilleuls;183;61000;Alençon;6;20;Internat|Externat\n" +
            "61090002X;IME Faux;183;;;;;\n" +
            "610900037;SAVS du Houlme;446;61100;Flers;;;\n", new UTF8Encoding(false));
        var partly = await ImportAsync(own);
        Assert.True(partly.Code == 2, partly.Output);
        Assert.Contains("3 ligne(s) lue(s) : 2 créé(s), 0 mis à jour, 0 inchangé(s), 1 rejeté(s).", partly.Output);
        Assert.Contains("ligne 3 (FINESS « 61090002X ») : le numéro FINESS « 61090002X » ne doit contenir que des chiffres", partly.Output);

        await up.InterruptAsync(TimeSpan.FromSeconds(60));
        Assert.True(up.ExitCode == 0, up.Output);

        // A registry that is not empty is left as it is: 72 + the 2 created above.
        await using var again = await StartUpAsync();
        Assert.Contains("Répertoire des ESMS de l'Orne : 74 ESMS enregistrés.", again.Output);
        Assert.DoesNotContain("chargés", again.Output);
        await again.InterruptAsync(TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task Without_a_running_service_import_esms_says_to_start_up_first()
    {
        var result = await ImportAsync(OrneFile);

        Assert.Equal(1, result.Code);
        Assert.Contains($"Le service Listes360 ne répond pas (aucune passerelle n'écoute sur 127.0.0.1:{_gatewayPort})", result.Output);
        Assert.Contains("./listes360 up", result.Output);
    }

    [Fact]
    public async Task An_unreadable_file_changes_nothing_and_says_why()
    {
        var bad = Path.Combine(_dir.FullName, "sans-colonnes.csv");
        await File.WriteAllTextAsync(bad, "numero;libelle\n610000010;IME\n");

        var result = await ImportAsync(bad);

        Assert.Equal(1, result.Code);
        Assert.Contains("Import impossible, rien n'a été enregistré. sans-colonnes.csv : colonne(s) obligatoire(s) absente(s)", result.Output);
    }

    private async Task<(int Code, string Output)> ImportAsync(string file)
    {
        await using var cli = CliProcess.Start("import-esms", file, "--gateway-port", _gatewayPort.ToString());
        await cli.WaitForExitAsync(TimeSpan.FromSeconds(120));
        return (cli.ExitCode, cli.Output);
    }

    private Task<CliProcess> StartUpAsync() =>
        CliProcess.StartUpAsync(Url, _storagePort, Path.Combine(_dir.FullName, "azurite"), _gatewayPort, "--seed-persons", "0");

    public void Dispose()
    {
        try { _dir.Delete(recursive: true); } catch (IOException) { }
    }
}
