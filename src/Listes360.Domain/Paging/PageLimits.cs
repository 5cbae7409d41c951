namespace Listes360.Domain.Paging;

/// <summary>
/// The one rule for page sizes and cursors of every paged list (GraphQL connections, grains' pages,
/// the observatory's merged pages, the sequential search's combinations).
/// </summary>
public static class PageLimits
{
    /// <summary>Largest page of a list (the audit journal has its own, larger one).</summary>
    public const int MaxPageSize = 200;

    /// <summary>Page size when the request gives none.</summary>
    public const int DefaultPageSize = 50;

    /// <summary>
    /// <paramref name="first"/> when it is between 1 and <paramref name="max"/>; else an
    /// <c>INVALID_PAGE_SIZE</c> error on <c>first</c>: « <paramref name="subject"/> entre 1 et max (reçu : n) ».
    /// </summary>
    public static int Check(int first, int max = MaxPageSize, string subject = "La taille de page doit être comprise") =>
        first >= 1 && first <= max
            ? first
            : throw new DomainException("INVALID_PAGE_SIZE",
                $"{subject} entre 1 et {max.ToString("#,0", System.Globalization.CultureInfo.InvariantCulture).Replace(',', ' ')} (reçu : {first}).", "first");
}

/// <summary>
/// Opaque cursors: the stable key of the last item seen, encoded (base64 of its UTF-8), so a client
/// passes back what it was given and nothing it could read as a position.
/// </summary>
public static class Cursor
{
    public static string Encode(string key) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(key));

    /// <summary>The key a cursor encodes, or an <c>INVALID_CURSOR</c> error.</summary>
    public static string Decode(string cursor)
    {
        try
        {
            return System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(cursor));
        }
        catch (FormatException)
        {
            throw Invalid();
        }
    }

    /// <summary>The error for a cursor that is no cursor of ours.</summary>
    public static DomainException Invalid() =>
        new("INVALID_CURSOR", "Le curseur de pagination « after » est invalide : reprenez celui d'une page précédente.", "after");
}
