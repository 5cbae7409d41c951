using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Listes360.Domain.Identity;

/// <summary>How two birth dates agree, from best to worst.</summary>
public enum DateAgreement
{
    /// <summary>One or both dates unknown: no evidence.</summary>
    Missing,
    /// <summary>Same day, month and year.</summary>
    Exact,
    /// <summary>Day and month swapped (03/04 vs 04/03), same year: a common entry error.</summary>
    DayMonthSwapped,
    /// <summary>One digit differs (a typo).</summary>
    OneDigit,
    /// <summary>Two adjacent digits swapped (1987 vs 1978).</summary>
    Transposed,
    /// <summary>Same year and month, other day.</summary>
    SameYearMonth,
    /// <summary>Nothing of the above.</summary>
    Different,
}

/// <summary>Birth dates: parsing of the accepted formats and comparison tolerant of entry errors.</summary>
public static class BirthDates
{
    private static readonly string[] Formats =
    [
        "yyyy-MM-dd", "yyyy-M-d", "dd/MM/yyyy", "d/M/yyyy", "yyyyMMdd", "dd-MM-yyyy", "d-M-yyyy", "dd.MM.yyyy",
        "yyyy/MM/dd",
    ];

    /// <summary>
    /// Parses <c>YYYY-MM-DD</c>, <c>DD/MM/YYYY</c> or <c>YYYYMMDD</c> (also <c>DD-MM-YYYY</c>,
    /// <c>DD.MM.YYYY</c>, <c>YYYY/MM/DD</c>) into the canonical <c>YYYYMMDD</c>. The date must exist
    /// and be between 1900 and <paramref name="today"/>.
    /// </summary>
    public static bool TryParse(string? text, DateOnly today, [NotNullWhen(true)] out string? canonical, [NotNullWhen(false)] out string? error)
    {
        canonical = null;
        var value = text?.Trim() ?? "";
        if (value.Length == 0)
        {
            error = "date de naissance vide";
            return false;
        }
        // Spreadsheets sometimes add a time: « 03/04/1987 00:00:00 ».
        var space = value.IndexOf(' ');
        if (space > 0) value = value[..space];
        if (!DateOnly.TryParseExact(value, Formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            error = $"date de naissance « {text} » illisible : formats acceptés AAAA-MM-JJ, JJ/MM/AAAA ou AAAAMMJJ";
            return false;
        }
        if (date.Year < 1900 || date > today)
        {
            error = $"date de naissance « {text} » hors limites (entre 1900 et aujourd'hui)";
            return false;
        }
        canonical = date.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        error = null;
        return true;
    }

    /// <summary>True when <paramref name="value"/> is 8 ASCII digits (the canonical form).</summary>
    public static bool IsCanonical(string? value) =>
        value is { Length: 8 } && value.All(char.IsAsciiDigit);

    /// <summary>Compares two canonical dates (8 digits); anything else counts as missing.</summary>
    public static DateAgreement Compare(string? a, string? b)
    {
        if (a is not { Length: 8 } || b is not { Length: 8 }) return DateAgreement.Missing;
        if (string.Equals(a, b, StringComparison.Ordinal)) return DateAgreement.Exact;
        if (a.AsSpan(0, 4).SequenceEqual(b.AsSpan(0, 4)) && a.AsSpan(4, 2).SequenceEqual(b.AsSpan(6, 2)) && a.AsSpan(6, 2).SequenceEqual(b.AsSpan(4, 2)))
        {
            return DateAgreement.DayMonthSwapped;
        }
        var first = -1;
        var differences = 0;
        for (var i = 0; i < 8; i++)
        {
            if (a[i] == b[i]) continue;
            if (differences == 0) first = i;
            differences++;
        }
        if (differences == 1) return DateAgreement.OneDigit;
        if (differences == 2 && first < 7 && a[first] == b[first + 1] && a[first + 1] == b[first]) return DateAgreement.Transposed;
        if (a.AsSpan(0, 6).SequenceEqual(b.AsSpan(0, 6))) return DateAgreement.SameYearMonth;
        return DateAgreement.Different;
    }

    /// <summary>
    /// Same day and month, the year one digit away or with two adjacent digits swapped (1990 / 1997,
    /// 2022 / 2023, 1987 / 1978): a typo, or two homonyms born the same day of different years.
    /// </summary>
    public static bool YearOnlyDiffers(string? a, string? b)
    {
        if (a is not { Length: 8 } || b is not { Length: 8 }) return false;
        if (!a.AsSpan(4).SequenceEqual(b.AsSpan(4)) || a.AsSpan(0, 4).SequenceEqual(b.AsSpan(0, 4))) return false;
        var agreement = Compare(a, b);
        return agreement is DateAgreement.OneDigit or DateAgreement.Transposed;
    }

    /// <summary>Whole years between the two birth years (0 when either date is unknown).</summary>
    public static int YearsApart(string? a, string? b)
    {
        if (a is not { Length: 8 } || b is not { Length: 8 }) return 0;
        if (!int.TryParse(a.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var x)
            || !int.TryParse(b.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var y)) return 0;
        return Math.Abs(x - y);
    }
}
