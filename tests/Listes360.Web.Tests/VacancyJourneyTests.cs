using Listes360.Application.Persons;
using Listes360.Application.Registry;
using Listes360.Domain.Candidatures;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;
using Listes360.Domain.Security;
using Listes360.Domain.Vacancies;
using Listes360.Grains.Grid;
using Listes360.Grains.Security;
using Listes360.Grains.Vacancies;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Listes360.Web.Tests;

/// <summary>
/// The director's freed places in Chromium (issue 19, web page): two places declared vacant in a MAS of its own
/// (so that the other journeys' MAS stays as they expect), three persons waiting; the director offers the first
/// place to the first proposed, records their refusal (refused without its reason), offers it to the second,
/// cannot withdraw it nor declare the deadline passed while the answer is awaited, admits the second (the place
/// closes), withdraws the other place with its reason. Another ESMS's director is refused (403, audited).
/// </summary>
[Collection(VacancyCollection.Name)]
public sealed class VacancyJourneyTests(WebFixture web, ITestOutputHelper output) : WebTest(web.NewContextAsync)
{
    private static int _nextFiness = 9_700;

    private static string Letters(int n) => string.Concat(Enumerable.Range(0, n).Select(i => (char)((i == 0 ? 'A' : 'a') + Random.Shared.Next(26))));

    /// <summary>A MAS with <paramref name="waiting"/> persons waiting for its internat (request dates one month apart, the oldest first), then 10 places of which 8 occupied: two vacancies.</summary>
    private async Task<(string Finess, IReadOnlyList<string> Names)> MasWithTwoVacanciesAsync(int waiting)
    {
        var finess = FinessNumber.WithKey("61" + Interlocked.Increment(ref _nextFiness).ToString("D6")).Value;
        using var scope = web.App.Services.CreateScope();
        var services = scope.ServiceProvider;
        await services.GetRequiredService<RegisterEsms>().ExecuteAsync(new EsmsRegistrationRequest(finess, "MAS Les Places " + finess[^3..], "255", "61000", "ALENCON",
            Modalities: [Modality.Residential]), WebFixture.Admin);
        var names = new List<string>();
        for (var i = 0; i < waiting; i++)
        {
            var (birthName, firstName) = (Letters(9).ToUpperInvariant(), Letters(7));
            var person = (await services.GetRequiredService<CreatePerson>().ExecuteAsync(new CreatePersonInput("61", birthName, [firstName],
                new DateOnly(1970 + i, 5, 20), Sex.Male, Situation: new SituationInput(SituationKind.AtHomeWithoutSolution, new DateOnly(2024, 1, 1))), WebFixture.Admin)).Person;
            var id = person.Record.Id.Value;
            await services.GetRequiredService<AddOrientation>().ExecuteAsync(new AddOrientationInput(id, $"CDAPH-61-PL{i}", KindOfSupport.Mas, new DateOnly(2024, 1, 1)), WebFixture.Admin);
            var candidature = (await services.GetRequiredService<CreateCandidature>().ExecuteAsync(
                new CreateCandidatureInput(id, finess, Modality.Residential, new DateOnly(2024, 2 + i, 1)), WebFixture.Admin)).Candidature!;
            var change = services.GetRequiredService<ChangeCandidatureStatus>();
            await change.ExecuteAsync(new ChangeCandidatureStatusInput(id, candidature.Id.Value, CandidatureStatus.UnderReview), WebFixture.Admin);
            await change.ExecuteAsync(new ChangeCandidatureStatusInput(id, candidature.Id.Value, CandidatureStatus.Waiting), WebFixture.Admin);
            names.Add($"{birthName} {firstName}");
        }
        var grains = services.GetRequiredService<IGrainFactory>();
        using (CallerContext.As(WebFixture.Admin))
        {
            // The ranking learns the candidatures through the persons' outboxes: the vacancies propose from it.
            await Eventually(async () => (await grains.GetGrain<IRankingGrain>(RankingKeys.Of(FinessNumber.Parse(finess), Modality.Residential)).GetAsync(null)).Entries.Length == waiting,
                $"les {waiting} candidats ne sont pas classés à l'ESMS {finess}");
        }
        await services.GetRequiredService<SetEsmsPlaces>().ExecuteAsync(new SetEsmsPlacesInput(finess, Modality.Residential, 10, 8), WebFixture.Admin);
        using (CallerContext.As(WebFixture.Admin))
        {
            await Eventually(async () => (await grains.GetGrain<IVacancyGrain>(finess).ListAsync(true)) is { Count: 2 } open && open.All(v => v.Proposal?.Candidates.Length == waiting),
                $"les deux places libérées de l'ESMS {finess} ne sont pas ouvertes avec leurs {waiting} candidats proposés");
        }
        return (finess, names);
    }

    private static async Task Eventually(Func<Task<bool>> condition, string what)
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            if (DateTime.UtcNow > until)
                throw new TimeoutException($"Après 30 s, {what}.");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task A_director_offers_a_freed_place_down_the_proposals_then_admits_and_withdraws_the_other_with_its_reason()
    {
        var (finess, names) = await MasWithTwoVacanciesAsync(3);
        var page = await NewPageAsync();
        await WebFixture.SignInAsync(page, "esms-director", "Claire Martin", finess);
        await page.GetByRole(AriaRole.Link, new() { Name = "Places libérées", Exact = true }).First.ClickAsync();
        Assert.Equal($"/esms/{finess}/places-liberees", new Uri(page.Url).AbsolutePath);
        await Expect(page.Locator("h1")).ToContainTextAsync("Places libérées");
        var open = page.Locator("table", new() { HasText = "Places libérées ouvertes" }).Locator("tbody tr");
        await Expect(open).ToHaveCountAsync(2);
        await Expect(open.First).ToContainTextAsync("Places déclarées vacantes");
        await Expect(open.First).ToContainTextAsync("3 candidat(s), grille version");
        await web.CheckPageAsync(page, "esms-places-liberees");

        await open.First.GetByRole(AriaRole.Link, new() { NameRegex = new("^Voir et proposer") }).ClickAsync();
        await Expect(page.Locator("h1")).ToContainTextAsync("Place libérée du");
        var proposals = page.Locator("table", new() { HasText = "Candidats proposés pour cette place" }).Locator("tbody tr");
        await Expect(proposals).ToHaveCountAsync(3);
        // Proposed in the ranking's order (same facts, the oldest request first), each with its points and their breakdown.
        for (var i = 0; i < 3; i++)
        {
            await Expect(proposals.Nth(i)).ToContainTextAsync(names[i]);
            await Expect(proposals.Nth(i).Locator("details li").First).ToContainTextAsync("point(s)");
        }
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Voir le classement complet" })).ToHaveAttributeAsync("href", $"/esms/{finess}/classement?modalite=Residential");
        await web.CheckPageAsync(page, "esms-place-liberee");

        // Offer to the first proposed (checked by default): the candidature is OFFERED with the grid's deadline.
        await page.GetByRole(AriaRole.Button, new() { Name = "Proposer la place", Exact = true }).ClickAsync();
        await Expect(page.Locator(".fr-alert--success")).ToContainTextAsync($"Place proposée à {names[0]} : réponse attendue au plus tard le");
        await Expect(page.Locator("li", new() { HasText = "Statut :" })).ToContainTextAsync("Proposée à un candidat");
        await Expect(proposals.Nth(0)).ToContainTextAsync("Réponse attendue");

        // A refusal without its reason: refused next to the field, nothing recorded.
        var refused = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer le refus et passer au suivant" }).ClickAsync(), r => r.Request.Method == "POST");
        Assert.Equal(400, refused.Status);
        await Expect(page.Locator("#motif-refus-erreur")).ToContainTextAsync("Choisissez le motif du refus");
        await Expect(proposals.Nth(0)).ToContainTextAsync("Réponse attendue");
        await web.CheckPageAsync(page, "esms-place-liberee-erreur");

        var reason = await page.Locator("#motif-refus option").Nth(1).GetAttributeAsync("value");
        await page.GetByLabel("Motif du refus").SelectOptionAsync(reason!);
        await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer le refus et passer au suivant" }).ClickAsync();
        await Expect(page.Locator(".fr-alert--success")).ToContainTextAsync($"Refus de {names[0]} enregistré");
        await Expect(page.Locator(".fr-alert--success")).ToContainTextAsync($"Candidat suivant : {names[1]}");
        await Expect(proposals.Nth(0)).ToContainTextAsync("Déclinée par la personne");
        // The next to offer is the second proposed, checked by default.
        await Expect(page.Locator("input[name=Candidature]:checked")).ToHaveCountAsync(1);
        await Expect(page.Locator("input[name=Candidature]")).ToHaveCountAsync(2);
        await page.GetByRole(AriaRole.Button, new() { Name = "Proposer la place", Exact = true }).ClickAsync();
        await Expect(page.Locator(".fr-alert--success")).ToContainTextAsync($"Place proposée à {names[1]}");

        // While the answer is awaited: no withdrawal, no expiry before the deadline (the use cases refuse, in French).
        await page.GetByLabel("Motif du retrait").FillAsync("Place fermée pour travaux");
        var withdrawal = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Retirer la place" }).ClickAsync(), r => r.Request.Method == "POST");
        Assert.Equal(400, withdrawal.Status);
        await Expect(page.Locator("#motif-retrait-erreur")).Not.ToBeEmptyAsync();
        var expiry = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Constater le délai dépassé" }).ClickAsync(), r => r.Request.Method == "POST");
        Assert.Equal(400, expiry.Status);
        await Expect(page.Locator("#erreur-place")).ToContainTextAsync("le délai n'est pas dépassé");

        // The admission is recorded on the candidature: it closes the place.
        var vacancyUrl = new Uri(page.Url).AbsolutePath;
        await page.GetByRole(AriaRole.Link, new() { Name = "la candidature", Exact = true }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync($"Candidature de {names[1]}");
        await page.Locator("#statut-Admitted").CheckAsync(new() { Force = true });
        await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer la décision" }).ClickAsync();
        await Expect(page.Locator(".fr-alert--success")).ToContainTextAsync("Décision enregistrée");
        await Eventually(async () =>
        {
            await page.GotoAsync(vacancyUrl);
            return (await page.Locator("li", new() { HasText = "Statut :" }).InnerTextAsync()).Contains("Pourvue", StringComparison.Ordinal);
        }, "la place n'est pas pourvue après l'admission");
        await Expect(page.Locator("li", new() { HasText = "Issue :" })).ToContainTextAsync("Pourvue par le candidat proposé n° 2");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Proposer la place", Exact = true })).ToHaveCountAsync(0);

        // The other place: withdrawn with its reason (refused without).
        await page.GotoAsync($"/esms/{finess}/places-liberees");
        await Expect(open).ToHaveCountAsync(1);
        await open.First.GetByRole(AriaRole.Link, new() { NameRegex = new("^Voir et proposer") }).ClickAsync();
        var empty = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Retirer la place" }).ClickAsync(), r => r.Request.Method == "POST");
        Assert.Equal(400, empty.Status);
        await Expect(page.Locator("#motif-retrait-erreur")).ToContainTextAsync("Indiquez le motif du retrait");
        await page.GetByLabel("Motif du retrait").FillAsync("Place déclarée par erreur");
        await page.GetByRole(AriaRole.Button, new() { Name = "Retirer la place" }).ClickAsync();
        await Expect(page.Locator(".fr-alert--success")).ToContainTextAsync("Place retirée : Place déclarée par erreur.");

        await page.GotoAsync($"/esms/{finess}/places-liberees");
        await Expect(page.Locator("h2", new() { HasText = "Places ouvertes" })).ToContainTextAsync("(0)");
        var closed = page.Locator("table", new() { HasText = "Places libérées closes" }).Locator("tbody tr");
        await Expect(closed).ToHaveCountAsync(2);
        await Expect(page.Locator("table", new() { HasText = "Places libérées closes" })).ToContainTextAsync("Pourvue par le candidat proposé n° 2");
        await Expect(page.Locator("table", new() { HasText = "Places libérées closes" })).ToContainTextAsync("Retirée : Place déclarée par erreur");
        await Expect(closed.First).ToContainTextAsync("Aucune (place ouverte dans cet établissement)");
        await web.CheckPageAsync(page, "esms-places-liberees-closes");
        output.WriteLine("Pages vérifiées avec axe :\n" + string.Join("\n", web.PagesChecked));
    }

    [Fact]
    public async Task Another_ESMS_s_director_and_the_observatory_are_refused_the_freed_places_and_the_refusal_is_audited()
    {
        var (finess, _) = await MasWithTwoVacanciesAsync(1);
        Vacancy vacancy;
        using (CallerContext.As(WebFixture.Admin))
            vacancy = (await web.App.Services.GetRequiredService<IGrainFactory>().GetGrain<IVacancyGrain>(finess).ListAsync(true))[0];

        var page = await NewPageAsync();
        await WebFixture.SignInAsync(page, "esms-director", "Directeur Voisin", WebFixture.OtherFiness);
        foreach (var path in new[] { $"/esms/{finess}/places-liberees", $"/esms/{finess}/places-liberees/{vacancy.Id}" })
        {
            var response = await page.GotoAsync(path);
            Assert.Equal(403, response!.Status);
            await Expect(page.Locator("h1")).ToHaveTextAsync("Accès refusé");
            await Expect(page.Locator("main")).Not.ToContainTextAsync("Candidats proposés");
        }
        await web.CheckPageAsync(page, "esms-places-liberees-refus");
        // Their own page opens (allowed), without the other ESMS's places.
        Assert.Equal(200, (await page.GotoAsync($"/esms/{WebFixture.OtherFiness}/places-liberees"))!.Status);
        await Expect(page.Locator("main")).Not.ToContainTextAsync(finess);

        var observer = await NewPageAsync();
        await WebFixture.SignInAsync(observer, "observatory", "Olga Observatoire");
        Assert.Equal(403, (await observer.GotoAsync($"/esms/{finess}/places-liberees"))!.Status);

        var audit = web.App.Services.GetRequiredService<IAuditTrail>();
        var denied = await audit.QueryAsync(new AuditQuery(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddMinutes(1), Outcome: AuditOutcome.Denied, Limit: 1000));
        Assert.Contains(denied, e => e.Role == Role.EsmsDirector && e.Target.Contains(finess, StringComparison.Ordinal));
    }
}
