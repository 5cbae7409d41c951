using Listes360.Domain.Security;
using Listes360.Grains.Security;

namespace Listes360.Grains.Tests.Security;

/// <summary>The audit's per-request memory, without a silo: Orleans' RequestContext flows with the async call as in a grain.</summary>
public sealed class RequestAuditDeduplicationTests
{
    private static AuditEntry Entry(string operation, string target, AuditOutcome outcome = AuditOutcome.Done) =>
        new(DateTimeOffset.UtcNow, "lectrice", Role.MdphReferent, operation, AuditKind.Read, target, outcome, null);

    private static async Task InRequestAsync(string request, Func<Task> body)
    {
        RequestContext.Set(RequestAuditDeduplication.RequestKey, request);
        try
        {
            await body();
        }
        finally
        {
            RequestContext.Remove(RequestAuditDeduplication.RequestKey);
        }
    }

    [Fact]
    public async Task One_row_per_request_operation_target_and_outcome()
    {
        var inner = new InMemoryAuditTrail();
        var trail = new RequestAuditDeduplication(inner);
        await InRequestAsync("r1", async () =>
        {
            for (var i = 0; i < 1000; i++)
                await trail.AppendAsync(Entry("IPersonGrain.GetAsync", "61-p1"));
            await trail.AppendAsync(Entry("IPersonGrain.GetAsync", "61-p2"));
            await trail.AppendAsync(Entry("IPersonGrain.GetAsync", "61-p1", AuditOutcome.Denied));
            await trail.AppendAsync(Entry("IPersonSequentialGrain.GetSequentialNeedsAsync", "61-p1"));
        });
        await InRequestAsync("r2", () => trail.AppendAsync(Entry("IPersonGrain.GetAsync", "61-p1")));
        Assert.Equal(5, inner.Entries.Count);
    }

    [Fact]
    public async Task A_fan_out_over_a_departments_shards_is_one_fact_but_two_departments_are_two()
    {
        var inner = new InMemoryAuditTrail();
        var trail = new RequestAuditDeduplication(inner);
        await InRequestAsync("r1", () => Task.WhenAll(Enumerable.Range(0, 16)
            .Select(i => trail.AppendAsync(Entry("IRiskShardGrain.SelectAsync", $"61-r{i}", AuditOutcome.Denied)))
            .Append(trail.AppendAsync(Entry("IRiskShardGrain.SelectAsync", "62-r0", AuditOutcome.Denied)))));
        Assert.Equal(["61-r", "62-r"], inner.Entries.Select(e => e.Target[..4]).Order().ToArray());
    }

    [Fact]
    public async Task Every_write_is_written_but_a_repeated_refused_write_once()
    {
        var inner = new InMemoryAuditTrail();
        var trail = new RequestAuditDeduplication(inner);
        AuditEntry Write(AuditOutcome outcome) => Entry("IEsmsGrain.SetPlacesAsync", "610000010", outcome) with { Kind = AuditKind.Write };
        await InRequestAsync("w", async () =>
        {
            for (var i = 0; i < 3; i++)
            {
                await trail.AppendAsync(Write(AuditOutcome.Done));
                await trail.AppendAsync(Write(AuditOutcome.Failed));
                await trail.AppendAsync(Write(AuditOutcome.Denied));
            }
        });
        Assert.Equal(7, inner.Entries.Count);
        Assert.Single(inner.Entries, e => e.Outcome == AuditOutcome.Denied);
    }

    [Fact]
    public async Task Without_a_request_id_every_entry_is_written()
    {
        var inner = new InMemoryAuditTrail();
        var trail = new RequestAuditDeduplication(inner);
        for (var i = 0; i < 3; i++)
            await trail.AppendAsync(Entry("IPersonGrain.GetAsync", "61-p1"));
        Assert.Equal(3, inner.Entries.Count);
    }

    [Fact]
    public async Task Past_the_per_request_bound_entries_are_written_again_never_dropped()
    {
        var inner = new InMemoryAuditTrail();
        var trail = new RequestAuditDeduplication(inner);
        await InRequestAsync("big", async () =>
        {
            for (var i = 0; i < RequestAuditDeduplication.MaxKeysPerRequest + 10; i++)
                await trail.AppendAsync(Entry("IPersonGrain.GetAsync", $"61-p{i}"));
            await trail.AppendAsync(Entry("IPersonGrain.GetAsync", $"61-p{RequestAuditDeduplication.MaxKeysPerRequest + 5}"));
            await trail.AppendAsync(Entry("IPersonGrain.GetAsync", "61-p0"));
        });
        // The 10 facts past the bound are not remembered: the repeat of one of them is written, the repeat of a remembered one is not.
        Assert.Equal(RequestAuditDeduplication.MaxKeysPerRequest + 11, inner.Entries.Count);
    }
}
