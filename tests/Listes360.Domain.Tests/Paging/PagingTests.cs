using Listes360.Domain.Paging;

namespace Listes360.Domain.Tests.Paging;

public sealed class PagingTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(50)]
    [InlineData(200)]
    public void A_page_size_within_the_limits_is_kept(int first) => Assert.Equal(first, PageLimits.Check(first));

    [Theory]
    [InlineData(0, 200)]
    [InlineData(-1, 200)]
    [InlineData(201, 200)]
    [InlineData(1001, 1000)]
    public void A_page_size_outside_the_limits_is_refused_on_first(int first, int max)
    {
        var e = Assert.Throws<DomainException>(() => PageLimits.Check(first, max));
        Assert.Equal("INVALID_PAGE_SIZE", e.Code);
        Assert.Equal("first", e.Field);
        Assert.Contains($"(reçu : {first})", e.Message);
        Assert.Contains(max == 1000 ? "1 000" : "200", e.Message);
    }

    [Theory]
    [InlineData("61-4f0c9a")]
    [InlineData("2025T4/é|clé")]
    [InlineData("")]
    public void A_cursor_gives_back_its_key(string key) => Assert.Equal(key, Cursor.Decode(Cursor.Encode(key)));

    [Fact]
    public void A_cursor_is_opaque_and_a_forged_one_is_refused_on_after()
    {
        Assert.NotEqual("61-4f0c9a", Cursor.Encode("61-4f0c9a"));
        var e = Assert.Throws<DomainException>(() => Cursor.Decode("not base64!"));
        Assert.Equal(("INVALID_CURSOR", "after"), (e.Code, e.Field));
    }
}
