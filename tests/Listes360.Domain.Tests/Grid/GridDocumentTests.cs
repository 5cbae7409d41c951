using System.Text.Json.Nodes;
using Listes360.Domain.Grid;

namespace Listes360.Domain.Tests.Grid;

public class GridDocumentTests
{
    private static string DefaultWith(Action<JsonNode> change)
    {
        var doc = JsonNode.Parse(GridDocument.DefaultJson("61"))!;
        change(doc);
        return doc.ToJsonString();
    }

    private static GridError Single(string json) =>
        Assert.Single(Assert.Throws<GridValidationException>(() => GridDocument.Parse(json, 2, TestData.Today)).Errors);

    [Fact]
    public void The_default_Orne_grid_is_valid_and_covers_the_cahier_des_charges_priorities()
    {
        var grid = GridDocument.Parse(GridDocument.DefaultJson("61"), 1, TestData.Today);
        Assert.Equal("61", grid.Department);
        Assert.Equal(10, grid.Offers.AnswerDeadlineDays);
        Assert.Equal(
            [GridFact.Urgency, GridFact.WithoutSolutionMonths, GridFact.Creton, GridFact.CarerExhausted, GridFact.CarerAge,
             GridFact.PlacedAwayWantingBack, GridFact.RequestMonths, GridFact.DistanceKm, GridFact.RefusedSuitableOffers],
            grid.Criteria.Select(c => c.Fact));
        Assert.All(grid.Criteria, c => Assert.False(string.IsNullOrWhiteSpace(c.Rationale)));
    }

    [Fact]
    public void A_band_with_points_as_text_is_refused_with_its_path_and_a_French_message()
    {
        var error = Single(DefaultWith(d => d["criteria"]![4]!["bands"]![1]!["points"] = "huit"));
        Assert.Equal("$.criteria[4].bands[1].points", error.Path);
        Assert.Contains("doit être un nombre entier", error.Message);
    }

    [Fact]
    public void An_unknown_fact_is_refused_and_the_known_facts_are_listed()
    {
        var error = Single(DefaultWith(d => d["criteria"]![2]!["fact"] = "cretonn"));
        Assert.Equal("$.criteria[2].fact", error.Path);
        Assert.Contains("Fait « cretonn » inconnu", error.Message);
        Assert.Contains("creton", error.Message);
    }

    [Fact]
    public void A_misspelt_field_is_refused_rather_than_ignored()
    {
        var error = Single(DefaultWith(d => d["offers"]!["answerDeadlineDay"] = 10));
        Assert.Equal("$.offers.answerDeadlineDay", error.Path);
        Assert.Contains("inconnu", error.Message);
    }

    [Fact]
    public void Every_fault_is_reported_at_once()
    {
        var errors = Assert.Throws<GridValidationException>(() => GridDocument.Parse(DefaultWith(d =>
        {
            d["offers"]!["answerDeadlineDays"] = 0;
            d["criteria"]![1]!["id"] = "URGENCE";
            d["criteria"]![6]!.AsObject().Remove("cap");
            d["eligibility"]!["rankedStatuses"]![0] = "ADMITTED";
        }), 2, TestData.Today)).Errors;
        Assert.Equal(
            ["$.eligibility.rankedStatuses[0]", "$.offers.answerDeadlineDays", "$.criteria[1].id", "$.criteria[6].cap"],
            errors.Select(e => e.Path));
    }

    [Fact]
    public void Overlapping_bands_and_mixed_scoring_ways_are_refused()
    {
        Assert.Equal("$.criteria[4].bands[1].from", Single(DefaultWith(d => d["criteria"]![4]!["bands"]![1]!["from"] = 65)).Path);
        var mixed = Single(DefaultWith(d => d["criteria"]![2]!["perUnit"] = 3));
        Assert.Equal("$.criteria[2]", mixed.Path);
        Assert.Contains("oui ou non", mixed.Message);
    }

    [Fact]
    public void Broken_json_is_refused_with_the_line()
    {
        var error = Single("{\n \"department\": \"61\",,\n}");
        Assert.Equal("$", error.Path);
        Assert.Contains("ligne 2", error.Message);
    }

    [Fact]
    public void A_version_may_not_take_effect_in_the_past_nor_before_the_version_in_force()
    {
        var v1 = GridTestData.Orne(1, TestData.Today.AddDays(5));
        var past = GridDocument.Parse(DefaultWith(d => d["effectiveFrom"] = "2026-01-01"), 2, TestData.Today);
        var e = Assert.Throws<GridValidationException>(() => GridHistory.RequirePublishable(past, "61", [v1], TestData.Today));
        Assert.Equal(["$.effectiveFrom", "$.effectiveFrom"], e.Errors.Select(x => x.Path));
        var otherDep = Assert.Throws<GridValidationException>(() => GridHistory.RequirePublishable(GridTestData.Orne(2, TestData.Today.AddDays(9)), "59", [v1], TestData.Today));
        Assert.Equal("$.department", Assert.Single(otherDep.Errors).Path);
    }

    [Fact]
    public void The_version_in_force_is_the_latest_started_one()
    {
        var v1 = GridTestData.Orne(1, new DateOnly(2026, 1, 1));
        var v2 = GridTestData.Orne(2, new DateOnly(2026, 6, 1));
        Assert.Null(GridHistory.InForce([v1, v2], new DateOnly(2025, 12, 31)));
        Assert.Equal(1, GridHistory.InForce([v1, v2], new DateOnly(2026, 5, 31))!.Version);
        Assert.Equal(2, GridHistory.InForce([v1, v2], new DateOnly(2026, 6, 1))!.Version);
    }
}
