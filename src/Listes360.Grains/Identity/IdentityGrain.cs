using Listes360.Domain;
using Listes360.Domain.Identity;
using Listes360.Domain.Persons;
using Listes360.Grains.Common;
using Listes360.Grains.Persons;
using MatchRecord = Listes360.Domain.Identity.Records.PersonRecord;

namespace Listes360.Grains.Identity;

[GenerateSerializer, Alias("Listes360.Identity.IdentityState")]
public sealed class IdentityState
{
    /// <summary>Merged person → the person they were merged into (small: merges are rare).</summary>
    [Id(0)] public Dictionary<string, string> MergedInto { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Merges begun and not yet finished (merged → survivor, with who and why): written before the
    /// two persons' writes, so that a merge interrupted between them is finished later, never left half done.
    /// </summary>
    [Id(1)] public Dictionary<string, PendingMerge> PendingMerges { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The names of the persons this grain created (bounded, <see cref="NameCounts"/>): the département's own name frequencies.</summary>
    [Id(2)] public NameCounts Names { get; set; } = new();
}

[GenerateSerializer, Immutable, Alias("Listes360.Identity.PendingMerge")]
public sealed record PendingMerge([property: Id(0)] string Survivor, [property: Id(1)] string Reason, [property: Id(2)] string By);

public sealed class IdentityGrain(
    [PersistentState("identity", StorageNames.Main)] IPersistentState<IdentityState> state,
    IdentityTopology topology,
    TimeProvider clock) : Grain, IIdentityGrain
{
    private string Department => this.GetPrimaryKeyString();

    private NameFrequencies? frequencies;

    /// <summary>The département's name frequencies, from the counts of its persons (rebuilt after each change).</summary>
    private NameFrequencies Frequencies() => frequencies ??= state.State.Names.Frequencies();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await FinishPendingMergesAsync();
        await base.OnActivateAsync(cancellationToken);
    }

    /// <summary>
    /// Finishes merges interrupted between the survivor's write and the tombstone's: both steps are
    /// idempotent (the survivor keeps the merge it already absorbed, a tombstone stays one), so
    /// replaying them completes the merge exactly once. What still fails stays pending for next time.
    /// </summary>
    public async Task FinishPendingMergesAsync()
    {
        foreach (var (from, pending) in state.State.PendingMerges.ToList())
        {
            try
            {
                await CompleteMergeAsync(from, pending);
            }
            catch (Exception e) when (e is not DomainException)
            {
                return;
            }
        }
    }

    private async Task<MergeRecord> CompleteMergeAsync(string from, PendingMerge pending)
    {
        generation++;
        // Survivor first: if the process stops in between, the candidatures are never nowhere.
        var package = await Person(from).GetMergePackageAsync();
        var merge = await Person(pending.Survivor).AbsorbAsync(package, pending.Reason, pending.By);
        await Person(from).BecomeTombstoneAsync(pending.Survivor);
        state.State.MergedInto[from] = pending.Survivor;
        state.State.PendingMerges.Remove(from);
        await state.WriteOrRestoreAsync("l'index des personnes du département");
        return merge;
    }

    /// <summary>Changes of what decisions read (the index, the names, the merges): a preview is reused only if none came after it.</summary>
    private long generation;

    /// <summary>
    /// The last preview's decisions, which a resolution of the same requests reuses while nothing changed (an import
    /// previews its rows, then resolves the same rows: deciding them twice took a tenth of the onboarding, on the path
    /// every chunk waits for). Its new persons' ids are then the ones the preview announced.
    /// </summary>
    private (long Generation, IReadOnlyList<IdentityRequest> Requests, Decisions Decisions)? previewed;

    public async Task<IReadOnlyList<IdentityResolution>> PreviewAsync(IReadOnlyList<IdentityRequest> requests)
    {
        var before = generation;
        var decisions = await DecideAsync(requests);
        if (generation == before)
            previewed = (before, requests, decisions);
        return [.. decisions.Results];
    }

    public async Task<IReadOnlyList<IdentityResolution>> ResolveAsync(IReadOnlyList<IdentityRequest> requests)
    {
        var (results, toIndex, toReview) = previewed is { } last && last.Generation == generation && last.Requests.SequenceEqual(requests)
            ? last.Decisions
            : await DecideAsync(requests);
        previewed = null;
        generation++;
        // Each new person's names count in the département's frequencies (the next decisions read them).
        var created = results.Select((r, i) => (r, i)).Where(x => x.r.Outcome != IdentityOutcome.SamePerson && x.r.PersonId is not null).ToList();
        if (created.Count > 0)
        {
            foreach (var (_, i) in created)
                state.State.Names.Add(requests[i].Record, Department);
            frequencies = null;
            await state.WriteOrRestoreAsync("les fréquences des noms du département");
        }
        await Task.WhenAll(toIndex
            .SelectMany(r => Blocking.Keys(r.Record).Select(topology.ShardOf).Distinct().Select(shard => (Shard: shard, Record: r)))
            .GroupBy(x => x.Shard)
            .Select(g => Shard(g.Key).AddAsync(g.Select(x => x.Record).ToList())));
        if (toReview.Count > 0)
        {
            var queued = (await GrainFactory.GetGrain<IReviewQueueGrain>(Department).AddAsync(toReview.Select(r => r.Item).ToList())).ToHashSet(StringComparer.Ordinal);
            foreach (var byRequest in toReview.Where(r => queued.Contains(r.Item.Id)).GroupBy(r => r.Request))
                results[byRequest.Key] = results[byRequest.Key] with { ReviewsQueued = byRequest.Select(r => r.Item.Id).ToList() };
        }
        return results;
    }

    /// <summary>What a batch of requests decides: the answers, the records to index, the pairs to queue for the referent.</summary>
    private sealed record Decisions(List<IdentityResolution> Results, List<IndexedRecord> ToIndex, List<(int Request, ReviewItem Item)> ToReview);

    private async Task<Decisions> DecideAsync(IReadOnlyList<IdentityRequest> requests)
    {
        ArgumentNullException.ThrowIfNull(requests);
        // One read per shard for the whole batch; the batch's own new persons are candidates too.
        var keysOf = requests.Select(r => Blocking.Keys(r.Record)).ToList();
        var byShard = keysOf.SelectMany(k => k).Distinct(StringComparer.Ordinal).GroupBy(topology.ShardOf);
        var found = (await Task.WhenAll(byShard.Select(g => Shard(g.Key).FindAsync(g.ToList())))).SelectMany(r => r).ToList();
        var candidates = new List<IndexedRecord>(found.Count);
        // Each candidate prepared once for all the rows it is compared with, when first compared.
        var prepared = new List<PreparedRecord?>(found.Count);
        PreparedRecord Prepared(int candidate) => prepared[candidate] ??= PreparedRecord.From(candidates[candidate].Record, Department);
        // Candidates by blocking key and by person: a batch of hundreds of rows against thousands of candidates
        // would otherwise compare every row with every candidate.
        var byKey = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var byPerson = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        void AddCandidate(IndexedRecord record, IEnumerable<string> keys)
        {
            var index = candidates.Count;
            candidates.Add(record);
            prepared.Add(null);
            foreach (var key in keys.Distinct(StringComparer.Ordinal))
                (byKey.TryGetValue(key, out var list) ? list : byKey[key] = []).Add(index);
            (byPerson.TryGetValue(record.PersonId, out var own) ? own : byPerson[record.PersonId] = []).Add(index);
        }
        foreach (var record in found)
            AddCandidate(record, Blocking.Keys(record.Record));

        var results = new List<IdentityResolution>(requests.Count);
        var toIndex = new List<IndexedRecord>();
        var toReview = new List<(int Request, ReviewItem Item)>();
        var now = clock.GetUtcNow();
        for (var i = 0; i < requests.Count; i++)
        {
            var request = requests[i];
            var keys = keysOf[i];
            // In the candidates' order, as a scan of them would give.
            var order = keys.SelectMany(k => byKey.GetValueOrDefault(k) ?? []).Distinct().Order().ToList();
            var mine = order.Select(c => (PersonId: SurvivorOf(candidates[c].PersonId), candidates[c].Record)).ToList();
            if (request.Record.BirthDate is null)
            {
                results.Add(DecideWithoutBirthDate(i, request, mine, now, toReview));
                continue;
            }
            var decision = IdentityResolver.Decide(PreparedRecord.From(request.Record, Department),
                order.Select((c, n) => (mine[n].PersonId, Prepared(c))), frequencies: Frequencies());
            string? person = decision.Outcome switch
            {
                IdentityOutcome.SamePerson => decision.PersonId,
                _ when request.MayCreate => PersonId.New(Department).Value,
                _ => null,
            };
            if (person is null)
            {
                results.Add(new IdentityResolution(decision.Outcome, person, decision.Matches));
                continue;
            }
            var indexed = new IndexedRecord(person, request.Record.For(person));
            // Same test as the shards' AddAsync: a record the person already has (before or earlier in the batch) adds nothing.
            var added = !(byPerson.GetValueOrDefault(person) ?? []).Any(c => MatchRecords.SameContent(candidates[c].Record, indexed.Record));
            results.Add(new IdentityResolution(decision.Outcome, person, decision.Matches, added));
            toIndex.Add(indexed);
            AddCandidate(indexed, keys);
            foreach (var match in decision.Matches.Where(m => m.PersonId != person))
            {
                var other = mine.First(c => c.PersonId == match.PersonId).Record;
                toReview.Add((i, new ReviewItem(ReviewItem.IdOf(match.PersonId, person), match.PersonId, other, person,
                    request.Record, match.Result, request.Source, now, ReviewStatus.Pending)));
            }
        }
        return new Decisions(results, toIndex, toReview);
    }

    /// <summary>
    /// A record without birth date joins the person of its strong key, and adds nothing to the index (a
    /// record without date would only blur that person's blocks). Several persons with the same key are
    /// ambiguous: the row joins none of them and they are queued for the referent, two by two.
    /// </summary>
    private IdentityResolution DecideWithoutBirthDate(int index, IdentityRequest request, List<(string PersonId, MatchRecord Record)> mine,
        DateTimeOffset now, List<(int Request, ReviewItem Item)> toReview)
    {
        var missing = IdentityResolver.DecideWithoutBirthDate(request.Record, mine, frequencies: Frequencies(), department: Department);
        if (missing.Joins)
            return new IdentityResolution(IdentityOutcome.SamePerson, missing.PersonId, missing.Decision.Matches);
        var same = missing.Decision.Matches.Where(m => m.Result.Zone == MatchZone.Same).ToList();
        if (same.Count > 1)
        {
            var first = mine.First(c => c.PersonId == same[0].PersonId).Record;
            foreach (var other in same.Skip(1))
            {
                var record = mine.First(c => c.PersonId == other.PersonId).Record;
                var result = MatchScorer.Default.WithFrequencies(Frequencies()).Explain(PreparedRecord.From(first, Department), PreparedRecord.From(record, Department));
                toReview.Add((index, new ReviewItem(ReviewItem.IdOf(other.PersonId, same[0].PersonId), other.PersonId, record, same[0].PersonId, first,
                    result, $"{request.Source} (ligne sans date de naissance, même n° de dossier MDPH ou NIR)", now, ReviewStatus.Pending)));
            }
        }
        var refusal = same.Count > 1
            ? $"{missing.Refusal} ; ces {same.Count} personnes ({string.Join(", ", same.Select(m => m.PersonId))}) sont proposées au référent MDPH comme doublons possibles"
            : missing.Refusal;
        return new IdentityResolution(missing.Decision.Outcome, null, missing.Decision.Matches, Refusal: refusal);
    }

    public async Task WithdrawAsync(IReadOnlyList<IndexedRecord> records, IReadOnlyList<string> reviewItems)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(reviewItems);
        generation++;
        // Review items first: an item left pending about a person no longer indexed would be a dead end for the referent.
        if (reviewItems.Count > 0)
            await GrainFactory.GetGrain<IReviewQueueGrain>(Department).WithdrawAsync(reviewItems);
        await Task.WhenAll(records
            .SelectMany(r => Blocking.Keys(r.Record).Select(topology.ShardOf).Distinct().Select(shard => (Shard: shard, Record: r)))
            .GroupBy(x => x.Shard)
            .Select(g => Shard(g.Key).RemoveAsync(g.Select(x => x.Record).ToList())));
    }

    public async Task<MergeRecord> MergeAsync(string survivor, string merged, string reason, string by)
    {
        Domain.Validation.FieldRules.Reason(reason);
        await FinishPendingMergesAsync();
        var into = PersonId.Parse(survivor).Value;
        var from = PersonId.Parse(merged).Value;
        if (into == from)
            throw new DomainException("INVALID_MERGE", "Une personne ne peut pas être fusionnée avec elle-même.", "merged");
        foreach (var id in new[] { into, from })
        {
            if (!string.Equals(Domain.Security.AccessPolicy.DepartmentOfKey(id), Department, StringComparison.OrdinalIgnoreCase))
                throw new DomainException("INVALID_MERGE", $"La personne {id} n'est pas du département {Department}.", "survivor");
            if (state.State.MergedInto.TryGetValue(id, out var already))
                throw new DomainException("PERSON_MERGED", $"La personne {id} a déjà été fusionnée avec {already}.", id == into ? "survivor" : "merged");
        }
        if (state.State.PendingMerges.ContainsKey(from) || state.State.PendingMerges.ContainsKey(into)
            || state.State.PendingMerges.Values.Any(p => p.Survivor == from))
            throw new DomainException("MERGE_PENDING", $"Une fusion concernant {from} n'a pas pu être terminée (un ESMS ou une personne ne répond pas) ; elle sera reprise, réessayez plus tard.", "merged");
        // Both persons must exist before anything is recorded.
        _ = await Person(from).GetMergePackageAsync();
        _ = await Person(into).GetMergePackageAsync();
        var pending = new PendingMerge(into, reason.Trim(), by);
        state.State.PendingMerges[from] = pending;
        await state.WriteOrRestoreAsync("l'index des personnes du département");
        return await CompleteMergeAsync(from, pending);
    }

    public async Task<MergeRecord> SplitAsync(string merged, string reason, string by)
    {
        Domain.Validation.FieldRules.Reason(reason);
        var from = PersonId.Parse(merged).Value;
        await FinishPendingMergesAsync();
        if (!state.State.MergedInto.TryGetValue(from, out var into))
            throw new DomainException("NOT_MERGED", $"La personne {from} n'a pas été fusionnée : rien à séparer.", "merged");
        if (state.State.MergedInto.ContainsKey(into))
            throw new DomainException("MERGED_SINCE", $"La personne {into}, qui a reçu {from}, a depuis été fusionnée à son tour : séparez d'abord {into}.", "merged");
        generation++;
        var released = await Person(into).ReleaseAsync(from, reason.Trim(), by);
        await Person(from).RestoreAsync(released.Candidatures);
        state.State.MergedInto.Remove(from);
        await state.WriteOrRestoreAsync("l'index des personnes du département");
        return released.Merge;
    }

    public Task<string> SurvivorOfAsync(string person) => Task.FromResult(SurvivorOf(person));

    private string SurvivorOf(string person)
    {
        // Chains (A into B, B into C) are followed; a cycle cannot arise (a merged person cannot absorb).
        for (var hops = 0; hops < 64 && state.State.MergedInto.TryGetValue(person, out var into); hops++)
            person = into;
        return person;
    }

    private IIdentityShardGrain Shard(int index) => GrainFactory.GetGrain<IIdentityShardGrain>(IdentityTopology.ShardKey(Department, index));

    private IPersonGrain Person(string id) => GrainFactory.GetGrain<IPersonGrain>(id);
}
