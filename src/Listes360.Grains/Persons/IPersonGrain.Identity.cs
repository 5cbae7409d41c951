using Listes360.Domain.Identity;
using Listes360.Grains.Identity;
using Listes360.Grains.Security;

namespace Listes360.Grains.Persons;

/// <summary>Merge and split, driven by the département's <see cref="IIdentityGrain"/> (which the referent calls, audited).</summary>
public partial interface IPersonGrain
{
    /// <summary>The person and their candidatures, for a merge into another; refused on a tombstone.</summary>
    [ReadOnly]
    [Internal]
    [Alias("GetMergePackageAsync")]
    Task<MergePackage> GetMergePackageAsync();

    /// <summary>Takes the merged person's candidatures (now this person's, one version more) and the orientations it lacked. Idempotent.</summary>
    [Internal]
    [Alias("AbsorbAsync")]
    Task<MergeRecord> AbsorbAsync(MergePackage package, string reason, string by);

    /// <summary>Becomes a tombstone pointing at <paramref name="survivor"/>: no candidature left, counted nowhere. Idempotent.</summary>
    [Internal]
    [Alias("BecomeTombstoneAsync")]
    Task BecomeTombstoneAsync(string survivor);

    /// <summary>Gives back what the merge of <paramref name="merged"/> brought: its candidatures, returned to it.</summary>
    [Internal]
    [Alias("ReleaseAsync")]
    Task<ReleasedMerge> ReleaseAsync(string merged, string reason, string by);

    /// <summary>Stops being a tombstone and takes its candidatures back.</summary>
    [Internal]
    [Alias("RestoreAsync")]
    Task RestoreAsync(IReadOnlyList<Domain.Candidatures.Candidature> candidatures);
}
