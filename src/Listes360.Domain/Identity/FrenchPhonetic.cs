using System.Text;

namespace Listes360.Domain.Identity;

/// <summary>
/// French phonetic key: <b>Soundex2</b> (Frédéric Brouard, 1998, the French adaptation of Soundex
/// used by French civil-status and genealogy tools), extended with a few French spelling rules.
/// <para>
/// Why Soundex2 rather than Phonex or the long « phonétique française » rule set: its steps are short,
/// deterministic and documented, it keeps the first letter (good for blocking), it already folds the
/// French hard C/G (« GUE », « CA », « QU ») and the silent final T/D/S, and it gives a compact key
/// (4 characters by default) that makes blocks of a useful size. Phonex maps to a number and loses the
/// first letter; the full « phonétique française » is far larger for little gain on names.
/// </para>
/// <para>
/// Steps (Brouard's, with our additions marked +): fold accents and case; + PH→F, + BV→V (Lefebvre),
/// + W→V, + final -AULT/-AUD/-AUT/-AUX/-EAU(X)→O (Renault = Renaud), + final DT→T (Schmidt = Schmitt); GUI→KI, GUE→KE, GA→KA, GO→KO,
/// GU→K, CA→KA, CO→KO, CU→KU, Q→K, CC→K, CK→K; + C before E/I/Y→S, + G before E/I/Y→J, + Z→S;
/// every vowel but the first letter→A; prefixes MAC→MCC, KN→NN, PF→FF, SCH→SSS; H dropped unless
/// after C or S; Y dropped unless after A; one final A, T, D, S or X dropped (+ with its doubles); every A but the first
/// letter dropped; repeated letters collapsed; truncated.
/// (Step 7 drops the silent letter with its doubles: Schmitt = Schmidt.)
/// </para>
/// Examples: Philippe = Filipe (FLP), Lefebvre = Lefèvre (LFVR), Renault = Renaud.
/// </summary>
public static class FrenchPhonetic
{
    /// <summary>The key of <paramref name="name"/> (any text, folded here), at most <paramref name="maxLength"/> characters.</summary>
    public static string Key(string? name, int maxLength = 4)
    {
        var folded = FrenchNames.Fold(name);
        if (folded.Length == 0) return "";
        var sb = new StringBuilder(folded.Length);
        foreach (var c in folded)
        {
            if (c is >= 'a' and <= 'z') sb.Append((char)(c - 32));
        }
        if (sb.Length == 0) return "";
        var s = sb.ToString();

        // Additions before Soundex2: F sounds, silent endings.
        s = s.Replace("PH", "F").Replace("BV", "V").Replace('W', 'V');
        s = ReplaceEnding(s, ["EAUX", "EAU", "AULT", "AUD", "AUT", "AUX"], "O");
        s = ReplaceEnding(s, ["DT"], "T");

        // Soundex2 step 2: hard C and G.
        s = s.Replace("GUI", "KI").Replace("GUE", "KE").Replace("GA", "KA").Replace("GO", "KO").Replace("GU", "K")
             .Replace("CA", "KA").Replace("CO", "KO").Replace("CU", "KU").Replace("Q", "K").Replace("CC", "K").Replace("CK", "K");
        // Additions: soft C and G, Z.
        s = SoftenBeforeFrontVowel(s);
        s = s.Replace('Z', 'S');

        // Step 3: vowels (but the first letter) → A. Y is kept for step 6.
        var chars = s.ToCharArray();
        for (var i = 1; i < chars.Length; i++)
        {
            if (chars[i] is 'E' or 'I' or 'O' or 'U') chars[i] = 'A';
        }
        s = new string(chars);

        // Step 4: prefixes.
        if (s.StartsWith("MAC", StringComparison.Ordinal)) s = "MCC" + s[3..];
        else if (s.StartsWith("KN", StringComparison.Ordinal)) s = "NN" + s[2..];
        else if (s.StartsWith("PF", StringComparison.Ordinal)) s = "FF" + s[2..];
        else if (s.StartsWith("SCH", StringComparison.Ordinal)) s = "SSS" + s[3..];

        // Steps 5 and 6: H unless after C or S; Y unless after A.
        sb.Clear();
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            var previous = i > 0 ? s[i - 1] : '\0';
            if (c == 'H' && previous is not ('C' or 'S')) continue;
            if (c == 'Y' && previous != 'A' && i > 0) continue;
            sb.Append(c);
        }
        s = sb.ToString();

        // Step 7: one silent ending.
        if (s.Length > 1 && s[^1] is 'A' or 'T' or 'D' or 'S' or 'X')
        {
            var silent = s[^1];
            var end = s.Length - 1;
            while (end > 1 && s[end - 1] == silent) end--;
            s = s[..end];
        }

        // Steps 8 and 9: drop A but the first letter, collapse repeats.
        sb.Clear();
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (i > 0 && c == 'A') continue;
            if (sb.Length > 0 && sb[^1] == c) continue;
            sb.Append(c);
        }
        var key = sb.ToString();
        return key.Length > maxLength ? key[..maxLength] : key;
    }

    private static string ReplaceEnding(string s, string[] endings, string replacement)
    {
        foreach (var ending in endings)
        {
            if (s.Length > ending.Length && s.EndsWith(ending, StringComparison.Ordinal))
            {
                return s[..^ending.Length] + replacement;
            }
        }
        return s;
    }

    private static string SoftenBeforeFrontVowel(string s)
    {
        var chars = s.ToCharArray();
        for (var i = 0; i < chars.Length - 1; i++)
        {
            var next = chars[i + 1];
            if (next is not ('E' or 'I' or 'Y')) continue;
            if (chars[i] == 'C') chars[i] = 'S';
            else if (chars[i] == 'G') chars[i] = 'J';
        }
        return new string(chars);
    }
}
