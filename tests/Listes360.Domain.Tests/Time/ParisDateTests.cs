using Listes360.Domain.Time;

namespace Listes360.Domain.Tests.Time;

public sealed class ParisDateTests
{
    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
        public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
    }

    [Theory]
    [InlineData("2026-11-23T09:00:00Z", "2026-11-23")]
    [InlineData("2026-11-23T22:59:59Z", "2026-11-23")] // winter: UTC+1
    [InlineData("2026-11-23T23:00:00Z", "2026-11-24")]
    [InlineData("2026-07-14T21:59:59Z", "2026-07-14")] // summer: UTC+2
    [InlineData("2026-07-14T22:00:00Z", "2026-07-15")]
    [InlineData("2026-12-31T23:30:00Z", "2027-01-01")]
    public void Today_is_the_Paris_date_of_the_clock_whatever_the_machine_zone(string utc, string expected) =>
        Assert.Equal(DateOnly.Parse(expected), ParisDate.Today(new FixedClock(DateTimeOffset.Parse(utc))));
}
