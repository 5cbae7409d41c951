using System.Globalization;
using System.Text;

namespace Listes360.Domain.Identity;

/// <summary>One way a person's name may be written, already folded, with how much it is worth.</summary>
/// <param name="Key">Folded letters without spaces (« delafontaine »).</param>
/// <param name="Weight">1 for a full name; below 1 for a part (one token of a compound name, the
/// first given name only), so that a match on a part counts a little less than a full match.</param>
/// <param name="Kind">What the variant is, for the explanation: <c>full</c>, <c>sans-particule</c>,
/// <c>partie</c>, <c>premier-prenom</c>.</param>
public readonly record struct NameVariant(string Key, double Weight, string Kind);

/// <summary>
/// French name normalisation: case, accents and ligatures, hyphens and apostrophes, particles
/// (de, du, des, d', le, la, les…), compound given names (Jean-Pierre = Jean Pierre, Jean for the
/// first given name only) and marital mentions in a last-name field (« DUPONT épouse MARTIN »,
/// « MARTIN née DUPONT », « ép. », « veuve », « divorcée »), which give both the birth and the usage name.
/// </summary>
public static class FrenchNames
{
    private static readonly HashSet<string> Particles = new(StringComparer.Ordinal)
    {
        "de", "du", "des", "d", "le", "la", "les", "l", "van", "von", "der", "den", "del", "della",
        "di", "da", "dos", "das", "ten", "ter", "st", "saint", "sainte", "ste",
    };

    /// <summary>Words that separate a birth name from a usage name, and civilities to drop.</summary>
    private static readonly Dictionary<string, MaritalMarker> Markers = new(StringComparer.Ordinal)
    {
        ["epouse"] = MaritalMarker.UsageFollows, ["ep"] = MaritalMarker.UsageFollows, ["epse"] = MaritalMarker.UsageFollows,
        ["veuve"] = MaritalMarker.UsageFollows, ["vve"] = MaritalMarker.UsageFollows, ["vv"] = MaritalMarker.UsageFollows,
        ["divorcee"] = MaritalMarker.UsageFollows, ["div"] = MaritalMarker.UsageFollows,
        ["dite"] = MaritalMarker.UsageFollows, ["dit"] = MaritalMarker.UsageFollows,
        ["nee"] = MaritalMarker.BirthFollows, ["ne"] = MaritalMarker.BirthFollows,
        ["mme"] = MaritalMarker.Civility, ["mlle"] = MaritalMarker.Civility, ["madame"] = MaritalMarker.Civility,
        ["mademoiselle"] = MaritalMarker.Civility, ["monsieur"] = MaritalMarker.Civility, ["m"] = MaritalMarker.Civility,
        ["mr"] = MaritalMarker.Civility,
    };

    private enum MaritalMarker { UsageFollows, BirthFollows, Civility }

    /// <summary>
    /// Lower case, accents removed (é→e, ç→c), ligatures expanded (œ→oe, æ→ae, ß→ss), anything that is
    /// not a letter (hyphens, apostrophes, dots, digits) turned into one space, spaces collapsed.
    /// </summary>
    public static string Fold(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return "";
        var decomposed = text.Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(decomposed.Length);
        var pendingSpace = false;
        foreach (var raw in decomposed)
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(raw);
            if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark)
            {
                continue;
            }
            var c = char.ToLowerInvariant(raw);
            string? expansion = c switch
            {
                'œ' => "oe",
                'æ' => "ae",
                'ß' => "ss",
                'ø' => "o",
                'ł' => "l",
                'đ' => "d",
                _ => null,
            };
            if (expansion is null && !char.IsLetter(c))
            {
                pendingSpace = sb.Length > 0;
                continue;
            }
            if (pendingSpace)
            {
                sb.Append(' ');
                pendingSpace = false;
            }
            if (expansion is not null) sb.Append(expansion);
            else sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary>The folded words of <paramref name="text"/>.</summary>
    public static string[] Tokens(string? text)
    {
        var folded = Fold(text);
        return folded.Length == 0 ? [] : folded.Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>True for a name particle (de, du, des, d', le, la, les, van, von…).</summary>
    public static bool IsParticle(string foldedToken) => Particles.Contains(foldedToken);

    /// <summary>
    /// The name parts of a last-name field split on marital mentions: « DUPONT épouse MARTIN » gives
    /// birth « dupont » and usage « martin »; « MARTIN née DUPONT » gives usage « martin » and birth
    /// « dupont »; « veuve MARTIN » gives usage « martin ». Civilities (Mme, M.) are dropped.
    /// </summary>
    public static (string[] Usage, string[] Birth) SplitMaritalMentions(string? lastName)
    {
        var tokens = Tokens(lastName);
        var usage = new List<string>();
        var birth = new List<string>();
        // Until a marker is seen, words belong to the name as written (usage); a marker tells what follows.
        var current = usage;
        var sawUsageMarker = false;
        foreach (var token in tokens)
        {
            if (Markers.TryGetValue(token, out var marker))
            {
                switch (marker)
                {
                    case MaritalMarker.UsageFollows:
                        // What came before was the birth name (« DUPONT épouse MARTIN »).
                        if (!sawUsageMarker && usage.Count > 0 && birth.Count == 0)
                        {
                            birth.AddRange(usage);
                            usage.Clear();
                        }
                        sawUsageMarker = true;
                        current = usage;
                        break;
                    case MaritalMarker.BirthFollows:
                        current = birth;
                        break;
                    case MaritalMarker.Civility:
                        break;
                }
                continue;
            }
            current.Add(token);
        }
        return (usage.ToArray(), birth.ToArray());
    }

    /// <summary>
    /// The ways a last name may be compared: for the usage name, the birth name (the separate field
    /// and any « née »/« épouse » mention), each as all words joined (« legoff ») and without leading
    /// particles (« goff », « fontaine » for « de La Fontaine »); each word of a compound name
    /// (« martin », « durand » for « Martin-Durand ») counts as a part.
    /// </summary>
    public static NameVariant[] LastNameVariants(string? lastName, string? birthName = null)
    {
        var (usage, birthInLast) = SplitMaritalMentions(lastName);
        var (birthField, birthFieldMention) = SplitMaritalMentions(birthName);
        var result = new List<NameVariant>(6);
        AddLastNameVariants(result, usage);
        AddLastNameVariants(result, birthInLast);
        AddLastNameVariants(result, birthField);
        AddLastNameVariants(result, birthFieldMention);
        return result.ToArray();
    }

    private static void AddLastNameVariants(List<NameVariant> into, string[] tokens)
    {
        if (tokens.Length == 0) return;
        Add(into, new NameVariant(string.Concat(tokens), 1.0, "full"));
        var start = 0;
        while (start < tokens.Length - 1 && IsParticle(tokens[start])) start++;
        if (start > 0) Add(into, new NameVariant(string.Concat(tokens[start..]), 1.0, "sans-particule"));
        var significant = tokens.Skip(start).Where(t => !IsParticle(t) && t.Length >= 3).ToArray();
        if (significant.Length > 1)
        {
            foreach (var token in significant) Add(into, new NameVariant(token, 0.94, "partie"));
        }
    }

    /// <summary>
    /// The ways a first name may be compared: all given names joined (« jeanpierre » for Jean-Pierre and
    /// for Jean Pierre) and, when there are several, the first given name alone (« jean »), worth a little less.
    /// </summary>
    public static NameVariant[] FirstNameVariants(string? firstName)
    {
        var tokens = Tokens(firstName).Where(t => !Markers.TryGetValue(t, out var m) || m != MaritalMarker.Civility).ToArray();
        if (tokens.Length == 0) return [];
        var result = new List<NameVariant>(2) { new(string.Concat(tokens), 1.0, "full") };
        if (tokens.Length > 1) Add(result, new NameVariant(tokens[0], 0.95, "premier-prenom"));
        return result.ToArray();
    }

    private static void Add(List<NameVariant> into, NameVariant variant)
    {
        foreach (var existing in into)
        {
            if (existing.Key == variant.Key) return;
        }
        into.Add(variant);
    }

    private static readonly string[] FeminineEndings = ["e", "ne", "le", "te", "tte", "ette", "ine"];

    /// <summary>
    /// Two first names of one root, one masculine and one feminine (Louis / Louise, Jean / Jeanne,
    /// Gabriel / Gabrielle, Léo / Léa): what twins are often called, rarely a typo of each other.
    /// </summary>
    public static bool GenderedVariants(NameVariant[] a, NameVariant[] b)
    {
        if (a.Length == 0 || b.Length == 0) return false;
        var (x, y) = (a[0].Key, b[0].Key);
        if (x == y || x.Length < 3 || y.Length < 3) return false;
        var (shorter, longer) = x.Length <= y.Length ? (x, y) : (y, x);
        if (longer.StartsWith(shorter, StringComparison.Ordinal))
        {
            var suffix = longer[shorter.Length..];
            // « Eliane » / « Elianee »: a doubled letter is a typo, not a feminine.
            if (suffix.Length == 1 && shorter[^1] == suffix[0]) return false;
            return Array.IndexOf(FeminineEndings, suffix) >= 0;
        }
        // Léo / Léa, Théo / Théa: the final vowel o or e becomes a.
        return x.Length == y.Length && x[..^1] == y[..^1] && (x[^1], y[^1]) is ('o', 'a') or ('a', 'o') or ('e', 'a') or ('a', 'e');
    }
}
