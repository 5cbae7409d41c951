using System.Text;

namespace Listes360.Domain.Persons;

/// <summary>
/// The one rule for comparing MDPH file numbers (n° de dossier MDPH), whatever their notation: lists
/// write the same file « 61-012345 », « 61 012345 », « 61.012345 », « 012345 », « 12345 » or
/// « 61-2019-01234 » / « 61201901234 ». <see cref="Normalize"/> gives one canonical text per file:
/// <c>61-12345</c> when the département is known (written as a prefix, or given by the caller: the
/// département whose lists are read), <c>12345</c> otherwise; <see cref="SameFile"/> compares two
/// canonical texts (the département, when known on both sides, must agree). Used by the identity engine
/// (strong keys, blocking, scoring) and by the departmental list's search.
/// </summary>
/// <remarks>
/// Reading, on the letters and digits (upper case) split at any other character:
/// <list type="number">
/// <item>a first group that is a département code (<c>01</c>–<c>95</c>, <c>2A</c>, <c>2B</c>, <c>971</c>–<c>976</c>)
/// followed by other groups is the département (« 61-012345 », « 61 2019 01234 »);</item>
/// <item>a single group starting with the caller's département, or without a caller's département with
/// a code <c>10</c>–<c>95</c> or <c>97x</c>, followed by at least 5 more characters, is that prefix glued
/// (« 61012345 », « 61201901234 »); <c>01</c>–<c>09</c> glued are read as leading zeros unless the caller says
/// the département is that one;</item>
/// <item>the rest, groups joined, is the number, leading zeros dropped (« 012345 » = « 12345 »).</item>
/// </list>
/// Two numbers of different départements are different files (a person may have had a file in another
/// MDPH); a number without département equals the same number with one.
/// </remarks>
public static class MdphFileNumber
{
    /// <summary>The canonical text (« 61-12345 » or « 12345 »), or null when there is no letter or digit.</summary>
    /// <param name="value">The number as written.</param>
    /// <param name="department">The département the number was written in (« 61 »), when the caller knows it.</param>
    public static string? Normalize(string? value, string? department = null)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var groups = new List<string>(3);
        var current = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                current.Append(char.ToUpperInvariant(c));
            }
            else if (current.Length > 0)
            {
                groups.Add(current.ToString());
                current.Clear();
            }
        }
        if (current.Length > 0) groups.Add(current.ToString());
        if (groups.Count == 0) return null;

        var context = NormalizeDepartment(department);
        string? prefix = null;
        string rest;
        if (groups.Count > 1 && IsDepartment(groups[0]))
        {
            prefix = groups[0];
            rest = string.Concat(groups.Skip(1));
        }
        else
        {
            var all = string.Concat(groups);
            var glued = GluedPrefix(all, context);
            if (glued is not null)
            {
                prefix = glued;
                rest = all[glued.Length..];
            }
            else
            {
                rest = all;
            }
        }
        var number = rest.TrimStart('0');
        if (number.Length == 0) number = "0";
        var dept = prefix ?? context;
        return dept is null ? number : $"{dept}-{number}";
    }

    /// <summary>
    /// The number part of a canonical text, without its département (« 61-12345 » → « 12345 »): the key
    /// that brings two notations of one file together (blocking, search index).
    /// </summary>
    public static string NumberPart(string canonical)
    {
        ArgumentNullException.ThrowIfNull(canonical);
        var dash = canonical.IndexOf('-', StringComparison.Ordinal);
        return dash < 0 ? canonical : canonical[(dash + 1)..];
    }

    /// <summary>The département of a canonical text, or null when unknown.</summary>
    public static string? DepartmentPart(string canonical)
    {
        ArgumentNullException.ThrowIfNull(canonical);
        var dash = canonical.IndexOf('-', StringComparison.Ordinal);
        return dash < 0 ? null : canonical[..dash];
    }

    /// <summary>
    /// Whether two canonical texts (<see cref="Normalize"/>) are the same file: same number, and the same
    /// département when both are known. False when either is null.
    /// </summary>
    public static bool SameFile(string? a, string? b)
    {
        if (a is null || b is null) return false;
        if (string.Equals(a, b, StringComparison.Ordinal)) return true;
        if (!string.Equals(NumberPart(a), NumberPart(b), StringComparison.Ordinal)) return false;
        var (da, db) = (DepartmentPart(a), DepartmentPart(b));
        return da is null || db is null;
    }

    /// <summary>Normalises both sides (<see cref="Normalize"/>) and compares them (<see cref="SameFile"/>).</summary>
    public static bool SameFile(string? a, string? b, string? department) =>
        SameFile(Normalize(a, department), Normalize(b, department));

    /// <summary>
    /// Whether a typed word reads as an MDPH number: at least 5 digits and, separators aside, digits
    /// only (or 2A / 2B then digits) — « 61-2019-01234 », « 012345 », not « Zorglub1a2b3c4 ».
    /// </summary>
    public static bool LooksLikeOne(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return false;
        var kept = new string(text.Where(char.IsAsciiLetterOrDigit).Select(char.ToUpperInvariant).ToArray());
        if (kept.StartsWith("2A", StringComparison.Ordinal) || kept.StartsWith("2B", StringComparison.Ordinal)) kept = kept[2..];
        return kept.Length >= 5 && kept.All(char.IsAsciiDigit) && text.All(c => char.IsAsciiLetterOrDigit(c) || c is ' ' or '-' or '.' or '/' or '_');
    }

    /// <summary>A département code: 01–95, 2A, 2B, 971–976.</summary>
    public static bool IsDepartment(string code) => code switch
    {
        { Length: 2 } when code == "2A" || code == "2B" => true,
        { Length: 2 } when char.IsAsciiDigit(code[0]) && char.IsAsciiDigit(code[1]) => code != "00" && code != "20" && string.CompareOrdinal(code, "95") <= 0,
        { Length: 3 } => code is "971" or "972" or "973" or "974" or "976",
        _ => false,
    };

    private static string? NormalizeDepartment(string? department)
    {
        if (string.IsNullOrWhiteSpace(department)) return null;
        var code = department.Trim().ToUpperInvariant();
        return IsDepartment(code) ? code : null;
    }

    private static string? GluedPrefix(string all, string? context)
    {
        const int minimumRest = 5;
        if (context is not null)
        {
            return all.Length >= context.Length + minimumRest && all.StartsWith(context, StringComparison.Ordinal) ? context : null;
        }
        if (all.Length >= 3 + minimumRest && all.StartsWith("97", StringComparison.Ordinal) && IsDepartment(all[..3])) return all[..3];
        if (all.Length >= 2 + minimumRest && all[0] != '0' && IsDepartment(all[..2])) return all[..2];
        return null;
    }
}
