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
            await PostAsync("""mutation { registerEsms(input: {finess: "610000127", name: "SESSAD du Perche", category: "182"}) { finess } }""");
            var set = await PostAsync("""mutation { setEsmsPlaces(input: {finess: "610000127", modality: IN_COMMUNITY, capacity: 30, occupied: 27}) { version } }""");
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

    private Task<CliProcess> StartUpAsync() =>
        CliProcess.StartUpAsync(Url, _storagePort, _data, CliProcess.FreePort(), "--seed-persons", "30");

    private async Task<JsonElement> PostAsync(string query)
    {
        _token ??= await AdminTokenAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, Url + "/graphql")
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
