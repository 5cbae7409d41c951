using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
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
/// One host and one browser serve the whole test run: every collection fixture of this type shares them
/// (started by the first, stopped when the test process exits), so that the test classes, each in its own
/// collection, run in parallel against the same host (each builds its own persons and ESMS).
/// </summary>
public sealed class WebFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    public static readonly string OwnFiness = FinessNumber.WithKey("61000001").Value;
    public static readonly string OtherFiness = FinessNumber.WithKey("61000002").Value;
    public const string OwnName = "MAS Les Tilleuls";
    public const string OtherName = "FAM Le Verger";

    private static readonly SemaphoreSlim StartGate = new(1, 1);
    private static SharedHost? shared;

    public WebApplication App => Host.App;
    public string BaseUrl => Host.BaseUrl;
    public IBrowser Browser => Host.Browser;
    public AuthSettings Auth => Host.Auth;

    /// <summary>Every page checked with axe, in the order visited, by every test of the run (printed by the tests).</summary>
    public ConcurrentQueue<string> PagesChecked => Host.PagesChecked;

    public static string ScreenshotFolder { get; } = Path.Combine(Listes360.Testing.RepositoryRoot.Find(), "tests", "Listes360.Web.Tests", "screenshots");

    public static readonly Caller Admin = new("test-admin", Role.Admin, [], "61", null);

    private SharedHost Host => shared ?? throw new InvalidOperationException("L'hôte des tests web n'est pas démarré.");

    public async Task InitializeAsync()
    {
        await StartGate.WaitAsync();
        try
        {
            shared ??= await SharedHost.StartAsync();
        }
        finally
        {
            StartGate.Release();
        }
    }

    /// <summary>The host lives until the test process exits (other collections use it): only the list of checked pages is written here.</summary>
    public Task DisposeAsync()
    {
        if (shared is { } host)
            lock (host.PagesChecked)
                File.WriteAllLines(Path.Combine(ScreenshotFolder, "pages-verifiees.txt"), host.PagesChecked);
        return Task.CompletedTask;
    }

    /// <summary>The person seeded with an offered place in <see cref="OwnFiness"/>: « DUPONT Lucie ».</summary>
    public string OfferedPerson => Host.OfferedPerson;

    /// <summary>A host, Azurite and a browser; <see cref="WebFixture"/> keeps one for the run, <see cref="DemoWebFixture"/> its own (another population).</summary>
    internal sealed class SharedHost
    {
        private readonly string dataFolder = Path.Combine(Path.GetTempPath(), "listes360-web-tests-" + Guid.NewGuid().ToString("N"));
        private AzuriteServer? azurite;
        private IPlaywright? playwright;

        public WebApplication App { get; private set; } = null!;
        public string BaseUrl { get; private set; } = "";
        public IBrowser Browser { get; private set; } = null!;
        public AuthSettings Auth { get; } = new() { SigningKey = DevTokens.NewSigningKey() };
        public ConcurrentQueue<string> PagesChecked { get; } = new();
        public string OfferedPerson { get; set; } = "";

        public static async Task<SharedHost> StartAsync(Func<IServiceProvider, Task<string>>? seed = null)
        {
            var host = new SharedHost();
            try
            {
                await host.InitializeAsync(seed ?? SeedAsync);
            }
            catch
            {
                host.Stop();
                throw;
            }
            AppDomain.CurrentDomain.ProcessExit += (_, _) => host.Stop();
            return host;
        }

        private async Task InitializeAsync(Func<IServiceProvider, Task<string>> seed)
        {
            if (!File.Exists(ChromiumPath))
                throw new InvalidOperationException(
                    $"Chromium est introuvable ({ChromiumPath}) : les tests des pages web en ont besoin. Installez-le (« apt-get install chromium » ; .ci/run le fait) ; ils ne sont jamais ignorés.");
            // The browser starts while Azurite and the host start.
            var browser = StartBrowserAsync();
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
            OfferedPerson = await seed(App.Services);
            Browser = await browser;
            Assertions.SetDefaultExpectTimeout(15_000);
            Directory.CreateDirectory(ScreenshotFolder);
        }

        public async Task<IBrowserContext> NewContextAsync()
        {
            var context = await Browser.NewContextAsync(new BrowserNewContextOptions
            {
                BaseURL = BaseUrl,
                Locale = "fr-FR",
                ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
            });
            // Waits on conditions, never fixed pauses: on a shared 2-core machine running several journeys at once a page may take
            // longer than Playwright's defaults (30 s for a navigation, 5 s for an expectation); a condition met earlier ends the wait earlier.
            context.SetDefaultTimeout(60_000);
            context.SetDefaultNavigationTimeout(60_000);
            return context;
        }

        private async Task<IBrowser> StartBrowserAsync()
        {
            playwright = await Playwright.CreateAsync();
            return await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ChromiumPath,
                Headless = true,
                Args = ["--no-sandbox", "--disable-dev-shm-usage"],
            });
        }

        /// <summary>At the test process's exit: the browser, the host and Azurite stopped (Azurite's node process killed).</summary>
        public void Stop()
        {
            try { Browser?.CloseAsync().Wait(TimeSpan.FromSeconds(10)); } catch (Exception) { }
            try { playwright?.Dispose(); } catch (Exception) { }
            try { App?.StopAsync().Wait(TimeSpan.FromSeconds(15)); } catch (Exception) { }
            try { azurite?.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(15)); } catch (Exception) { }
            try { Directory.Delete(dataFolder, recursive: true); } catch (Exception) { }
        }
    }

    private static async Task<string> SeedAsync(IServiceProvider services)
    {
        using var scope = services.CreateScope();
        var register = scope.ServiceProvider.GetRequiredService<RegisterEsms>();
        await register.ExecuteAsync(new EsmsRegistrationRequest(OwnFiness, OwnName, "255", "61000", "ALENCON",
            Modalities: [Modality.Residential, Modality.Temporary, Modality.Sequential]), Admin);
        await register.ExecuteAsync(new EsmsRegistrationRequest(OtherFiness, OtherName, "437", "61100", "FLERS",
            Modalities: [Modality.Residential]), Admin);
        var places = scope.ServiceProvider.GetRequiredService<SetEsmsPlaces>();
        await places.ExecuteAsync(new SetEsmsPlacesInput(OwnFiness, Modality.Residential, 40, 38), Admin);
        await places.ExecuteAsync(new SetEsmsPlacesInput(OwnFiness, Modality.Sequential, 6, 2), Admin);

        // Two persons waiting for the MAS's internat: one offered a place (the journey admits her), one waiting.
        var offered = await CandidateAsync(scope.ServiceProvider, "DUPONT", "Lucie", "MDPH61-W0001", CandidatureStatus.Offered);
        await CandidateAsync(scope.ServiceProvider, "MARTIN", "Paul", "MDPH61-W0002", CandidatureStatus.Waiting);
        return offered;
    }

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

    /// <summary>A fresh browser context (no cookie), 1280 px wide, French: a test opens its pages through <see cref="WebTest"/>, which closes them.</summary>
    public Task<IBrowserContext> NewContextAsync() => Host.NewContextAsync();

    private static readonly ConcurrentDictionary<(string Role, string Name, string? Finess), Cookie[]> Sessions = new();

    /// <summary>
    /// Signs in as <paramref name="role"/> (claim value) and lands where the sign-in page sends (<paramref name="returnTo"/>, or the role's home).
    /// The first sign-in of a role, name and FINESS goes through the development page; later ones reuse that session's cookie
    /// in the new browser context (the same cookie the form would set), which saves a page and a form post per test.
    /// </summary>
    public static async Task SignInAsync(IPage page, string role, string name, string? finess = null, string? returnTo = null)
    {
        if (Sessions.TryGetValue((role, name, finess), out var cookies))
        {
            await page.Context.AddCookiesAsync(cookies);
            await page.GotoAsync(returnTo ?? "/");
            return;
        }
        await SignInThroughFormAsync(page, role, name, finess, returnTo);
        var session = (await page.Context.CookiesAsync()).Where(c => c.Name == "listes360_session").ToArray();
        if (session.Length > 0)
            Sessions.TryAdd((role, name, finess), [.. session.Select(c => new Cookie
            {
                Name = c.Name, Value = c.Value, Domain = c.Domain, Path = c.Path, Expires = c.Expires,
                HttpOnly = c.HttpOnly, Secure = c.Secure, SameSite = c.SameSite,
            })]);
    }

    /// <summary>Signs in through the development page as <paramref name="role"/> (claim value), always with the form.</summary>
    public static async Task SignInThroughFormAsync(IPage page, string role, string name, string? finess = null, string? returnTo = null)
    {
        await page.GotoAsync("/connexion" + (returnTo is null ? "" : "?retour=" + Uri.EscapeDataString(returnTo)));
        await page.Locator($"input[name=RoleChoisi][value={role}]").CheckAsync(new LocatorCheckOptions { Force = true });
        await page.GetByLabel("Votre nom").FillAsync(name);
        if (finess is not null)
            await page.GetByLabel("FINESS de vos établissements").FillAsync(finess);
        await page.GetByRole(AriaRole.Button, new() { Name = "Se connecter" }).ClickAsync();
        await ExpectAddressAsync(page, LeftSignIn);
    }

    private static readonly System.Text.RegularExpressions.Regex LeftSignIn = new(@"^https?://[^/]+/(?!connexion)");

    /// <summary>
    /// Waits until the page's address matches <paramref name="address"/> (60 s), after a click that navigates.
    /// Polled by the browser's driver through an expectation: Playwright .NET's own navigation waits (WaitForURLAsync,
    /// WaitForLoadStateAsync, WaitForNavigationAsync) check the frame's load states and then subscribe to the next one,
    /// from the test's thread while the connection adds them from another; a « load » added in between is missed and the
    /// wait runs out though the page is there. That happened in three CI runs (01/12/2026) on a sign-in, the log showing
    /// only « NetworkIdle event fired », which comes after « load ».
    /// </summary>
    public static Task ExpectAddressAsync(IPage page, System.Text.RegularExpressions.Regex address) =>
        Assertions.Expect(page).ToHaveURLAsync(address, new PageAssertionsToHaveURLOptions { Timeout = 60_000 });

    /// <summary>
    /// Checks the page as it is now: axe finds no serious or critical violation (the list is the failure
    /// message), then screenshots at 1280 px and 390 px wide are saved as <paramref name="name"/> (the same page,
    /// laid out again at 390 px: no second load).
    /// </summary>
    public async Task CheckPageAsync(IPage page, string name)
    {
        var result = await page.RunAxe();
        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0,
            $"Page « {name} » ({page.Url}) : {serious.Count} violation(s) d'accessibilité graves ou critiques :\n" +
            string.Join("\n", serious.Select(v => $"- [{v.Impact}] {v.Id} : {v.Help} ({string.Join(", ", v.Nodes.Take(3).Select(n => string.Join(" ", n.Target)))})")));
        PagesChecked.Enqueue($"{name} — {new Uri(page.Url).PathAndQuery}");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, $"{name}-1280.png"), FullPage = true, Animations = ScreenshotAnimations.Disabled });
        var size = page.ViewportSize;
        await page.SetViewportSizeAsync(390, 844);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, $"{name}-390.png"), FullPage = true, Animations = ScreenshotAnimations.Disabled });
        await page.SetViewportSizeAsync(size?.Width ?? 1280, size?.Height ?? 900);
    }

    /// <summary>Writes the pages checked so far to the test's output.</summary>
    public void PrintPagesChecked(Xunit.Abstractions.ITestOutputHelper output) =>
        output.WriteLine("Pages vérifiées avec axe :\n" + string.Join("\n", PagesChecked));

    // ---- Set-up through the API, shared by the journeys (each test builds its own persons and ESMS). ----

    private static int nextFiness = 9_100;

    /// <summary>A GraphQL request as the département 61's administrator; fails with the response when it has errors.</summary>
    public async Task<JsonElement> AdminGraphQLAsync(string query, object? variables = null)
    {
        using var http = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        var token = DevTokens.Mint(Auth, "test-admin", Role.Admin, [], "61", null, TimeSpan.FromMinutes(10));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { query, variables }), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        var json = JsonDocument.Parse(body).RootElement;
        Assert.False(json.TryGetProperty("errors", out var errors) && errors.GetArrayLength() > 0, body);
        return json.GetProperty("data").Clone();
    }

    /// <summary>A new MAS of the Orne with a FINESS no other test uses.</summary>
    public async Task<string> NewMasAsync(string name)
    {
        var f = FinessNumber.WithKey("61" + Interlocked.Increment(ref nextFiness).ToString("D6")).Value;
        await AdminGraphQLAsync("""mutation($f: String!, $n: String!) { registerEsms(input: {finess: $f, name: $n, category: "255"}) { esms { finess } } }""", new { f, n = name });
        return f;
    }

    /// <summary>A person of the département 61 (female); with <paramref name="atHome"/>, living in 61001 at home without solution since 01/01/2024.</summary>
    public async Task<string> NewPersonAsync(string birthName, string firstName, string birthDate = "1990-05-06", bool atHome = false) =>
        (await AdminGraphQLAsync(atHome
            ? """mutation($n: String!, $p: String!, $d: DateOnly!) { createPerson(input: {department: "61", birthName: $n, firstNames: [$p], birthDate: $d, sex: FEMALE, residenceCommune: "61001", situation: {kind: AT_HOME_WITHOUT_SOLUTION, since: "2024-01-01"}}) { person { id } } }"""
            : """mutation($n: String!, $p: String!, $d: DateOnly!) { createPerson(input: {department: "61", birthName: $n, firstNames: [$p], birthDate: $d, sex: FEMALE}) { person { id } } }""",
            new { n = birthName, p = firstName, d = birthDate })).GetProperty("createPerson").GetProperty("person").GetProperty("id").GetString()!;

    /// <summary>A MAS orientation valid 01/01/2024 – 31/12/2031 under the CDAPH decision <paramref name="reference"/>.</summary>
    public Task AddMasOrientationAsync(string person, string reference) =>
        AdminGraphQLAsync("""mutation($p: ID!, $r: String!) { addOrientation(input: {personId: $p, decisionReference: $r, kind: MAS, validFrom: "2024-01-01", validTo: "2031-12-31"}) { person { id } } }""",
            new { p = person, r = reference });

    /// <summary>A residential candidature of <paramref name="person"/> in <paramref name="finess"/>, asked 01/03/2025; its id.</summary>
    public async Task<string> ApplyAsync(string person, string finess) =>
        (await AdminGraphQLAsync("""mutation($p: ID!, $f: String!) { createCandidature(input: {personId: $p, finess: $f, modality: RESIDENTIAL, requestDate: "2025-03-01"}) { candidature { id } } }""", new { p = person, f = finess }))
            .GetProperty("createCandidature").GetProperty("candidature").GetProperty("id").GetString()!;

    /// <summary>Moves a candidature through <paramref name="statuses"/> (GraphQL names: UNDER_REVIEW, WAITING, OFFERED, ADMITTED…), in order.</summary>
    public async Task ChangeStatusAsync(string person, string candidature, params string[] statuses)
    {
        foreach (var status in statuses)
            await AdminGraphQLAsync("""mutation($p: ID!, $c: ID!, $s: CandidatureStatus!) { changeCandidatureStatus(input: {personId: $p, candidatureId: $c, status: $s}) { person { id } } }""",
                new { p = person, c = candidature, s = status });
    }

    /// <summary>Random letters, the first upper case: names no other test (nor run) uses.</summary>
    public static string Letters(int n) => string.Concat(Enumerable.Range(0, n).Select(i => (char)((i == 0 ? 'A' : 'a') + Random.Shared.Next(26))));

    /// <summary>
    /// Waits until <paramref name="condition"/> holds (projections follow their sources through outboxes): asked again as soon as
    /// it answers, with a short growing pause, for at most <paramref name="timeout"/>; then fails with <paramref name="what"/>.
    /// </summary>
    public static Task EventuallyAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null) =>
        EventuallyAsync(condition, () => what, timeout);

    /// <summary>As <see cref="EventuallyAsync(Func{Task{bool}}, string, TimeSpan?)"/>, the failure message made when it fails (from the last answer).</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, Func<string> what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        var pause = 50;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"Toujours faux après {(timeout ?? TimeSpan.FromSeconds(30)).TotalSeconds} s : {what()}");
            await Task.Delay(pause);
            pause = Math.Min(pause * 2, 500);
        }
    }
}

/// <summary>
/// The test classes' collections: each shares the one host of the run (<see cref="WebFixture"/>) and runs in parallel
/// with the others (xunit runs one collection at a time per thread). New test classes may use any of them.
/// </summary>
[CollectionDefinition(Name)]
public sealed class WebCollection : ICollectionFixture<WebFixture>
{
    public const string Name = "Pages web dans Chromium";
}

[CollectionDefinition(Name)]
public sealed class SignInCollection : ICollectionFixture<WebFixture>
{
    public const string Name = "Pages web : connexion";
}

/// <summary>The director's and the observatory's journeys, one after the other: the observatory counts the seeded persons a director's journey admits.</summary>
[CollectionDefinition(Name)]
public sealed class DirectorCollection : ICollectionFixture<WebFixture>
{
    public const string Name = "Pages web : direction d'ESMS";
}

[CollectionDefinition(Name)]
public sealed class ConseillerCollection : ICollectionFixture<WebFixture>
{
    public const string Name = "Pages web : conseiller en parcours";
}

[CollectionDefinition(Name)]
public sealed class ReferentCollection : ICollectionFixture<WebFixture>
{
    public const string Name = "Pages web : référent MDPH";
}

[CollectionDefinition(Name)]
public sealed class VacancyCollection : ICollectionFixture<WebFixture>
{
    public const string Name = "Pages web : places libérées";
}
