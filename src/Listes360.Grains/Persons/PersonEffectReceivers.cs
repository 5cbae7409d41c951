using Listes360.Domain.Persons;
using Listes360.Grains.Department;
using Listes360.Grains.Grid;
using Listes360.Grains.Registry;
using Listes360.Grains.Risk;
using Listes360.Grains.Sequential;
using Listes360.Grains.WaitingList;

namespace Listes360.Grains.Persons;

/// <summary>The kinds of grains that receive a person's effects.</summary>
public enum EffectReceiverKind
{
    Esms,
    Ranking,
    WaitingShard,
    RiskShard,
    ListShard,
    CandidateShard,
    EsmsAvailability,
    Vacancy,
}

/// <summary>A grain receiving an effect of a person's file: its kind and key.</summary>
public readonly record struct EffectReceiver(EffectReceiverKind Kind, string Key);

/// <summary>
/// Where each effect of a person's file goes (<see cref="ReceiversOf"/>): the one routing of the person's outbox
/// (<see cref="DeliverAsync"/>, one effect at a time) and of a bulk delivery (<see cref="PersonEffectsInBulk"/>, grouped by receiver).
/// </summary>
public static class PersonEffectReceivers
{
    /// <summary>The grains an effect goes to, in delivery order (the waiting counts before the risk projection of the same version).</summary>
    public static IReadOnlyList<EffectReceiver> ReceiversOf(DepartmentTopology topology, PersonId person, PersonFileEffect effect) => effect switch
    {
        CandidatureToEsms e => [new(EffectReceiverKind.Esms, e.Candidature.Finess.Value)],
        FactsToRanking e => [new(EffectReceiverKind.Ranking, RankingKeys.Of(e.Facts.Finess, e.Facts.Modality))],
        ProjectionsOfVersion => [new(EffectReceiverKind.WaitingShard, topology.ShardOf(person)), new(EffectReceiverKind.RiskShard, topology.RiskShardOf(person))],
        SequentialEntryOfVersion => [new(EffectReceiverKind.CandidateShard, CandidateSharding.ShardOf(topology, person))],
        ListRowOfVersion => [new(EffectReceiverKind.ListShard, topology.ListShardOf(person))],
        PlacesToRelease e => [new(EffectReceiverKind.EsmsAvailability, e.Finess.Value)],
        PlaceLeftToVacancies e => [new(EffectReceiverKind.Vacancy, e.Exit.LeftFiness.Value)],
        _ => throw new InvalidOperationException($"Effet inconnu : {effect.GetType().Name}."),
    };

    public static async Task DeliverAsync(IGrainFactory grains, DepartmentTopology topology, PersonId person, PersonFileEffect effect)
    {
        foreach (var receiver in ReceiversOf(topology, person, effect))
            await DeliverAsync(grains, receiver, person, effect);
    }

    private static Task DeliverAsync(IGrainFactory grains, EffectReceiver receiver, PersonId person, PersonFileEffect effect) => (receiver.Kind, effect) switch
    {
        (EffectReceiverKind.Esms, CandidatureToEsms e) => grains.GetGrain<IEsmsGrain>(receiver.Key).ApplyCandidatureAsync(EsmsCandidatureView.Of(e.Candidature)),
        (EffectReceiverKind.Ranking, FactsToRanking e) => grains.GetGrain<IRankingGrain>(receiver.Key).ApplyFactsAsync(e.Facts),
        (EffectReceiverKind.WaitingShard, ProjectionsOfVersion e) => grains.GetGrain<IWaitingShardGrain>(receiver.Key).ApplyAsync(person, e.Version, e.Counts),
        (EffectReceiverKind.RiskShard, ProjectionsOfVersion e) => grains.GetGrain<IRiskShardGrain>(receiver.Key).ApplyAsync(person, e.Version, e.Risk),
        (EffectReceiverKind.CandidateShard, SequentialEntryOfVersion e) => grains.GetGrain<ICandidateShardGrain>(receiver.Key).ApplyAsync(person, e.Version, e.Entry),
        (EffectReceiverKind.ListShard, ListRowOfVersion e) => grains.GetGrain<IWaitingListShardGrain>(receiver.Key).ApplyAsync(e.Row),
        (EffectReceiverKind.EsmsAvailability, PlacesToRelease e) => grains.GetGrain<IEsmsAvailabilityGrain>(receiver.Key).ReleaseAsync(e.Proposal),
        (EffectReceiverKind.Vacancy, PlaceLeftToVacancies e) => grains.GetGrain<Vacancies.IVacancyGrain>(receiver.Key).OnAdmissionElsewhereAsync(e.Exit),
        _ => throw new InvalidOperationException($"Effet {effect.GetType().Name} sans livraison vers {receiver.Kind}."),
    };
}
