using System.Globalization;
using System.Text;

namespace Listes360.Domain.Validation;

/// <summary>
/// The limits of every free field, in one place: the API, the imports and the CLI all go through the
/// domain constructors that apply them, and the README's « Données refusées » table is checked
/// against these constants by a test.
/// </summary>
public static class FieldLimits
{
    /// <summary>Birth name, usage name, one first name.</summary>
    public const int NameMaxLength = 100;
    /// <summary>First names of one person.</summary>
    public const int FirstNamesMaxCount = 10;
    public const int MdphFileNumberMaxLength = 30;
    public const int DecisionReferenceMaxLength = 50;
    /// <summary>A situation's note (several lines allowed).</summary>
    public const int NoteMaxLength = 2_000;
    /// <summary>A reason kept in the audit journal (merge, split, review, urgency).</summary>
    public const int ReasonMaxLength = 500;
    /// <summary>An ESMS's name (raison sociale), a commune, an address.</summary>
    public const int EsmsNameMaxLength = 200;
    /// <summary>The name of an imported file.</summary>
    public const int FileNameMaxLength = 200;
    /// <summary>Orientation decisions of one person (each stays in the person's file).</summary>
    public const int OrientationsMaxCount = 100;
    /// <summary>Candidatures of one person, closed ones included.</summary>
    public const int CandidaturesMaxCount = 200;
    /// <summary>Status changes of one candidature.</summary>
    public const int CandidatureHistoryMaxCount = 100;
    /// <summary>Place changes an ESMS keeps at hand; older ones move to its archive, 50 a page, none lost.</summary>
    public const int PlacesHistoryKept = 50;
    /// <summary>Characters of one line of an imported CSV file (bounds the memory one line may take).</summary>
    public const int CsvMaxLineLength = 10_000;
    /// <summary>Characters of one cell of an imported CSV file.</summary>
    public const int CsvMaxCellLength = 1_000;
    /// <summary>Cells of one line of an imported CSV file (and never more than its header).</summary>
    public const int CsvMaxColumns = 200;
    /// <summary>No date of the service is earlier (birth dates, situations, decisions, places).</summary>
    public static readonly DateOnly EarliestDate = new(1900, 1, 1);
    /// <summary>How far ahead a scheduled date (end of an orientation, an availability…) may be.</summary>
    public const int ScheduledYearsAhead = 20;
}

/// <summary>
/// Field rules as pure functions: each returns the cleaned value or throws a
/// <see cref="DomainException"/> whose French message says which field, what is wrong and where.
/// </summary>
public static class FieldRules
{
    /// <summary>
    /// A required single-line text: trimmed, not blank (<paramref name="emptyCode"/>), at most
    /// <paramref name="maxLength"/> characters (<c>TEXT_TOO_LONG</c>), no control or bidirectional
    /// formatting character (<c>INVALID_CHARACTER</c>).
    /// </summary>
    public static string RequiredLine(string? value, string field, string label, int maxLength, string emptyCode = "INVALID_TEXT")
    {
        if (string.IsNullOrWhiteSpace(value))
            throw new DomainException(emptyCode, $"{Capitalise(label)} est obligatoire.", field);
        return Check(value.Trim(), field, label, maxLength, multiLine: false);
    }

    /// <summary>An optional single-line text: null when blank, else as <see cref="RequiredLine"/>.</summary>
    public static string? OptionalLine(string? value, string field, string label, int maxLength) =>
        string.IsNullOrWhiteSpace(value) ? null : Check(value.Trim(), field, label, maxLength, multiLine: false);

    /// <summary>
    /// An optional text of several lines (a note): line feeds and tabs allowed, <c>\r\n</c> kept as
    /// <c>\n</c>, any other control or bidirectional formatting character refused.
    /// </summary>
    public static string? OptionalText(string? value, string field, string label, int maxLength) =>
        string.IsNullOrWhiteSpace(value) ? null : Check(value.Replace("\r\n", "\n", StringComparison.Ordinal).Trim(), field, label, maxLength, multiLine: true);

    /// <summary>A required text of several lines (a reason): as <see cref="OptionalText"/>, not blank.</summary>
    public static string RequiredText(string? value, string field, string label, int maxLength, string emptyCode = "INVALID_TEXT") =>
        OptionalText(value, field, label, maxLength) ?? throw new DomainException(emptyCode, $"{Capitalise(label)} est obligatoire.", field);

    /// <summary>The reason of a merge, a split or a review decision, kept in the audit journal: required, at most 500 characters.</summary>
    public static string Reason(string? reason)
    {
        if (string.IsNullOrWhiteSpace(reason))
            throw new DomainException("REASON_REQUIRED", "Le motif est obligatoire : il est gardé au journal d'audit.", "reason");
        return RequiredText(reason, "reason", "le motif", FieldLimits.ReasonMaxLength, "REASON_REQUIRED");
    }

    /// <summary>
    /// The first forbidden character of <paramref name="value"/> with its 1-based position, or null:
    /// controls (C0, DEL, C1; in several lines, line feed and tab are allowed), bidirectional
    /// embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), other invisible formatting
    /// characters in a single line, lone surrogates and non-characters.
    /// </summary>
    public static (int Position, string Name)? FirstForbiddenCharacter(string value, bool multiLine)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
                continue;
            }
            if (multiLine && c is '\n' or '\t')
                continue;
            if (IsForbidden(c, multiLine))
                return (i + 1, NameOf(c));
        }
        return null;
    }

    /// <summary>A date no earlier than 1900 and not after <paramref name="today"/> (a fact that already happened).</summary>
    public static DateOnly PastDate(DateOnly date, DateOnly today, string field, string label)
    {
        NotBefore1900(date, field, label);
        if (date > today)
            throw new DomainException("DATE_IN_FUTURE",
                $"{Capitalise(label)} ({Format(date)}) est postérieure à aujourd'hui ({Format(today)}) : elle n'est acceptée qu'une fois arrivée.", field);
        return date;
    }

    /// <summary>A date that may be ahead (stored and applied only when it comes), at most 20 years ahead.</summary>
    public static DateOnly ScheduledDate(DateOnly date, DateOnly today, string field, string label)
    {
        NotBefore1900(date, field, label);
        var latest = today.AddYears(FieldLimits.ScheduledYearsAhead);
        if (date > latest)
            throw new DomainException("DATE_TOO_FAR",
                $"{Capitalise(label)} ({Format(date)}) est à plus de {FieldLimits.ScheduledYearsAhead} ans (après le {Format(latest)}) : vérifiez la saisie.", field);
        return date;
    }

    /// <summary>A French postcode: five digits (Corsica's are 20xxx).</summary>
    public static string? OptionalPostcode(string? value, string field = "postcode")
    {
        if (string.IsNullOrWhiteSpace(value))
            return null;
        var postcode = value.Trim();
        if (postcode.Length != 5 || !postcode.All(char.IsAsciiDigit))
            throw new DomainException("INVALID_POSTCODE",
                $"Le code postal « {Shorten(postcode)} » doit compter 5 chiffres (il compte {postcode.Length} caractère(s){FirstNonDigit(postcode)}).", field);
        return postcode;
    }

    /// <summary>At most <paramref name="max"/> values (<c>TOO_MANY_VALUES</c>).</summary>
    public static void AtMost(int count, int max, string field, string label)
    {
        if (count > max)
            throw new DomainException("TOO_MANY_VALUES", $"{Capitalise(label)} : {count} valeurs reçues ; {max} au plus.", field);
    }

    /// <summary>
    /// Room for one more item in a collection a user grows (orientations, candidatures, status
    /// changes): past <paramref name="max"/>, <c>STATE_LIMIT_REACHED</c>, so that no sequence of valid
    /// calls can push a record past what storage can hold.
    /// </summary>
    public static void RequireRoom(int current, int max, string field, string what)
    {
        if (current >= max)
            throw new DomainException("STATE_LIMIT_REACHED", $"{Capitalise(what)} : {current} déjà, {max} au plus ; rien n'a été ajouté.", field);
    }

    /// <summary>A text quoted in a message, cut to 40 characters, controls shown as code points.</summary>
    public static string Shorten(string value)
    {
        var cut = value.Length > 40 ? value[..40] + "…" : value;
        var sb = new StringBuilder(cut.Length);
        foreach (var c in cut)
            sb.Append(char.IsControl(c) || IsBidiControl(c) ? $"<U+{(int)c:X4}>" : c.ToString());
        return sb.ToString();
    }

    private static string Check(string value, string field, string label, int maxLength, bool multiLine)
    {
        if (value.Length > maxLength)
            throw new DomainException("TEXT_TOO_LONG",
                $"{Capitalise(label)} compte {value.Length.ToString("N0", French)} caractères ; {maxLength.ToString("N0", French)} au plus.", field);
        if (FirstForbiddenCharacter(value, multiLine) is { } bad)
            throw new DomainException("INVALID_CHARACTER",
                $"{Capitalise(label)} contient un caractère interdit ({bad.Name}) en position {bad.Position} : les caractères de contrôle et de mise en forme invisible ne sont pas admis.", field);
        return value;
    }

    private static bool IsForbidden(char c, bool multiLine) =>
        char.IsControl(c)
        || IsBidiControl(c)
        || char.IsSurrogate(c)
        || c is '\uFFFE' or '\uFFFF'
        || (!multiLine && char.GetUnicodeCategory(c) is UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator);

    private static bool IsBidiControl(char c) => c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069';

    private static string NameOf(char c) => c switch
    {
        '\0' => "U+0000 NUL",
        '\a' => "U+0007 BEL",
        '\b' => "U+0008 retour arrière",
        '\t' => "U+0009 tabulation",
        '\n' => "U+000A saut de ligne",
        '\r' => "U+000D retour chariot",
        '\u001B' => "U+001B ESC",
        '\u007F' => "U+007F DEL",
        '\u202A' => "U+202A LRE",
        '\u202B' => "U+202B RLE",
        '\u202C' => "U+202C PDF",
        '\u202D' => "U+202D LRO",
        '\u202E' => "U+202E RLO, inversion du sens d'écriture",
        '\u2066' => "U+2066 LRI",
        '\u2067' => "U+2067 RLI",
        '\u2068' => "U+2068 FSI",
        '\u2069' => "U+2069 PDI",
        _ when char.IsSurrogate(c) => $"U+{(int)c:X4} demi-caractère isolé",
        _ => $"U+{(int)c:X4}",
    };

    private static void NotBefore1900(DateOnly date, string field, string label)
    {
        if (date < FieldLimits.EarliestDate)
            throw new DomainException("DATE_TOO_EARLY",
                $"{Capitalise(label)} ({Format(date)}) est antérieure au {Format(FieldLimits.EarliestDate)} : vérifiez la saisie.", field);
    }

    private static string FirstNonDigit(string s)
    {
        for (var i = 0; i < s.Length; i++)
            if (!char.IsAsciiDigit(s[i]))
                return $", « {Shorten(s[i].ToString())} » en position {i + 1} n'est pas un chiffre";
        return "";
    }

    private static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-FR");

    private static string Format(DateOnly date) => date.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);

    private static string Capitalise(string label) => label.Length == 0 ? label : char.ToUpperInvariant(label[0]) + label[1..];
}
