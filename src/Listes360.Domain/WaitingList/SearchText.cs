using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;
using Listes360.Domain.Identity;
using Listes360.Domain.Validation;

namespace Listes360.Domain.WaitingList;

/// <summary>
/// What a conseiller types to find a person (« dupont kylian », « Mme Martin 2012 », « 61-2019-01234 »):
/// name words (folded: case, accents, hyphens), a birth date or a birth year that narrow the names, an
/// MDPH file number that finds the person by itself.
/// </summary>
public sealed partial record SearchText
{
    public const int MaxLength = 200;
    public const int MaxWords = 8;

    /// <summary>Folded name words; particles, civilities and filler words left out when other words remain.</summary>
    public required ImmutableArray<string> Words { get; init; }
    public DateOnly? BirthDate { get; init; }
    public int? BirthYear { get; init; }
    /// <summary>Canonical by the one rule of <see cref="Persons.MdphFileNumber"/> (« 61-2019-01234 » → « 61-201901234 », « 012345 » → « 12345 »).</summary>
    public string? MdphFileNumber { get; init; }

    /// <summary>Civilities and the small words of a note taken on the phone (« Mme Dupont, pour son fils Kylian »).</summary>
    private static readonly HashSet<string> Fillers = new(StringComparer.Ordinal)
    {
        "mme", "mlle", "madame", "mademoiselle", "monsieur", "m", "mr", "enfant", "fils", "fille", "mere", "pere",
        "pour", "son", "sa", "ses", "mon", "ma", "mes", "et", "ou", "avec", "chez", "au", "aux", "concernant", "ne", "nee",
    };

    /// <summary>Reads a search text; a refusal says what is wrong with it, in French, on the field <c>search</c>.</summary>
    public static SearchText Parse(string? text)
    {
        var trimmed = text?.Trim() ?? "";
        if (trimmed.Length > MaxLength)
            throw new DomainException("INVALID_SEARCH", $"La recherche compte {trimmed.Length} caractères : {MaxLength} au plus (un nom, un prénom, une date de naissance suffisent).", "search");
        if (FieldRules.FirstForbiddenCharacter(trimmed, multiLine: false) is { } forbidden)
            throw new DomainException("INVALID_SEARCH", $"La recherche contient un caractère interdit ({forbidden.Name}) en position {forbidden.Position} : retapez-la.", "search");
        DateOnly? birthDate = null;
        int? birthYear = null;
        string? mdph = null;
        var words = new List<string>();
        foreach (var raw in trimmed.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            if (DateLike().IsMatch(raw))
            {
                birthDate = ParseDate(raw);
                continue;
            }
            if (raw.Length == 4 && int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var year) && year is >= 1900 and <= 2100)
            {
                birthYear = year;
                continue;
            }
            var alphanumeric = new string(raw.Where(char.IsLetterOrDigit).Select(char.ToUpperInvariant).ToArray());
            if (alphanumeric.Count(char.IsAsciiDigit) >= 5 && Persons.MdphFileNumber.LooksLikeOne(raw))
            {
                mdph = Persons.MdphFileNumber.Normalize(raw);
                continue;
            }
            words.AddRange(FrenchNames.Tokens(raw));
        }
        var meaningful = words.Where(w => !Fillers.Contains(w) && !FrenchNames.IsParticle(w)).ToList();
        var kept = (meaningful.Count > 0 ? meaningful : words).Distinct(StringComparer.Ordinal).ToImmutableArray();
        if (kept.Length > MaxWords)
            throw new DomainException("INVALID_SEARCH", $"La recherche compte {kept.Length} mots : {MaxWords} au plus.", "search");
        if (kept.IsEmpty && birthDate is null && birthYear is null && mdph is null)
            throw new DomainException("INVALID_SEARCH", "La recherche est vide : donnez un nom, un prénom, une date de naissance ou un numéro de dossier MDPH.", "search");
        return new SearchText { Words = kept, BirthDate = birthDate, BirthYear = birthYear, MdphFileNumber = mdph };
    }

    private static DateOnly ParseDate(string raw)
    {
        string[] formats = ["d/M/yyyy", "d-M-yyyy", "d.M.yyyy", "yyyy-M-d"];
        if (DateOnly.TryParseExact(raw, formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            return date;
        throw new DomainException("INVALID_SEARCH", $"« {FieldRules.Shorten(raw)} » n'est pas une date de naissance valide (JJ/MM/AAAA ou AAAA-MM-JJ).", "search");
    }

    /// <summary>dd/mm/yyyy, dd-mm-yyyy, dd.mm.yyyy or yyyy-mm-dd, valid or not (an invalid one is refused, not read as a name).</summary>
    [GeneratedRegex(@"^(\d{1,2}[/.-]\d{1,2}[/.-]\d{4}|\d{4}-\d{1,2}-\d{1,2})$")]
    private static partial Regex DateLike();
}
