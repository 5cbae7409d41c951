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

    [Fact]
    public void The_admin_and_the_service_itself_are_not_limited_by_keys()
    {
        Assert.Null(AccessPolicy.Deny(new Caller("a", Role.Admin, [], null, null), [Role.Admin], KeyScope.Finess, "140000019"));
        Assert.Null(AccessPolicy.Deny(Caller.ServiceItself, [Role.Admin], KeyScope.Department, "14"));
    }
}
