using System.Text;
using System.Text.Json;

namespace Listes360.Cli.Tests;

/// <summary>
/// The README's promise, end to end: `listes360 up`, change an ESMS's places, Ctrl-C, `up` again,
/// and the places are still the changed ones.
/// </summary>
public sealed class UpCommandTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "listes360-up-" + Guid.NewGuid().ToString("N"));
    private readonly int _apiPort = CliProcess.FreePort();
    private readonly int _storagePort = CliProcess.FreePort();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private string? _token;

    private string Url => $"http://127.0.0.1:{_apiPort}";

    /// <summary>The token a person gets with `listes360 token --role admin`, as `up` prints.</summary>
    private static async Task<string> AdminTokenAsync()
    {
        await using var token = CliProcess.Start("token", "--role", "admin", "--name", "test-cli");
        await token.WaitForExitAsync(TimeSpan.FromSeconds(60));
        Assert.True(token.ExitCode == 0, token.Output);
        return token.Output.Trim().Split('\n').Last().Trim();
    }

    [Fact]
    public async Task Changed_places_survive_ctrl_c_and_a_second_up_and_the_simulated_population_is_seeded_once()
    {
        string firstOutput;
        await using (var first = await StartUpAsync())
        {
            await PostAsync("""mutation { registerEsms(input: {finess: "610000127", name: "SESSAD du Perche", category: "182"}) { esms { finess } } }""");
            var set = await PostAsync("""mutation { setEsmsPlaces(input: {finess: "610000127", modality: IN_COMMUNITY, capacity: 30, occupied: 27}) { esms { version } } }""");
            Assert.False(set.TryGetProperty("errors", out _), set.ToString());

            firstOutput = first.Output;
            await first.InterruptAsync(TimeSpan.FromSeconds(60));
            Assert.True(first.ExitCode == 0, $"code {first.ExitCode} : {first.Output}");
            Assert.True(CliProcess.PortIsFree(_storagePort), "Azurite tourne encore après Ctrl-C :\n" + first.Output);
        }

        await using var second = await StartUpAsync();
        // The SIMULATED population was loaded once, by the first up (storage empty), and not again.
        Assert.Contains("Population SIMULÉE de l'Orne (aucune personne réelle) : 30 personnes", firstOutput, StringComparison.Ordinal);
        Assert.Contains("Import des listes SIMULÉES", firstOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("Population SIMULÉE de l'Orne (aucune", second.Output, StringComparison.Ordinal);
        Assert.Contains("déjà enregistrées, population SIMULÉE non rechargée", second.Output, StringComparison.Ordinal);
        var read = await PostAsync("""{ esms(finess: "610000127") { places { modality capacity occupied vacancies } } }""");
        var places = read.GetProperty("data").GetProperty("esms").GetProperty("places")[0];
        Assert.Equal("IN_COMMUNITY", places.GetProperty("modality").GetString());
        Assert.Equal(27, places.GetProperty("occupied").GetInt32());
        Assert.Equal(3, places.GetProperty("vacancies").GetInt32());
        await second.InterruptAsync(TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task An_up_killed_outright_leaves_no_azurite_holding_its_port()
    {
        await using var up = await CliProcess.StartUpAsync(Url, _storagePort, _data, CliProcess.FreePort(), "--seed-persons", "0");
        Assert.False(CliProcess.PortIsFree(_storagePort), "Azurite n'écoute pas :\n" + up.Output);

        await up.KillOutrightAsync(TimeSpan.FromSeconds(30));

        // Azurite follows its parent (infra/azurite/parent-watchdog.cjs): the port is freed without anyone stopping it.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!CliProcess.PortIsFree(_storagePort) && DateTime.UtcNow < deadline)
            await Task.Delay(250);
        Assert.True(CliProcess.PortIsFree(_storagePort), "Azurite tourne encore après la mort de « up » :\n" + up.Output);
    }

    [Fact]
    public async Task Up_says_in_french_that_an_azurite_already_holds_its_port()
    {
        var infra = AzureStorage.Emulator.AzuriteServer.FindInfraFolder(AppContext.BaseDirectory);
        await using var stale = await AzureStorage.Emulator.AzuriteServer.StartAsync(infra, _data, _storagePort, inMemory: true);

        await using var up = CliProcess.Start("up", "--urls", Url, "--storage-port", _storagePort.ToString(), "--data", _data, "--seed-persons", "0");
        await up.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(1, up.ExitCode);
        Assert.Contains($"Un Azurite (Azurite-Table/", up.Output, StringComparison.Ordinal);
        Assert.Contains($"occupe déjà 127.0.0.1:{_storagePort}", up.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", up.Output, StringComparison.Ordinal);
    }

    /// <summary>
    /// Two silos in one cluster: a write through one API reads back through the other, and the
    /// command-line clients find the service through the membership table alone (no port given).
    /// </summary>
    [Fact]
    public async Task Up_with_two_silos_forms_one_cluster_that_answers_on_both_apis()
    {
        await using var up = await CliProcess.StartUpAsync(Url, _storagePort, _data, CliProcess.FreePort(), "--seed-persons", "0", "--silos", "2");
        var second = System.Text.RegularExpressions.Regex.Match(up.Output, @"Silo 2/2 démarré : API (http://127\.0\.0\.1:\d+)");
        Assert.True(second.Success, up.Output);
        Assert.Contains("Listes360 est prêt : 2 silos en un cluster.", up.Output, StringComparison.Ordinal);
        using (var health = await _http.GetAsync(second.Groups[1].Value + "/health"))
        {
            var body = JsonDocument.Parse(await health.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal(2, body.GetProperty("cluster").GetProperty("activeSilos").GetInt32());
        }

        await PostAsync("""mutation { registerEsms(input: {finess: "610000127", name: "SESSAD du Perche", category: "182"}) { esms { finess } } }""");
        var set = await PostAsync("""mutation { setEsmsPlaces(input: {finess: "610000127", modality: IN_COMMUNITY, capacity: 12, occupied: 5}) { esms { version } } }""");
        Assert.False(set.TryGetProperty("errors", out _), set.ToString());
        var read = await PostAsync("""{ esms(finess: "610000127") { name places { modality occupied vacancies } } }""", second.Groups[1].Value);
        var places = read.GetProperty("data").GetProperty("esms").GetProperty("places")[0];
        Assert.Equal(5, places.GetProperty("occupied").GetInt32());
        Assert.Equal(7, places.GetProperty("vacancies").GetInt32());

        // import-esms with only the storage: the gateways come from the membership table.
        var file = Path.Combine(_data, "un-esms.csv");
        await File.WriteAllTextAsync(file, "finess;name;category;postcode;commune;age_from;age_until;modalities\n610000135;IME du Bocage;183;61100;FLERS;6;20;RESIDENTIAL\n");
        await using var import = CliProcess.Start("import-esms", file, "--storage", AzureStorage.Emulator.AzuriteServer.ConnectionStringFor(_storagePort));
        await import.WaitForExitAsync(TimeSpan.FromSeconds(120));
        Assert.True(import.ExitCode == 0, import.Output);
        var imported = await PostAsync("""{ esms(finess: "610000135") { name } }""", second.Groups[1].Value);
        Assert.Equal("IME du Bocage", imported.GetProperty("data").GetProperty("esms").GetProperty("name").GetString());

        await up.InterruptAsync(TimeSpan.FromSeconds(60));
        Assert.True(up.ExitCode == 0, $"code {up.ExitCode} : {up.Output}");
    }

    /// <summary>Data written by the former grain storage provider: refused in French, nothing started, and --reset starts afresh.</summary>
    [Fact]
    public async Task Up_refuses_data_of_the_former_storage_provider_and_reset_starts_afresh()
    {
        var infra = AzureStorage.Emulator.AzuriteServer.FindInfraFolder(AppContext.BaseDirectory);
        await using (var azurite = await AzureStorage.Emulator.AzuriteServer.StartAsync(infra, _data, _storagePort))
        {
            var table = new Azure.Data.Tables.TableClient(azurite.ConnectionString, AzureStorage.GrainState.LegacyGrainTable.FormerTableName);
            await table.CreateIfNotExistsAsync();
            await table.AddEntityAsync(new Azure.Data.Tables.TableEntity("esms~610000127", "state") { ["DataParts"] = 1, ["Data0"] = new byte[] { 1, 2, 3 } });
        }

        await using (var refused = CliProcess.Start("up", "--urls", Url, "--storage-port", _storagePort.ToString(), "--data", _data, "--seed-persons", "0"))
        {
            await refused.WaitForExitAsync(TimeSpan.FromSeconds(120));
            Assert.Equal(1, refused.ExitCode);
            Assert.Contains("version antérieure de Listes360", refused.Output, StringComparison.Ordinal);
            Assert.Contains("./listes360 up --reset", refused.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("Listes360 est prêt", refused.Output, StringComparison.Ordinal);
        }

        await using var fresh = await CliProcess.StartUpAsync(Url, _storagePort, _data, CliProcess.FreePort(), "--seed-persons", "0", "--reset");
        Assert.Contains("--reset : effacement des données locales", fresh.Output, StringComparison.Ordinal);
        Assert.Contains("72 ESMS chargés", fresh.Output, StringComparison.Ordinal);
        await fresh.InterruptAsync(TimeSpan.FromSeconds(60));
    }

    private Task<CliProcess> StartUpAsync() =>
        CliProcess.StartUpAsync(Url, _storagePort, _data, CliProcess.FreePort(), "--seed-persons", "30");

    private async Task<JsonElement> PostAsync(string query, string? api = null)
    {
        _token ??= await AdminTokenAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, (api ?? Url) + "/graphql")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { query }), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", _token);
        using var response = await _http.SendAsync(request);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    public void Dispose()
    {
        _http.Dispose();
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { }
    }
}
