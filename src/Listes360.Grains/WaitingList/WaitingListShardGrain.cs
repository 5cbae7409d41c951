using System.Collections.Immutable;
using Listes360.Domain.Maintenance;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;
using Listes360.Domain.Security;
using Listes360.Domain.WaitingList;
using Listes360.Grains.Common;
using Listes360.Grains.Department;
using Listes360.Grains.Security;

namespace Listes360.Grains.WaitingList;

/// <summary>The first shape of a shard, one entity written whole at each change: read once to move it to rows, then cleared.</summary>
[GenerateSerializer, Alias("Listes360.WaitingList.WaitingListShardState")]
public sealed class WaitingListShardState
{
    [Id(0)] public WaitingListShard? Shard { get; set; }

    /// <summary>The worklist items of the open vacancies proposing or offered to this shard's persons, by vacancy id (issue 19).</summary>
    [Id(1)] public Dictionary<string, Domain.Vacancies.VacancyWorklistItems> VacancyItems { get; set; } = [];
}

/// <summary>One stored row of a list shard: a person's row or the version at which it left the list, or a vacancy's worklist items.</summary>
[GenerateSerializer, Alias("Listes360.WaitingList.WaitingListShardRow")]
public sealed class WaitingListShardRow
{
    [Id(0)] public WaitingListEntry? Entry { get; set; }
    [Id(1)] public long? Tombstone { get; set; }
    [Id(2)] public Domain.Vacancies.VacancyWorklistItems? Vacancy { get; set; }
}

/// <summary>
/// Holds the shard in memory, applies a row through the domain, and writes the rows that changed (one per person,
/// one per vacancy: <see cref="KeyedRowsWriter{T}"/>), not the shard, whose size grows with the département. The name
/// index is memory only: built on the first search of an activation, then updated with each row applied.
/// </summary>
public sealed class WaitingListShardGrain(
    [PersistentState("waitingList", StorageNames.Main)] IPersistentState<WaitingListShardState> legacy,
    IKeyedRowStorage storage,
    Orleans.Serialization.Serializer serializer,
    DepartmentTopology topology,
    NameVocabularies? vocabularies = null) : Grain, IWaitingListShardGrain
{
    private const string VacancyPrefix = "v:";

    private PersonSearchIndex? index;
    private GroupCommit? commit;
    private WaitingListShard held = null!;
    private readonly Dictionary<string, Domain.Vacancies.VacancyWorklistItems> vacancyItems = [];
    private KeyedRowsWriter<WaitingListShardRow> rowWriter = null!;

    private GroupCommit Commit => commit ??= new GroupCommit(rowWriter.WriteAsync, DeactivateOnIdle);

    private WaitingListShard Shard => held;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        rowWriter = new KeyedRowsWriter<WaitingListShardRow>(storage, serializer, this.GetGrainId(), "waitingList", RowOf);
        var stored = await rowWriter.ReadAsync();
        held = WaitingListShard.Create(ShardIndex(), topology.ShardCount());
        if (!rowWriter.Exists && legacy.RecordExists)
        {
            held = legacy.State.Shard ?? held;
            foreach (var (id, items) in legacy.State.VacancyItems)
                vacancyItems[id] = items;
            await rowWriter.MoveFromWholeStateAsync(legacy, held.Entries.Keys.Concat(held.Tombstones.Keys).Select(PersonRowKeys.Of)
                .Concat(vacancyItems.Keys.Select(id => VacancyPrefix + id)));
            return;
        }
        var entries = ImmutableDictionary.CreateBuilder<PersonId, WaitingListEntry>();
        var tombstones = ImmutableDictionary.CreateBuilder<PersonId, long>();
        foreach (var (key, row) in stored)
        {
            if (row.Vacancy is { } items)
                vacancyItems[items.VacancyId] = items;
            else if (row.Entry is { } entry)
                entries[entry.Person] = entry;
            else if (row.Tombstone is { } version)
                tombstones[PersonRowKeys.PersonOf(key)] = version;
        }
        held = held with { Entries = entries.ToImmutable(), Tombstones = tombstones.ToImmutable() };
    }

    /// <summary>A stored row as the shard now has it (null: none).</summary>
    private WaitingListShardRow? RowOf(string key)
    {
        if (key.StartsWith(VacancyPrefix, StringComparison.Ordinal))
            return vacancyItems.TryGetValue(key[VacancyPrefix.Length..], out var items) ? new WaitingListShardRow { Vacancy = items } : null;
        var person = PersonRowKeys.PersonOf(key);
        return held.Entries.TryGetValue(person, out var entry) ? new WaitingListShardRow { Entry = entry }
            : held.Tombstones.TryGetValue(person, out var version) ? new WaitingListShardRow { Tombstone = version }
            : null;
    }

    public Task ApplyManyAsync(IReadOnlyList<WaitingListEntry> entries) =>
        Task.WhenAll(entries.Select(ApplyAsync));

    public async Task ApplyAsync(WaitingListEntry entry)
    {
        var current = Shard;
        var next = current.Apply(entry);
        if (ReferenceEquals(next, current))
            return;
        // No await until the state and the index are replaced: interleaved applies each see and replace a whole shard.
        held = next;
        rowWriter.Changed(PersonRowKeys.Of(entry.Person));
        if (index is not null)
        {
            if (next.Entries.TryGetValue(entry.Person, out var kept))
                index.Upsert(kept.Searchable);
            else
                index.Remove(entry.Person);
        }
        await Commit.CommitAsync();
    }

    public Task<WaitingListShardPage> PageAsync(WaitingListFilter filter, WaitingListOrder order, string? search, string? afterKey, int first)
    {
        var scoped = filter.Validated().For(CallerContext.Current);
        var text = search is null ? null : SearchText.Parse(search);
        if (text is not null)
        {
            index ??= WaitingListShard.IndexOf(Shard.Entries.Values, vocabularies?.Of(AccessPolicy.DepartmentOfKey(this.GetPrimaryKeyString())));
            return Task.FromResult(Shard.Page(scoped, order, first, afterKey, search: text, index: index));
        }
        if (order.IsByScore() || order == WaitingListOrder.Relevance)
            return Task.FromResult(Shard.Page(scoped, order, first, afterKey));
        return Task.FromResult(WaitingListShard.PageOfSorted(SortedBy(order), scoped, first, afterKey));
    }

    /// <summary>
    /// The shard's rows sorted for an order by date or name, kept in memory while the shard is the same instance
    /// (each applied row replaces it whole): every page of the list, filtered or not, walks it instead of sorting.
    /// </summary>
    private ImmutableArray<SortedEntry> SortedBy(WaitingListOrder order)
    {
        var shard = Shard;
        if (!ReferenceEquals(sortedOf, shard))
        {
            sorted.Clear();
            sortedOf = shard;
        }
        if (!sorted.TryGetValue(order, out var rows))
            sorted[order] = rows = shard.Sorted(order);
        return rows;
    }

    private WaitingListShard? sortedOf;
    private readonly Dictionary<WaitingListOrder, ImmutableArray<SortedEntry>> sorted = [];

    public async Task<WaitingListShardPage> PageByScoreAsync(WaitingListFilter filter, WaitingListOrder order, KindOfSupport? scoreKind, string? afterKey, int first)
    {
        if (order is not (WaitingListOrder.GridScore or WaitingListOrder.RiskProbability))
            throw new Domain.DomainException("INVALID_ORDER", $"Le tri {order} ne se fait pas par score : GRID_SCORE ou RISK_PROBABILITY.", "orderBy");
        var caller = CallerContext.Current;
        WaitingListOrdering.Check(order, scoreKind, caller);
        var scoped = filter.Validated().For(caller);
        var shard = Shard;
        var rows = shard.Entries.Values.Where(scoped.Matches).ToList();
        var scores = order == WaitingListOrder.RiskProbability
            ? await ProbabilitiesAsync(rows)
            : await GridScoresAsync(rows, scoreKind!.Value);
        return shard.Page(scoped, order, first, afterKey, scoreOf: e => scores.TryGetValue(e.Person, out var s) ? s : null);
    }

    /// <summary>The probabilities of the rows from the risk shard of the same persons (same hash, <see cref="Risk.RiskTopology"/>).</summary>
    private async Task<IReadOnlyDictionary<PersonId, double>> ProbabilitiesAsync(IReadOnlyList<WaitingListEntry> rows)
    {
        if (rows.Count == 0)
            return new Dictionary<PersonId, double>();
        // A list shard's index modulo the waiting shards is its persons' risk shard: both are the same hash modulo 4N and N.
        var riskShard = Risk.RiskTopology.ShardKey(AccessPolicy.DepartmentOfKey(this.GetPrimaryKeyString()), ShardIndex() % topology.WaitingShards);
        return await GrainFactory.GetGrain<Risk.IRiskShardGrain>(riskShard).ProbabilitiesAsync([.. rows.Select(r => r.Person)]);
    }

    /// <summary>Each row's best grid score among its open candidatures of the kind, read from their ESMS's rankings (one call a ranking).</summary>
    private async Task<IReadOnlyDictionary<PersonId, double>> GridScoresAsync(IReadOnlyList<WaitingListEntry> rows, KindOfSupport kind)
    {
        var byRanking = rows.SelectMany(r => r.Candidatures.Where(c => c.Kind == kind).Select(c => (Person: r.Person, Candidature: c)))
            .GroupBy(x => Grid.RankingKeys.Of(x.Candidature.Finess, x.Candidature.Modality))
            .ToList();
        var owners = byRanking.SelectMany(g => g).ToDictionary(x => x.Candidature.Id, x => x.Person);
        var answers = await Task.WhenAll(byRanking.Select(g =>
            GrainFactory.GetGrain<Grid.IRankingGrain>(g.Key).GetPositionsAsync([.. g.Select(x => x.Candidature.Id)])));
        var best = new Dictionary<PersonId, double>();
        foreach (var position in answers.SelectMany(a => a))
        {
            if (position.Entry is not { } ranked || !owners.TryGetValue(position.CandidatureId, out var person))
                continue;
            if (!best.TryGetValue(person, out var known) || ranked.Score.Total > known)
                best[person] = ranked.Score.Total;
        }
        return best;
    }

    public async Task ApplyVacancyItemsAsync(Domain.Vacancies.VacancyWorklistItems items)
    {
        var all = vacancyItems;
        if (all.TryGetValue(items.VacancyId, out var known) && known.Version >= items.Version)
            return;
        if (items.Items.IsDefaultOrEmpty)
        {
            if (!all.Remove(items.VacancyId))
                return;
        }
        else
            all[items.VacancyId] = items;
        rowWriter.Changed(VacancyPrefix + items.VacancyId);
        // Through the same group commit as the rows: an apply interleaving here must not write beside this write.
        await Commit.CommitAsync();
    }

    public Task<IReadOnlyList<WorklistRow>> WorklistAsync()
    {
        var caller = CallerContext.Current;
        var territory = AccessPolicy.TerritoryFor(caller, null);
        var shard = Shard;
        // A vacancy's item shows with the person's row (names, territory); a person the shard has no row of is not shown.
        var itemsOfVacancies = vacancyItems.Values.SelectMany(v => v.Items)
            .Select(item => shard.Entries.TryGetValue(item.Person, out var entry) ? (Entry: entry, Item: item) : default)
            .Where(x => x.Entry is not null);
        var rows = shard.Entries.Values
            .SelectMany(e => e.Worklist.Select(item => (Entry: e, Item: item)))
            .Concat(itemsOfVacancies)
            .Where(x => territory is null || x.Entry.Territory == territory)
            .Where(x => caller is not { Role: Role.EsmsDirector } director || x.Item.Esms is { } esms && AccessPolicy.CarriesEsms(director, esms.Value))
            .Select(x => new WorklistRow(x.Item, x.Entry.BirthName, string.Join(' ', x.Entry.FirstNames), x.Entry.Territory))
            .ToList();
        return Task.FromResult<IReadOnlyList<WorklistRow>>(rows);
    }

    public Task<IReadOnlyList<PersonId>> GetPersonsAfterAsync(string? after, int count) =>
        Task.FromResult(ReconcilePass.PageAfter(Shard.Entries.Keys.Concat(Shard.Tombstones.Keys), after, count));

    private int ShardIndex() => DepartmentTopology.IndexOfShardKey(this.GetPrimaryKeyString(), "-l");
}
