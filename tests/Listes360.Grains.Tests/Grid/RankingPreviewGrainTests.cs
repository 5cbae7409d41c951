using System.Text.Json.Nodes;
using Listes360.Domain;
using Listes360.Domain.Grid;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;
using Listes360.Domain.Security;
using Listes360.Grains.Grid;
using Listes360.Grains.Persons;
using Listes360.Grains.Registry;
using Listes360.Grains.Security;
using Listes360.Grains.Tests.Registry;

namespace Listes360.Grains.Tests.Grid;

/// <summary>
/// IRankingGrain.PreviewAsync (issue 18): today's top under the grid in force and under a draft, read only;
/// administration of the département only (a director of the ESMS, an administrator of another département: refused).
/// In the Manche (50), which no other test publishes a grid for.
/// </summary>
[Collection(MemoryClusterCollection.Name)]
public sealed class RankingPreviewGrainTests(MemoryClusterFixture cluster)
{
    private const string Department = "50";
    private static readonly Caller Admin = new("admin-apercu", Role.Admin, [], Department, null);
    private static int _next = 7_000;

    private static DateOnly Today => DateOnly.FromDateTime(MemoryClusterFixture.Clock.Now.UtcDateTime);

    private static string GridJson(string department, int cretonPoints)
    {
        var doc = JsonNode.Parse(GridDocument.DefaultJson("61"))!;
        doc["department"] = department;
        foreach (var c in doc["criteria"]!.AsArray())
            if ((string?)c!["id"] == "CRETON") c["points"] = cretonPoints;
        return doc.ToJsonString();
    }

    /// <summary>A FAM of the Manche with a Creton candidate (asked a day later) and another: the Creton one first under 25 points.</summary>
    private async Task<(IRankingGrain Ranking, string Finess, string Creton, string Other)> RankingAsync()
    {
        var grid = cluster.Grains.GetGrain<IGridGrain>(Department);
        if (await grid.GetInForceAsync(null) is null)
            await grid.PublishAsync(GridJson(Department, 25), "admin-apercu");
        var finess = FinessNumber.WithKey(Department + Interlocked.Increment(ref _next).ToString("D6")).Value;
        await cluster.Grains.GetGrain<IEsmsGrain>(finess).RegisterAsync(EsmsGrainTests.Profile(finess, "FAM " + finess, "448"), "admin");
        var creton = await NewPersonAsync(new Situation { Kind = SituationKind.InChildrenEsmsUnderCreton, Since = new DateOnly(2024, 2, 1) }, new DateOnly(2004, 1, 10));
        var other = await NewPersonAsync(new Situation { Kind = SituationKind.InChildrenEsms, Since = new DateOnly(2015, 9, 1) }, new DateOnly(2007, 1, 10));
        var c1 = await creton.CreateCandidatureAsync(FinessNumber.Parse(finess), Modality.Residential, Today.AddDays(-30), "x");
        var c2 = await other.CreateCandidatureAsync(FinessNumber.Parse(finess), Modality.Residential, Today.AddDays(-31), "x");
        return (cluster.Grains.GetGrain<IRankingGrain>(RankingKeys.Of(FinessNumber.Parse(finess), Modality.Residential)), finess, c1.Id.Value, c2.Id.Value);
    }

    private async Task<IPersonGrain> NewPersonAsync(Situation situation, DateOnly birthDate)
    {
        var person = cluster.Grains.GetGrain<IPersonGrain>(PersonId.New(Department).Value);
        await person.CreateAsync(PersonIdentity.Create("Lefebvre", ["Jeanne"], birthDate, Sex.Female, Today), situation, null, true, "x");
        await person.AddOrientationAsync(Orientation.Create("CDAPH-" + Guid.NewGuid().ToString("N")[..6], KindOfSupport.Fam, new DateOnly(2025, 1, 1), null), "x");
        return person;
    }

    [Fact]
    public async Task An_administrator_previews_a_draft_that_reverses_the_top_and_nothing_changes_until_it_is_published()
    {
        using var acting = CallerContext.As(Admin);
        var (ranking, finess, creton, other) = await RankingAsync();
        var before = await ranking.GetAsync(null);
        Assert.Equal([creton, other], before.Entries.Select(e => e.CandidatureId.Value));
        var versions = (await cluster.Grains.GetGrain<IGridGrain>(Department).GetVersionsAsync()).Count;

        var preview = await ranking.PreviewAsync(GridJson(Department, 0), 10);

        Assert.Equal((before.GridVersion, versions + 1), (preview.CurrentVersion, preview.DraftVersion));
        Assert.Equal([creton, other], preview.CurrentTop.Select(e => e.CandidatureId.Value));
        Assert.Equal([other, creton], preview.DraftTop.Select(e => e.CandidatureId.Value));
        Assert.Equal([(other, RankChange.Up), (creton, RankChange.Down)], preview.Lines.Select(l => (l.CandidatureId.Value, l.Change)));
        var points = preview.Lines[1].Criteria.Single(c => c.CriterionId == "CRETON");
        Assert.Equal((25, 0), (points.Before!.Value, points.After!.Value));

        // A read: the ranking and the grid are as they were.
        var after = await ranking.GetAsync(null);
        Assert.Equal(before.GridVersion, after.GridVersion);
        Assert.Equal([creton, other], after.Entries.Select(e => e.CandidatureId.Value));
        Assert.Equal(versions, (await cluster.Grains.GetGrain<IGridGrain>(Department).GetVersionsAsync()).Count);
        // Audited as a read of the ranking (it names the candidatures).
        Assert.Contains(MemoryClusterFixture.Audit.Entries, e => e.Operation == "IRankingGrain.PreviewAsync" && e.Subject == Admin.Subject
            && e.Kind == AuditKind.Read && e.Outcome == AuditOutcome.Done && e.Target.StartsWith(finess, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_draft_with_faults_is_refused_at_their_paths_as_publishing_would_and_a_top_out_of_range_in_French()
    {
        using var acting = CallerContext.As(Admin);
        var (ranking, _, _, _) = await RankingAsync();

        var refused = await Assert.ThrowsAsync<GridValidationException>(() => ranking.PreviewAsync(GridJson(Department, 0).Replace("\"urgency\"", "\"urgence\""), 10));
        Assert.Equal("$.criteria[0].fact", Assert.Single(refused.Errors).Path);
        var elsewhere = await Assert.ThrowsAsync<GridValidationException>(() => ranking.PreviewAsync(GridJson("14", 0), 10));
        Assert.Contains("département 14", Assert.Single(elsewhere.Errors, e => e.Path == "$.department").Message);
        var top = await Assert.ThrowsAsync<DomainException>(() => ranking.PreviewAsync(GridJson(Department, 0), 0));
        Assert.Equal("INVALID_TOP", top.Code);
    }

    [Fact]
    public async Task A_director_of_the_ESMS_and_an_administrator_of_another_departement_are_refused_and_the_refusals_audited()
    {
        IRankingGrain ranking;
        string finess;
        using (CallerContext.As(Admin))
            (ranking, finess, _, _) = await RankingAsync();

        using (CallerContext.As(new Caller("directrice-apercu", Role.EsmsDirector, [finess], Department, null)))
        {
            var e = await Assert.ThrowsAsync<DomainException>(() => ranking.PreviewAsync(GridJson(Department, 0), 10));
            Assert.Equal("FORBIDDEN", e.Code);
            Assert.Contains("ne permet pas cette opération", e.Message);
            // The same director reads the ranking itself.
            Assert.NotEmpty((await ranking.GetAsync(null)).Entries);
        }
        using (CallerContext.As(new Caller("admin-orne", Role.Admin, [], "61", null)))
        {
            var e = await Assert.ThrowsAsync<DomainException>(() => ranking.PreviewAsync(GridJson(Department, 0), 10));
            Assert.Equal("FORBIDDEN", e.Code);
            Assert.Contains("pas le département 50", e.Message);
        }
        Assert.Contains(MemoryClusterFixture.Audit.Entries, e => e.Operation == "IRankingGrain.PreviewAsync" && e.Subject == "directrice-apercu" && e.Outcome == AuditOutcome.Denied);
        Assert.Contains(MemoryClusterFixture.Audit.Entries, e => e.Operation == "IRankingGrain.PreviewAsync" && e.Subject == "admin-orne" && e.Outcome == AuditOutcome.Denied);
    }
}
