using System.Security.Cryptography;
using Azure.Data.Tables;
using Listes360.AzureStorage.GrainState;
using Listes360.Testing;
using Orleans.Storage;

namespace Listes360.AzureStorage.Tests;

/// <summary>
/// The contract of grain storage as the service wires it: the official Azure Table provider (binary
/// serializer, row deleted on clear, service id fixed) seen through <see cref="StorageGrainIds"/>,
/// against a real Azurite.
/// </summary>
[Collection(AzuriteCollectionDefinition.Name)]
public sealed class GrainStateStorageTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private StorageHarness _harness = null!;

    private IGrainStorage Storage => _harness.Storage;

    public async Task InitializeAsync() =>
        _harness = await StorageHarness.StartAsync(azurite.CreateServiceClient(), AzuriteFixture.UniqueTableName("state"));

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private static GrainId Grain(string key, string type = "testgrain") => GrainId.Create(GrainType.Create(type), IdSpan.Create(key));

    private static TestGrainState<TestState> State(string text, byte[]? blob = null) =>
        new(new TestState { Text = text, Blob = blob ?? [] });

    private Task<List<TableEntity>> StoredRowsAsync() =>
        azurite.CreateServiceClient().GetTableClient(_harness.TableName).QueryAsync<TableEntity>().ToListAsync().AsTask();

    [Fact]
    public async Task Table_is_created_at_start()
    {
        var tables = azurite.CreateServiceClient().QueryAsync(t => t.Name == _harness.TableName);
        Assert.NotNull(await tables.FirstOrDefaultAsync());
    }

    [Fact]
    public async Task Reading_a_missing_state_gives_a_fresh_state_and_no_record()
    {
        var state = State("left over");
        state.ETag = "stale";
        state.RecordExists = true;

        await Storage.ReadStateAsync("state", Grain("nobody"), state);

        Assert.Equal("", state.State.Text);
        Assert.Null(state.ETag);
        Assert.False(state.RecordExists);
    }

    [Fact]
    public async Task Written_state_reads_back_with_its_etag()
    {
        var grain = Grain("esms-610000010");
        var written = State("Bonjour, Alençon");

        await Storage.WriteStateAsync("state", grain, written);
        var read = await _harness.ReadAsync<TestState>(grain);

        Assert.NotNull(written.ETag);
        Assert.True(written.RecordExists);
        Assert.Equal("Bonjour, Alençon", read.State.Text);
        Assert.Equal(written.ETag, read.ETag);
        Assert.True(read.RecordExists);
    }

    [Fact]
    public async Task A_safe_key_is_stored_under_the_service_id_and_the_grains_own_id()
    {
        await Storage.WriteStateAsync("dossier", Grain("61-abc", "person"), State("x"));

        var row = Assert.Single(await StoredRowsAsync());
        // The official layout, {ServiceId}_{grain id} with '/' replaced by '_': what any Orleans tool expects.
        Assert.Equal($"{StorageHarness.ServiceId}_person_61-abc", row.PartitionKey);
        Assert.Equal("dossier", row.RowKey);
    }

    [Fact]
    public async Task Successive_writes_replace_the_state_and_change_the_etag()
    {
        var grain = Grain("twice");
        var state = State("one", RandomNumberGenerator.GetBytes(200 * 1024));
        await Storage.WriteStateAsync("state", grain, state);
        var firstETag = state.ETag;

        state.State = new TestState { Text = "two" };
        await Storage.WriteStateAsync("state", grain, state);
        var read = await _harness.ReadAsync<TestState>(grain);

        Assert.NotEqual(firstETag, state.ETag);
        Assert.Equal("two", read.State.Text);
        Assert.Empty(read.State.Blob); // no part (Data1…Data3) of the larger first state survives
        Assert.DoesNotContain("Data1", Assert.Single(await StoredRowsAsync()).Keys);
    }

    [Fact]
    public async Task Clear_deletes_the_row_and_resets_the_grain_state()
    {
        var grain = Grain("to-clear");
        var state = State("doomed");
        await Storage.WriteStateAsync("state", grain, state);

        await Storage.ClearStateAsync("state", grain, state);

        Assert.Null(state.ETag);
        Assert.False(state.RecordExists);
        Assert.Equal("", state.State.Text);
        Assert.Empty(await StoredRowsAsync());
        Assert.False((await _harness.ReadAsync<TestState>(grain)).RecordExists);

        state.State.Text = "reborn"; // a cleared state can be written again from scratch
        await Storage.WriteStateAsync("state", grain, state);
        Assert.Equal("reborn", (await _harness.ReadAsync<TestState>(grain)).State.Text);
    }

    [Fact]
    public async Task A_writer_with_a_stale_etag_is_refused_and_the_first_writers_state_stays()
    {
        var grain = Grain("contended");
        await Storage.WriteStateAsync("state", grain, State("initial"));
        var first = await _harness.ReadAsync<TestState>(grain);
        var second = await _harness.ReadAsync<TestState>(grain);

        first.State.Text = "first";
        await Storage.WriteStateAsync("state", grain, first);
        second.State.Text = "second";
        var staleETag = second.ETag;
        var error = await Assert.ThrowsAnyAsync<InconsistentStateException>(() => Storage.WriteStateAsync("state", grain, second));

        Assert.Equal(staleETag, error.CurrentEtag);
        Assert.Equal(staleETag, second.ETag);
        var read = await _harness.ReadAsync<TestState>(grain);
        Assert.Equal("first", read.State.Text);
        Assert.Equal(first.ETag, read.ETag);
    }

    [Fact]
    public async Task A_second_first_write_is_refused()
    {
        var grain = Grain("born-twice");
        var winner = State("winner");
        await Storage.WriteStateAsync("state", grain, winner);

        await Assert.ThrowsAnyAsync<InconsistentStateException>(() => Storage.WriteStateAsync("state", grain, State("loser")));

        var read = await _harness.ReadAsync<TestState>(grain);
        Assert.Equal("winner", read.State.Text);
        Assert.Equal(winner.ETag, read.ETag);
    }

    [Fact]
    public async Task Writing_after_another_activation_cleared_is_refused()
    {
        var grain = Grain("cleared-behind");
        var stale = State("v1");
        await Storage.WriteStateAsync("state", grain, stale);
        var other = await _harness.ReadAsync<TestState>(grain);
        await Storage.ClearStateAsync("state", grain, other);

        await Assert.ThrowsAnyAsync<InconsistentStateException>(() => Storage.WriteStateAsync("state", grain, stale));
        Assert.False((await _harness.ReadAsync<TestState>(grain)).RecordExists);
    }

    [Fact]
    public async Task Clearing_with_a_stale_etag_is_refused_and_the_state_stays()
    {
        var grain = Grain("clear-contended");
        var stale = State("v1");
        await Storage.WriteStateAsync("state", grain, stale);
        var fresh = await _harness.ReadAsync<TestState>(grain);
        fresh.State.Text = "v2";
        await Storage.WriteStateAsync("state", grain, fresh);

        await Assert.ThrowsAnyAsync<InconsistentStateException>(() => Storage.ClearStateAsync("state", grain, stale));

        Assert.Equal("v1", stale.State.Text); // the refused clear left the caller's view alone too
        var read = await _harness.ReadAsync<TestState>(grain);
        Assert.Equal("v2", read.State.Text);
        Assert.Equal(fresh.ETag, read.ETag);
    }

    /// <summary>
    /// The official provider does not send a delete without an ETag: a clear by an activation that
    /// saw no record succeeds without touching storage (the hand-written provider refused it). What
    /// matters still holds: the stored state stays, and that activation's next write is refused.
    /// </summary>
    [Fact]
    public async Task Clearing_without_an_etag_leaves_the_stored_state_and_the_next_blind_write_is_refused()
    {
        var grain = Grain("clear-blind");
        await Storage.WriteStateAsync("state", grain, State("stored"));
        var blind = State("never read");

        await Storage.ClearStateAsync("state", grain, blind);

        Assert.Equal("stored", (await _harness.ReadAsync<TestState>(grain)).State.Text);
        blind.State.Text = "blind write";
        await Assert.ThrowsAnyAsync<InconsistentStateException>(() => Storage.WriteStateAsync("state", grain, blind));
        Assert.Equal("stored", (await _harness.ReadAsync<TestState>(grain)).State.Text);
    }

    /// <summary>
    /// A grain its caller just created (<see cref="Grains.Common.NewGrainHint"/>: an onboarding's new person) is not read
    /// at its first activation; a hint naming another grain reads as usual; and a wrong hint loses nothing: the write
    /// that follows, without an ETag, is refused and the stored state stays.
    /// </summary>
    [Fact]
    public async Task A_grain_hinted_as_new_is_not_read_and_a_wrong_hint_cannot_overwrite()
    {
        var stored = Grain("59-stored", "person");
        await Storage.WriteStateAsync("state", stored, State("stored"));

        var hinted = State("");
        using (Grains.Common.NewGrainHint.For(stored))
            await Storage.ReadStateAsync("state", stored, hinted);
        Assert.Equal("", hinted.State.Text); // nothing read: the stored "stored" was not fetched
        Assert.Null(hinted.ETag);
        Assert.False(hinted.RecordExists);

        var other = State("");
        using (Grains.Common.NewGrainHint.For(Grain("59-someone-else", "person")))
            await Storage.ReadStateAsync("state", stored, other);
        Assert.Equal("stored", other.State.Text);
        Assert.NotNull(other.ETag);

        hinted.State.Text = "written on a wrong hint";
        await Assert.ThrowsAnyAsync<InconsistentStateException>(() => Storage.WriteStateAsync("state", stored, hinted));
        Assert.Equal("stored", (await _harness.ReadAsync<TestState>(stored)).State.Text);
    }

    [Fact]
    public async Task A_300_KiB_state_round_trips_in_the_official_layout()
    {
        var grain = Grain("big");
        var blob = RandomNumberGenerator.GetBytes(300 * 1024);

        await Storage.WriteStateAsync("state", grain, State("big", blob));
        var read = await _harness.ReadAsync<TestState>(grain);

        Assert.Equal(blob, read.State.Blob);
        var entity = Assert.Single(await StoredRowsAsync());
        // 64 KiB binary properties Data, Data1, Data2…: 300 KiB and a few bytes of framing take five.
        foreach (var name in new[] { "Data", "Data1", "Data2", "Data3", "Data4" })
            Assert.NotNull(entity.GetBinary(name));
        Assert.Equal(64 * 1024, entity.GetBinary("Data").Length);
        Assert.Equal(4 * 64 * 1024, new[] { "Data", "Data1", "Data2", "Data3" }.Sum(n => entity.GetBinary(n).Length));
        Assert.DoesNotContain("Data5", entity.Keys);
        Assert.DoesNotContain("StringData", entity.Keys);
    }

    [Fact]
    public async Task A_2_MiB_state_is_refused_and_the_previous_state_stays()
    {
        var grain = Grain("too-big");
        var state = State("small");
        await Storage.WriteStateAsync("state", grain, state);
        var etag = state.ETag;

        state.State = new TestState { Text = "huge", Blob = RandomNumberGenerator.GetBytes(2 * 1024 * 1024) };
        var error = await Assert.ThrowsAsync<GrainStateTooLargeException>(() => Storage.WriteStateAsync("state", grain, state));

        Assert.Equal("testgrain/too-big", error.GrainId);
        Assert.Equal("state", error.StateName);
        Assert.True(error.Size > 2 * 1024 * 1024, $"size {error.Size}");
        Assert.Equal(983_040, error.Limit);
        Assert.Equal(SafeKeyGrainStorage.MaxStateBytes, error.Limit);
        Assert.Contains("testgrain/too-big", error.Message);
        Assert.Contains("983,040", error.Message);
        // The grains recognise it without depending on this project, to answer STATE_LIMIT_REACHED.
        Assert.IsAssignableFrom<Listes360.Grains.Common.IStateTooLargeException>(error);
        Assert.Equal(etag, state.ETag);
        var read = await _harness.ReadAsync<TestState>(grain);
        Assert.Equal("small", read.State.Text);
        Assert.Equal(etag, read.ETag);
    }

    [Fact]
    public async Task The_largest_allowed_state_fits_in_one_entity_and_one_byte_more_is_refused()
    {
        var grain = Grain("at-the-limit");
        // A byte[] field costs a few bytes of Orleans framing on top of its content.
        var blob = RandomNumberGenerator.GetBytes(SafeKeyGrainStorage.MaxStateBytes - 64);

        await Storage.WriteStateAsync("state", grain, State("", blob));

        Assert.Equal(blob, (await _harness.ReadAsync<TestState>(grain)).State.Blob);
        var entity = Assert.Single(await StoredRowsAsync());
        Assert.NotNull(entity.GetBinary("Data14")); // all fifteen properties used
        var over = await Assert.ThrowsAsync<GrainStateTooLargeException>(() =>
            Storage.WriteStateAsync("state", grain, State("", RandomNumberGenerator.GetBytes(SafeKeyGrainStorage.MaxStateBytes))));
        Assert.InRange(over.Size, SafeKeyGrainStorage.MaxStateBytes + 1, SafeKeyGrainStorage.MaxStateBytes + 64);
    }

    [Fact]
    public async Task Keys_with_forbidden_characters_round_trip_without_colliding()
    {
        var keys = StorageGrainIdsTests.TrickyKeys;
        foreach (var key in keys)
        {
            await Storage.WriteStateAsync("state", Grain(key), State(key));
        }
        foreach (var key in keys)
        {
            var read = await _harness.ReadAsync<TestState>(Grain(key));
            Assert.True(read.RecordExists, $"key {Show(key)} was not found");
            Assert.Equal(key, read.State.Text);
        }
        Assert.Equal(keys.Length, (await StoredRowsAsync()).Count);
    }

    [Fact]
    public async Task Keys_that_decode_to_the_same_text_stay_distinct()
    {
        // Both invalid UTF-8: decoded they are the same replacement character.
        var a = GrainId.Create(GrainType.Create("testgrain"), new IdSpan([0xFF]));
        var b = GrainId.Create(GrainType.Create("testgrain"), new IdSpan([0xFE]));
        var c = GrainId.Create(GrainType.Create("testgrain"), new IdSpan([0xC3])); // a truncated "é"
        Assert.Equal(a.ToString(), b.ToString());

        await Storage.WriteStateAsync("state", a, State("a"));
        await Storage.WriteStateAsync("state", b, State("b"));
        await Storage.WriteStateAsync("state", c, State("c"));

        Assert.Equal("a", (await _harness.ReadAsync<TestState>(a)).State.Text);
        Assert.Equal("b", (await _harness.ReadAsync<TestState>(b)).State.Text);
        Assert.Equal("c", (await _harness.ReadAsync<TestState>(c)).State.Text);
        Assert.Equal(3, (await StoredRowsAsync()).Count);
    }

    [Fact]
    public async Task Two_grain_types_with_the_same_key_do_not_collide()
    {
        await Storage.WriteStateAsync("state", Grain("610000010", "esms"), State("an ESMS"));
        await Storage.WriteStateAsync("state", Grain("610000010", "person"), State("a person"));
        // The provider joins service id, type and key with '_' ('/' becomes '_'): a key never holds
        // one, so type "a_b" with key "x" and type "a" with key "b_x" stay apart.
        await Storage.WriteStateAsync("state", Grain("x", "a_b"), State("type with an underscore"));
        await Storage.WriteStateAsync("state", Grain("b_x", "a"), State("key with an underscore"));
        await Storage.WriteStateAsync("state", Grain("b/x", "a"), State("key with a slash"));

        Assert.Equal("an ESMS", (await _harness.ReadAsync<TestState>(Grain("610000010", "esms"))).State.Text);
        Assert.Equal("a person", (await _harness.ReadAsync<TestState>(Grain("610000010", "person"))).State.Text);
        Assert.Equal("type with an underscore", (await _harness.ReadAsync<TestState>(Grain("x", "a_b"))).State.Text);
        Assert.Equal("key with an underscore", (await _harness.ReadAsync<TestState>(Grain("b_x", "a"))).State.Text);
        Assert.Equal("key with a slash", (await _harness.ReadAsync<TestState>(Grain("b/x", "a"))).State.Text);
        Assert.Equal(5, (await StoredRowsAsync()).Count);
    }

    [Fact]
    public async Task Two_states_of_one_grain_do_not_collide()
    {
        var grain = Grain("two-states");
        await Storage.WriteStateAsync("profile", grain, State("profile"));
        await Storage.WriteStateAsync("counters", grain, new TestGrainState<OtherState>(new OtherState { Number = 42 }));
        // State names are escaped like keys: the provider would turn both into "a_b".
        await Storage.WriteStateAsync("a/b", grain, State("slash"));
        await Storage.WriteStateAsync("a#b", grain, State("hash"));

        Assert.Equal("profile", (await _harness.ReadAsync<TestState>(grain, "profile")).State.Text);
        Assert.Equal(42, (await _harness.ReadAsync<OtherState>(grain, "counters")).State.Number);
        Assert.Equal("slash", (await _harness.ReadAsync<TestState>(grain, "a/b")).State.Text);
        Assert.Equal("hash", (await _harness.ReadAsync<TestState>(grain, "a#b")).State.Text);
        var rows = await StoredRowsAsync();
        Assert.Equal(4, rows.Count);
        Assert.Single(rows.Select(r => r.PartitionKey).Distinct());
    }

    [Fact]
    public async Task Long_keys_sharing_a_prefix_are_hashed_and_do_not_collide()
    {
        var prefix = new string('/', 2000); // escapes to 6,000 characters, far over Azure's 1 KiB (512 characters) key
        var a = Grain(prefix + "a");
        var b = Grain(prefix + "b");
        var safe = Grain(new string('x', 5000) + "c");

        await Storage.WriteStateAsync("state", a, State("a"));
        await Storage.WriteStateAsync("state", b, State("b"));
        await Storage.WriteStateAsync("state", safe, State("c"));

        Assert.Equal("a", (await _harness.ReadAsync<TestState>(a)).State.Text);
        Assert.Equal("b", (await _harness.ReadAsync<TestState>(b)).State.Text);
        Assert.Equal("c", (await _harness.ReadAsync<TestState>(safe)).State.Text);
        var rows = await StoredRowsAsync();
        Assert.Equal(3, rows.Count);
        Assert.All(rows, r => Assert.Contains("~~", r.PartitionKey));
        // Azure keys hold 1 KiB, 512 UTF-16 characters, service id and grain type included.
        Assert.All(rows, r => Assert.InRange(r.PartitionKey.Length, 1, 512));
    }

    [Fact]
    public async Task Each_write_reports_the_bytes_of_the_state_it_sent()
    {
        // A grain type of its own: other tests write at the same time on the same meter.
        var grain = Grain("61-measured", "measuredgrain");
        long recorded = 0;
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == Grains.Telemetry.ServiceMetrics.StorageWrittenName)
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
                if (tag is { Key: "grain", Value: "measuredgrain" })
                    Interlocked.Add(ref recorded, value);
        });
        listener.Start();

        var state = State("petit");
        await Storage.WriteStateAsync("state", grain, state);
        var small = Interlocked.Exchange(ref recorded, 0);
        state.State = new TestState { Text = "grand", Blob = RandomNumberGenerator.GetBytes(40_000) };
        await Storage.WriteStateAsync("state", grain, state);
        var large = Interlocked.Read(ref recorded);

        // The serialized state: a few bytes of framing around the text, then the 40,000 bytes of the blob.
        Assert.InRange(small, 5, 200);
        Assert.InRange(large, 40_000, 40_200);
    }

    internal static string Show(string key) => string.Concat(key.Select(c => char.IsControl(c) ? $"\\u{(int)c:X4}" : c.ToString()));
}
