using System.Text;
using FsCheck.Xunit;

namespace Listes360.AzureStorage.Tests;

/// <summary>Pure tests of key derivation; the Azurite tests check the same keys against a server.</summary>
public sealed class TableKeysTests
{
    /// <summary>Keys Azure forbids or clients mangle, next to their escaped look-alikes.</summary>
    public static readonly string[] TrickyKeys =
    [
        "a/b", "a\\b", "a#b", "a?b", "a_2Fb", "a_5F2Fb", "a%2Fb", "a~b", "a~~b", "a'b", "a''b", "a+b", "a b", "a&b",
        "a\0b", "a\tb", "x\r\ny", "\u001F", "\u007F", "\u0080", "\u009F", "\uFFFD",
        "A", "a", "é", "e\u0301", "🙂", ".", "..", "-", "trailing ", " leading", "(PartitionKey='x')",
    ];

    private static GrainId Grain(string key, string type = "testgrain") => GrainId.Create(GrainType.Create(type), IdSpan.Create(key));

    [Property]
    public bool Escaping_loses_nothing(byte[] bytes) => TableKeys.Unescape(TableKeys.Escape(bytes)).AsSpan().SequenceEqual(bytes);

    [Property]
    public bool Escaped_text_only_holds_safe_characters(byte[] bytes) => TableKeys.Escape(bytes).All(IsSafe);

    /// <summary>
    /// The grain type and key can be read back from the partition key, so two grains can never share
    /// one. Ids are drawn from escape look-alikes (<c>_ ~ / 2 F</c>) as well as arbitrary bytes, so
    /// the cases that would break a careless escaping actually come up.
    /// </summary>
    [Property(MaxTest = 1000)]
    public bool Grain_type_and_key_read_back_from_the_partition_key(byte[] type, byte[] key, bool tricky)
    {
        var typeBytes = tricky ? Tricky(type) : [(byte)'t', .. type];
        var keyBytes = tricky ? Tricky(key) : key;
        var partitionKey = TableKeys.For(GrainId.Create(new GrainType(typeBytes), new IdSpan(keyBytes)), "s").PartitionKey;

        var parts = partitionKey.Split('~');
        return TableKeys.IsHashed(partitionKey)
            || parts.Length == 2 && TableKeys.Unescape(parts[0]).SequenceEqual(typeBytes) && TableKeys.Unescape(parts[1]).SequenceEqual(keyBytes);
    }

    // Orleans refuses blank grain types, hence the leading letter.
    private static byte[] Tricky(byte[] picks) => [(byte)'t', .. picks.Select(p => (byte)"_~/2F"[p % 5])];

    [Fact]
    public void Tricky_keys_give_distinct_safe_partition_keys()
    {
        var partitionKeys = TrickyKeys.Select(k => TableKeys.For(Grain(k), "state").PartitionKey).ToList();

        Assert.Equal(TrickyKeys.Length, partitionKeys.Distinct(StringComparer.Ordinal).Count());
        Assert.All(partitionKeys, pk => Assert.True(pk.All(IsSafe), pk));
    }

    [Fact]
    public void Partition_key_splits_back_into_grain_type_and_key()
    {
        var key = TableKeys.For(Grain("a/b~c", "my.grain`1"), "state");

        var parts = key.PartitionKey.Split('~');
        Assert.Equal("my.grain`1", Encoding.UTF8.GetString(TableKeys.Unescape(parts[0])));
        Assert.Equal("a/b~c", Encoding.UTF8.GetString(TableKeys.Unescape(parts[1])));
        Assert.Equal("state", key.RowKey);
    }

    [Fact]
    public void Readable_ids_stay_readable()
    {
        Assert.Equal(new TableKey("esms~610000010", "state"), TableKeys.For(Grain("610000010", "esms"), "state"));
        Assert.Equal(new TableKey("person~61-a_2Fb", "dossier"), TableKeys.For(Grain("61-a/b", "person"), "dossier"));
    }

    [Theory]
    [InlineData(10)]
    [InlineData(170)]
    [InlineData(171)]
    [InlineData(5000)]
    public void Keys_never_exceed_the_limit_and_long_ones_are_hashed(int slashes)
    {
        var key = TableKeys.For(Grain(new string('/', slashes)), new string('?', slashes));

        Assert.InRange(key.PartitionKey.Length, 1, TableKeys.MaxKeyLength);
        Assert.InRange(key.RowKey.Length, 1, TableKeys.MaxKeyLength);
        // "testgrain~" + 3 characters per slash: 512 fits 167 slashes, the row key 170.
        Assert.Equal(slashes > 167, TableKeys.IsHashed(key.PartitionKey));
        Assert.Equal(slashes > 170, TableKeys.IsHashed(key.RowKey));
    }

    [Fact]
    public void Hashed_keys_of_ids_sharing_a_long_prefix_differ()
    {
        var prefix = new string('x', 1000);

        Assert.NotEqual(TableKeys.For(Grain(prefix + "1"), "s"), TableKeys.For(Grain(prefix + "2"), "s"));
    }

    [Fact]
    public void Absurdly_long_grain_ids_are_refused_clearly()
    {
        var error = Assert.Throws<ArgumentException>(() => TableKeys.For(Grain(new string('x', TableKeys.MaxGrainIdLength)), "s"));

        Assert.Contains("too long", error.Message);
    }

    private static bool IsSafe(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~';
}
