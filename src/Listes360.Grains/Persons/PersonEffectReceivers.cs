using Listes360.Domain.Persons;
using Listes360.Grains.Department;
using Listes360.Grains.Grid;
using Listes360.Grains.Registry;
using Listes360.Grains.Risk;
using Listes360.Grains.Sequential;
using Listes360.Grains.WaitingList;

namespace Listes360.Grains.Persons;

/// <summary>Where each effect of a person's file goes: the one routing of the person's outbox and of a bulk delivery (<see cref="PersonEffectsInBulk"/>).</summary>
public static class PersonEffectReceivers
{
    public static Task DeliverAsync(IGrainFactory grains, DepartmentTopology topology, PersonId person, PersonFileEffect effect) => effect switch
    {
        CandidatureToEsms e => grains.GetGrain<IEsmsGrain>(e.Candidature.Finess.Value).ApplyCandidatureAsync(EsmsCandidatureView.Of(e.Candidature)),
        FactsToRanking e => grains.GetGrain<IRankingGrain>(RankingKeys.Of(e.Facts.Finess, e.Facts.Modality)).ApplyFactsAsync(e.Facts),
        ProjectionsOfVersion e => DeliverProjectionsAsync(grains, topology, person, e),
        SequentialEntryOfVersion e => grains.GetGrain<ICandidateShardGrain>(CandidateSharding.ShardOf(topology, person)).ApplyAsync(person, e.Version, e.Entry),
        ListRowOfVersion e => grains.GetGrain<IWaitingListShardGrain>(topology.ListShardOf(person)).ApplyAsync(e.Row),
        PlacesToRelease e => grains.GetGrain<IEsmsAvailabilityGrain>(e.Finess.Value).ReleaseAsync(e.Proposal),
        PlaceLeftToVacancies e => grains.GetGrain<Vacancies.IVacancyGrain>(e.Exit.LeftFiness.Value).OnAdmissionElsewhereAsync(e.Exit),
        _ => throw new InvalidOperationException($"Effet inconnu : {effect.GetType().Name}."),
    };

    /// <summary>The waiting counts, then the rupture-risk projection, at the same version.</summary>
    private static async Task DeliverProjectionsAsync(IGrainFactory grains, DepartmentTopology topology, PersonId person, ProjectionsOfVersion projections)
    {
        await grains.GetGrain<IWaitingShardGrain>(topology.ShardOf(person)).ApplyAsync(person, projections.Version, projections.Counts);
        await grains.GetGrain<IRiskShardGrain>(topology.RiskShardOf(person)).ApplyAsync(person, projections.Version, projections.Risk);
    }
}
