using Listes360.Domain.Persons;
using Listes360.Grains.Department;
using Listes360.Grains.Grid;
using Listes360.Grains.Registry;
using Microsoft.Extensions.Logging;

namespace Listes360.Grains.Persons;

/// <summary>
/// Delivers the pending effects of many persons at once (a chunk of a list import), grouped by receiver:
/// one batch apply, hence one write, per ESMS and per ranking; the département projections' applies all
/// sent together, so that each shard's group commit carries them in a few writes. A row by row delivery
/// writes the list's ESMS and ranking once per row and its shards about once per row each.
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
        foreach (var (person, effect) in items.Where(i => i.Effect is ProjectionsOfVersion or ListRowOfVersion or SequentialEntryOfVersion))
            sends.Add(([(person, effect.Key)], () => PersonEffectReceivers.DeliverAsync(grains, topology, person, effect)));

        var delivered = new List<(PersonId Person, string Key)>();
        await Task.WhenAll(sends.Select(async send =>
        {
            try
            {
                await send.Send();
                delivered.AddRange(send.Items);
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Livraison groupée refusée pour {Count} effet(s) : chaque personne les livrera elle-même", send.Items.Count);
            }
        }));

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
