using Listes360.Domain.Candidatures;

namespace Listes360.Domain.Tests.Candidatures;

public sealed class RequestDatesTests
{
    private static readonly DateOnly Today = new(2026, 11, 23);

    [Fact]
    public void A_request_dated_today_or_before_is_kept()
    {
        Assert.Null(RequestDates.Problem(Today, Today));
        Assert.Equal(new DateOnly(1900, 1, 1), RequestDates.Require(new DateOnly(1900, 1, 1), Today));
    }

    [Fact]
    public void A_request_dated_tomorrow_is_refused_on_requestDate()
    {
        var e = Assert.Throws<DomainException>(() => RequestDates.Require(Today.AddDays(1), Today));
        Assert.Equal(("INVALID_REQUEST_DATE", "requestDate"), (e.Code, e.Field));
        Assert.Equal("La date de la demande (24/11/2026) est postérieure à aujourd'hui (23/11/2026).", e.Message);
    }

    [Fact]
    public void A_request_dated_before_1900_is_refused() =>
        Assert.Contains("1900", RequestDates.Problem(new DateOnly(1899, 12, 31), Today));
}
