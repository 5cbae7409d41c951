using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Listes360.Domain.Candidatures;
using Listes360.Domain.Grid;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;

namespace Listes360.Domain.Tests.Grid;

/// <summary>Made-up candidates for an adult ESMS (FAM) of the Orne.</summary>
internal static class GridTestData
{
    public static readonly DateOnly Today = TestData.Today;

    /// <summary>A FAM in Alençon (real commune, made-up FINESS), residential.</summary>
    public static readonly EsmsProfile Fam = EsmsProfile.Create(FinessNumber.Parse("610000119"), "FAM de test", "448", modalities: [Modality.Residential]) with
    {
        Postcode = "61000", Commune = "ALENCON",
    };

    public static CriteriaGrid Orne(int version = 1, DateOnly? from = null) =>
        GridDocument.Parse(GridDocument.DefaultJson("61"), version, from ?? Today.AddYears(-1));

    /// <summary>The default Orne grid with one criterion's fixed points changed.</summary>
    public static CriteriaGrid OrneWith(string criterionId, int points, int version, DateOnly from)
    {
        var doc = JsonNode.Parse(GridDocument.DefaultJson("61"))!;
        foreach (var c in doc["criteria"]!.AsArray())
            if ((string?)c!["id"] == criterionId) c["points"] = points;
        return GridDocument.Parse(doc.ToJsonString(), version, from);
    }

    public static CandidateFacts Candidate(string id, DateOnly? requestDate = null, Situation? situation = null, DateOnly? birthDate = null,
        string? commune = "61001", CandidatureStatus status = CandidatureStatus.Waiting, params Carer[] carers) => new()
    {
        CandidatureId = CandidatureId.Parse(id),
        PersonId = PersonId.Parse($"61-{id.ToLowerInvariant()}"),
        Finess = Fam.Finess,
        Modality = Modality.Residential,
        Kind = KindOfSupport.Fam,
        RequestDate = requestDate ?? Today.AddMonths(-10),
        Status = status,
        StatusSince = Today.AddDays(-3),
        BirthDate = birthDate ?? new DateOnly(2005, 3, 1),
        Orientations = [Orientation.Create("CDAPH-" + id, KindOfSupport.Fam, Today.AddYears(-2), Today.AddYears(3))],
        Situation = situation ?? new Situation { Kind = SituationKind.InChildrenEsms, Since = new DateOnly(2015, 9, 1) },
        Carers = [.. carers],
        ResidenceCommune = commune,
    };

    public static ImmutableArray<T> Arr<T>(params T[] items) => [.. items];
}
