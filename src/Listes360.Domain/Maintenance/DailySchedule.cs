namespace Listes360.Domain.Maintenance;

/// <summary>When a daily pass falls: at a local hour of a time zone, whatever the daylight saving time.</summary>
public static class DailySchedule
{
    /// <summary>How long from <paramref name="now"/> until the next <paramref name="localHour"/>:00 in <paramref name="zone"/> (never zero: today's if still ahead, else tomorrow's).</summary>
    public static TimeSpan DueIn(DateTimeOffset now, TimeZoneInfo zone, int localHour)
    {
        RequireHour(localHour);
        var local = TimeZoneInfo.ConvertTime(now, zone);
        for (var day = 0; day <= 2; day++)
        {
            var wall = local.Date.AddDays(day).AddHours(localHour);
            // An hour skipped by the spring change does not exist: the pass runs an hour later that day.
            if (zone.IsInvalidTime(wall))
                wall = wall.AddHours(1);
            var at = new DateTimeOffset(wall, zone.GetUtcOffset(wall));
            if (at > now)
                return at - now;
        }
        throw new InvalidOperationException("Unreachable: a daily hour falls within two days.");
    }

    /// <summary>Whether <paramref name="now"/> is more than half an hour from <paramref name="localHour"/>:00 in <paramref name="zone"/> (a daily period counted in UTC drifted across a change of time).</summary>
    public static bool HasDrifted(DateTimeOffset now, TimeZoneInfo zone, int localHour)
    {
        RequireHour(localHour);
        var offset = Math.Abs((TimeZoneInfo.ConvertTime(now, zone).TimeOfDay - TimeSpan.FromHours(localHour)).TotalMinutes);
        return Math.Min(offset, 24 * 60 - offset) > 30;
    }

    public static void RequireHour(int localHour)
    {
        if (localHour is < 0 or > 23)
            throw new DomainException("INVALID_DAILY_HOUR", $"Heure de la passe quotidienne invalide ({localHour}) : une heure entre 0 et 23 est attendue (Maintenance:DailyHour).", "dailyHour");
    }
}
