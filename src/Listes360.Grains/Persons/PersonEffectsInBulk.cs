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
/// rows together. Row by row, an import wrote the list's ESMS
/// and ranking once per row and each shard (written whole) about once per row: a cost in the square of the list.
/// Then each person is told which of its effects arrived (<see cref="IPersonGrain.AcknowledgeBulkDeliveryAsync"/>);
/// whatever failed, or is of another kind, the person delivers itself after its grace
/// (<see cref="BulkDeliveryGrace"/>). Receivers apply by version: an effect delivered twice is harmless.
/// Call from a grain (the calls then leave from its scheduler).
/// </summary>
public sealed class PersonEffectsInBulk(IGrainFactory grains, DepartmentTopology topology, ILogger logger)
{
    /// <summary>Receivers delivered to at once.</summary>
    private const int ReceiversAtOnce = 64;

    /// <summary>Receiving grains (ESMS, rankings, projection shards) of this delivery (0 before <see cref="DeliverAsync"/>).</summary>
    public int Receivers { get; private set; }

    /// <summary>Receivers that answered so far (taken or refused): the delivery's progress; then the persons are told.</summary>
    public int ReceiversDone { get; private set; }

    public async Task DeliverAsync(IReadOnlyDictionary<PersonId, ListRowsAppliedForBulk> persons)
    {
        ArgumentNullException.ThrowIfNull(persons);
        var items = persons.SelectMany(p => p.Value.Pending.Select(e => (Person: p.Key, Effect: e))).ToList();
        // The same routing as each person's outbox, grouped: one batch per receiving grain.
        var sends = items
            .SelectMany(i => PersonEffectReceivers.ReceiversOf(topology, i.Person, i.Effect).Select(r => (Receiver: r, i.Person, i.Effect)))
            .GroupBy(x => x.Receiver)
            .Select(g => (Receiver: g.Key, Items: (IReadOnlyList<(PersonId Person, string Key)>)[.. g.Select(x => (x.Person, x.Effect.Key))], Send: SendOf(g.Key, [.. g.Select(x => (x.Person, x.Effect))])))
            .Where(s => s.Send is not null)
            .Select(s => (s.Receiver, s.Items, Send: s.Send!))
            .ToList();
        Receivers = sends.Count;
        await RegisterRankingsAsync(sends.Where(s => s.Receiver.Kind == EffectReceiverKind.Ranking).Select(s => s.Receiver.Key));

        // An effect sent to two receivers (the projections: counts and risk) is delivered when both took it.
        var failed = new HashSet<(PersonId Person, string Key)>();
        // A few receivers at a time: a département's onboarding delivers to a thousand rankings at once, and users'
        // requests must still find the silo's threads free meanwhile.
        foreach (var wave in sends.Chunk(ReceiversAtOnce))
        {
            await Task.WhenAll(wave.Select(async send =>
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
                ReceiversDone++;
            }));
        }
        var delivered = sends.SelectMany(s => s.Items).Where(i => !failed.Contains(i)).ToList();

        var byPerson = delivered.GroupBy(d => d.Person).ToList();
        foreach (var wave in byPerson.Chunk(ReceiversAtOnce * 2))
        {
            await Task.WhenAll(wave.Select(async person =>
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
    }

    /// <summary>
    /// The rankings this delivery feeds, told to their département's grid at once (one write); each ranking still
    /// registers itself at activation, which then changes nothing. A failure here loses nothing: that registration remains.
    /// </summary>
    private async Task RegisterRankingsAsync(IEnumerable<string> rankings)
    {
        foreach (var department in rankings.GroupBy(key => RankingKeys.Parse(key).Finess.Department))
        {
            try
            {
                await grains.GetGrain<IGridGrain>(department.Key).RegisterRankingsAsync([.. department]);
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Classements du département {Department} non enregistrés d'un coup auprès de sa grille : chacun s'enregistrera lui-même", department.Key);
            }
        }
    }

    /// <summary>The batch call for a receiver's effects; null for the kinds a bulk leaves to each person (places, vacancies).</summary>
    private Func<Task>? SendOf(EffectReceiver receiver, IReadOnlyList<(PersonId Person, PersonFileEffect Effect)> items) => receiver.Kind switch
    {
        EffectReceiverKind.Esms => () => grains.GetGrain<IEsmsGrain>(receiver.Key).ApplyCandidaturesAsync(
            [.. items.Select(i => EsmsCandidatureView.Of(((CandidatureToEsms)i.Effect).Candidature))]),
        EffectReceiverKind.Ranking => () => grains.GetGrain<IRankingGrain>(receiver.Key).ApplyManyFactsAsync(
            [.. items.Select(i => ((FactsToRanking)i.Effect).Facts)]),
        EffectReceiverKind.WaitingShard => () => grains.GetGrain<IWaitingShardGrain>(receiver.Key).ApplyManyAsync(
            [.. items.Select(i => new PersonVersioned<WaitingCounts>(i.Person, ((ProjectionsOfVersion)i.Effect).Version, ((ProjectionsOfVersion)i.Effect).Counts))]),
        EffectReceiverKind.RiskShard => () => grains.GetGrain<IRiskShardGrain>(receiver.Key).ApplyManyAsync(
            [.. items.Select(i => new PersonVersioned<PersonRiskInput>(i.Person, ((ProjectionsOfVersion)i.Effect).Version, ((ProjectionsOfVersion)i.Effect).Risk))]),
        EffectReceiverKind.ListShard => () => grains.GetGrain<IWaitingListShardGrain>(receiver.Key).ApplyManyAsync(
            [.. items.Select(i => ((ListRowOfVersion)i.Effect).Row)]),
        EffectReceiverKind.CandidateShard => () => grains.GetGrain<ICandidateShardGrain>(receiver.Key).ApplyManyAsync(
            [.. items.Select(i => new PersonVersioned<SequentialCandidate?>(i.Person, ((SequentialEntryOfVersion)i.Effect).Version, ((SequentialEntryOfVersion)i.Effect).Entry))]),
        _ => null,
    };
}
