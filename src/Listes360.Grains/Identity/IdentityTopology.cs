using System.Globalization;
using System.Text;

namespace Listes360.Grains.Identity;

/// <summary>
/// How a département's identity index is split (configuration <c>Identity:Shards</c>). Each person's
/// record sits in the shards of its ~10 blocking keys, about 150 bytes each: 16 shards keep a shard
/// near 1,500 × 10 / 16 ≈ 940 records (≈ 150 KB) for the Orne; a Nord-sized département (~20,000
/// persons) wants 64 (≈ 3,100 records, ≈ 500 KB, under the 1 MiB entity). Fixed for a deployment.
/// </summary>
public sealed class IdentityTopology
{
    public const string Section = "Identity";

    public int Shards { get; set; } = 16;

    public static string ShardKey(string department, int index) => $"{department}-i{index}";

    public static int IndexOfShardKey(string key) =>
        int.Parse(key[(key.LastIndexOf("-i", StringComparison.Ordinal) + 2)..], CultureInfo.InvariantCulture);

    /// <summary>FNV-1a of the blocking key, stable across processes (unlike string.GetHashCode).</summary>
    public int ShardOf(string blockingKey)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(blockingKey))
        {
            hash ^= b;
            hash *= 16777619u;
        }
        return (int)(hash % (uint)Shards);
    }
}
