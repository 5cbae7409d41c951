namespace Listes360.Domain.Identity;

/// <summary>String similarities on folded names.</summary>
public static class StringSimilarity
{
    /// <summary>
    /// Jaro similarity (0 to 1): matching characters within half the longer length, minus half the
    /// transpositions. Two empty strings are identical (1); one empty string gives 0.
    /// </summary>
    public static double Jaro(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        // The greedy matching can depend on the direction: always go from the shorter (then the
        // ordinally smaller) string, so that Jaro(a, b) == Jaro(b, a).
        if (a.Length > b.Length || (a.Length == b.Length && a.SequenceCompareTo(b) > 0))
        {
            var swap = a;
            a = b;
            b = swap;
        }
        if (a.Length == 0 && b.Length == 0) return 1.0;
        if (a.Length == 0 || b.Length == 0) return 0.0;
        if (a.SequenceEqual(b)) return 1.0;
        var window = Math.Max(0, Math.Max(a.Length, b.Length) / 2 - 1);
        Span<bool> aMatched = a.Length <= 128 ? stackalloc bool[a.Length] : new bool[a.Length];
        Span<bool> bMatched = b.Length <= 128 ? stackalloc bool[b.Length] : new bool[b.Length];
        var matches = 0;
        for (var i = 0; i < a.Length; i++)
        {
            var from = Math.Max(0, i - window);
            var to = Math.Min(b.Length - 1, i + window);
            for (var j = from; j <= to; j++)
            {
                if (bMatched[j] || a[i] != b[j]) continue;
                aMatched[i] = true;
                bMatched[j] = true;
                matches++;
                break;
            }
        }
        if (matches == 0) return 0.0;
        var transpositions = 0;
        var k = 0;
        for (var i = 0; i < a.Length; i++)
        {
            if (!aMatched[i]) continue;
            while (!bMatched[k]) k++;
            if (a[i] != b[k]) transpositions++;
            k++;
        }
        double m = matches;
        return (m / a.Length + m / b.Length + (m - transpositions / 2.0) / m) / 3.0;
    }

    /// <summary>
    /// Jaro-Winkler similarity: Jaro raised for a common prefix of up to 4 characters, scaling factor
    /// 0.1 (Winkler 1990). MARTHA/MARHTA = 0.961, DWAYNE/DUANE = 0.84, DIXON/DICKSONX = 0.813.
    /// </summary>
    public static double JaroWinkler(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        var jaro = Jaro(a, b);
        var prefix = 0;
        var max = Math.Min(4, Math.Min(a.Length, b.Length));
        while (prefix < max && a[prefix] == b[prefix]) prefix++;
        return jaro + prefix * 0.1 * (1.0 - jaro);
    }

    /// <summary>
    /// Token-based similarity for multi-word text (addresses): each token of the shorter side is
    /// matched to its best Jaro-Winkler token on the other side; the mean of those best scores.
    /// </summary>
    public static double TokenJaroWinkler(string[] a, string[] b)
    {
        if (a.Length == 0 || b.Length == 0) return 0.0;
        if (a.Length == b.Length) return Math.Max(Directed(a, b), Directed(b, a));
        return a.Length < b.Length ? Directed(a, b) : Directed(b, a);
    }

    private static double Directed(string[] shortSide, string[] longSide)
    {
        var total = 0.0;
        foreach (var token in shortSide)
        {
            var best = 0.0;
            foreach (var other in longSide)
            {
                var s = JaroWinkler(token, other);
                if (s > best) best = s;
            }
            total += best;
        }
        // Words left unmatched on the longer side lower the score a little.
        var coverage = (double)shortSide.Length / longSide.Length;
        return total / shortSide.Length * (0.8 + 0.2 * coverage);
    }
}
