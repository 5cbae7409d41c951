using Listes360.Domain.Candidatures;
using Listes360.Domain.Identity;

namespace Listes360.Grains.Persons;

/// <summary>Merge and split on the person's side (rules: <see cref="Domain.Persons.PersonFile"/>).</summary>
public sealed partial class PersonGrain
{
    public Task<MergePackage> GetMergePackageAsync() => Task.FromResult(File.ToMergePackage());

    public async Task<MergeRecord> AbsorbAsync(MergePackage package, string reason, string by) =>
        await CommitAsync(File.Absorb(package, reason, by, Context()));

    public Task BecomeTombstoneAsync(string survivor) => CommitAsync(File.BecomeTombstone(survivor, Context()));

    public async Task<ReleasedMerge> ReleaseAsync(string merged, string reason, string by) =>
        await CommitAsync(File.Release(merged, reason, by, Context()));

    public Task RestoreAsync(IReadOnlyList<Candidature> candidatures) => CommitAsync(File.Restore(candidatures, Context()));
}
