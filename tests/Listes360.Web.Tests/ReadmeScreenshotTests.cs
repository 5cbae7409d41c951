using Listes360.Application.Identity;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;
using Listes360.Domain.Security;
using Listes360.Domain.Time;
using Listes360.Grains.Department;
using Listes360.Grains.Security;
using Listes360.Imports.Registry;
using Listes360.Imports.Simulation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Listes360.Web.Tests;

/// <summary>
/// Its own host (Azurite, silo, pages, browser), apart from the run's shared one: the Orne's 72 real ESMS and a SIMULATED
/// population made by <see cref="DemoSeed"/> as <c>listes360 seed</c> makes it (<see cref="Persons"/> persons), so that the
/// README's screenshots show a département, not the suite's two test persons. Stopped with its collection.
/// </summary>
public sealed class DemoWebFixture : IAsyncLifetime
{
    /// <summary>Half of <c>up</c>'s 1,200: enough for every chart and table to have rows, little enough for CI.</summary>
    public const int Persons = 600;

    private WebFixture.SharedHost? host;

    internal WebFixture.SharedHost Host => host ?? throw new InvalidOperationException("L'hôte de démonstration n'est pas démarré.");

    public async Task InitializeAsync() => host = await WebFixture.SharedHost.StartAsync(SeedAsync);

    public Task DisposeAsync()
    {
        host?.Stop();
        return Task.CompletedTask;
    }

    private static async Task<string> SeedAsync(IServiceProvider services)
    {
        var grains = services.GetRequiredService<IGrainFactory>();
        var rows = OrneReferenceData.Esms.Select((r, i) => new EsmsFileRow(i + 2, EsmsFileReader.ProfileOf(r))).ToList();
        await new EsmsRegistryImporter(grains, Caller.ServiceItself).ImportAsync(rows);
        var hasher = services.GetService<NirHasher>();
        var folder = Path.Combine(Path.GetTempPath(), "listes360-web-demo-" + Guid.NewGuid().ToString("N"));
        try
        {
            await DemoSeed.RunAsync(grains, Caller.ServiceItself, folder, Persons, hasher, ParisDate.Today(TimeProvider.System), TextWriter.Null);
        }
        finally
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
        return "";
    }
}

[CollectionDefinition(Name)]
public sealed class DemoCollection : ICollectionFixture<DemoWebFixture>
{
    public const string Name = "Pages web : population simulée (captures du README)";
}

/// <summary>
/// The README's screenshots of the observatory's indicators and of the MDPH referent's review queue, taken on the
/// SIMULATED population of <see cref="DemoWebFixture"/> (tests/Listes360.Web.Tests/update-readme-screenshots.sh runs
/// this class alone and copies them to docs/images). Each capture carries a notice saying the data are simulated.
/// </summary>
[Collection(DemoCollection.Name)]
public sealed class ReadmeScreenshotTests(DemoWebFixture demo) : WebTest(demo.Host.NewContextAsync)
{
    private const string Notice =
        "Capture d'écran du README : population SIMULÉE (aucune personne réelle), générée comme « listes360 seed » sur les 72 ESMS réels de l'Orne.";

    /// <summary>A DSFR notice above the page's title, so that the image itself says the data are simulated.</summary>
    private static Task LabelAsSimulatedAsync(IPage page) => page.EvaluateAsync("""
        text => {
            const notice = document.createElement('div');
            notice.className = 'fr-notice fr-notice--info';
            notice.innerHTML = '<div class="fr-container"><div class="fr-notice__body"><p class="fr-notice__title"></p></div></div>';
            notice.querySelector('p').textContent = text;
            const main = document.querySelector('main') ?? document.body;
            main.prepend(notice);
        }
        """, Notice);

    private static async Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(WebFixture.ScreenshotFolder);
        await LabelAsSimulatedAsync(page);
        await Expect(page.Locator("main .fr-notice").First).ToContainTextAsync("population SIMULÉE");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(WebFixture.ScreenshotFolder, $"{name}-1280.png"), FullPage = true, Animations = ScreenshotAnimations.Disabled });
    }

    [Fact]
    public async Task The_observatory_indicators_of_the_simulated_population_with_past_snapshots_and_the_referents_review_queue()
    {
        // A few past daily snapshots (the daily pass keeps one a day; the host's pass is off): today's, taken as the pass takes it,
        // and four earlier weeks derived from it (SIMULATED days, as the population), so that the evolution chart has points.
        using (CallerContext.As(Caller.ServiceItself))
        {
            var snapshots = demo.Host.App.Services.GetRequiredService<IGrainFactory>().GetGrain<IIndicatorSnapshotGrain>("61");
            var today = await snapshots.TakeAsync();
            Assert.True(today.Total.Persons >= DemoWebFixture.Persons / 2, $"{today.Total.Persons} personnes en attente seulement");
            foreach (var back in new[] { 28, 21, 14, 7 })
                await snapshots.RecordAsync(today with
                {
                    Date = today.Date.AddDays(-back),
                    TakenAt = today.TakenAt.AddDays(-back),
                    Total = today.Total with { Persons = today.Total.Persons - back, Entries = today.Total.Entries - 3 * back },
                });
        }

        var page = await NewPageAsync();
        await WebFixture.SignInThroughFormAsync(page, "observatory", "Olga Observatoire");
        await page.GotoAsync("/observatoire");
        await Expect(page.Locator("h1")).ToContainTextAsync("Indicateurs du département 61");
        await Expect(page.Locator("#titre-evolution").Locator("xpath=ancestor::section[1]").Locator("tbody tr")).ToHaveCountAsync(5);
        await ScreenshotAsync(page, "readme-observatoire-indicateurs");

        var referent = await NewPageAsync();
        await WebFixture.SignInThroughFormAsync(referent, "mdph-referent", "Rémi Référent");
        await referent.GotoAsync("/referent");
        // The simulated lists spell some persons differently from one ESMS to another: some land in the review queue.
        await Expect(referent.GetByRole(AriaRole.Link, new() { NameRegex = new("^Examiner") }).First).ToBeVisibleAsync();
        await ScreenshotAsync(referent, "readme-referent-file");
    }
}
