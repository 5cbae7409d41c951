using System.Text.Json.Nodes;
using Listes360.Domain;
using Listes360.Domain.Candidatures;
using Listes360.Domain.Grid;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;
using Listes360.Domain.Security;
using Listes360.Grains.Grid;
using Listes360.Grains.Persons;
using Listes360.Grains.Registry;
using Listes360.Grains.Security;
using Listes360.Grains.Tests.Registry;
using Microsoft.Extensions.DependencyInjection;

namespace Listes360.Grains.Tests.Grid;

[Collection(MemoryClusterCollection.Name)]
public sealed class RankingGrainTests(MemoryClusterFixture cluster) : IDisposable
{
    private static int _next = 3_000;
    private readonly IDisposable _acting = CallerContext.As(new Caller("admin-grille", Role.Admin, [], "61", null));

    public void Dispose() => _acting.Dispose();

    private static DateOnly Today => DateOnly.FromDateTime(MemoryClusterFixture.Clock.Now.UtcDateTime);

    private static string GridJson(string department, int cretonPoints, string? effectiveFrom = null)
    {
        var doc = JsonNode.Parse(GridDocument.DefaultJson("61"))!;
        doc["department"] = department;
        if (effectiveFrom is not null) doc["effectiveFrom"] = effectiveFrom;
        foreach (var c in doc["criteria"]!.AsArray())
            if ((string?)c!["id"] == "CRETON") c["points"] = cretonPoints;
        return doc.ToJsonString();
    }

    [Fact]
    public async Task The_Orne_starts_with_the_shipped_grid_as_version_1()
    {
        var grid = await cluster.Grains.GetGrain<IGridGrain>("61").GetInForceAsync(new DateOnly(2020, 1, 1));
        Assert.NotNull(grid);
        Assert.Equal(1, grid.Version);
        Assert.Contains("grille par défaut", grid.PublishedBy);
    }

    [Fact]
    public async Task Rankings_registered_in_a_burst_are_all_stored_and_re_ranked_by_the_next_grid()
    {
        // An onboarding creates a thousand rankings in minutes, each registering itself one-way: none may be lost.
        using var admin = CallerContext.As(new Caller("admin-grille", Role.Admin, [], "93", null));
        var grid = cluster.Grains.GetGrain<IGridGrain>("93");
        await grid.PublishAsync(GridJson("93", 25), "admin");
        var keys = Enumerable.Range(0, 30).Select(i => RankingKeys.Of(FinessNumber.WithKey($"93{i:D6}"), Modality.Residential)).ToList();
        using (CallerContext.As(new Caller("service", Role.System, [], "93", null)))
            foreach (var key in keys)
                await grid.RegisterRankingAsync(key);

        var storage = ((Orleans.TestingHost.InProcessSiloHandle)cluster.Cluster.Primary!).SiloHost.Services
            .GetRequiredKeyedService<Orleans.Storage.IGrainStorage>(Listes360.Grains.StorageNames.Main);
        var stored = new GrainState<GridState>(new GridState());
        var waited = System.Diagnostics.Stopwatch.StartNew();
        do
        {
            await Task.Delay(200);
            await storage.ReadStateAsync("grid", GrainId.Create(GrainType.Create("grid"), IdSpan.Create("93")), stored);
        }
        while (!keys.All(stored.State!.Rankings.Contains) && waited.Elapsed < TimeSpan.FromSeconds(20));
        Assert.True(keys.All(stored.State!.Rankings.Contains), $"{stored.State.Rankings.Count} classements enregistrés sur 30 après {waited.Elapsed.TotalSeconds:0} s");
        Assert.Equal([1], stored.State.Versions.Select(v => v.Version));

        // Every registered ranking is asked to re-rank (these have no ESMS behind them: each answers with a failure).
        var next = await grid.PublishAsync(GridJson("93", 30), "admin");
        Assert.Equal(30, next.RankingsRefreshed + next.RankingsFailed);
    }

    [Fact]
    public async Task A_new_grid_re_ranks_the_ESMS_and_an_invalid_one_leaves_the_version_in_force()
    {
        // In the Calvados, as its own administrator: an admin is bound to its département.
        using var calvados = CallerContext.As(new Caller("admin-grille", Role.Admin, [], "14", null));
        var gridGrain = cluster.Grains.GetGrain<IGridGrain>("14");
        var v1 = await gridGrain.PublishAsync(GridJson("14", 25), "admin");
        var finess = await NewEsmsAsync("14", "448");
        var creton = await NewPersonAsync("14", new Situation { Kind = SituationKind.InChildrenEsmsUnderCreton, Since = new DateOnly(2024, 2, 1) }, new DateOnly(2004, 1, 10));
        var other = await NewPersonAsync("14", new Situation { Kind = SituationKind.InChildrenEsms, Since = new DateOnly(2015, 9, 1) }, new DateOnly(2007, 1, 10));
        var c1 = await creton.CreateCandidatureAsync(FinessNumber.Parse(finess), Modality.Residential, Today.AddDays(-30), "x");
        var c2 = await other.CreateCandidatureAsync(FinessNumber.Parse(finess), Modality.Residential, Today.AddDays(-31), "x");
        var ranking = cluster.Grains.GetGrain<IRankingGrain>(RankingKeys.Of(FinessNumber.Parse(finess), Modality.Residential));

        var first = await ranking.GetAsync(null);
        Assert.Equal([c1.Id, c2.Id], first.Entries.Select(e => e.CandidatureId));
        Assert.Equal(v1.Grid.Version, first.GridVersion);

        var refused = await Assert.ThrowsAsync<GridValidationException>(() => gridGrain.PublishAsync(GridJson("14", 25).Replace("\"urgency\"", "\"urgence\""), "admin"));
        Assert.Equal("$.criteria[0].fact", Assert.Single(refused.Errors).Path);
        Assert.Equal(v1.Grid.Version, (await gridGrain.GetInForceAsync(null))!.Version);
        Assert.Single(await gridGrain.GetVersionsAsync());

        var v2 = await gridGrain.PublishAsync(GridJson("14", 0), "admin");
        Assert.Equal(v1.Grid.Version + 1, v2.Grid.Version);
        Assert.True(v2.RankingsRefreshed >= 1);
        Assert.True(v2.CandidatesRanked >= 2, $"{v2.CandidatesRanked} candidatures reclassées");
        var after = await ranking.GetAsync(null);
        Assert.Equal([c2.Id, c1.Id], after.Entries.Select(e => e.CandidatureId));
        Assert.Equal(v2.Grid.Version, after.GridVersion);

        var position = (await ranking.GetPositionAsync(c1.Id))!;
        Assert.Equal((2, 2), (position.Position!.Value, position.EligibleCandidates));
    }

    [Fact]
    public async Task A_ranking_of_an_earlier_day_is_reproduced_after_a_grid_change_and_new_facts()
    {
        var start = MemoryClusterFixture.Clock.Now;
        var day0 = Today;
        var finess = await NewEsmsAsync("61", "448");
        var creton = await NewPersonAsync("61", new Situation { Kind = SituationKind.InChildrenEsmsUnderCreton, Since = new DateOnly(2024, 2, 1) }, new DateOnly(2004, 1, 10));
        var other = await NewPersonAsync("61", new Situation { Kind = SituationKind.InChildrenEsms, Since = new DateOnly(2015, 9, 1) }, new DateOnly(2007, 1, 10));
        var c1 = await creton.CreateCandidatureAsync(FinessNumber.Parse(finess), Modality.Residential, day0.AddDays(-30), "x");
        var c2 = await other.CreateCandidatureAsync(FinessNumber.Parse(finess), Modality.Residential, day0.AddDays(-31), "x");
        var ranking = cluster.Grains.GetGrain<IRankingGrain>(RankingKeys.Of(FinessNumber.Parse(finess), Modality.Residential));
        var before = Describe(await ranking.GetAsync(day0));
        try
        {
            MemoryClusterFixture.Clock.Now = start.AddDays(1);
            var published = await cluster.Grains.GetGrain<IGridGrain>("61").PublishAsync(GridJson("61", 0), "admin");
            await other.UpdateSituationAsync(new Situation { Kind = SituationKind.AtHomeWithoutSolution, Since = Today }, null, "x");
            await other.FlagUrgencyAsync(UrgencyFlag.Create(UrgencySource.Pag, Today, "rupture d'accueil", "referent"), "referent");

            Assert.Equal(before, Describe(await ranking.GetAsync(day0)));
            var now = await ranking.GetAsync(null);
            Assert.Equal(published.Grid.Version, now.GridVersion);
            Assert.Equal(c2.Id, now.Entries[0].CandidatureId);
            Assert.Contains(now.Entries[0].Score.Lines, l => l.CriterionId == "URGENCE" && l.Points == 40 && l.Fact.Contains("PAG"));
            Assert.Contains(c1.Id, now.Entries.Select(e => e.CandidatureId));
        }
        finally
        {
            MemoryClusterFixture.Clock.Now = start;
        }
    }

    [Fact]
    public async Task A_director_reads_the_ranking_of_their_ESMS_only_and_the_observatory_none()
    {
        var finess = await NewEsmsAsync("61", "448");
        var key = RankingKeys.Of(FinessNumber.Parse(finess), Modality.Residential);
        using (CallerContext.As(new Caller("dir", Role.EsmsDirector, [finess], "61", null)))
            Assert.Empty((await cluster.Grains.GetGrain<IRankingGrain>(key).GetAsync(null)).Entries);
        using (CallerContext.As(new Caller("dir2", Role.EsmsDirector, ["610000994"], "61", null)))
            Assert.Equal("FORBIDDEN", (await Assert.ThrowsAsync<DomainException>(() => cluster.Grains.GetGrain<IRankingGrain>(key).GetAsync(null))).Code);
        using (CallerContext.As(new Caller("obs", Role.Observatory, [], "61", null)))
            Assert.Equal("FORBIDDEN", (await Assert.ThrowsAsync<DomainException>(() => cluster.Grains.GetGrain<IRankingGrain>(key).GetAsync(null))).Code);
        using (CallerContext.As(new Caller("obs", Role.Observatory, [], "61", null)))
            Assert.Equal("FORBIDDEN", (await Assert.ThrowsAsync<DomainException>(() => cluster.Grains.GetGrain<IGridGrain>("61").PublishAsync("{}", "obs"))).Code);
    }

    [Fact]
    public async Task The_names_of_a_ranking_are_read_at_once_for_its_candidates_only_and_audited_in_one_entry()
    {
        var finess = await NewEsmsAsync("61", "448");
        var key = RankingKeys.Of(FinessNumber.Parse(finess), Modality.Residential);
        var situation = new Situation { Kind = SituationKind.AtHomeWithoutSolution, Since = new DateOnly(2024, 1, 1) };
        var first = await NewPersonAsync("61", situation, new DateOnly(1990, 1, 10));
        var second = await NewPersonAsync("61", situation, new DateOnly(1991, 1, 10));
        var elsewhere = await NewPersonAsync("61", situation, new DateOnly(1992, 1, 10));
        await first.CreateCandidatureAsync(FinessNumber.Parse(finess), Modality.Residential, Today.AddDays(-30), "x");
        await second.CreateCandidatureAsync(FinessNumber.Parse(finess), Modality.Residential, Today.AddDays(-20), "x");
        PersonId[] asked = [PersonId.Parse(first.GetPrimaryKeyString()), PersonId.Parse(second.GetPrimaryKeyString()), PersonId.Parse(elsewhere.GetPrimaryKeyString())];
        var director = "dir-noms-" + Guid.NewGuid().ToString("N")[..8];

        PersonNames names;
        using (CallerContext.As(new Caller(director, Role.EsmsDirector, [finess], "61", null)))
            names = await cluster.Grains.GetGrain<IRankingGrain>(key).GetNamesAsync(asked);

        // The person without a candidature here is left out: a director cannot read a name by guessing an id.
        Assert.Equal(asked[..2].OrderBy(p => p.Value), names.Names.Select(n => n.Person).OrderBy(p => p.Value));
        Assert.All(names.Names, n => Assert.Equal("Durand Camille", n.Name));
        var entries = MemoryClusterFixture.Audit.Entries.Where(e => e.Subject == director).ToList();
        var entry = Assert.Single(entries);
        Assert.Equal(("IRankingGrain.GetNamesAsync", AuditKind.Read, AuditOutcome.Done, key), (entry.Operation, entry.Kind, entry.Outcome, entry.Target));
        Assert.Contains(asked[0].Value, entry.Detail);
        Assert.Contains(asked[1].Value, entry.Detail);
        Assert.DoesNotContain(asked[2].Value, entry.Detail);

        // Another ESMS's director and the observatory are refused, and the refusal is audited.
        var intruder = "dir-autre-" + Guid.NewGuid().ToString("N")[..8];
        using (CallerContext.As(new Caller(intruder, Role.EsmsDirector, ["610000994"], "61", null)))
            Assert.Equal("FORBIDDEN", (await Assert.ThrowsAsync<DomainException>(() => cluster.Grains.GetGrain<IRankingGrain>(key).GetNamesAsync(asked))).Code);
        Assert.Contains(MemoryClusterFixture.Audit.Entries, e => e.Subject == intruder && e.Outcome == AuditOutcome.Denied && e.Operation == "IRankingGrain.GetNamesAsync");
        using (CallerContext.As(new Caller("obs", Role.Observatory, [], "61", null)))
            Assert.Equal("FORBIDDEN", (await Assert.ThrowsAsync<DomainException>(() => cluster.Grains.GetGrain<IRankingGrain>(key).GetNamesAsync(asked))).Code);
        // A territorial staff member of another département neither.
        using (CallerContext.As(new Caller("conseiller-14", Role.TerritorialStaff, [], "14", null)))
            Assert.Equal("FORBIDDEN", (await Assert.ThrowsAsync<DomainException>(() => cluster.Grains.GetGrain<IRankingGrain>(key).GetNamesAsync(asked))).Code);
        // The persons' own reads were not called: no audit entry per person.
        Assert.DoesNotContain(MemoryClusterFixture.Audit.Entries, e => e.Subject == director && e.Operation.StartsWith("IPersonGrain", StringComparison.Ordinal));

        var tooMany = await Assert.ThrowsAsync<DomainException>(() => cluster.Grains.GetGrain<IRankingGrain>(key)
            .GetNamesAsync([.. Enumerable.Range(0, PersonNames.MaxPersons + 1).Select(_ => PersonId.New("61"))]));
        Assert.Equal("TOO_MANY_PERSONS", tooMany.Code);
    }

    [Fact]
    public async Task Superseded_facts_move_to_archive_pages_past_rankings_of_the_window_stay_exact_and_older_dates_are_refused()
    {
        var start = MemoryClusterFixture.Clock.Now;
        var finess = FinessNumber.Parse(await NewEsmsAsync("61", "448"));
        var ranking = cluster.Grains.GetGrain<IRankingGrain>(RankingKeys.Of(finess, Modality.Residential));
        var seen = new Dictionary<DateOnly, string>();
        try
        {
            using var service = CallerContext.As(Caller.ServiceItself);
            // 300 days, two candidatures changing every day (urgency on alternate days): 600 versions, more than the state keeps.
            for (var d = 0; d < 300; d++)
            {
                MemoryClusterFixture.Clock.Now = start.AddDays(d);
                await ranking.ApplyFactsAsync(Facts(finess, "C-ARCA", d % 2 == 0, d));
                await ranking.ApplyFactsAsync(Facts(finess, "C-ARCB", d % 2 == 1, d));
                if (d is 10 or 11 or 200)
                    seen[Today] = Describe(await ranking.GetAsync(null));
            }
            Assert.NotEqual(seen[DateOnly.FromDateTime(start.AddDays(10).UtcDateTime)], seen[DateOnly.FromDateTime(start.AddDays(11).UtcDateTime)]);
            foreach (var (day, described) in seen)
                Assert.Equal(described, Describe(await ranking.GetAsync(day)));

            MemoryClusterFixture.Clock.Now = start.AddDays(300 + FactsRetention.WindowDays);
            var old = DateOnly.FromDateTime(start.AddDays(10).UtcDateTime);
            using (CallerContext.As(new Caller("admin-grille", Role.Admin, [], "61", null)))
            {
                var refused = await Assert.ThrowsAsync<DomainException>(() => ranking.GetAsync(old));
                Assert.Equal("RANKING_HISTORY_EXPIRED", refused.Code);
                Assert.Contains($"Le classement du {old:dd/MM/yyyy} ne peut plus être recalculé", refused.Message);
            }
        }
        finally
        {
            MemoryClusterFixture.Clock.Now = start;
        }
    }

    private static CandidateFacts Facts(FinessNumber finess, string id, bool urgent, int day) => new()
    {
        CandidatureId = CandidatureId.Parse(id),
        PersonId = PersonId.Parse("61-" + id.ToLowerInvariant()),
        Finess = finess,
        Modality = Modality.Residential,
        Kind = KindOfSupport.Fam,
        RequestDate = new DateOnly(2025, 1, 1),
        Status = CandidatureStatus.Waiting,
        StatusSince = new DateOnly(2025, 1, 1),
        BirthDate = new DateOnly(1990, 5, 1),
        Orientations = [Orientation.Create("CDAPH-" + id, KindOfSupport.Fam, new DateOnly(2024, 1, 1), null)],
        Situation = new Situation { Kind = SituationKind.InAdultEsms, Since = new DateOnly(2020, 1, 1).AddDays(day) },
        ResidenceCommune = "61001",
        Urgency = urgent ? UrgencyFlag.Create(UrgencySource.Pag, new DateOnly(2025, 1, 1), "rupture", "referent") : null,
    };

    private static string Describe(RankingResult r) => $"v{r.GridVersion} " + string.Join("\n", r.Entries.Select(e =>
        $"{e.Position} {e.CandidatureId} {e.Score.Total} " + string.Join("|", e.Score.Lines.Select(l => $"{l.CriterionId}:{l.Points}:{l.Fact}"))));

    private async Task<IPersonGrain> NewPersonAsync(string department, Situation situation, DateOnly birthDate)
    {
        var person = cluster.Grains.GetGrain<IPersonGrain>(PersonId.New(department).Value);
        var identity = PersonIdentity.Create("Durand", ["Camille"], birthDate, Sex.Female, Today, residenceCommune: department == "61" ? "61001" : "14118");
        await person.CreateAsync(identity, situation, null, true, "x");
        await person.AddOrientationAsync(Orientation.Create("CDAPH-" + Guid.NewGuid().ToString("N")[..6], KindOfSupport.Fam, new DateOnly(2025, 1, 1), null), "x");
        return person;
    }

    private async Task<string> NewEsmsAsync(string department, string category)
    {
        var finess = Listes360.Domain.Registry.FinessNumber.WithKey(department + Interlocked.Increment(ref _next).ToString("D6")).Value;
        await cluster.Grains.GetGrain<IEsmsGrain>(finess).RegisterAsync(EsmsGrainTests.Profile(finess, "ESMS " + finess, category), "admin");
        return finess;
    }
}
