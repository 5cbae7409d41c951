namespace Listes360.Domain.Geography;

/// <summary>
/// The one rule for the département a code belongs to, whatever the code: a département code typed by
/// a user, a commune INSEE code, a FINESS number, a postcode.
/// <para>
/// Recognised: metropolitan <c>01</c>–<c>95</c> except <c>20</c> (Corsica is <c>2A</c> and <c>2B</c>);
/// overseas, from a 3-digit prefix, the départements <c>971</c>–<c>974</c> and <c>976</c> and the overseas
/// collectivités INSEE and FINESS number like départements: <c>975</c> (Saint-Pierre-et-Miquelon),
/// <c>977</c> (Saint-Barthélemy), <c>978</c> (Saint-Martin), <c>984</c>–<c>988</c> (TAAF, Wallis-et-Futuna,
/// Polynésie française, Nouvelle-Calédonie). Each of these is mapped to its own 3-digit code, never to
/// <c>97</c> or <c>98</c>. Everything else (<c>00</c>, <c>20</c>, <c>96</c>, <c>970</c>, <c>979</c>,
/// <c>980</c>–<c>983</c>, <c>989</c>, <c>99</c>, letters) is refused: the functions answer <c>null</c>.
/// </para>
/// </summary>
public static class DepartmentCodes
{
    /// <summary>
    /// A département code as a user types it (<c>61</c>, <c>2a</c>, <c> 974 </c>), trimmed and upper-cased
    /// (<c>61</c>, <c>2A</c>, <c>974</c>), or <c>null</c> when it is no recognised code.
    /// </summary>
    public static string? Normalize(string? code)
    {
        var value = code?.Trim().ToUpperInvariant() ?? "";
        return Prefix(value) is { } department && department.Length == value.Length ? department : null;
    }

    /// <summary>
    /// A département code given by a user, normalised as <see cref="Normalize"/> does, or the French
    /// refusal (INVALID_DEPARTMENT, field <c>department</c>).
    /// </summary>
    public static string Parse(string? code) =>
        Normalize(code)
        ?? throw new DomainException("INVALID_DEPARTMENT", $"« {code} » n'est pas un code de département (01 à 95, 2A, 2B, 971 à 978, 984 à 988).", "department");

    /// <summary>
    /// The département a code starts with: a commune INSEE code (<c>61001</c> → <c>61</c>, <c>2A004</c> →
    /// <c>2A</c>, <c>97411</c> → <c>974</c>), a FINESS number (<c>610000010</c> → <c>61</c>), a person key;
    /// <c>null</c> when it starts with no recognised code.
    /// </summary>
    public static string? OfCode(string? code) => code is null ? null : Prefix(code.Trim().ToUpperInvariant());

    /// <summary>
    /// The département of a 5-digit postcode: <c>61000</c> → <c>61</c>; Corsica's <c>200xx</c>–<c>201xx</c>
    /// → <c>2A</c> and <c>202xx</c>–<c>206xx</c> → <c>2B</c>; overseas from the 3-digit prefix
    /// (<c>97400</c> → <c>974</c>; Saint-Barthélemy's 97133 and Saint-Martin's 97150 give <c>971</c>, La
    /// Poste's prefix, where their INSEE codes give 977 and 978). <c>null</c> for anything else (Monaco's
    /// <c>980xx</c>, <c>00xxx</c>, a malformed postcode).
    /// </summary>
    public static string? OfPostcode(string? postcode)
    {
        var value = postcode?.Trim() ?? "";
        if (value.Length != 5 || !value.All(char.IsAsciiDigit))
            return null;
        if (value.StartsWith("20", StringComparison.Ordinal))
            return value[2] switch { '0' or '1' => "2A", >= '2' and <= '6' => "2B", _ => null };
        return Prefix(value);
    }

    // The recognised département code at the start of an upper-cased value, or null.
    private static string? Prefix(string value)
    {
        if (value.Length < 2)
            return null;
        if (value[0] == '2' && value[1] is 'A' or 'B')
            return value[..2];
        if (!char.IsAsciiDigit(value[0]) || !char.IsAsciiDigit(value[1]))
            return null;
        var two = (value[0] - '0') * 10 + (value[1] - '0');
        if (two is >= 1 and <= 95 && two != 20)
            return value[..2];
        if (value.Length < 3)
            return null;
        return (two, value[2]) switch
        {
            (97, >= '1' and <= '8') or (98, >= '4' and <= '8') => value[..3],
            _ => null,
        };
    }
}
