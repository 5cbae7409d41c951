using Listes360.Api.Security;
using Listes360.Grains.Security;
using Listes360.Testing.Cluster;
using Microsoft.Extensions.Logging.Abstractions;

namespace Listes360.Api.Tests;

/// <summary>The 401 aggregation, on a clock moved by hand: a flood cannot fill the audit trail.</summary>
public sealed class UnauthenticatedAuditTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 30, 3, 0, 10, TimeSpan.Zero);

    [Fact]
    public async Task A_flood_from_one_source_is_one_row_then_one_sum_per_minute()
    {
        var trail = new InMemoryAuditTrail();
        var clock = new SettableClock(Start);
        using var audit = new UnauthenticatedAudit(trail, clock, NullLogger<UnauthenticatedAudit>.Instance);
        for (var i = 0; i < 1000; i++)
            await audit.RecordAsync("203.0.113.7", "/graphql", "Jeton expiré : demandez-en un nouveau.");
        var first = Assert.Single(trail.Entries);
        Assert.Equal(("anonyme", UnauthenticatedAudit.Operation, "/graphql", AuditOutcome.Denied), (first.Subject, first.Operation, first.Target, first.Outcome));
        Assert.Equal("Jeton expiré : demandez-en un nouveau. (source 203.0.113.7)", first.Detail);

        clock.Now = Start.AddMinutes(1);
        await audit.FlushAsync();
        Assert.Equal(2, trail.Entries.Count);
        Assert.StartsWith("999 autre(s) refus 401 de la source 203.0.113.7 entre 03:00 et 03:01 UTC", trail.Entries[1].Detail);

        await audit.RecordAsync("203.0.113.7", "/graphql", "Jeton expiré : demandez-en un nouveau.");
        Assert.Equal(3, trail.Entries.Count);
    }

    [Fact]
    public async Task Past_the_sources_bound_new_sources_share_one_row()
    {
        var trail = new InMemoryAuditTrail();
        var clock = new SettableClock(Start);
        using var audit = new UnauthenticatedAudit(trail, clock, NullLogger<UnauthenticatedAudit>.Instance);
        for (var i = 0; i < UnauthenticatedAudit.MaxSourcesPerMinute + 500; i++)
            await audit.RecordAsync($"source-{i}", "/graphql", "Authentification requise.");
        Assert.Equal(UnauthenticatedAudit.MaxSourcesPerMinute + 1, trail.Entries.Count);
        Assert.EndsWith($"(source {UnauthenticatedAudit.OtherSources})", trail.Entries[^1].Detail);

        clock.Now = Start.AddMinutes(1);
        await audit.FlushAsync();
        Assert.StartsWith("499 autre(s) refus 401 de la source autres", trail.Entries[^1].Detail);
        Assert.Equal(UnauthenticatedAudit.MaxSourcesPerMinute + 2, trail.Entries.Count);
    }
}
