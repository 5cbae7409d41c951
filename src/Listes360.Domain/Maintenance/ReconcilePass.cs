using Listes360.Domain.Persons;

namespace Listes360.Domain.Maintenance;

/// <summary>
/// A département's reconcile pass, as persisted between its batches: where it stands (a cursor over
/// the waiting shards: the shard being walked and the last person done there, persons taken in ordinal
/// order of their id) and what it did. Bounded whatever the département's size, so that the pass can
/// stop anywhere (a silo dies) and resume from the cursor without redoing the batches already done.
/// The cursor holds the person id as text, which every grain storage serializer keeps.
/// </summary>
[GenerateSerializer, Immutable, Alias("Listes360.Maintenance.ReconcilePass")]
public sealed record ReconcilePass(
    [property: Id(0)] DateTimeOffset StartedAt,
    [property: Id(1)] int Shards,
    [property: Id(2)] bool Prepared,
    [property: Id(3)] int Shard,
    [property: Id(4)] string? After,
    [property: Id(5)] int Done,
    [property: Id(6)] int Failed,
    [property: Id(7)] int? Total,
    [property: Id(8)] DateTimeOffset? FinishedAt)
{
    public static ReconcilePass Start(DateTimeOffset now, int shards) =>
        shards < 1
            ? throw new ArgumentOutOfRangeException(nameof(shards), shards, "Un département a au moins un groupe de décomptes.")
            : new(now, shards, false, 0, null, 0, 0, null, null);

    public bool IsRunning => FinishedAt is null;

    /// <summary>The step before the persons: interrupted merges finished (<paramref name="ok"/>: or not, one failure), total counted.</summary>
    public ReconcilePass Prepare(bool ok, int total) =>
        Prepared || !IsRunning ? this : this with { Prepared = true, Failed = Failed + (ok ? 0 : 1), Total = total };

    /// <summary>
    /// The next batch of the current shard: its persons after the cursor, in ordinal order of their
    /// id, at most <paramref name="size"/>. Persons added to the shard during the pass are taken if
    /// they sort after the cursor; those before it wait for the next pass (their own grain has
    /// delivered their changes anyway).
    /// </summary>
    public static IReadOnlyList<PersonId> PageAfter(IEnumerable<PersonId> persons, string? after, int size) =>
        persons.Where(p => after is null || string.CompareOrdinal(p.Value, after) > 0)
            .OrderBy(p => p.Value, StringComparer.Ordinal)
            .Take(size)
            .ToList();

    /// <summary>
    /// After a batch of the current shard (<paramref name="batch"/> as given by <see cref="PageAfter"/>,
    /// <paramref name="failed"/> of them in error): the cursor moves past it; a batch shorter than
    /// <paramref name="size"/> ends the shard, and the last shard ends the pass.
    /// </summary>
    public ReconcilePass Advance(IReadOnlyList<PersonId> batch, int failed, int size, DateTimeOffset now)
    {
        if (!IsRunning)
            throw new InvalidOperationException("La passe est terminée : plus rien à avancer.");
        if (failed < 0 || failed > batch.Count)
            throw new ArgumentOutOfRangeException(nameof(failed), failed, $"Les échecs d'un lot sont entre 0 et sa taille ({batch.Count}).");
        var next = this with { Done = Done + batch.Count, Failed = Failed + failed };
        if (batch.Count >= size)
            return next with { After = batch[^1].Value };
        next = next with { Shard = Shard + 1, After = null };
        return next.Shard >= Shards ? next with { FinishedAt = now } : next;
    }

    /// <summary>The pass's duration: until it finished, or until <paramref name="now"/> while it runs.</summary>
    public TimeSpan Duration(DateTimeOffset now) => (FinishedAt ?? now) - StartedAt;
}
