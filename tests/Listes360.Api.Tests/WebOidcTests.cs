using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using Listes360.Api.Security;
using Listes360.AzureStorage.Emulator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;

namespace Listes360.Api.Tests;

/// <summary>
/// A FAKE OpenID Connect provider for the tests (not a real one): a Kestrel app on 127.0.0.1 serving a
/// discovery document and a signing key, so that the host's OpenID Connect handler can build its
/// redirect to the authorize endpoint. It never signs anybody in.
/// </summary>
public sealed class FakeOidcAuthority : IAsyncDisposable
{
    private readonly WebApplication _app;

    public string Authority { get; }

    private FakeOidcAuthority(WebApplication app, string authority) => (_app, Authority) = (app, authority);

    public static async Task<FakeOidcAuthority> StartAsync()
    {
        var port = AzuriteServer.FreeLoopbackPort();
        var authority = $"http://127.0.0.1:{port}";
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(authority);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        using var rsa = RSA.Create(2048);
        var key = rsa.ExportParameters(false);
        var jwks = JsonSerializer.Serialize(new
        {
            keys = new[] { new { kty = "RSA", use = "sig", kid = "fausse-cle", alg = "RS256", n = Base64UrlEncoder.Encode(key.Modulus), e = Base64UrlEncoder.Encode(key.Exponent) } },
        });
        var discovery = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["issuer"] = authority,
            ["authorization_endpoint"] = authority + "/authorize",
            ["token_endpoint"] = authority + "/token",
            ["userinfo_endpoint"] = authority + "/userinfo",
            ["jwks_uri"] = authority + "/jwks",
            ["response_types_supported"] = new[] { "code" },
            ["subject_types_supported"] = new[] { "public" },
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            ["code_challenge_methods_supported"] = new[] { "S256" },
        });
        app.MapGet("/.well-known/openid-configuration", () => Results.Text(discovery, "application/json"));
        app.MapGet("/jwks", () => Results.Text(jwks, "application/json"));
        await app.StartAsync();
        return new FakeOidcAuthority(app, authority);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>A host of its own whose pages sign in through the fake provider (Web:Oidc set).</summary>
public sealed class OidcHostFixture : IAsyncLifetime
{
    public FakeOidcAuthority Authority { get; private set; } = null!;
    public ApiFixture Api { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Authority = await FakeOidcAuthority.StartAsync();
        Api = new ApiFixture
        {
            Overrides = new Dictionary<string, string?>
            {
                [$"{WebOidcSettings.Section}:Authority"] = Authority.Authority,
                [$"{WebOidcSettings.Section}:ClientId"] = "listes360-test",
                [$"{WebOidcSettings.Section}:ClientSecret"] = "secret-de-test",
                [$"{WebOidcSettings.Section}:Roles:Listes360.Conseiller"] = "territorial-staff",
            },
        };
        await Api.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await Api.DisposeAsync();
        await Authority.DisposeAsync();
    }
}

/// <summary>The pages' sign-in in production: OpenID Connect when Web:Oidc is set, and no development page then (issue 17).</summary>
public sealed class WebOidcTests(OidcHostFixture host) : IClassFixture<OidcHostFixture>
{
    private static string? LocationOf(HttpResponseMessage response) => response.Headers.Location?.OriginalString;

    [Fact]
    public async Task An_unauthenticated_page_request_is_sent_to_the_providers_authorize_endpoint_and_back_to_the_page()
    {
        using var page = await host.Api.Client.GetAsync("/conseiller?page=2");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        var signIn = LocationOf(page)!;
        Assert.Contains("/connexion/oidc?retour=", signIn);
        Assert.Contains(Uri.EscapeDataString("/conseiller?page=2"), signIn);

        using var challenge = await host.Api.Client.GetAsync(new Uri(signIn, UriKind.RelativeOrAbsolute).IsAbsoluteUri ? new Uri(signIn).PathAndQuery : signIn);
        Assert.Equal(HttpStatusCode.Redirect, challenge.StatusCode);
        var authorize = challenge.Headers.Location!;
        Assert.Equal(host.Authority.Authority + "/authorize", authorize.GetLeftPart(UriPartial.Path));
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(authorize.Query);
        Assert.Equal("listes360-test", query["client_id"]);
        Assert.Equal("code", query["response_type"]);
        Assert.Equal("S256", query["code_challenge_method"]);
        Assert.EndsWith("/signin-oidc", query["redirect_uri"].ToString());
        Assert.Contains("openid", query["scope"].ToString().Split(' '));
        // The state (protected) carries the return address; the nonce and correlation cookies are set.
        Assert.False(string.IsNullOrEmpty(query["state"]));
        Assert.Contains(challenge.Headers.GetValues("Set-Cookie"), c => c.StartsWith(".AspNetCore.Correlation.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_list_export_link_without_a_session_goes_to_the_provider_too()
    {
        using var export = await host.Api.Client.GetAsync("/conseiller/liste.csv?situation=AT_HOME_WITHOUT_SOLUTION");
        Assert.Equal(HttpStatusCode.Redirect, export.StatusCode);
        Assert.Contains("/connexion/oidc?retour=", LocationOf(export));
        Assert.Contains(Uri.EscapeDataString("/conseiller/liste.csv?situation=AT_HOME_WITHOUT_SOLUTION"), LocationOf(export));
    }

    [Fact]
    public async Task The_development_sign_in_page_answers_404_beside_a_provider()
    {
        using var get = await host.Api.Client.GetAsync("/connexion");
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.DoesNotContain("Connexion de développement", await get.Content.ReadAsStringAsync());
        using var post = await host.Api.Client.PostAsync("/connexion", new FormUrlEncodedContent([new("_handler", "connexion"), new("RoleChoisi", "admin"), new("Nom", "x")]));
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        Assert.DoesNotContain(post.Headers.TryGetValues("Set-Cookie", out var set) ? set : [], c => c.StartsWith("listes360_session=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_development_token_in_the_session_cookie_is_not_a_session_beside_a_provider()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/conseiller");
        request.Headers.Add("Cookie", "listes360_session=" + host.Api.Token(Listes360.Domain.Security.Role.TerritorialStaff));
        using var response = await host.Api.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/connexion/oidc?retour=", LocationOf(response));
    }
}

/// <summary>The provider's claims → the API's claims (a pure function): the same caller the API makes of a token.</summary>
public sealed class WebOidcClaimsTests
{
    private static readonly WebOidcSettings Entra = new()
    {
        Authority = "https://login.microsoftonline.com/tenant/v2.0",
        ClientId = "listes360",
        RoleClaim = "roles",
        SubjectClaim = "oid",
        FinessClaim = "extension_finess",
        Department = "61",
        Roles = new() { ["Listes360.Direction"] = "esms-director", ["Listes360.Conseiller"] = "territorial-staff" },
    };

    private static (Listes360.Domain.Security.Caller? Caller, string? Error) CallerOf(params (string Type, string Value)[] claims)
    {
        var (identity, error) = WebOidcClaims.Map(claims.Select(c => new Claim(c.Type, c.Value)), Entra);
        return identity is null ? (null, error) : Listes360Claims.ToCaller(new ClaimsPrincipal(identity));
    }

    [Fact]
    public void A_director_gets_their_role_FINESS_and_the_deployments_departement()
    {
        var (caller, error) = CallerOf(("oid", "a1b2"), ("name", "Claire Martin"), ("roles", "Listes360.Direction"), ("roles", "AutreAppli.Lecteur"),
            ("extension_finess", "610000010, 610000028"));
        Assert.Null(error);
        Assert.Equal(Listes360.Domain.Security.Role.EsmsDirector, caller!.Role);
        Assert.Equal("Claire Martin", caller.Subject);
        Assert.Equal(["610000010", "610000028"], caller.Finess);
        Assert.Equal("61", caller.Department);
        Assert.Null(caller.Territory);
    }

    [Fact]
    public void A_conseiller_keeps_the_providers_departement_and_territory_and_a_role_already_named_as_Listes360_passes()
    {
        var (caller, error) = CallerOf(("oid", "c3"), ("roles", "territorial-staff"), ("department", "14"), ("territory", "200065563"));
        Assert.Null(error);
        Assert.Equal(Listes360.Domain.Security.Role.TerritorialStaff, caller!.Role);
        Assert.Equal("c3", caller.Subject); // no name: the subject is written in the audit trail
        Assert.Equal(("14", "200065563"), (caller.Department, caller.Territory));
    }

    [Fact]
    public void No_Listes360_role_two_roles_or_no_subject_are_refused_in_French()
    {
        Assert.Contains("aucun rôle Listes360", CallerOf(("oid", "x"), ("roles", "AutreAppli.Lecteur")).Error);
        Assert.Contains("plusieurs rôles", CallerOf(("oid", "x"), ("roles", "Listes360.Direction"), ("roles", "Listes360.Conseiller")).Error);
        Assert.Contains("identifiant de compte", CallerOf(("roles", "Listes360.Conseiller")).Error);
    }

    [Fact]
    public void Settings_that_cannot_work_are_refused_at_start_in_French()
    {
        Assert.Null(new WebOidcSettings().Problem()); // off
        Assert.Contains("ClientId", new WebOidcSettings { Authority = "https://idp.example" }.Problem());
        Assert.Contains("n'est pas une adresse", new WebOidcSettings { Authority = "idp", ClientId = "c" }.Problem());
        Assert.Contains("n'est pas un rôle Listes360",
            new WebOidcSettings { Authority = "https://idp.example", ClientId = "c", Roles = new() { ["Chef"] = "chef" } }.Problem());
    }
}
