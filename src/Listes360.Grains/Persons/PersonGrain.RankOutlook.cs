using Listes360.Domain.Candidatures;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;
using Listes360.Domain.Risk;
using Listes360.Domain.Security;
using Listes360.Grains.Grid;
using Listes360.Grains.Registry;
using Listes360.Grains.Security;

namespace Listes360.Grains.Persons;

public sealed partial class PersonGrain
{
    /// <summary>
    /// Where the person's open adult candidatures stand in their ESMS's harmonised rankings, beside the
    /// places likely to free up there within a year: the "far beyond" part of TRANSITION_AGE. Asked
    /// only at 16–19 (the only ages the rule reads it). An ESMS that declared no places for the modality
    /// gives no position: unknown capacity is not "no place".
    /// </summary>
    private async Task<RankOutlook?> RankOutlookAsync(DateOnly today)
    {
        var s = state.State;
        if (s.Record is not { } record || Age.InYears(record.Identity.BirthDate, today) is < 16 or >= 20)
            return null;
        var adult = s.Candidatures.Values.Where(c => c.IsOpen && c.Kind.Info().Audience != Audience.Children).ToList();
        if (adult.Count == 0)
            return null;
        // The rankings and places of other ESMS inform the flag whoever changed the person (a director
        // of one ESMS included): read as the service, nothing of them leaves this grain but the flag.
        using var asService = CallerContext.As(Caller.ServiceItself);
        var positions = new Dictionary<CandidatureId, RankPosition>();
        foreach (var candidature in adult)
        {
            var position = await GrainFactory.GetGrain<IRankingGrain>(RankingKeys.Of(candidature.Finess, candidature.Modality)).GetPositionAsync(candidature.Id);
            if (position?.Position is not { } rank)
                continue;
            var esms = await GrainFactory.GetGrain<IEsmsGrain>(candidature.Finess.Value).GetAsync();
            if (esms?.Places.FirstOrDefault(p => p.Modality == candidature.Modality) is not { Capacity: > 0 } places)
                continue;
            positions[candidature.Id] = new RankPosition(rank, RankPosition.PlacesLikelyToFreeWithinAYear(places.Capacity, places.Occupied));
        }
        return RankOutlook.From(positions);
    }
}
