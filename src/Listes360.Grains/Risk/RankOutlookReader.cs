using Listes360.Domain.Risk;
using Listes360.Domain.Security;
using Listes360.Grains.Grid;
using Listes360.Grains.Registry;
using Listes360.Grains.Security;

namespace Listes360.Grains.Risk;

/// <summary>
/// Where a young person's open adult candidatures stand in their ESMS's harmonised rankings, beside the
/// places likely to free up there within a year: the "far beyond" part of TRANSITION_AGE, read by the
/// risk shard when it scores (the rankings and places live in the ranking and ESMS grains; the person
/// grain never reads them). An ESMS that declared no places for the modality gives no position:
/// unknown capacity is not "no place".
/// </summary>
internal static class RankOutlookReader
{
    public static async Task<RankOutlook> ReadAsync(IGrainFactory grains, IEnumerable<RankQuestion> questions)
    {
        // Read as the service, whoever changed the person (a director of one ESMS included): nothing of
        // other ESMS's rankings leaves the shard but the flag.
        using var asService = CallerContext.As(Caller.ServiceItself);
        var positions = new Dictionary<Domain.Candidatures.CandidatureId, RankPosition>();
        foreach (var question in questions)
        {
            var position = await grains.GetGrain<IRankingGrain>(RankingKeys.Of(question.Finess, question.Modality)).GetPositionAsync(question.Candidature);
            if (position?.Position is not { } rank)
                continue;
            var esms = await grains.GetGrain<IEsmsGrain>(question.Finess.Value).GetAsync();
            if (esms?.Places.FirstOrDefault(p => p.Modality == question.Modality) is not { Capacity: > 0 } places)
                continue;
            positions[question.Candidature] = new RankPosition(rank, RankPosition.PlacesLikelyToFreeWithinAYear(places.Capacity, places.Occupied));
        }
        return RankOutlook.From(positions);
    }
}
