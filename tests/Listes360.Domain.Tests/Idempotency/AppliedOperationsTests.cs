using System.Collections.Immutable;
using Listes360.Domain.Idempotency;

namespace Listes360.Domain.Tests.Idempotency;

public sealed class AppliedOperationsTests
{
    [Fact]
    public void A_remembered_operation_is_found_by_its_key_and_nothing_without_a_key()
    {
        var applied = AppliedOperations.Remember([], "k1", "C-1");
        applied = AppliedOperations.Remember(applied, null, "C-2");

        Assert.Single(applied);
        Assert.Equal("C-1", AppliedOperations.Find(applied, "k1")!.CandidatureId);
        Assert.Null(AppliedOperations.Find(applied, "k2"));
        Assert.Null(AppliedOperations.Find(applied, null));
    }

    [Fact]
    public void Only_the_last_operations_are_kept()
    {
        var applied = ImmutableList<AppliedOperation>.Empty;
        for (var i = 0; i < AppliedOperations.Kept + 5; i++)
            applied = AppliedOperations.Remember(applied, $"k{i}", $"C-{i}");

        Assert.Equal(AppliedOperations.Kept, applied.Count);
        Assert.Null(AppliedOperations.Find(applied, "k4"));
        Assert.Equal("C-5", AppliedOperations.Find(applied, "k5")!.CandidatureId);
        Assert.Equal($"C-{AppliedOperations.Kept + 4}", applied[^1].CandidatureId);
    }
}
