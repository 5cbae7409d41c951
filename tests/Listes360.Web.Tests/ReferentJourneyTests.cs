using Listes360.Domain.Registry;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Listes360.Web.Tests;

/// <summary>
/// The MDPH referent's journey in Chromium (issue 18, point 1): a queued pair seen side by side, the
/// decision refused without its reason, then merged; the merge undone from the person's page, and both
/// persons' candidatures back. axe on every page; other roles refused.
/// </summary>
[Collection(ReferentCollection.Name)]
public sealed class ReferentJourneyTests(WebFixture web, ITestOutputHelper output) : WebTest(web.NewContextAsync)
{
    private Task<string> PersonAsync(string birthName, string firstName, string birthDate) => web.NewPersonAsync(birthName, firstName, birthDate);

    private async Task Apply(string person, string finess)
    {
        await web.AddMasOrientationAsync(person, "CDAPH-DOUBLON");
        await web.ApplyAsync(person, finess);
    }

    private async Task<(string Existing, string New)> QueuedPairAsync(string name)
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var birth = new DateOnly(1975, 3, 17);
        Listes360.Domain.Identity.Records.PersonRecord Record(string n, string first, DateOnly date) =>
            Listes360.Domain.Identity.MatchRecords.Of("saisie", Listes360.Domain.Persons.PersonIdentity.Create(n, [first], date, Listes360.Domain.Persons.Sex.Female, today));
        var known = Record(name, "Gaelle", birth);
        // The variant the domain's identity engine puts in the grey zone against the first (names close, date off, no strong key):
        // searched among typos of the name, first names and dates, with the domain's own decision.
        var names = new List<string> { name, name + "d", name + "e", name[1..], name[..^1] };
        for (var i = 1; i < name.Length; i++)
            names.Add(name[..i] + (name[i] == 'a' ? 'e' : 'a') + name[(i + 1)..]);
        string[] firsts = ["Gaelle", "Gaëlle", "Gael", "Gwenaelle", "Gaelle Marie", "Magali"];
        DateOnly[] dates = [birth, birth.AddDays(1), birth.AddDays(10), new DateOnly(1975, 4, 17), new DateOnly(1976, 3, 17), new DateOnly(1957, 3, 17),
            new DateOnly(1975, 8, 14), new DateOnly(1978, 11, 2), new DateOnly(1985, 6, 30)];
        var variants = names.SelectMany(n => firsts.SelectMany(f => dates.Select(d => (Name: n, First: f, Date: d)))).Where(v => v != (name, "Gaelle", birth));
        var variant = variants.FirstOrDefault(v => Listes360.Domain.Identity.IdentityResolver.Decide(Record(v.Name, v.First, v.Date), [("p", known)]).Outcome
            == Listes360.Domain.Identity.IdentityOutcome.Review);
        Assert.True(variant.Name is not null, $"Aucune variante de « {name} Gaelle » n'est dans la zone à vérifier du moteur d'identité.");
        var existing = await PersonAsync(name, "Gaelle", birth.ToString("yyyy-MM-dd"));
        var created = await PersonAsync(variant.Name, variant.First, variant.Date.ToString("yyyy-MM-dd"));
        Assert.NotEqual(existing, created);
        await WebFixture.EventuallyAsync(async () =>
        {
            var queue = await web.AdminGraphQLAsync("""{ reviewQueue(department: "61", first: 200) { edges { node { existingPersonId newPersonId } } } }""");
            return queue.GetProperty("reviewQueue").GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node"))
                .Any(n => new[] { n.GetProperty("existingPersonId").GetString(), n.GetProperty("newPersonId").GetString() }.Order().SequenceEqual(new[] { existing, created }.Order()));
        }, $"La paire {existing} / {created} ({variant}) n'est pas dans la file de vérification.", TimeSpan.FromSeconds(20));
        return (existing, created);
    }

    private static async Task ExpectCandidaturesAsync(IPage page, string person, int count)
    {
        var heading = "";
        await WebFixture.EventuallyAsync(async () =>
        {
            await page.GotoAsync($"/referent/personnes/{person}");
            heading = await page.Locator("#candidatures").InnerTextAsync();
            return heading.Contains($"({count})", StringComparison.Ordinal);
        }, () => $"{person} : « {heading} » au lieu de {count} candidature(s)", TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task A_referent_merges_a_queued_pair_then_splits_it_and_both_persons_candidatures_are_back()
    {
        var name = "Hamon" + WebFixture.Letters(4).ToLowerInvariant();
        var (existing, created) = await QueuedPairAsync(name);
        await Apply(existing, await web.NewMasAsync("MAS des Pommiers"));
        await Apply(created, await web.NewMasAsync("MAS des Poiriers"));

        var page = await NewPageAsync();
        await WebFixture.SignInAsync(page, "mdph-referent", "Rémi Référent");
        Assert.Equal("/referent", new Uri(page.Url).AbsolutePath);
        var row = page.Locator("tbody tr").Filter(new() { HasText = name });
        await Assertions.Expect(row.First).ToBeVisibleAsync();
        await web.CheckPageAsync(page, "referent-file");

        await row.First.GetByRole(AriaRole.Link, new() { NameRegex = new("Examiner") }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Même personne ou deux personnes ?");
        var sideBySide = page.Locator("table").Filter(new() { HasText = "Les deux identités côte à côte" });
        await Assertions.Expect(sideBySide.Locator("tr").Filter(new() { HasText = "Date de naissance" })).ToContainTextAsync("17/03/1975");
        await Assertions.Expect(page.Locator("main ul li").First).ToBeVisibleAsync(); // the French reasons of the score
        await web.CheckPageAsync(page, "referent-doublon");

        // The reason is required: refused with its French message, nothing changed.
        await page.GetByLabel("La même personne").CheckAsync(new() { Force = true });
        var refused = await page.RunAndWaitForResponseAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer la décision" }).ClickAsync(),
            r => r.Request.Method == "POST");
        Assert.Equal(400, refused.Status);
        await Assertions.Expect(page.Locator("#motif-erreur")).ToContainTextAsync("Le motif est obligatoire");
        await web.CheckPageAsync(page, "referent-doublon-erreur");

        await page.GetByLabel("La même personne").CheckAsync(new() { Force = true });
        await page.GetByLabel("Motif de la décision").FillAsync("Même personne : même adresse et même établissement d'origine");
        await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer la décision" }).ClickAsync();
        await WebFixture.ExpectAddressAsync(page, new(@"/referent\?fait=fusion"));
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("Les deux personnes ont été fusionnées.");

        await ExpectCandidaturesAsync(page, existing, 2);
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync($"La personne {created} est fusionnée dans celle-ci.");
        await web.CheckPageAsync(page, "referent-personne");
        await page.GetByLabel($"Motif de la séparation de {created}").FillAsync("Fusion erronée : deux sœurs");
        await page.GetByRole(AriaRole.Button, new() { Name = $"Séparer {created}" }).ClickAsync();
        await WebFixture.ExpectAddressAsync(page, new(@"\?fait=separation"));

        await ExpectCandidaturesAsync(page, existing, 1);
        await ExpectCandidaturesAsync(page, created, 1);
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("MAS");
        output.WriteLine(string.Join("\n", web.PagesChecked));
    }

    [Fact]
    public async Task A_referent_records_a_CDAPH_orientation_and_a_bad_date_is_refused_in_French()
    {
        var person = await PersonAsync("Orient" + WebFixture.Letters(5).ToLowerInvariant(), "Inès", "2001-06-02");
        var page = await NewPageAsync();
        await WebFixture.SignInAsync(page, "mdph-referent", "Rémi Référent");
        await page.GotoAsync($"/referent/personnes/{person}");
        await page.GetByLabel("N° de décision CDAPH").FillAsync("CDAPH-61-2026-0042");
        await page.GetByLabel("Type d'accompagnement").SelectOptionAsync(nameof(KindOfSupport.Fam));
        await page.GetByLabel("Valable du").FillAsync("31/02/2026");
        await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer l'orientation" }).ClickAsync();
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("« 31/02/2026 » n'est pas une date");
        await page.GetByLabel("Valable du").FillAsync("01/03/2026");
        await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer l'orientation" }).ClickAsync();
        await WebFixture.ExpectAddressAsync(page, new(@"\?fait=orientation"));
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("CDAPH-61-2026-0042");
    }

    [Theory]
    [InlineData("esms-director")]
    [InlineData("territorial-staff")]
    [InlineData("observatory")]
    public async Task Other_roles_are_refused_the_referent_s_pages(string role)
    {
        var page = await NewPageAsync();
        await WebFixture.SignInAsync(page, role, "Quelqu'un d'autre", role == "esms-director" ? WebFixture.OwnFiness : null);
        var response = await page.GotoAsync("/referent");
        Assert.Equal(403, response!.Status);
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("les pages des référents MDPH sont ouvertes aux référents MDPH et à l'administration");
        Assert.Equal(403, (await page.GotoAsync($"/referent/personnes/{web.OfferedPerson}"))!.Status);
        await Assertions.Expect(page.Locator("main")).Not.ToContainTextAsync("DUPONT");
    }
}
