using Listes360.Domain.Persons;
using Listes360.Domain.Projections;
using Listes360.Domain.Risk;
using Listes360.Domain.Sequential;
using Listes360.Grains.Common;
using Listes360.Grains.Department;
using Listes360.Grains.Grid;
using Listes360.Grains.Registry;
using Listes360.Grains.Risk;
using Listes360.Grains.Sequential;
using Listes360.Grains.WaitingList;
using Microsoft.Extensions.Logging;

namespace Listes360.Grains.Persons;

/// <summary>
/// Delivers the pending effects of many persons at once (a chunk of a list import), grouped by receiver:
/// one batch apply, hence one write, per ESMS and per ranking; one call per projection shard, which writes its persons'
/// rows together (the sequential candidates' shards, written whole, wait <see cref="GroupCommit.BulkLinger"/> for the
/// chunks of other lists). Row by row, an import wrote the list's ESMS
/// and ranking once per row and each shard (written whole) about once per row: a cost in the square of the list.
/// Then each person is told which of its effects arrived (<see cref="IPersonGrain.AcknowledgeBulkDeliveryAsync"/>);
/// whatever failed, or is of another kind, the person delivers itself after its grace
/// (<see cref="BulkDeliveryGrace"/>). Receivers apply by version: an effect delivered twice is harmless.
/// Call from a grain (the calls then leave from its scheduler).
/// </summary>
public sealed class PersonEffectsInBulk(IGrainFactory grains, DepartmentTopology topology, ILogger logger)
{
    public async Task DeliverAsync(IReadOnlyDictionary<PersonId, ListRowAppliedForBulk> persons)
    {
        ArgumentNullException.ThrowIfNull(persons);
        var items = persons.SelectMany(p => p.Value.Pending.Select(e => (Person: p.Key, Effect: e))).ToList();
        var sends = new List<(IReadOnlyList<(PersonId Person, string Key)> Items, Func<Task> Send)>();

        foreach (var esms in items.Where(i => i.Effect is CandidatureToEsms).GroupBy(i => ((CandidatureToEsms)i.Effect).Candidature.Finess))
        {
            var views = esms.Select(i => EsmsCandidatureView.Of(((CandidatureToEsms)i.Effect).Candidature)).ToList();
            sends.Add((Keys(esms), () => grains.GetGrain<IEsmsGrain>(esms.Key.Value).ApplyCandidaturesAsync(views)));
        }
        foreach (var ranking in items.Where(i => i.Effect is FactsToRanking).GroupBy(i => RankingKeys.Of(((FactsToRanking)i.Effect).Facts.Finess, ((FactsToRanking)i.Effect).Facts.Modality)))
        {
            var facts = ranking.Select(i => ((FactsToRanking)i.Effect).Facts).ToList();
            sends.Add((Keys(ranking), () => grains.GetGrain<IRankingGrain>(ranking.Key).ApplyManyFactsAsync(facts)));
        }
        // The projections: one call per shard, whose applies share a write with those of other chunks arriving meanwhile.
        var projections = items.Where(i => i.Effect is ProjectionsOfVersion).Select(i => (i.Person, i.Effect.Key, Effect: (ProjectionsOfVersion)i.Effect)).ToList();
        foreach (var shard in projections.GroupBy(p => topology.ShardOf(p.Person)))
        {
            var counts = shard.Select(p => new PersonVersioned<WaitingCounts>(p.Person, p.Effect.Version, p.Effect.Counts)).ToList();
            sends.Add(([.. shard.Select(p => (p.Person, p.Key))], () => grains.GetGrain<IWaitingShardGrain>(shard.Key).ApplyManyAsync(counts)));
        }
        foreach (var shard in projections.GroupBy(p => topology.RiskShardOf(p.Person)))
        {
            var inputs = shard.Select(p => new PersonVersioned<PersonRiskInput>(p.Person, p.Effect.Version, p.Effect.Risk)).ToList();
            sends.Add(([.. shard.Select(p => (p.Person, p.Key))], () => grains.GetGrain<IRiskShardGrain>(shard.Key).ApplyManyAsync(inputs)));
        }
        foreach (var shard in items.Where(i => i.Effect is ListRowOfVersion).GroupBy(i => topology.ListShardOf(i.Person)))
        {
            var rows = shard.Select(i => ((ListRowOfVersion)i.Effect).Row).ToList();
            sends.Add((Keys(shard), () => grains.GetGrain<IWaitingListShardGrain>(shard.Key).ApplyManyAsync(rows)));
        }
        foreach (var shard in items.Where(i => i.Effect is SequentialEntryOfVersion).GroupBy(i => CandidateSharding.ShardOf(topology, i.Person)))
        {
            var entries = shard.Select(i => new PersonVersioned<SequentialCandidate?>(i.Person, ((SequentialEntryOfVersion)i.Effect).Version, ((SequentialEntryOfVersion)i.Effect).Entry)).ToList();
            sends.Add((Keys(shard), () => grains.GetGrain<ICandidateShardGrain>(shard.Key).ApplyManyAsync(entries)));
        }

        // An effect sent to two receivers (the projections: counts and risk) is delivered when both took it.
        var failed = new HashSet<(PersonId Person, string Key)>();
        await Task.WhenAll(sends.Select(async send =>
        {
            try
            {
                await send.Send();
            }
            catch (Exception e)
            {
                failed.UnionWith(send.Items);
                logger.LogWarning(e, "Livraison groupée refusée pour {Count} effet(s) : chaque personne les livrera elle-même", send.Items.Count);
            }
        }));
        var delivered = sends.SelectMany(s => s.Items).Where(i => !failed.Contains(i)).ToList();

        var byPerson = delivered.GroupBy(d => d.Person).ToList();
        await Task.WhenAll(byPerson.Select(async person =>
        {
            try
            {
                await grains.GetGrain<IPersonGrain>(person.Key.Value).AcknowledgeBulkDeliveryAsync(persons[person.Key].Version, [.. person.Select(d => d.Key).Distinct()]);
            }
            catch (Exception e)
            {
                // Not acknowledged: the person delivers again after its grace, which changes nothing at receivers.
                logger.LogDebug(e, "Accusé de livraison groupée non remis à {Person}", person.Key);
            }
        }));
    }

    private static IReadOnlyList<(PersonId Person, string Key)> Keys(IEnumerable<(PersonId Person, PersonFileEffect Effect)> items) =>
        [.. items.Select(i => (i.Person, i.Effect.Key))];
}
