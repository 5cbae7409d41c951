using Listes360.Domain.Paging;
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
    public const int MaxPageSize = PageLimits.MaxPageSize;
    public const int DefaultPageSize = PageLimits.DefaultPageSize;

    /// <summary>
    /// Pages an already ordered list by a stable key: the cursor is the key of the last item seen,
    /// so inserts before it never shift the next page.
    /// </summary>
    public static Page<T> Of<T>(IReadOnlyList<T> ordered, Func<T, string> key, string? after, int first)
    {
        PageLimits.Check(first);
        var start = 0;
        if (after is not null)
        {
            var decoded = Cursor.Decode(after);
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
        var end = items.Count > 0 ? Cursor.Encode(key(items[^1])) : after;
        return new Page<T>(items, end, start + items.Count < ordered.Count, ordered.Count);
    }
}
