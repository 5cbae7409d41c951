using System.Diagnostics;
using Listes360.Domain.Identity.Records;

namespace Listes360.Domain.Identity;

/// <summary>A pair for the review queue of the MDPH referent.</summary>
public sealed record ReviewPair(string FirstRecordId, string SecondRecordId, MatchResult Result);

/// <summary>The outcome of a batch deduplication.</summary>
/// <param name="ClusterIds">One cluster id per input record, in input order.</param>
public sealed record DedupResult(
    IReadOnlyList<string> ClusterIds,
    int Clusters,
    long PairsCompared,
    int SamePairs,
    IReadOnlyList<ReviewPair> ReviewPairs,
    int SaturatedBlocks,
    int LargestBlock,
    TimeSpan Elapsed)
{
    public double PairsPerRecord => ClusterIds.Count == 0 ? 0 : (double)PairsCompared / ClusterIds.Count;
}

/// <summary>
/// Batch deduplication: every record, in input order, is matched against the records before it that
/// share a block (<see cref="IdentityIndex"/>); Same pairs are merged by union-find, best first, except
/// between two clusters holding different MDPH numbers (then reviewed); Possible pairs
/// are returned, explained, for review: one per pair of clusters (the best-scoring pair of records),
/// none inside a cluster. Cluster
/// ids are <c>P000001</c>, <c>P000002</c>… in order of each cluster's first record: the same input
/// gives the same output.
/// </summary>
public static class Deduplicator
{
    /// <param name="records">The records, in input order.</param>
    /// <param name="scorer">The scorer; by default the calibrated one weighing names by their frequency among <paramref name="records"/>.</param>
    /// <param name="blocking">Blocking options.</param>
    /// <param name="department">The département of the lists, when known (reads MDPH numbers with the département glued).</param>
    public static DedupResult Run(IReadOnlyList<PersonRecord> records, MatchScorer? scorer = null, BlockingOptions? blocking = null, string? department = null)
    {
        ArgumentNullException.ThrowIfNull(records);
        var watch = Stopwatch.StartNew();
        var prepared = new PreparedRecord[records.Count];
        for (var i = 0; i < records.Count; i++) prepared[i] = PreparedRecord.From(records[i], department);
        // The file's own persons give the name frequencies (Fellegi–Sunter u-probabilities per value).
        scorer ??= MatchScorer.Default.WithFrequencies(NameFrequencies.From(prepared));
        var index = new IdentityIndex(scorer, blocking);
        var sets = new UnionFind(records.Count);
        var possible = new List<(int A, int B)>();
        var samePairs = 0;
        // The MDPH numbers of each cluster (by its root): two clusters holding different numbers are
        // never joined, even through a third record without number (twins, homonyms: a strong-key
        // conflict blocks a merge, also by transitivity); the pair goes to review instead.
        var mdphs = new Dictionary<int, List<string>>();
        for (var i = 0; i < records.Count; i++)
        {
            if (prepared[i].Mdph is { } m) mdphs[i] = [m];
        }
        var same = new List<(int Other, double Score)>();
        for (var i = 0; i < records.Count; i++)
        {
            var current = i;
            same.Clear();
            index.CompareThenAdd(prepared[i], (other, score, zone) =>
            {
                if (zone == MatchZone.Same) same.Add((other, score));
                else if (zone == MatchZone.Possible) possible.Add((other, current));
            });
            // Best first: the record joins its closest cluster before any other it conflicts with.
            same.Sort((x, y) => y.Score != x.Score ? y.Score.CompareTo(x.Score) : x.Other.CompareTo(y.Other));
            foreach (var (other, _) in same)
            {
                samePairs++;
                var (ra, rb) = (sets.Find(other), sets.Find(current));
                if (ra == rb) continue;
                if (MdphConflict(mdphs, ra, rb))
                {
                    possible.Add((other, current));
                    continue;
                }
                sets.Union(ra, rb);
                var root = sets.Find(ra);
                var merged = Merge(mdphs, ra, rb);
                mdphs.Remove(ra);
                mdphs.Remove(rb);
                if (merged is not null) mdphs[root] = merged;
            }
        }

        var clusterOf = new Dictionary<int, string>();
        var ids = new string[records.Count];
        for (var i = 0; i < records.Count; i++)
        {
            var root = sets.Find(i);
            if (!clusterOf.TryGetValue(root, out var id))
            {
                id = $"P{clusterOf.Count + 1:D6}";
                clusterOf[root] = id;
            }
            ids[i] = id;
        }
        // One review item per pair of clusters: its best-scoring pair of records, in order of first appearance.
        var bestByClusters = new Dictionary<(int, int), (int A, int B, double Score)>();
        var clusterPairs = new List<(int, int)>();
        foreach (var (a, b) in possible)
        {
            var (ra, rb) = (sets.Find(a), sets.Find(b));
            if (ra == rb) continue;
            var key = ra < rb ? (ra, rb) : (rb, ra);
            var score = scorer.Score(index[a], index[b]).Score;
            if (!bestByClusters.TryGetValue(key, out var existing))
            {
                clusterPairs.Add(key);
                bestByClusters[key] = (a, b, score);
            }
            else if (score > existing.Score)
            {
                bestByClusters[key] = (a, b, score);
            }
        }
        var review = clusterPairs
            .Select(key => bestByClusters[key])
            .Select(p => new ReviewPair(records[p.A].RecordId, records[p.B].RecordId, scorer.Explain(index[p.A], index[p.B])))
            .ToList();
        watch.Stop();
        return new DedupResult(ids, clusterOf.Count, index.PairsCompared, samePairs, review, index.SaturatedBlocks, index.LargestBlock, watch.Elapsed);
    }

    private static bool MdphConflict(Dictionary<int, List<string>> mdphs, int ra, int rb)
    {
        if (!mdphs.TryGetValue(ra, out var x) || !mdphs.TryGetValue(rb, out var y)) return false;
        foreach (var a in x)
        {
            foreach (var b in y)
            {
                if (!StrongKeys.SameMdph(a, b)) return true;
            }
        }
        return false;
    }

    private static List<string>? Merge(Dictionary<int, List<string>> mdphs, int ra, int rb)
    {
        mdphs.TryGetValue(ra, out var x);
        mdphs.TryGetValue(rb, out var y);
        if (x is null) return y;
        if (y is null) return x;
        foreach (var b in y)
        {
            if (!x.Contains(b)) x.Add(b);
        }
        return x;
    }
}

/// <summary>Disjoint sets with path halving and union by size; the smaller index wins ties.</summary>
public sealed class UnionFind
{
    private readonly int[] _parent;
    private readonly int[] _size;

    public UnionFind(int count)
    {
        _parent = new int[count];
        _size = new int[count];
        for (var i = 0; i < count; i++)
        {
            _parent[i] = i;
            _size[i] = 1;
        }
    }

    public int Find(int x)
    {
        while (_parent[x] != x)
        {
            _parent[x] = _parent[_parent[x]];
            x = _parent[x];
        }
        return x;
    }

    /// <summary>Joins the sets of <paramref name="a"/> and <paramref name="b"/>; false when already joined.</summary>
    public bool Union(int a, int b)
    {
        var ra = Find(a);
        var rb = Find(b);
        if (ra == rb) return false;
        if (_size[ra] < _size[rb] || (_size[ra] == _size[rb] && rb < ra)) (ra, rb) = (rb, ra);
        _parent[rb] = ra;
        _size[ra] += _size[rb];
        return true;
    }
}
