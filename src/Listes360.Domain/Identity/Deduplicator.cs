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
/// share a block (<see cref="IdentityIndex"/>); Same pairs are merged by union-find; Possible pairs
/// are returned, explained, for review: one per pair of clusters (the best-scoring pair of records),
/// none inside a cluster. Cluster
/// ids are <c>P000001</c>, <c>P000002</c>… in order of each cluster's first record: the same input
/// gives the same output.
/// </summary>
public static class Deduplicator
{
    public static DedupResult Run(IReadOnlyList<PersonRecord> records, MatchScorer? scorer = null, BlockingOptions? blocking = null)
    {
        ArgumentNullException.ThrowIfNull(records);
        var watch = Stopwatch.StartNew();
        scorer ??= MatchScorer.Default;
        var index = new IdentityIndex(scorer, blocking);
        var sets = new UnionFind(records.Count);
        var possible = new List<(int A, int B)>();
        var samePairs = 0;
        for (var i = 0; i < records.Count; i++)
        {
            var current = i;
            index.CompareThenAdd(PreparedRecord.From(records[i]), (other, _, zone) =>
            {
                if (zone == MatchZone.Same)
                {
                    samePairs++;
                    sets.Union(other, current);
                }
                else if (zone == MatchZone.Possible)
                {
                    possible.Add((other, current));
                }
            });
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
