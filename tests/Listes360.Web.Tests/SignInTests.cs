using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Listes360.Web.Tests;

/// <summary>Sign-in, session cookie, sign-out, anti-forgery and refusals, in Chromium.</summary>
[Collection(SignInCollection.Name)]
public sealed class SignInTests(WebFixture web, ITestOutputHelper output) : WebTest(web.NewContextAsync)
{
    [Fact]
    public async Task A_director_signs_in_lands_on_their_ESMS_and_the_session_cookie_is_secure_http_only_strict_and_expires()
    {
        var page = await NewPageAsync();
        await page.GotoAsync("/");
        Assert.Equal("fr", await page.Locator("html").GetAttributeAsync("lang"));
        Assert.Equal("Listes360", (await page.Locator(".fr-header__service-title").InnerTextAsync()).Trim());
        await web.CheckPageAsync(page, "accueil-anonyme");

        await page.GotoAsync("/connexion");
        await web.CheckPageAsync(page, "connexion");
        // Nothing filled: each error in French next to its field, nobody signed in.
        await page.GetByRole(AriaRole.Button, new() { Name = "Se connecter" }).ClickAsync();
        Assert.Contains("Choisissez un rôle.", await page.Locator("#role-erreur").InnerTextAsync());
        Assert.Contains("Indiquez votre nom", await page.Locator("#nom-erreur").InnerTextAsync());
        Assert.Equal(1, await page.Locator(".fr-input-group--error #nom").CountAsync());
        await web.CheckPageAsync(page, "connexion-erreurs");
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "listes360_session");

        await WebFixture.SignInThroughFormAsync(page, "esms-director", "Claire Martin", WebFixture.OwnFiness);
        Assert.EndsWith($"/esms/{WebFixture.OwnFiness}", new Uri(page.Url).AbsolutePath);
        Assert.Equal(WebFixture.OwnName, (await page.Locator("h1").InnerTextAsync()).Trim());
        await Assertions.Expect(page.Locator("nav#navigation-principale")).ToContainTextAsync("Places");
        await web.CheckPageAsync(page, "esms-accueil");

        var cookie = Assert.Single(await page.Context.CookiesAsync(), c => c.Name == "listes360_session");
        Assert.True(cookie.HttpOnly);
        Assert.True(cookie.Secure);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
        var expires = DateTimeOffset.FromUnixTimeSeconds((long)cookie.Expires);
        Assert.InRange(expires, DateTimeOffset.UtcNow.AddHours(7.9), DateTimeOffset.UtcNow.AddHours(8.1));
        Print();
    }

    [Fact]
    public async Task A_director_opening_another_ESMS_is_refused_with_a_French_page_and_HTTP_403()
    {
        var page = await NewPageAsync();
        await WebFixture.SignInAsync(page, "esms-director", "Claire Martin", WebFixture.OwnFiness);
        var response = await page.GotoAsync($"/esms/{WebFixture.OtherFiness}");
        Assert.Equal((int)HttpStatusCode.Forbidden, response!.Status);
        Assert.Equal("Accès refusé", (await page.Locator("h1").InnerTextAsync()).Trim());
        Assert.DoesNotContain(WebFixture.OtherName, await page.ContentAsync());
        await web.CheckPageAsync(page, "refus-autre-esms");
        Print();
    }

    [Fact]
    public async Task Without_a_session_a_page_sends_to_sign_in_and_back_and_sign_out_ends_the_session()
    {
        var page = await NewPageAsync();
        await page.GotoAsync($"/esms/{WebFixture.OwnFiness}");
        Assert.Equal("/connexion", new Uri(page.Url).AbsolutePath);
        await page.GetByLabel("Votre nom").FillAsync("Claire Martin");
        await page.Locator("input[name=RoleChoisi][value=esms-director]").CheckAsync(new LocatorCheckOptions { Force = true });
        await page.GetByLabel("FINESS de vos établissements").FillAsync(WebFixture.OwnFiness);
        await page.GetByRole(AriaRole.Button, new() { Name = "Se connecter" }).ClickAsync();
        Assert.Equal($"/esms/{WebFixture.OwnFiness}", new Uri(page.Url).AbsolutePath);

        await page.GetByRole(AriaRole.Button, new() { Name = "Se déconnecter" }).ClickAsync();
        Assert.Equal("/connexion", new Uri(page.Url).AbsolutePath);
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "listes360_session");
        await page.GotoAsync($"/esms/{WebFixture.OwnFiness}");
        Assert.Equal("/connexion", new Uri(page.Url).AbsolutePath);
    }

    [Fact]
    public async Task A_form_posted_without_its_anti_forgery_token_is_refused_and_signs_nobody_in()
    {
        using var http = new HttpClient { BaseAddress = new Uri(web.BaseUrl) };
        using var response = await http.PostAsync("/connexion", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "connexion", ["RoleChoisi"] = "admin", ["Nom"] = "Intrus", ["Departement"] = "61",
        }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("listes360_session=", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task The_session_cookie_is_not_a_GraphQL_credential()
    {
        var page = await NewPageAsync();
        await WebFixture.SignInAsync(page, "admin", "Alice Admin");
        var response = await page.APIRequest.PostAsync("/graphql", new APIRequestContextOptions
        {
            Headers = new Dictionary<string, string> { ["Content-Type"] = "application/json" },
            DataObject = new { query = "{ __typename }" },
        });
        Assert.Equal(401, response.Status);
    }

    [Fact]
    public async Task The_pages_reads_and_refusals_are_audited_under_the_signed_in_name_as_the_API_s_are()
    {
        var page = await NewPageAsync();
        var since = DateTimeOffset.UtcNow.AddSeconds(-5);
        await WebFixture.SignInAsync(page, "esms-director", "Directrice Auditée", WebFixture.OwnFiness);
        await page.GotoAsync($"/esms/{WebFixture.OwnFiness}/classement");
        await page.GotoAsync($"/esms/{WebFixture.OtherFiness}/classement");
        var trail = web.App.Services.GetRequiredService<Listes360.Grains.Security.IAuditTrail>();
        var rows = await trail.QueryAsync(new Listes360.Grains.Security.AuditQuery(since, DateTimeOffset.UtcNow.AddMinutes(1), Subject: "Directrice Auditée", Limit: 500));
        Assert.Contains(rows, r => r.Kind == Listes360.Grains.Security.AuditKind.Read && r.Outcome == Listes360.Grains.Security.AuditOutcome.Done
            && r.Target.StartsWith(WebFixture.OwnFiness, StringComparison.Ordinal) && r.Role == Listes360.Domain.Security.Role.EsmsDirector);
        Assert.Contains(rows, r => r.Outcome == Listes360.Grains.Security.AuditOutcome.Denied && r.Target.StartsWith(WebFixture.OtherFiness, StringComparison.Ordinal));
    }

    private void Print() => output.WriteLine("Pages vérifiées avec axe :\n" + string.Join("\n", web.PagesChecked));
}
