using Listes360.Grains.Security;
using MatchRecord = Listes360.Domain.Identity.Records.PersonRecord;

namespace Listes360.Grains.Identity;

/// <summary>A person's record in the département's identity index (its <see cref="MatchRecord.RecordId"/> is the person's id).</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Identity.IndexedRecord")]
public sealed record IndexedRecord([property: Id(0)] string PersonId, [property: Id(1)] MatchRecord Record);

/// <summary>
/// One shard of a département's identity index (key <c>{département}-i{index}</c>): the records of the
/// persons whose blocking keys (<see cref="Domain.Identity.Blocking"/>) hash to this shard, and the
/// blocks themselves. A record lives in the shards of its keys (about ten keys, so at most ten shards);
/// <see cref="IdentityTopology"/> says how many shards keep each one far below Azure Table's 1 MiB.
/// </summary>
[Alias("Listes360.Identity.IIdentityShardGrain")]
public interface IIdentityShardGrain : IGrainWithStringKey
{
    /// <summary>The records of every person sharing one of these blocking keys (keys of other shards are ignored).</summary>
    [ReadOnly]
    [Internal]
    [Alias("FindAsync")]
    Task<IReadOnlyList<IndexedRecord>> FindAsync(IReadOnlyList<string> keys);

    /// <summary>Indexes records under their keys of this shard; a record identical to one the person has already changes nothing.</summary>
    [Internal]
    [Alias("AddAsync")]
    Task AddAsync(IReadOnlyList<IndexedRecord> records);

    /// <summary>Removes these records (by content) and the person's blocks no remaining record of theirs needs; idempotent.</summary>
    [Internal]
    [Alias("RemoveAsync")]
    Task RemoveAsync(IReadOnlyList<IndexedRecord> records);
}
