using Listes360.Domain;
using Listes360.Domain.Persons;
using Listes360.Domain.Risk;
using Listes360.Domain.Security;
using Listes360.Grains.Department;
using Listes360.Grains.Persons;
using Listes360.Grains.Risk;
using Listes360.Grains.Security;

namespace Listes360.Grains.Tests.Risk;

/// <summary>
/// Person grains keep their risk shard current: on a change of situation and when the daily pass
/// moves ages on. (This cluster loads no model: flags only, no probability; scoring is tested with
/// the shipped model in the API tests.)
/// </summary>
[Collection(MemoryClusterCollection.Name)]
public sealed class RiskShardGrainTests(MemoryClusterFixture cluster)
{
    private static readonly Caller Staff = new("conseillère", Role.TerritorialStaff, [], "61", null);
    private static readonly Caller Observatory = new("observatoire", Role.Observatory, [], "61", null);

    private static DateOnly Today => DateOnly.FromDateTime(MemoryClusterFixture.Clock.Now.UtcDateTime);

    private async Task<RuptureRiskItem?> ItemOfAsync(PersonId person)
    {
        var topology = new DepartmentTopology { WaitingShards = 4 };
        using var acting = CallerContext.As(Observatory);
        var page = await cluster.Grains.GetGrain<IRiskShardGrain>(topology.RiskShardOf(person)).SelectAsync(RiskFilter.All, null, 200);
        return page.Items.SingleOrDefault(i => i.Pseudonym == MemoryClusterFixture.Pseudonyms.Of(person, PseudonymPeriod.Of(Today)));
    }

    [Fact]
    public async Task The_daily_pass_flags_a_young_person_on_their_16th_birthday_and_a_situation_change_reaches_the_shard()
    {
        var id = PersonId.New("61");
        var grain = cluster.Grains.GetGrain<IPersonGrain>(id.Value);
        var birth = Today.AddYears(-16).AddDays(1);
        using (CallerContext.As(Staff))
            await grain.CreateAsync(PersonIdentity.Create("JEUNE", ["Test"], birth, Sex.Male, Today),
                new Situation { Kind = SituationKind.InChildrenEsms, Since = Today.AddYears(-3) }, null, false, "x");

        var before = await ItemOfAsync(id);
        Assert.Null(before); // 15, in an ESMS, not waiting: not in the list

        var start = MemoryClusterFixture.Clock.Now;
        try
        {
            MemoryClusterFixture.Clock.Now = start.AddDays(1);
            using (CallerContext.As(Caller.ServiceItself))
                await grain.ReconcileAsync();
            var flagged = await ItemOfAsync(id);
            Assert.NotNull(flagged);
            Assert.Equal([RiskFlag.TransitionAge], flagged.Flags.ToArray());
            Assert.Equal("16-17", flagged.AgeBand);
            Assert.Null(flagged.Probability);

            using (CallerContext.As(Staff))
                await grain.UpdateSituationAsync(new Situation { Kind = SituationKind.InAdultEsms, Since = Today }, null, "x");
            Assert.Null(await ItemOfAsync(id)); // no longer in a children's setting, not waiting
        }
        finally
        {
            MemoryClusterFixture.Clock.Now = start;
        }
    }

    [Fact]
    public async Task The_pseudonyms_change_when_the_quarter_changes()
    {
        var id = PersonId.New("61");
        using (CallerContext.As(Staff))
            await cluster.Grains.GetGrain<IPersonGrain>(id.Value).CreateAsync(PersonIdentity.Create("TRIMESTRE", ["Test"], Today.AddYears(-17), Sex.Female, Today),
                new Situation { Kind = SituationKind.InChildrenEsms, Since = Today.AddYears(-2) }, null, true, "x");
        var start = MemoryClusterFixture.Clock.Now;
        try
        {
            var now = await ItemOfAsync(id);
            Assert.NotNull(now);
            MemoryClusterFixture.Clock.Now = start.AddMonths(3);
            var shard = cluster.Grains.GetGrain<IRiskShardGrain>(new DepartmentTopology { WaitingShards = 4 }.RiskShardOf(id));
            using var acting = CallerContext.As(Observatory);
            var later = await shard.SelectAsync(RiskFilter.All, null, 200);
            Assert.Equal(PseudonymPeriod.Of(DateOnly.FromDateTime(start.AddMonths(3).UtcDateTime)), later.Period);
            Assert.DoesNotContain(later.Items, i => i.Pseudonym == now.Pseudonym);
            Assert.Contains(later.Items, i => i.Pseudonym == MemoryClusterFixture.Pseudonyms.Of(id, later.Period));
        }
        finally
        {
            MemoryClusterFixture.Clock.Now = start;
        }
    }

    [Fact]
    public async Task A_refusal_decided_by_the_shard_is_audited_as_denied()
    {
        var subject = "terr-" + Guid.NewGuid().ToString("N")[..8];
        using var acting = CallerContext.As(new Caller(subject, Role.TerritorialStaff, [], "61", "246100663"));
        var e = await Assert.ThrowsAsync<DomainException>(() => cluster.Grains.GetGrain<IRiskShardGrain>("61-r1").SelectAsync(RiskFilter.All with { Territory = "200071553" }, null, 10));
        Assert.Equal("FORBIDDEN", e.Code);
        var row = Assert.Single(MemoryClusterFixture.Audit.Entries, a => a.Subject == subject);
        Assert.Equal(("IRiskShardGrain.SelectAsync", "61-r1", AuditOutcome.Denied), (row.Operation, row.Target, row.Outcome));
    }

    [Fact]
    public async Task Only_the_observatory_side_roles_read_a_risk_shard()
    {
        using var acting = CallerContext.As(new Caller("directrice", Role.EsmsDirector, ["610000010"], null, null));
        var e = await Assert.ThrowsAnyAsync<Exception>(() => cluster.Grains.GetGrain<IRiskShardGrain>("61-r0").SelectAsync(RiskFilter.All, null, 10));
        Assert.Contains("FORBIDDEN", e is DomainException d ? d.Code : e.ToString());
    }
}

/// <summary>
/// TRANSITION_AGE's "far beyond the places likely to free up": the risk shard, when it scores, reads the
/// young person's position in the adult ESMS's harmonised ranking and the places declared there (the
/// person grain only says which candidatures to ask about).
/// </summary>
[Collection(MemoryClusterCollection.Name)]
public sealed class RankOutlookTests(MemoryClusterFixture cluster)
{
    private static readonly Caller Admin = new("admin", Role.Admin, [], "61", null);
    private static readonly Caller Observatory = new("observatoire", Role.Observatory, [], "61", null);
    private static int _next = 9_300;

    private static DateOnly Today => DateOnly.FromDateTime(MemoryClusterFixture.Clock.Now.UtcDateTime);

    [Fact]
    public async Task A_young_adult_ranked_beyond_twice_the_places_likely_to_free_up_is_flagged_until_places_free_up()
    {
        using var acting = CallerContext.As(Admin);
        var finess = Listes360.Domain.Registry.FinessNumber.WithKey("61" + Interlocked.Increment(ref _next).ToString("D6")).Value;
        var esms = cluster.Grains.GetGrain<Listes360.Grains.Registry.IEsmsGrain>(finess);
        await esms.RegisterAsync(Listes360.Grains.Tests.Registry.EsmsGrainTests.Profile(finess, "Foyer " + finess, "382"), "admin");
        // Full: 0 vacancies + 10 % of 10 occupied = 1 place likely to free up within a year.
        await esms.SetPlacesAsync(Listes360.Domain.Registry.Modality.Residential, 10, 10, Today.AddYears(-1), "admin");
        for (var i = 0; i < 3; i++)
            await ApplyAsync(finess, Today.AddYears(-30), SituationKind.AtHomeWithoutSolution);
        var young = await ApplyAsync(finess, Today.AddYears(-18).AddDays(-10), SituationKind.InChildrenEsms);

        using (CallerContext.As(Caller.ServiceItself))
            await cluster.Grains.GetGrain<IPersonGrain>(young.Value).ReconcileAsync();
        Assert.Contains(RiskFlag.TransitionAge, (await ItemOfAsync(young))!.Flags);

        // Half the places free: 5 + 10 % of 5 = 5.5 likely, rank 4 is within reach.
        await esms.SetPlacesAsync(Listes360.Domain.Registry.Modality.Residential, 10, 5, Today, "admin");
        using (CallerContext.As(Caller.ServiceItself))
            await cluster.Grains.GetGrain<IPersonGrain>(young.Value).ReconcileAsync();
        Assert.DoesNotContain(RiskFlag.TransitionAge, (await ItemOfAsync(young))?.Flags ?? []);
    }

    private async Task<PersonId> ApplyAsync(string finess, DateOnly birth, SituationKind situation)
    {
        var id = PersonId.New("61");
        var person = cluster.Grains.GetGrain<IPersonGrain>(id.Value);
        await person.CreateAsync(PersonIdentity.Create("RANG" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant(), ["Test"], birth, Sex.Female, Today),
            new Situation { Kind = situation, Since = Today.AddYears(-2) }, null, true, "x");
        await person.AddOrientationAsync(Orientation.Create("CDAPH-" + Guid.NewGuid().ToString("N")[..6], Listes360.Domain.Registry.KindOfSupport.FoyerDeVie, Today.AddYears(-1), null), "x");
        await person.CreateCandidatureAsync(Listes360.Domain.Registry.FinessNumber.Parse(finess), Listes360.Domain.Registry.Modality.Residential, Today.AddMonths(-6), "x");
        return id;
    }

    private async Task<RuptureRiskItem?> ItemOfAsync(PersonId person)
    {
        using var acting = CallerContext.As(Observatory);
        var page = await cluster.Grains.GetGrain<IRiskShardGrain>(new DepartmentTopology { WaitingShards = 4 }.RiskShardOf(person)).SelectAsync(RiskFilter.All, null, 200);
        return page.Items.SingleOrDefault(i => i.Pseudonym == MemoryClusterFixture.Pseudonyms.Of(person, PseudonymPeriod.Of(Today)));
    }
}
