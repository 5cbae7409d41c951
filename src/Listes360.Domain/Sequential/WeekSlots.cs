using System.Numerics;
using Listes360.Domain.Registry;

namespace Listes360.Domain.Sequential;

/// <summary>Which part of a day a declaration or a need covers.</summary>
public enum DayPart
{
    /// <summary>The whole day (both half-days; day and night for the internat).</summary>
    FullDay = 0,
    Morning = 1,
    Afternoon = 2,
}

/// <summary>
/// The week as 14 half-days, Monday morning first: a set of half-days is a 14-bit mask (bit
/// <c>2 × day + 1</c> is the afternoon, day 0 Monday … 6 Sunday). Sequential placements are weekly
/// patterns, so masks are compared with bit operations, which keeps the search fast.
/// </summary>
public static class WeekSlots
{
    public const int HalfDaysPerWeek = 14;
    public const int FullWeek = (1 << HalfDaysPerWeek) - 1;

    /// <summary>Monday first, as French planning tables are.</summary>
    public static readonly IReadOnlyList<DayOfWeek> Week =
        [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday, DayOfWeek.Saturday, DayOfWeek.Sunday];

    private static readonly string[] DayNames = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"];

    public static int DayIndex(DayOfWeek day) => ((int)day + 6) % 7;

    /// <summary>The mask of one weekday's part.</summary>
    public static int Mask(DayOfWeek day, DayPart part)
    {
        if (!Enum.IsDefined(day))
            throw new DomainException("INVALID_WEEKDAY", $"Jour de la semaine inconnu ({(int)day}).", "weekday");
        var morning = 1 << (2 * DayIndex(day));
        return part switch
        {
            DayPart.Morning => morning,
            DayPart.Afternoon => morning << 1,
            DayPart.FullDay => morning | (morning << 1),
            _ => throw new DomainException("INVALID_DAY_PART", $"Partie de journée inconnue ({(int)part}).", "part"),
        };
    }

    /// <summary>
    /// Whether places of this modality are counted by half-day. The internat and the accueil
    /// temporaire count whole days (a night goes with its day); day attendance and services count
    /// half-days, as ESMS attendance registers do.
    /// </summary>
    public static bool UsesHalfDays(this Modality modality) => modality is not (Modality.Residential or Modality.Temporary);

    public static int Count(int mask) => BitOperations.PopCount((uint)(mask & FullWeek));

    /// <summary>The days (bit = day index) whose two half-days are both in <paramref name="mask"/>.</summary>
    public static int WholeDays(int mask)
    {
        var days = 0;
        for (var d = 0; d < 7; d++)
            if (((mask >> (2 * d)) & 3) == 3)
                days |= 1 << d;
        return days;
    }

    /// <summary>How many days of the week have at least one half-day in <paramref name="mask"/>.</summary>
    public static int DaysTouched(int mask)
    {
        var days = 0;
        for (var d = 0; d < 7; d++)
            if (((mask >> (2 * d)) & 3) != 0)
                days++;
        return days;
    }

    /// <summary>The half-day mask of a set of days (bit = day index).</summary>
    public static int FromDays(int days)
    {
        var mask = 0;
        for (var d = 0; d < 7; d++)
            if ((days & (1 << d)) != 0)
                mask |= 3 << (2 * d);
        return mask;
    }

    /// <summary>The half-day indexes of a mask, Monday morning first.</summary>
    public static IEnumerable<int> HalfDays(int mask)
    {
        for (var h = 0; h < HalfDaysPerWeek; h++)
            if ((mask & (1 << h)) != 0)
                yield return h;
    }

    /// <summary>One half-day's French label, e.g. « mardi après-midi ».</summary>
    public static string HalfDayLabel(int halfDay) => $"{DayNames[halfDay / 2]} {(halfDay % 2 == 0 ? "matin" : "après-midi")}";

    /// <summary>
    /// A mask in French, whole days by name and half-days by name and part: « lundi, mardi, mercredi
    /// matin ».
    /// </summary>
    public static string Label(int mask)
    {
        var parts = new List<string>();
        for (var d = 0; d < 7; d++)
        {
            var bits = (mask >> (2 * d)) & 3;
            if (bits == 3) parts.Add(DayNames[d]);
            else if (bits == 1) parts.Add(DayNames[d] + " matin");
            else if (bits == 2) parts.Add(DayNames[d] + " après-midi");
        }
        return parts.Count == 0 ? "aucun jour" : string.Join(", ", parts);
    }

    /// <summary>The (weekday, part) pairs of a mask, whole days as <see cref="DayPart.FullDay"/>.</summary>
    public static IEnumerable<(DayOfWeek Day, DayPart Part)> Parts(int mask)
    {
        for (var d = 0; d < 7; d++)
        {
            var bits = (mask >> (2 * d)) & 3;
            if (bits == 0) continue;
            yield return (Week[d], bits switch { 3 => DayPart.FullDay, 1 => DayPart.Morning, _ => DayPart.Afternoon });
        }
    }
}
