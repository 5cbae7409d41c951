using System.Diagnostics.CodeAnalysis;
using Listes360.Domain.Geography;

namespace Listes360.Domain.Registry;

/// <summary>
/// A FINESS number: 9 characters, the first two the département (<c>01</c>–<c>95</c>, <c>2A</c>,
/// <c>2B</c>) or, overseas, the first three (<c>971</c>–<c>978</c>, <c>984</c>–<c>988</c>), the rest digits;
/// the last is a Luhn key over the nine (Corsica's 2A and 2B counted as 21 and 22), as every number of the
/// national FINESS extract satisfies, so that a mistyped digit is caught at entry.
/// </summary>
[GenerateSerializer, Immutable, Alias("Listes360.Registry.FinessNumber")]
public readonly record struct FinessNumber
{
    [Id(0)] public string Value { get; }

    private FinessNumber(string value) => Value = value;

    /// <summary>The département code the number starts with (<c>61</c>, <c>2A</c>, <c>974</c>).</summary>
    public string Department => DepartmentCodes.OfCode(Value)!;

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
        if (DepartmentCodes.OfCode(value) is null)
        {
            error = $"Le numéro FINESS « {input} » ne commence pas par un code de département connu (01 à 95, 2A, 2B, 971 à 978, 984 à 988).";
            return false;
        }
        if (!HasValidKey(value))
        {
            error = $"Le numéro FINESS « {input} » est invalide : la clé de contrôle (dernier chiffre, « {value[8]} ») ne correspond pas aux huit premiers caractères ; la clé attendue est « {KeyOf(value[..8])} ».";
            return false;
        }
        finess = new FinessNumber(value);
        error = null;
        return true;
    }

    /// <summary>
    /// The FINESS number whose first eight characters are <paramref name="firstEight"/>, with its key:
    /// for simulations and tests, which need well-formed numbers that are not real ESMS.
    /// </summary>
    public static FinessNumber WithKey(string firstEight) =>
        firstEight.Length == 8 ? Parse(firstEight + KeyOf(firstEight.ToUpperInvariant())) : Parse(firstEight);

    private static bool HasValidKey(string value) => LuhnSum(value, keyIncluded: true) % 10 == 0;

    private static char KeyOf(string firstEight) => (char)('0' + (10 - LuhnSum(firstEight, keyIncluded: false) % 10) % 10);

    // Luhn: from the right, every second digit (the key excluded) is doubled; 2A/2B read as 21/22.
    private static int LuhnSum(string chars, bool keyIncluded)
    {
        var sum = 0;
        var fromRight = keyIncluded ? 0 : 1;
        for (var i = chars.Length - 1; i >= 0; i--, fromRight++)
        {
            var c = chars[i];
            var digit = c switch { 'A' => 1, 'B' => 2, _ => c - '0' };
            if (fromRight % 2 == 1)
            {
                digit *= 2;
                if (digit > 9) digit -= 9;
            }
            sum += digit;
        }
        return sum;
    }

}
