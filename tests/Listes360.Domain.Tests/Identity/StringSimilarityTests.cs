using Listes360.Domain.Identity;

namespace Listes360.Domain.Tests.Identity;

public class StringSimilarityTests
{
    [Theory]
    [InlineData("MARTHA", "MARHTA", 0.961)]
    [InlineData("DWAYNE", "DUANE", 0.840)]
    [InlineData("DIXON", "DICKSONX", 0.813)]
    [InlineData("JONES", "JOHNSON", 0.832)]
    [InlineData("abc", "abc", 1.0)]
    [InlineData("abc", "xyz", 0.0)]
    public void Jaro_winkler_known_values(string a, string b, double expected) =>
        Assert.Equal(expected, StringSimilarity.JaroWinkler(a, b), 3);

    [Theory]
    [InlineData("MARTHA", "MARHTA", 0.944)]
    [InlineData("DWAYNE", "DUANE", 0.822)]
    public void Jaro_known_values(string a, string b, double expected) =>
        Assert.Equal(expected, StringSimilarity.Jaro(a, b), 3);

    [Fact]
    public void Empty_strings()
    {
        Assert.Equal(1.0, StringSimilarity.JaroWinkler("", ""));
        Assert.Equal(0.0, StringSimilarity.JaroWinkler("a", ""));
    }

    [FsCheck.Xunit.Property]
    public bool Jaro_winkler_is_symmetric_and_bounded(string? a, string? b)
    {
        a ??= "";
        b ??= "";
        var x = StringSimilarity.JaroWinkler(a, b);
        var y = StringSimilarity.JaroWinkler(b, a);
        return Math.Abs(x - y) < 1e-12 && x >= 0 && x <= 1 + 1e-12;
    }

    [FsCheck.Xunit.Property]
    public bool Identical_strings_score_one(string? a) => StringSimilarity.JaroWinkler(a ?? "", a ?? "") == 1.0;

    [Fact]
    public void Token_similarity_handles_word_order()
    {
        Assert.True(StringSimilarity.TokenJaroWinkler(["rue", "victor", "hugo"], ["victor", "hugo", "rue"]) > 0.99);
        Assert.True(StringSimilarity.TokenJaroWinkler(["rue", "victor", "hugo"], ["avenue", "foch"]) < 0.8);
    }
}
