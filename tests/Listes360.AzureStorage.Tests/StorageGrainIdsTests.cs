using System.Globalization;
using FsCheck.Xunit;
using Listes360.AzureStorage.GrainState;

namespace Listes360.AzureStorage.Tests;

/// <summary>Pure tests of key escaping; the Azurite tests check the same keys against a server.</summary>
public sealed class StorageGrainIdsTests
{
    /// <summary>Keys Azure forbids or clients mangle, next to their escaped look-alikes.</summary>
    public static readonly string[] TrickyKeys =
    [
        "a/b", "a\\b", "a#b", "a?b", "a_b", "a__b", "a_2Fb", "a%b", "a%2Fb", "a%252Fb", "a%5Fb", "a%~b", "a~b", "a'b", "a''b", "a+b", "a b",
        "a\0b", "a\tb", "x\r\ny", "\u001F", "\u007F", "\u0080", "\u009F", "\uFFFD",
        "A", "a", "é", "e\u0301", "🙂", ".", "..", "-", "trailing ", " leading", "(PartitionKey='x')",
    ];

    private static GrainId Grain(string key, string type = "testgrain") => GrainId.Create(GrainType.Create(type), IdSpan.Create(key));

    /// <summary>Two different keys (arbitrary bytes, valid UTF-8 or not) are never stored under one.</summary>
    [Property(MaxTest = 1000)]
    public bool Escaping_is_injective(byte[] a, byte[] b, bool tricky)
    {
        var (x, y) = tricky ? (Tricky(a), Tricky(b)) : (a, b);
        return x.AsSpan().SequenceEqual(y) || StorageGrainIds.Key(x) != StorageGrainIds.Key(y);
    }

    /// <summary>Injective because it can be undone: every key short enough not to be hashed reads back.</summary>
    [Property(MaxTest = 1000)]
    public bool Escaped_keys_read_back(byte[] bytes, bool tricky)
    {
        var key = tricky ? Tricky(bytes) : bytes;
        var stored = StorageGrainIds.Key(key);
        return IsHashed(stored) || Unescape(stored).AsSpan().SequenceEqual(key);
    }

    [Property(MaxTest = 1000)]
    public bool Stored_keys_only_hold_safe_characters(byte[] bytes, bool tricky)
    {
        var stored = StorageGrainIds.Key(tricky ? Tricky(bytes) : bytes);
        return stored.All(c => IsSafe(c) || c == '~') && stored.Length <= StorageGrainIds.MaxKeyLength;
    }

    /// <summary>Long keys, from the same escape look-alikes, around and over the limit.</summary>
    [Property(MaxTest = 300)]
    public bool Long_keys_are_hashed_within_the_limit_and_stay_distinct(byte[] a, byte[] b, FsCheck.PositiveInt length)
    {
        var x = Repeat(Tricky(a), 100 + length.Get % 1000);
        var y = Repeat(Tricky(b), 100 + length.Get % 1000);
        var (kx, ky) = (StorageGrainIds.Key(x), StorageGrainIds.Key(y));
        return kx.Length <= StorageGrainIds.MaxKeyLength && ky.Length <= StorageGrainIds.MaxKeyLength
            && (x.AsSpan().SequenceEqual(y) || kx != ky)
            && (IsHashed(kx) || Unescape(kx).AsSpan().SequenceEqual(x));
    }

    [Theory]
    [InlineData("61-abc")]
    [InlineData("610000010")]
    [InlineData("61-i3")]
    [InlineData("esms-610000010")]
    [InlineData("61-abc:0.shard")]
    public void Keys_the_service_makes_are_stored_unchanged(string key)
    {
        var grain = Grain(key, "person");

        Assert.Equal(key, StorageGrainIds.Key(key));
        Assert.Equal(grain, StorageGrainIds.For(grain));
    }

    [Fact]
    public void An_escaped_grain_id_keeps_its_type()
    {
        var stored = StorageGrainIds.For(Grain("61/a_b%", "person"));

        Assert.Equal(GrainType.Create("person"), stored.Type);
        Assert.Equal("61~2Fa~5Fb~25", stored.Key.ToString());
    }

    [Fact]
    public void Tricky_keys_give_distinct_safe_keys()
    {
        var stored = TrickyKeys.Select(StorageGrainIds.Key).ToList();

        Assert.Equal(TrickyKeys.Length, stored.Distinct(StringComparer.Ordinal).Count());
        Assert.All(stored, k => Assert.True(k.All(c => IsSafe(c) || c == '~'), k));
        Assert.All(stored, k => Assert.DoesNotContain('_', k));
    }

    [Theory]
    [InlineData(1, 'x', false)]
    [InlineData(256, 'x', false)]
    [InlineData(257, 'x', true)]
    [InlineData(85, '/', false)] // 255 characters escaped
    [InlineData(86, '/', true)]
    [InlineData(5000, '/', true)]
    public void Keys_never_exceed_the_limit_and_long_ones_are_hashed(int length, char c, bool hashed)
    {
        Assert.Equal(256, StorageGrainIds.MaxKeyLength);
        var stored = StorageGrainIds.Key(new string(c, length));

        Assert.InRange(stored.Length, 1, StorageGrainIds.MaxKeyLength);
        Assert.Equal(hashed, IsHashed(stored));
        if (hashed)
            Assert.Equal(StorageGrainIds.MaxKeyLength, stored.Length);
    }

    [Fact]
    public void Hashed_keys_of_ids_sharing_a_long_prefix_differ_and_keep_a_readable_prefix()
    {
        var prefix = new string('x', 1000);

        var one = StorageGrainIds.Key(prefix + "1");
        var two = StorageGrainIds.Key(prefix + "2");

        Assert.NotEqual(one, two);
        Assert.StartsWith(new string('x', 150), one);
    }

    /// <summary>The escape never produces "~~" (a '~' is always followed by two hex digits), so a hashed key is told apart.</summary>
    private static bool IsHashed(string stored) => stored.Contains("~~", StringComparison.Ordinal);

    private static byte[] Unescape(string stored)
    {
        var bytes = new List<byte>();
        for (var i = 0; i < stored.Length; i++)
        {
            if (stored[i] == '~')
            {
                bytes.Add(byte.Parse(stored.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                i += 2;
            }
            else
            {
                bytes.Add((byte)stored[i]);
            }
        }
        return [.. bytes];
    }

    // Bytes drawn from the escape and its look-alikes, so that careless escaping would actually collide.
    private static byte[] Tricky(byte[] picks) => [.. picks.Select(p => (byte)"%_/~2F5x\u00C3\u00FF"[p % 10])];

    private static byte[] Repeat(byte[] unit, int length)
    {
        if (unit.Length == 0)
            unit = [(byte)'/'];
        var result = new byte[length];
        for (var i = 0; i < length; i++)
            result[i] = unit[i % unit.Length];
        return result;
    }

    // What the escaping keeps as is (letters, digits, - . : @ ! * ( ) , ; = $ & [ ]), never '_' nor a character Azure refuses.
    private static bool IsSafe(char c) =>
        char.IsAsciiLetterOrDigit(c) || "-.:@!*(),;=$&[]".Contains(c);

    [Fact]
    public void What_Azure_or_the_provider_would_alter_is_escaped()
    {
        foreach (var c in "/\\#?_%~ '+\"\0\u001F\u007F\u0085")
            Assert.StartsWith("~", StorageGrainIds.Key(c.ToString()));
    }
}
