using System.Text;
using FsCheck;
using FsCheck.Xunit;
using Listes360.Domain.Persons;

namespace Listes360.Domain.Tests.Persons;

public class NirTests
{
    private static readonly NirHasher Hasher = new(Encoding.UTF8.GetBytes("un secret départemental de test, assez long"));

    /// <summary>Builds a valid NIR from its 13 first characters.</summary>
    internal static string WithKey(string first13) => first13 + Nir.ControlKey(first13).ToString("00");

    [Theory]
    // Key 97 − (1 84 12 76 451 089 mod 97): a worked example.
    [InlineData("184127645108946")]
    [InlineData("2 84 12 76 451 089 ..")]
    public void Accepts_valid_nirs(string input)
    {
        var value = input.Contains("..") ? WithKey("2841276451089") : input;
        Assert.True(Nir.TryParse(value, out var nir, out var error), error);
        Assert.NotNull(nir);
    }

    [Fact]
    public void Computes_the_key_of_a_known_example() => Assert.Equal(46, Nir.ControlKey("1841276451089"));

    [Fact]
    public void Corsica_counts_2A_as_19_and_2B_as_18()
    {
        Assert.Equal(Nir.ControlKey("1840519004123"), Nir.ControlKey("184052A004123"));
        Assert.Equal(Nir.ControlKey("1840518004123"), Nir.ControlKey("184052B004123"));
        Assert.NotNull(Nir.Parse(WithKey("184052A004123")));
        Assert.NotNull(Nir.Parse(WithKey("184052b004123")));
    }

    [Theory]
    [InlineData("18412764510894", "15 caractères")]
    [InlineData("1841276451089466", "15 caractères")]
    [InlineData("18412764510X946", "position 12")]
    [InlineData("384127645108946", "commencer par 1 ou 2")]
    [InlineData("184157645108946", "mois de naissance")]
    [InlineData("184127645108947", "clé de contrôle")]
    public void Refuses_invalid_nirs_without_echoing_them(string input, string messagePart)
    {
        var ex = Assert.Throws<DomainException>(() => Nir.Parse(input));
        Assert.Equal("INVALID_NIR", ex.Code);
        Assert.Equal("nir", ex.Field);
        Assert.Contains(messagePart, ex.Message);
        Assert.DoesNotContain(input, ex.Message);
        Assert.DoesNotContain(input[..13], ex.Message);
    }

    [Fact]
    public void ToString_is_masked()
    {
        var nir = Nir.Parse("184127645108946");
        Assert.DoesNotContain("1841276", nir.ToString());
        Assert.DoesNotContain("1841276", $"{nir}");
    }

    [Fact]
    public void Hash_is_keyed_and_deterministic()
    {
        var nir = Nir.Parse("184127645108946");
        var h1 = Hasher.Hash(nir);
        Assert.Equal(h1, Hasher.Hash(Nir.Parse("1 84 12 76 451 089 46")));
        Assert.Equal(64, h1.Value.Length);
        var other = new NirHasher(Encoding.UTF8.GetBytes("un autre secret départemental, assez long lui aussi"));
        Assert.NotEqual(h1, other.Hash(nir));
        Assert.Equal(h1, NirHash.FromStored(h1.Value));
    }

    [Fact]
    public void Weak_secret_is_refused()
    {
        var ex = Assert.Throws<DomainException>(() => new NirHasher(new byte[16]));
        Assert.Equal("WEAK_NIR_SECRET", ex.Code);
    }

    [Fact]
    public void Stored_hash_must_be_hex() =>
        Assert.Equal("INVALID_NIR_HASH", Assert.Throws<DomainException>(() => NirHash.FromStored("184127645108946")).Code);

    private static string Nir13(int sex, int year, int month, int dep, int commune, int order) =>
        $"{(sex % 2 == 0 ? 2 : 1)}{Math.Abs(year % 100):00}{Math.Abs(month % 12) + 1:00}{Math.Abs(dep % 95) + 1:00}{Math.Abs(commune % 1000):000}{Math.Abs(order % 999) + 1:000}";

    [Property(MaxTest = 300)]
    public bool Any_generated_nir_with_its_key_is_valid(int sex, int year, int month, int dep, int commune, int order) =>
        Nir.TryParse(WithKey(Nir13(sex, year, month, dep, commune, order)), out _, out _);

    [Property(MaxTest = 300)]
    public bool Changing_one_digit_breaks_the_key(int sex, int year, int month, int dep, int commune, int order, NonNegativeInt position, PositiveInt delta)
    {
        var valid = WithKey(Nir13(sex, year, month, dep, commune, order));
        var i = 7 + position.Get % 8; // commune, order or key digits: always digits, never structural
        var changed = (char)('0' + (valid[i] - '0' + 1 + delta.Get % 9) % 10);
        var broken = string.Concat(valid.AsSpan(0, i), changed.ToString(), valid.AsSpan(i + 1));
        return !Nir.TryParse(broken, out _, out _);
    }

    [Property(MaxTest = 300)]
    public bool Hash_never_equals_nor_contains_the_nir(int sex, int year, int month, int dep, int commune, int order)
    {
        var text = WithKey(Nir13(sex, year, month, dep, commune, order));
        var hash = Hasher.Hash(Nir.Parse(text)).Value;
        return hash != text && !hash.Contains(text) && !hash.Contains(text[..13]) && hash.Length == 64;
    }
}
