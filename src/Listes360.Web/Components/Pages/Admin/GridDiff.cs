namespace Listes360.Web.Components.Pages.Admin;

/// <summary>A side-by-side line diff of two grid documents (longest common subsequence of their lines).</summary>
public static class GridDiff
{
    /// <summary>One row: the left line and the right line (null where the other side has a line the first lacks), and whether they differ.</summary>
    public sealed record Row(string? Left, string? Right, bool Changed);

    public static IReadOnlyList<Row> Of(string left, string right)
    {
        var a = Lines(left);
        var b = Lines(right);
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
            for (var j = b.Length - 1; j >= 0; j--)
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
        var rows = new List<Row>();
        int x = 0, y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y]) { rows.Add(new(a[x], b[y], false)); x++; y++; }
            else if (y < b.Length && (x == a.Length || lcs[x, y + 1] >= lcs[x + 1, y])) { rows.Add(new(null, b[y], true)); y++; }
            else { rows.Add(new(a[x], null, true)); x++; }
        }
        return rows;
    }

    private static string[] Lines(string text) => text.Replace("\r\n", "\n").Split('\n');
}
