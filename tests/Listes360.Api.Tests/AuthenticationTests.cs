using Listes360.Api.Security;
using Listes360.Domain.Security;

namespace Listes360.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class AuthenticationTests(ApiFixture api)
{
    private const string Query = "{ __typename }";

    [Fact]
    public async Task No_token_gets_401_with_a_french_reason()
    {
        var response = await api.PostAsync(Query, token: "");

        Assert.Equal(401, response.Status);
        Assert.Equal("UNAUTHENTICATED", response.FirstErrorCode);
        Assert.Contains("Authorization: Bearer", response.FirstError.GetProperty("message").GetString());
    }

    [Fact]
    public async Task An_expired_token_gets_401()
    {
        var expired = DevTokens.Mint(api.Auth, "x", Role.Admin, [], "61", null, TimeSpan.FromMinutes(5), DateTimeOffset.UtcNow.AddHours(-2));

        var response = await api.PostAsync(Query, token: expired);

        Assert.Equal(401, response.Status);
        Assert.Contains("expiré", response.FirstError.GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_token_signed_with_another_key_gets_401()
    {
        var forged = DevTokens.Mint(new AuthSettings { SigningKey = DevTokens.NewSigningKey() }, "x", Role.Admin, [], "61", null, TimeSpan.FromMinutes(5));

        var response = await api.PostAsync(Query, token: forged);

        Assert.Equal(401, response.Status);
        Assert.Contains("signature", response.FirstError.GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_token_for_another_audience_gets_401()
    {
        var elsewhere = DevTokens.Mint(api.Auth, "x", Role.Admin, [], "61", null, TimeSpan.FromMinutes(5), audience: "autre-service");

        var response = await api.PostAsync(Query, token: elsewhere);

        Assert.Equal(401, response.Status);
        Assert.Contains("audience", response.FirstError.GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_garbage_token_gets_401()
    {
        var response = await api.PostAsync(Query, token: "pas.un.jeton");

        Assert.Equal(401, response.Status);
        Assert.Equal("UNAUTHENTICATED", response.FirstErrorCode);
        var message = response.FirstError.GetProperty("message").GetString()!;
        Assert.Contains("illisible", message);
        // The library's own diagnostics (IDX… codes, in English) stay in the server's log.
        Assert.DoesNotContain("IDX", message);
    }

    [Fact]
    public async Task A_token_without_a_signature_gets_401_in_french()
    {
        var token = api.Token(Role.Admin);
        var unsigned = token[..(token.LastIndexOf('.') + 1)];

        var response = await api.PostAsync(Query, token: unsigned);

        Assert.Equal(401, response.Status);
        Assert.DoesNotContain("IDX", response.FirstError.GetProperty("message").GetString()!);
    }

    [Fact]
    public async Task Health_stays_open_without_a_token()
    {
        using var response = await api.Client.GetAsync("/health");

        Assert.Equal(200, (int)response.StatusCode);
    }

    [Fact]
    public async Task A_director_changes_the_places_of_their_own_esms_only()
    {
        await api.PostAsync("""mutation { registerEsms(input: {finess: "610000135", name: "IME A", category: "183"}) { esms { finess } } }""");
        await api.PostAsync("""mutation { registerEsms(input: {finess: "610000051", name: "IME B", category: "183"}) { esms { finess } } }""");
        var director = api.Token(Role.EsmsDirector, "610000135");
        const string set = """mutation($f: String!) { setEsmsPlaces(input: {finess: $f, modality: NON_RESIDENTIAL, capacity: 10, occupied: 4}) { esms { version } } }""";

        var own = await api.PostAsync(set, new { f = "610000135" }, token: director);
        var other = await api.PostAsync(set, new { f = "610000051" }, token: director);

        Assert.False(own.HasErrors, own.Body);
        Assert.Equal("FORBIDDEN", other.FirstErrorCode);
        Assert.Contains("610000051", other.FirstError.GetProperty("message").GetString());
        var read = await api.PostAsync("""{ esms(finess: "610000051") { places { capacity } version } }""");
        Assert.Equal(0, read.Data.GetProperty("esms").GetProperty("places").GetArrayLength());
        Assert.Equal(1, read.Data.GetProperty("esms").GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task Only_the_admin_registers_an_esms()
    {
        var response = await api.PostAsync("""mutation { registerEsms(input: {finess: "610000143", name: "IME C", category: "183"}) { esms { finess } } }""",
            token: api.Token(Role.TerritorialStaff));

        Assert.Equal("FORBIDDEN", response.FirstErrorCode);
        var read = await api.PostAsync("""{ esms(finess: "610000143") { name } }""");
        Assert.Equal(System.Text.Json.JsonValueKind.Null, read.Data.GetProperty("esms").ValueKind);
    }

    [Fact]
    public async Task A_staff_of_another_departement_cannot_read_an_orne_esms()
    {
        await api.PostAsync("""mutation { registerEsms(input: {finess: "610000150", name: "IME D", category: "183"}) { esms { finess } } }""");
        var calvados = DevTokens.Mint(api.Auth, "x", Role.TerritorialStaff, [], "14", null, TimeSpan.FromMinutes(5));

        var response = await api.PostAsync("""{ esms(finess: "610000150") { name } }""", token: calvados);

        Assert.Equal("FORBIDDEN", response.FirstErrorCode);
        Assert.Contains("département 61", response.FirstError.GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_token_with_an_unknown_role_gets_403()
    {
        var handler = new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler();
        var token = handler.CreateToken(new Microsoft.IdentityModel.Tokens.SecurityTokenDescriptor
        {
            Issuer = api.Auth.Issuer,
            Audience = api.Auth.Audience,
            Expires = DateTime.UtcNow.AddMinutes(5),
            Claims = new Dictionary<string, object> { ["role"] = "superuser", ["sub"] = "x" },
            SigningCredentials = new Microsoft.IdentityModel.Tokens.SigningCredentials(DevTokens.Key(api.Auth.SigningKey!), "HS256"),
        });

        var response = await api.PostAsync(Query, token: token);

        Assert.Equal(403, response.Status);
        Assert.Equal("FORBIDDEN", response.FirstErrorCode);
        Assert.Contains("superuser", response.FirstError.GetProperty("message").GetString());
    }
}
