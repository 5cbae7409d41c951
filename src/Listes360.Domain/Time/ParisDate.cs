namespace Listes360.Domain.Time;

/// <summary>
/// "Today" for the service: the date in Europe/Paris (where requests, orientations and places are
/// dated by the people who enter them), read from one clock, the <see cref="TimeProvider"/> the host
/// registers (tests set it). Not UTC (between 22:00 or 23:00 UTC and midnight UTC the date in France
/// is already the next day) and not the machine's local zone (a server may run in UTC).
/// </summary>
public static class ParisDate
{
    /// <summary>The Europe/Paris time zone (IANA id; .NET maps it on Windows too).</summary>
    public static TimeZoneInfo Zone { get; } = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");

    /// <summary>The Europe/Paris date of an instant.</summary>
    public static DateOnly Of(DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, Zone).DateTime);

    /// <summary>Today in Europe/Paris, from <paramref name="clock"/>.</summary>
    public static DateOnly Today(TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        return Of(clock.GetUtcNow());
    }
}
