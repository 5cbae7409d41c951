using Listes360.AzureStorage.Audit;
using Listes360.Domain.Security;
using Listes360.Grains.Security;
using Listes360.Testing;

namespace Listes360.AzureStorage.Tests;

/// <summary>The audit table's group write: entries appended at once share transactions, none is lost or doubled.</summary>
[Collection(AzuriteCollectionDefinition.Name)]
public sealed class AuditTrailTests(AzuriteFixture azurite)
{
    private AzureTableAuditTrail NewTrail() =>
        new(azurite.CreateServiceClient().GetTableClient(AzuriteFixture.UniqueTableName("audit")));

    private static AuditEntry Entry(DateTimeOffset at, int n, string? detail = null) =>
        new(at, $"agent-{n}", Role.TerritorialStaff, "IPersonGrain.GetAsync", AuditKind.Read, $"personne-{n}", AuditOutcome.Done, detail);

    [Fact]
    public async Task Entries_appended_at_once_over_two_days_and_more_than_a_transaction_holds_are_each_stored_once()
    {
        var trail = NewTrail();
        var day1 = new DateTimeOffset(2026, 11, 29, 23, 59, 0, TimeSpan.Zero);
        var day2 = day1.AddMinutes(2);
        // 250 on the first day (three transactions at least), 60 on the second, with a large detail on some.
        var appends = Enumerable.Range(0, 310)
            .Select(n => trail.AppendAsync(Entry(n < 250 ? day1.AddMilliseconds(n) : day2.AddMilliseconds(n), n, n % 50 == 0 ? new string('x', 20_000) : null)))
            .ToList();
        await Task.WhenAll(appends);

        var stored = await trail.QueryAsync(new AuditQuery(day1.AddMinutes(-1), day2.AddMinutes(1), Limit: 1000));
        Assert.Equal(310, stored.Count);
        Assert.Equal(Enumerable.Range(0, 310).Select(n => $"personne-{n}").Order(), stored.Select(e => e.Target).Order());
        Assert.Equal(250, stored.Count(e => e.At.UtcDateTime.Date == day1.UtcDateTime.Date));
        Assert.All(stored.Where(e => e.Target == "personne-50"), e => Assert.Equal(20_000, e.Detail!.Length));
    }

    [Fact]
    public async Task An_append_returns_once_its_entry_can_be_read()
    {
        var trail = NewTrail();
        var at = DateTimeOffset.UtcNow;
        await trail.AppendAsync(Entry(at, 1));
        var stored = await trail.QueryAsync(new AuditQuery(at.AddMinutes(-1), at.AddMinutes(1)));
        Assert.Equal("personne-1", Assert.Single(stored).Target);
    }

    [Fact]
    public async Task A_refused_entry_fails_its_own_caller_only_and_its_batch_mates_are_stored()
    {
        var trail = NewTrail();
        var at = DateTimeOffset.UtcNow;
        // A property over the table service's 64 KiB string limit is refused; it shares a write with 20 others.
        var appends = Enumerable.Range(0, 21).Select(n => trail.AppendAsync(Entry(at.AddMilliseconds(n), n, n == 10 ? new string('x', 70_000) : null))).ToList();
        await Assert.ThrowsAnyAsync<Azure.RequestFailedException>(() => appends[10]);
        await Task.WhenAll(appends.Where((_, n) => n != 10));
        var stored = await trail.QueryAsync(new AuditQuery(at.AddMinutes(-1), at.AddMinutes(1)));
        Assert.Equal(20, stored.Count);
        Assert.DoesNotContain(stored, e => e.Target == "personne-10");
    }
}
