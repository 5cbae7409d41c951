using Listes360.Domain.Security;

namespace Listes360.Domain.Tests.Security;

public sealed class AccessPolicyTests
{
    private static readonly Role[] Everyone = [Role.EsmsDirector, Role.TerritorialStaff, Role.MdphReferent, Role.Observatory, Role.Admin];

    [Fact]
    public void A_role_not_listed_is_refused()
    {
        var reason = AccessPolicy.Deny(new Caller("o", Role.Observatory, [], "61", null), [Role.Admin], KeyScope.None, "x");

        Assert.Contains("observatoire", reason);
    }

    [Theory]
    [InlineData("610000010", true)]
    [InlineData("610000085", false)]
    [InlineData("140000019", false)]
    public void A_director_reaches_only_the_finess_of_their_token(string key, bool allowed)
    {
        var director = new Caller("d", Role.EsmsDirector, ["610000010"], null, null);

        Assert.Equal(allowed, AccessPolicy.Deny(director, Everyone, KeyScope.Finess, key) is null);
    }

    [Theory]
    [InlineData("610000010", KeyScope.Finess, true)]
    [InlineData("140000019", KeyScope.Finess, false)]
    [InlineData("61", KeyScope.Department, true)]
    [InlineData("61:p-7f3a", KeyScope.Department, true)]
    [InlineData("14:p-7f3a", KeyScope.Department, false)]
    [InlineData("61-4f0c9a", KeyScope.Department, true)]
    [InlineData("610-4f0c9a", KeyScope.Department, false)]
    [InlineData("61-w3", KeyScope.Department, true)]
    public void Departement_roles_stay_in_their_departement(string key, KeyScope scope, bool allowed)
    {
        var staff = new Caller("s", Role.TerritorialStaff, [], "61", null);

        Assert.Equal(allowed, AccessPolicy.Deny(staff, Everyone, scope, key) is null);
    }

    [Theory]
    [InlineData("61", KeyScope.Department, true)]
    [InlineData("62", KeyScope.Department, false)]
    [InlineData("610000010", KeyScope.Finess, true)]
    [InlineData("620000018", KeyScope.Finess, false)]
    [InlineData("62-4f0c9a", KeyScope.Person, false)]
    public void A_departement_admin_is_bound_to_its_departement(string key, KeyScope scope, bool allowed)
    {
        var admin = new Caller("a", Role.Admin, [], "61", null);

        Assert.Equal(allowed, AccessPolicy.Deny(admin, [Role.Admin], scope, key) is null);
    }

    [Fact]
    public void Only_an_admin_with_the_national_scope_and_the_service_itself_are_not_limited_by_keys()
    {
        Assert.Null(AccessPolicy.Deny(new Caller("n", Role.Admin, [], null, null, National: true), [Role.Admin], KeyScope.Finess, "140000019"));
        Assert.Null(AccessPolicy.Deny(Caller.ServiceItself, [Role.Admin], KeyScope.Department, "14"));

        Assert.Contains("national", AccessPolicy.Deny(new Caller("a", Role.Admin, [], null, null), [Role.Admin], KeyScope.Department, "62"));
        // The national flag means nothing on another role.
        Assert.NotNull(AccessPolicy.Deny(new Caller("s", Role.TerritorialStaff, [], null, null, National: true), Everyone, KeyScope.Department, "62"));
    }

    [Theory]
    [InlineData(null, null, true)]            // no territory named: the whole département, the key's bound
    [InlineData(null, "200000000", false)]    // not an EPCI of the Orne
    [InlineData("{own}", "{own}", true)]
    [InlineData("{own}", "{other}", false)]
    [InlineData(null, "{other}", true)]       // staff of the whole département
    public void A_territory_argument_is_one_of_the_callers(string? tokenTerritory, string? argument, bool allowed)
    {
        var codes = Domain.Territories.TerritoryDirectory.FromEmbedded("61").Territories.Select(t => t.Code).Order(StringComparer.Ordinal).ToList();
        string? Fill(string? v) => v?.Replace("{own}", codes[0]).Replace("{other}", codes[1]);
        var staff = new Caller("s", Role.TerritorialStaff, [], "61", Fill(tokenTerritory));

        Assert.Equal(allowed, AccessPolicy.DenyScope(staff, KeyScope.Territory, Fill(argument)) is null);
    }

    [Fact]
    public void An_argument_is_checked_like_a_key_for_every_role()
    {
        var director = new Caller("d", Role.EsmsDirector, ["610000010"], "61", null);
        var mdph = new Caller("m", Role.MdphReferent, [], "61", null);

        Assert.Null(AccessPolicy.DenyScope(director, KeyScope.Finess, "610000010"));
        Assert.NotNull(AccessPolicy.DenyScope(director, KeyScope.Finess, "610000028"));
        Assert.Null(AccessPolicy.DenyScope(mdph, KeyScope.Person, "61-abc"));
        Assert.Contains("62", AccessPolicy.DenyScope(mdph, KeyScope.Person, "62-abc"));
        Assert.Null(AccessPolicy.DenyScope(mdph, KeyScope.Person, null));
    }

    [Fact]
    public void A_director_sees_only_the_esms_their_token_carries()
    {
        var own = Listes360.Domain.Registry.FinessNumber.WithKey("61000001");
        var other = Listes360.Domain.Registry.FinessNumber.WithKey("61000002");
        var director = new Caller("d", Role.EsmsDirector, [own.Value], "61", null);
        Assert.True(AccessPolicy.CarriesEsms(director, own.Value));
        Assert.False(AccessPolicy.CarriesEsms(director, other.Value));
        Assert.Null(AccessPolicy.DenyOtherEsms(director, own));
        Assert.Contains(other.Value, AccessPolicy.DenyOtherEsms(director, other));
        Assert.Null(AccessPolicy.DenyOtherEsms(new Caller("s", Role.TerritorialStaff, [], "61", null), other));
    }
}
