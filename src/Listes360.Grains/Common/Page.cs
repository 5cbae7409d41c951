namespace Listes360.Grains.Common;

/// <summary>One page of a list, with the opaque cursor of its last item (cursor pagination).</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Common.Page`1")]
public sealed record Page<T>(
    [property: Id(0)] IReadOnlyList<T> Items,
    [property: Id(1)] string? EndCursor,
    [property: Id(2)] bool HasNextPage,
    [property: Id(3)] int TotalCount);

public static class Paging
{
    public const int MaxPageSize = 200;
    public const int DefaultPageSize = 50;

    /// <summary>
    /// Pages an already ordered list by a stable key: the cursor is the key of the last item seen,
    /// so inserts before it never shift the next page.
    /// </summary>
    public static Page<T> Of<T>(IReadOnlyList<T> ordered, Func<T, string> key, string? after, int first)
    {
        if (first is < 1 or > MaxPageSize)
            throw new Domain.DomainException("INVALID_PAGE_SIZE", $"La taille de page doit être comprise entre 1 et {MaxPageSize} (reçu : {first}).", "first");
        var start = 0;
        if (after is not null)
        {
            var decoded = Decode(after);
            start = ordered.Count;
            for (var i = 0; i < ordered.Count; i++)
            {
                if (string.CompareOrdinal(key(ordered[i]), decoded) > 0)
                {
                    start = i;
                    break;
                }
            }
        }
        var items = ordered.Skip(start).Take(first).ToList();
        var end = items.Count > 0 ? Encode(key(items[^1])) : after;
        return new Page<T>(items, end, start + items.Count < ordered.Count, ordered.Count);
    }

    private static string Encode(string key) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(key));

    private static string Decode(string cursor)
    {
        try
        {
            return System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(cursor));
        }
        catch (FormatException)
        {
            throw new Domain.DomainException("INVALID_CURSOR", "Le curseur de pagination « after » est invalide : reprenez celui d'une page précédente.", "after");
        }
    }
}
