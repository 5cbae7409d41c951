namespace Listes360.Grains.Idempotency;

/// <summary>
/// Deletes the idempotency records no grain will come back for (each key is a new UUID, so the grain
/// that would drop its expired record at activation is never called again). Storage-specific; the
/// département's daily pass calls it.
/// </summary>
public interface IExpiredIdempotencyRecords
{
    /// <summary>Deletes the records last written before <paramref name="writtenBefore"/>; returns how many.</summary>
    Task<int> DeleteAsync(DateTimeOffset writtenBefore, CancellationToken cancellationToken = default);
}
