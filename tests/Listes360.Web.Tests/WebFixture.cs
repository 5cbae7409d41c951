using System.Collections.Concurrent;
using Deque.AxeCore.Playwright;
using Listes360.Api.Hosting;
using Listes360.Api.Security;
using Listes360.Application.Persons;
using Listes360.Application.Registry;
using Listes360.Domain.Candidatures;
using Listes360.Domain.Persons;
using Listes360.AzureStorage.Emulator;
using Listes360.Domain.Registry;
using Listes360.Domain.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Listes360.Web.Tests;

/// <summary>
/// The whole service as a user meets it: a real Azurite, one silo, the API and the pages on a free
/// loopback port (Kestrel), seeded with two ESMS of the Orne, and Debian's chromium driven headless by
/// Playwright. Fails loudly, in French, when chromium or Azurite is missing: these tests are never skipped.
/// </summary>
public sealed class WebFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    public static readonly string OwnFiness = FinessNumber.WithKey("61000001").Value;
    public static readonly string OtherFiness = FinessNumber.WithKey("61000002").Value;
    public const string OwnName = "MAS Les Tilleuls";
    public const string OtherName = "FAM Le Verger";

    private readonly string dataFolder = Path.Combine(Path.GetTempPath(), "listes360-web-tests-" + Guid.NewGuid().ToString("N"));
    private AzuriteServer? azurite;
    private IPlaywright? playwright;

    public WebApplication App { get; private set; } = null!;
    public string BaseUrl { get; private set; } = "";
    public IBrowser Browser { get; private set; } = null!;
    public AuthSettings Auth { get; } = new() { SigningKey = DevTokens.NewSigningKey() };

    /// <summary>Every page checked with axe, in the order visited (printed by the tests).</summary>
    public ConcurrentQueue<string> PagesChecked { get; } = new();

    public static string ScreenshotFolder { get; } = Path.Combine(Listes360.Testing.RepositoryRoot.Find(), "tests", "Listes360.Web.Tests", "screenshots");

    public static readonly Caller Admin = new("test-admin", Role.Admin, [], "61", null);

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException(
                $"Chromium est introuvable ({ChromiumPath}) : les tests des pages web en ont besoin. Installez-le (« apt-get install chromium » ; .ci/run le fait) ; ils ne sont jamais ignorés.");
        azurite = await AzuriteServer.StartAsync(AzuriteServer.FindInfraFolder(AppContext.BaseDirectory), dataFolder, inMemory: true);
        var port = AzuriteServer.FreeLoopbackPort();
        BaseUrl = $"http://localhost:{port}";
        var settings = new Dictionary<string, string?>
        {
            [$"{StorageSettings.Section}:ConnectionString"] = azurite.ConnectionString,
            [$"{StorageSettings.Section}:TableName"] = "WebTests" + Guid.NewGuid().ToString("N")[..8],
            [$"{ClusterSettings.Section}:SiloPort"] = AzuriteServer.FreeLoopbackPort().ToString(),
            [$"{ClusterSettings.Section}:GatewayPort"] = AzuriteServer.FreeLoopbackPort().ToString(),
            [$"{AuthSettings.Section}:SigningKey"] = Auth.SigningKey,
            ["Logging:LogLevel:Default"] = "Warning",
            ["Maintenance:Enabled"] = "false",
            // The observatory's rupture-risk list is served under pseudonyms only with a secret.
            ["Observatory:PseudonymSecret"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
        };
        App = ApiHost.Build([], settings, builder => builder.WebHost.UseUrls($"http://127.0.0.1:{port}"));
        await App.StartAsync();
        await SeedAsync();

        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-dev-shm-usage"],
        });
        Directory.CreateDirectory(ScreenshotFolder);
    }

    private async Task SeedAsync()
    {
        using var scope = App.Services.CreateScope();
        var register = scope.ServiceProvider.GetRequiredService<RegisterEsms>();
        await register.ExecuteAsync(new EsmsRegistrationRequest(OwnFiness, OwnName, "255", "61000", "ALENCON",
            Modalities: [Modality.Residential, Modality.Temporary, Modality.Sequential]), Admin);
        await register.ExecuteAsync(new EsmsRegistrationRequest(OtherFiness, OtherName, "437", "61100", "FLERS",
            Modalities: [Modality.Residential]), Admin);
        var places = scope.ServiceProvider.GetRequiredService<SetEsmsPlaces>();
        await places.ExecuteAsync(new SetEsmsPlacesInput(OwnFiness, Modality.Residential, 40, 38), Admin);
        await places.ExecuteAsync(new SetEsmsPlacesInput(OwnFiness, Modality.Sequential, 6, 2), Admin);

        // Two persons waiting for the MAS's internat: one offered a place (the journey admits her), one waiting.
        OfferedPerson = await CandidateAsync(scope.ServiceProvider, "DUPONT", "Lucie", "MDPH61-W0001", CandidatureStatus.Offered);
        await CandidateAsync(scope.ServiceProvider, "MARTIN", "Paul", "MDPH61-W0002", CandidatureStatus.Waiting);
    }

    /// <summary>The person seeded with an offered place in <see cref="OwnFiness"/>: « DUPONT Lucie ».</summary>
    public string OfferedPerson { get; private set; } = "";

    private static async Task<string> CandidateAsync(IServiceProvider services, string birthName, string firstName, string mdph, CandidatureStatus upTo)
    {
        var person = (await services.GetRequiredService<CreatePerson>().ExecuteAsync(new CreatePersonInput("61", birthName, [firstName],
            new DateOnly(1985, 3, 12), Sex.Female, MdphFileNumber: mdph,
            Situation: new SituationInput(SituationKind.AtHomeWithoutSolution, new DateOnly(2024, 1, 1))), Admin)).Person;
        var id = person.Record.Id.Value;
        await services.GetRequiredService<AddOrientation>().ExecuteAsync(
            new AddOrientationInput(id, "CDAPH-61-" + mdph[^4..], KindOfSupport.Mas, new DateOnly(2024, 1, 1)), Admin);
        var candidature = (await services.GetRequiredService<CreateCandidature>().ExecuteAsync(
            new CreateCandidatureInput(id, OwnFiness, Modality.Residential, new DateOnly(2024, 2, 1)), Admin)).Candidature!;
        var change = services.GetRequiredService<ChangeCandidatureStatus>();
        CandidatureStatus[] path = [CandidatureStatus.UnderReview, CandidatureStatus.Waiting, CandidatureStatus.Offered];
        foreach (var status in path.TakeWhile(s => s <= upTo))
            await change.ExecuteAsync(new ChangeCandidatureStatusInput(id, candidature.Id.Value, status), Admin);
        return id;
    }

    /// <summary>A fresh browser context (no cookie) and page, 1280 px wide, French.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl,
            Locale = "fr-FR",
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
        return await context.NewPageAsync();
    }

    /// <summary>Signs in through the development page as <paramref name="role"/> (claim value).</summary>
    public static async Task SignInAsync(IPage page, string role, string name, string? finess = null, string? returnTo = null)
    {
        await page.GotoAsync("/connexion" + (returnTo is null ? "" : "?retour=" + Uri.EscapeDataString(returnTo)));
        await page.Locator($"input[name=RoleChoisi][value={role}]").CheckAsync(new LocatorCheckOptions { Force = true });
        await page.GetByLabel("Votre nom").FillAsync(name);
        if (finess is not null)
            await page.GetByLabel("FINESS de vos établissements").FillAsync(finess);
        await page.GetByRole(AriaRole.Button, new() { Name = "Se connecter" }).ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
    }

    /// <summary>
    /// Checks the page as it is now: axe finds no serious or critical violation (the list is the failure
    /// message), then screenshots at 1280 px and 390 px wide are saved as <paramref name="name"/>.
    /// </summary>
    public async Task CheckPageAsync(IPage page, string name)
    {
        var result = await page.RunAxe();
        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0,
            $"Page « {name} » ({page.Url}) : {serious.Count} violation(s) d'accessibilité graves ou critiques :\n" +
            string.Join("\n", serious.Select(v => $"- [{v.Impact}] {v.Id} : {v.Help} ({string.Join(", ", v.Nodes.Take(3).Select(n => string.Join(" ", n.Target)))})")));
        PagesChecked.Enqueue($"{name} — {new Uri(page.Url).PathAndQuery}");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, $"{name}-1280.png"), FullPage = true });
        var size = page.ViewportSize;
        await page.SetViewportSizeAsync(390, 844);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, $"{name}-390.png"), FullPage = true });
        await page.SetViewportSizeAsync(size?.Width ?? 1280, size?.Height ?? 900);
    }

    public async Task DisposeAsync()
    {
        File.WriteAllLines(Path.Combine(ScreenshotFolder, "pages-verifiees.txt"), PagesChecked);
        if (Browser is not null)
            await Browser.DisposeAsync();
        playwright?.Dispose();
        if (App is not null)
        {
            await App.StopAsync();
            await App.DisposeAsync();
        }
        if (azurite is not null)
            await azurite.DisposeAsync();
        try { Directory.Delete(dataFolder, recursive: true); } catch (IOException) { }
    }
}

[CollectionDefinition(Name)]
public sealed class WebCollection : ICollectionFixture<WebFixture>
{
    public const string Name = "Pages web dans Chromium";
}
