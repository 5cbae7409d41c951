using Listes360.Domain.Identity.Records;

namespace Listes360.Domain.Identity;

/// <summary>An existing record that the new record was compared with, and the result.</summary>
/// <param name="Index">Position of the existing record in the index (order of addition).</param>
public sealed record MatchCandidate(int Index, string RecordId, MatchResult Result);

/// <summary>
/// Incremental identity resolution: records are added one by one; each new record is compared only
/// with the records already indexed that share a blocking key (<see cref="Blocking"/>). This is the
/// same path for a batch (<see cref="Deduplicator"/>) and for the importer or a person grain matching
/// one new record against the persons of its blocks. Not thread-safe.
/// </summary>
public sealed class IdentityIndex
{
    private readonly Dictionary<string, List<int>> _blocks = new(StringComparer.Ordinal);
    private readonly List<PreparedRecord> _records = [];
    private readonly HashSet<string> _saturated = new(StringComparer.Ordinal);
    private int[] _stamp = new int[1024];
    private int _currentStamp;

    public IdentityIndex(MatchScorer scorer, BlockingOptions? blocking = null)
    {
        Scorer = scorer;
        Options = blocking ?? BlockingOptions.Default;
    }

    public MatchScorer Scorer { get; }
    public BlockingOptions Options { get; }

    /// <summary>Records indexed so far.</summary>
    public int Count => _records.Count;

    /// <summary>Pairs scored so far (each pair at most once).</summary>
    public long PairsCompared { get; private set; }

    /// <summary>Blocks that reached <see cref="BlockingOptions.MaxBlockSize"/>.</summary>
    public int SaturatedBlocks => _saturated.Count;

    /// <summary>Largest block size seen.</summary>
    public int LargestBlock { get; private set; }

    public PreparedRecord this[int index] => _records[index];

    /// <summary>
    /// Compares <paramref name="record"/> with the indexed records sharing a block and returns the
    /// candidates whose zone is at least <paramref name="minimumZone"/>, best score first (ties: older
    /// record first). With <paramref name="explain"/> the results carry their French reasons.
    /// Does not add the record.
    /// </summary>
    public IReadOnlyList<MatchCandidate> Match(PreparedRecord record, MatchZone minimumZone = MatchZone.Possible, bool explain = true)
    {
        ArgumentNullException.ThrowIfNull(record);
        var found = new List<MatchCandidate>();
        foreach (var (index, score, zone) in Compare(record, Blocking.Keys(record)))
        {
            if (zone < minimumZone) continue;
            var result = explain ? Scorer.Explain(_records[index], record) : new MatchResult(score, zone, []);
            found.Add(new MatchCandidate(index, _records[index].Record.RecordId, result));
        }
        found.Sort((x, y) => y.Result.Score != x.Result.Score ? y.Result.Score.CompareTo(x.Result.Score) : x.Index.CompareTo(y.Index));
        return found;
    }

    /// <summary>Adds a record to the blocks and returns its index.</summary>
    public int Add(PreparedRecord record) => Add(record, Blocking.Keys(record));

    /// <summary>
    /// Compares with the existing records (one callback per compared pair: existing index, score, zone),
    /// then adds: the batch path, also used to collect labelled pairs for calibration.
    /// </summary>
    public int CompareThenAdd(PreparedRecord record, Action<int, double, MatchZone> onPair)
    {
        var keys = Blocking.Keys(record);
        foreach (var (index, score, zone) in Compare(record, keys)) onPair(index, score, zone);
        return Add(record, keys);
    }

    private int Add(PreparedRecord record, string[] keys)
    {
        ArgumentNullException.ThrowIfNull(record);
        var index = _records.Count;
        _records.Add(record);
        foreach (var key in keys)
        {
            if (!_blocks.TryGetValue(key, out var members))
            {
                members = new List<int>(2);
                _blocks[key] = members;
            }
            if (members.Count >= Options.MaxBlockSize)
            {
                _saturated.Add(key);
                continue;
            }
            members.Add(index);
            if (members.Count > LargestBlock) LargestBlock = members.Count;
        }
        return index;
    }

    private List<(int Index, double Score, MatchZone Zone)> Compare(PreparedRecord record, string[] keys)
    {
        if (_stamp.Length < _records.Count) Array.Resize(ref _stamp, Math.Max(_records.Count, _stamp.Length * 2));
        _currentStamp++;
        var results = new List<(int, double, MatchZone)>();
        foreach (var key in keys)
        {
            if (!_blocks.TryGetValue(key, out var members) || members.Count >= Options.MaxBlockSize) continue;
            foreach (var index in members)
            {
                if (_stamp[index] == _currentStamp) continue;
                _stamp[index] = _currentStamp;
                var (score, zone) = Scorer.Score(_records[index], record);
                PairsCompared++;
                results.Add((index, score, zone));
            }
        }
        return results;
    }

    /// <summary>
    /// One new record against given existing records (for instance the persons of its blocks held by a
    /// grain), without an index: the candidates at least <paramref name="minimumZone"/>, best first, explained.
    /// </summary>
    public static IReadOnlyList<MatchCandidate> MatchAgainst(
        PersonRecord newRecord, IEnumerable<PersonRecord> existing, MatchScorer? scorer = null, MatchZone minimumZone = MatchZone.Possible)
    {
        ArgumentNullException.ThrowIfNull(newRecord);
        ArgumentNullException.ThrowIfNull(existing);
        scorer ??= MatchScorer.Default;
        var prepared = PreparedRecord.From(newRecord);
        var found = new List<MatchCandidate>();
        var index = 0;
        foreach (var other in existing)
        {
            var result = scorer.Explain(PreparedRecord.From(other), prepared);
            if (result.Zone >= minimumZone) found.Add(new MatchCandidate(index, other.RecordId, result));
            index++;
        }
        found.Sort((x, y) => y.Result.Score != x.Result.Score ? y.Result.Score.CompareTo(x.Result.Score) : x.Index.CompareTo(y.Index));
        return found;
    }
}
