using System.Diagnostics.CodeAnalysis;

namespace Listes360.Domain.Persons;

/// <summary>
/// A person's département-scoped pseudonymous id (the person grain's key): 1 to 64 characters among
/// letters, digits, <c>-</c> and <c>_</c>. It carries no identifying data.
/// </summary>
[GenerateSerializer, Immutable, Alias("Listes360.Persons.PersonId")]
public readonly record struct PersonId
{
    [Id(0)] public string Value { get; }

    private PersonId(string value) => Value = value;

    public override string ToString() => Value;

    /// <summary>A new random id, prefixed by the département (<c>61-…</c>).</summary>
    public static PersonId New(string department) => new($"{department}-{Guid.NewGuid():N}");

    public static PersonId Parse(string? input) =>
        TryParse(input, out var id, out var error) ? id : throw new DomainException("INVALID_PERSON_ID", error, "personId");

    public static bool TryParse(string? input, out PersonId id, [NotNullWhen(false)] out string? error)
    {
        var ok = Ids.TryParse(input, "de personne", out var value, out error);
        id = ok ? new PersonId(value!) : default;
        return ok;
    }
}

/// <summary>Shared validation of textual ids.</summary>
internal static class Ids
{
    public static bool TryParse(string? input, string what, [NotNullWhen(true)] out string? value, [NotNullWhen(false)] out string? error)
    {
        value = input?.Trim();
        if (string.IsNullOrEmpty(value) || value.Length > 64 || !value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            error = $"L'identifiant {what} « {input} » doit compter de 1 à 64 caractères parmi lettres, chiffres, « - » et « _ ».";
            value = null;
            return false;
        }
        error = null;
        return true;
    }
}
