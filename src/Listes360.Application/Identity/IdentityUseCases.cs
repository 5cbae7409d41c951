using Listes360.Domain.Geography;
using Listes360.Domain.Identity;
using Listes360.Domain.Persons;
using Listes360.Domain.Security;
using Listes360.Grains.Identity;

namespace Listes360.Application.Identity;

public sealed record ResolveReviewInput(string Department, string ItemId, ReviewDecision Decision, string Reason, string? SurvivorId = null);

public sealed record ResolveReviewResult(ReviewItem Item);

/// <summary>Settles a possible duplicate of the review queue: merged (reversible) or two distinct persons.</summary>
public sealed class ResolveReview(IGrainFactory grains) : UseCase<ResolveReviewInput, ResolveReviewResult>
{
    protected override async Task<ResolveReviewResult> RunAsync(ResolveReviewInput input, Caller caller) =>
        new(await grains.GetGrain<IReviewQueueGrain>(DepartmentCodes.Parse(input.Department))
            .ResolveAsync(input.ItemId, input.Decision, input.SurvivorId, input.Reason, By(caller)));
}

/// <summary>A merge, or the split that undid it.</summary>
public sealed record MergeResult(MergeRecord Merge);

public sealed record MergePersonsInput(string SurvivorId, string MergedId, string Reason);

/// <summary>Merges a duplicate into the person kept (the département's identity grain moves everything).</summary>
public sealed class MergePersons(IGrainFactory grains) : UseCase<MergePersonsInput, MergeResult>
{
    protected override async Task<MergeResult> RunAsync(MergePersonsInput input, Caller caller)
    {
        var survivor = PersonId.Parse(input.SurvivorId).Value;
        return new(await grains.GetGrain<IIdentityGrain>(AccessPolicy.DepartmentOfKey(survivor))
            .MergeAsync(survivor, PersonId.Parse(input.MergedId).Value, input.Reason, By(caller)));
    }
}

public sealed record SplitPersonInput(string MergedId, string Reason);

/// <summary>Undoes a merge: each candidature the merged person brought goes back to them.</summary>
public sealed class SplitPerson(IGrainFactory grains) : UseCase<SplitPersonInput, MergeResult>
{
    protected override async Task<MergeResult> RunAsync(SplitPersonInput input, Caller caller)
    {
        var merged = PersonId.Parse(input.MergedId).Value;
        return new(await grains.GetGrain<IIdentityGrain>(AccessPolicy.DepartmentOfKey(merged)).SplitAsync(merged, input.Reason, By(caller)));
    }
}
