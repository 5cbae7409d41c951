using GraphQL.DataLoader;
using Listes360.Domain.Candidatures;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;
using Listes360.Grains.Grid;
using Listes360.Grains.Persons;
using Listes360.Grains.Registry;

namespace Listes360.Api.GraphQL;

/// <summary>
/// The grain reads a list field needs, batched for one request (a scoped service): a resolver asks
/// for a key and gets an <see cref="IDataLoaderResult{T}"/>; GraphQL.NET resolves every other field of
/// the level first, then the first result awaited sends the keys collected so far, one call per grain
/// (the candidatures of a ranking in one <see cref="IRankingGrain.GetPositionsAsync"/>). Each grain call
/// goes through the authorization filter as a direct one would: a grain that refuses fails only the
/// fields that asked it.
/// </summary>
public sealed class GrainLoaders(IGrainFactory grains)
{
    private BatchLoader<(string Ranking, CandidatureId Candidature), string, CandidaturePosition>? _positions;
    private BatchLoader<string, string, EsmsSnapshot>? _esms;
    private BatchLoader<string, string, PersonSnapshot>? _persons;

    /// <summary>Where a candidature stands in the ranking of its ESMS and modality today (null when the ranking does not know it).</summary>
    public IDataLoaderResult<CandidaturePosition?> Position(FinessNumber finess, Modality modality, CandidatureId candidature) =>
        (_positions ??= new(key => key.Ranking, async (ranking, keys) =>
        {
            var positions = await grains.GetGrain<IRankingGrain>(ranking).GetPositionsAsync([.. keys.Select(k => k.Candidature)]);
            return positions.ToDictionary(p => (ranking, p.CandidatureId));
        })).Load((RankingKeys.Of(finess, modality), candidature));

    /// <summary>An ESMS, read once per request whatever the number of rows naming it (null when not registered).</summary>
    public IDataLoaderResult<EsmsSnapshot?> Esms(FinessNumber finess) =>
        (_esms ??= new(key => key, async (key, _) =>
            await grains.GetGrain<IEsmsGrain>(key).GetAsync() is { } esms ? new() { [key] = esms } : [])).Load(finess.Value);

    /// <summary>
    /// A person, read once per request whatever the number of rows naming them (one grain per person:
    /// the read is traced and checked as <c>person(id:)</c>'s is).
    /// </summary>
    public IDataLoaderResult<PersonSnapshot?> Person(PersonId person) =>
        (_persons ??= new(key => key, async (key, _) =>
            await grains.GetGrain<IPersonGrain>(key).GetAsync() is { } snapshot ? new() { [key] = snapshot } : [])).Load(person.Value);
}

/// <summary>
/// Collects keys, then fetches them group by group (a group: the keys one grain answers together),
/// each key once per request. The keys collected when the first result is awaited go in one dispatch;
/// a group that fails fails its own keys only.
/// </summary>
public sealed class BatchLoader<TKey, TGroup, TValue>(Func<TKey, TGroup> groupOf, Func<TGroup, IReadOnlyList<TKey>, Task<Dictionary<TKey, TValue>>> fetch)
    where TKey : notnull
    where TGroup : notnull
    where TValue : class
{
    private readonly Lock _gate = new();
    private readonly Dictionary<TKey, Task<TValue?>> _loaded = [];
    private List<(TKey Key, TaskCompletionSource<TValue?> Result)> _pending = [];

    public IDataLoaderResult<TValue?> Load(TKey key)
    {
        lock (_gate)
        {
            if (!_loaded.TryGetValue(key, out var task))
            {
                var result = new TaskCompletionSource<TValue?>(TaskCreationOptions.RunContinuationsAsynchronously);
                _pending.Add((key, result));
                _loaded[key] = task = result.Task;
            }
            return new Deferred(this, task);
        }
    }

    /// <summary>Number of dispatches so far (for tests and logs).</summary>
    public int Dispatches { get; private set; }

    private async Task DispatchAsync()
    {
        List<(TKey Key, TaskCompletionSource<TValue?> Result)> batch;
        lock (_gate)
        {
            if (_pending.Count == 0)
                return;
            batch = _pending;
            _pending = [];
            Dispatches++;
        }
        await Task.WhenAll(batch.GroupBy(p => groupOf(p.Key)).Select(async group =>
        {
            try
            {
                var values = await fetch(group.Key, [.. group.Select(p => p.Key)]);
                foreach (var (key, result) in group)
                    result.TrySetResult(values.GetValueOrDefault(key));
            }
            catch (Exception e)
            {
                foreach (var (_, result) in group)
                    result.TrySetException(e);
            }
        }));
    }

    private sealed class Deferred(BatchLoader<TKey, TGroup, TValue> loader, Task<TValue?> task) : IDataLoaderResult<TValue?>
    {
        public async Task<TValue?> GetResultAsync(CancellationToken cancellationToken = default)
        {
            await loader.DispatchAsync();
            return await task.WaitAsync(cancellationToken);
        }

        async Task<object?> IDataLoaderResult.GetResultAsync(CancellationToken cancellationToken) => await GetResultAsync(cancellationToken);
    }
}
