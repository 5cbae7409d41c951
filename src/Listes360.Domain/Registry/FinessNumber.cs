using System.Diagnostics.CodeAnalysis;

namespace Listes360.Domain.Registry;

/// <summary>
/// A FINESS number: 9 characters, the first two the département (<c>01</c>–<c>95</c>, <c>2A</c>,
/// <c>2B</c>) or, overseas, the first three (<c>971</c>–<c>978</c>, <c>984</c>–<c>988</c>), the rest digits.
/// </summary>
[GenerateSerializer, Immutable]
public readonly record struct FinessNumber
{
    [Id(0)] public string Value { get; }

    private FinessNumber(string value) => Value = value;

    /// <summary>The département code the number starts with (<c>61</c>, <c>2A</c>, <c>974</c>).</summary>
    public string Department => Value.StartsWith("97", StringComparison.Ordinal) || Value.StartsWith("98", StringComparison.Ordinal)
        ? Value[..3]
        : Value[..2];

    public override string ToString() => Value;

    public static FinessNumber Parse(string? input) =>
        TryParse(input, out var finess, out var error)
            ? finess
            : throw new DomainException("INVALID_FINESS", error, "finess");

    public static bool TryParse(string? input, out FinessNumber finess, [NotNullWhen(false)] out string? error)
    {
        finess = default;
        var value = input?.Trim().ToUpperInvariant() ?? "";
        if (value.Length != 9)
        {
            error = $"Le numéro FINESS « {input} » doit compter 9 caractères (il en a {value.Length}).";
            return false;
        }
        var isCorsica = value[0] == '2' && (value[1] == 'A' || value[1] == 'B');
        var digitsFrom = isCorsica ? 2 : 0;
        for (var i = digitsFrom; i < value.Length; i++)
        {
            if (!char.IsAsciiDigit(value[i]))
            {
                error = $"Le numéro FINESS « {input} » ne doit contenir que des chiffres (seuls 2A et 2B sont admis pour la Corse), caractère « {value[i]} » en position {i + 1}.";
                return false;
            }
        }
        if (!isCorsica && !IsKnownDepartmentPrefix(value))
        {
            error = $"Le numéro FINESS « {input} » ne commence pas par un code de département connu (01 à 95, 2A, 2B, 971 à 978, 984 à 988).";
            return false;
        }
        finess = new FinessNumber(value);
        error = null;
        return true;
    }

    private static bool IsKnownDepartmentPrefix(string value)
    {
        var two = (value[0] - '0') * 10 + (value[1] - '0');
        if (two is >= 1 and <= 95 && two != 20) return true;
        if (two == 97) return value[2] is >= '1' and <= '8';
        if (two == 98) return value[2] is >= '4' and <= '8';
        return false;
    }
}
