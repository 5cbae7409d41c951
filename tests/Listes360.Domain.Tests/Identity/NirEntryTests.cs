using Listes360.Domain.Identity;
using Listes360.Domain.Persons;

namespace Listes360.Domain.Tests.Identity;

/// <summary>The one rule for a NIR given with a person, through the API (key required) or a list (key optional).</summary>
public class NirEntryTests
{
    private static readonly NirHasher Hasher = NirHasher.FromText("un secret départemental de test, assez long");

    [Fact]
    public void No_nir_is_no_hash_and_no_refusal() =>
        Assert.Equal((null, null, null), NirEntry.Read(null, null, keyOptional: false));

    [Fact]
    public void Without_the_departmental_secret_a_nir_is_refused_whatever_the_way_in()
    {
        Assert.Equal(NirEntry.HashingUnavailable, NirEntry.Read("184127645108946", null, keyOptional: false).Code);
        Assert.Equal(NirEntry.HashingUnavailable, NirEntry.Read("1841276451089", null, keyOptional: true).Code);
    }

    [Fact]
    public void A_list_may_omit_the_key_a_user_may_not()
    {
        var typed = NirEntry.Read("184127645108946", Hasher, keyOptional: false);
        var listed = NirEntry.Read("1841276451089", Hasher, keyOptional: true);
        var refused = NirEntry.Read("1841276451089", Hasher, keyOptional: false);

        Assert.NotNull(typed.Hash);
        Assert.Equal(typed.Hash, listed.Hash);
        Assert.Equal((NirEntry.Invalid, "Le NIR doit compter 15 caractères, clé comprise (la saisie en compte 13)."), (refused.Code, refused.Error));
    }

    [Fact]
    public void A_wrong_key_is_refused_with_its_reason()
    {
        var (hash, code, error) = NirEntry.Read("184127645108947", Hasher, keyOptional: true);

        Assert.Null(hash);
        Assert.Equal(NirEntry.Invalid, code);
        Assert.Contains("clé de contrôle", error, StringComparison.Ordinal);
    }
}
