using System.Security.Cryptography;
using Azure;
using Azure.Data.Tables;
using Listes360.Testing;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace Listes360.AzureStorage.Tests;

[Collection(AzuriteCollectionDefinition.Name)]
public sealed class AzureTableGrainStorageTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private StorageHarness _harness = null!;

    private IGrainStorage Storage => _harness.Storage;

    public async Task InitializeAsync() => _harness = await StorageHarness.StartAsync(azurite);

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private static GrainId Grain(string key, string type = "testgrain") => GrainId.Create(GrainType.Create(type), IdSpan.Create(key));

    private static TestGrainState<TestState> State(string text, byte[]? blob = null) =>
        new(new TestState { Text = text, Blob = blob ?? [] });

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
        Assert.Empty(read.State.Blob); // no part of the larger first state survives
    }

    [Fact]
    public async Task Clear_deletes_the_state_and_resets_the_grain_state()
    {
        var grain = Grain("to-clear");
        var state = State("doomed");
        await Storage.WriteStateAsync("state", grain, state);

        await Storage.ClearStateAsync("state", grain, state);

        Assert.Null(state.ETag);
        Assert.False(state.RecordExists);
        Assert.Equal("", state.State.Text);
        var read = await _harness.ReadAsync<TestState>(grain);
        Assert.False(read.RecordExists);

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
        var error = await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync("state", grain, second));

        Assert.Equal(first.ETag, error.StoredEtag);
        Assert.Equal(second.ETag, error.CurrentEtag);
        Assert.Equal("first", (await _harness.ReadAsync<TestState>(grain)).State.Text);
    }

    [Fact]
    public async Task A_second_first_write_is_refused()
    {
        var grain = Grain("born-twice");
        var winner = State("winner");
        await Storage.WriteStateAsync("state", grain, winner);

        var error = await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync("state", grain, State("loser")));

        Assert.Equal(winner.ETag, error.StoredEtag);
        Assert.Equal("winner", (await _harness.ReadAsync<TestState>(grain)).State.Text);
    }

    [Fact]
    public async Task Writing_after_another_activation_cleared_is_refused()
    {
        var grain = Grain("cleared-behind");
        var stale = State("v1");
        await Storage.WriteStateAsync("state", grain, stale);
        var other = await _harness.ReadAsync<TestState>(grain);
        await Storage.ClearStateAsync("state", grain, other);

        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync("state", grain, stale));
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

        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.ClearStateAsync("state", grain, stale));
        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.ClearStateAsync("state", grain, State("never read")));
        Assert.Equal("v2", (await _harness.ReadAsync<TestState>(grain)).State.Text);
    }

    [Fact]
    public async Task A_300_KiB_state_round_trips_across_several_properties()
    {
        var grain = Grain("big");
        var blob = RandomNumberGenerator.GetBytes(300 * 1024);

        await Storage.WriteStateAsync("state", grain, State("big", blob));
        var read = await _harness.ReadAsync<TestState>(grain);

        Assert.Equal(blob, read.State.Blob);
        var entity = await azurite.CreateServiceClient().GetTableClient(_harness.TableName)
            .QueryAsync<TableEntity>().FirstAsync();
        Assert.Equal(5, entity.GetInt32(StateEntity.DataPartsProperty));
        Assert.Equal(typeof(TestState).FullName, entity.GetString(StateEntity.StateTypeProperty));
        Assert.Equal("testgrain", entity.GetString(StateEntity.GrainTypeProperty));
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

        Assert.Equal(grain.ToString(), error.GrainId);
        Assert.True(error.Size > 2 * 1024 * 1024);
        Assert.Equal(StateEntity.MaxStateBytes, error.Limit);
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
    public async Task The_largest_allowed_state_fits_in_one_entity()
    {
        var grain = Grain("at-the-limit");
        // A byte[] field costs a few bytes of Orleans framing on top of its content.
        var blob = RandomNumberGenerator.GetBytes(StateEntity.MaxStateBytes - 64);

        await Storage.WriteStateAsync("state", grain, State("", blob));

        Assert.Equal(blob, (await _harness.ReadAsync<TestState>(grain)).State.Blob);
    }

    [Fact]
    public async Task Keys_with_forbidden_characters_round_trip_without_colliding()
    {
        var keys = TableKeysTests.TrickyKeys;
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
        var stored = await azurite.CreateServiceClient().GetTableClient(_harness.TableName).QueryAsync<TableEntity>().CountAsync();
        Assert.Equal(keys.Length, stored);
    }

    [Fact]
    public async Task Keys_that_decode_to_the_same_text_stay_distinct()
    {
        // Both invalid UTF-8: decoded they are the same replacement character.
        var a = GrainId.Create(GrainType.Create("testgrain"), new IdSpan([0xFF]));
        var b = GrainId.Create(GrainType.Create("testgrain"), new IdSpan([0xFE]));
        Assert.Equal(a.ToString(), b.ToString());

        await Storage.WriteStateAsync("state", a, State("a"));
        await Storage.WriteStateAsync("state", b, State("b"));

        Assert.Equal("a", (await _harness.ReadAsync<TestState>(a)).State.Text);
        Assert.Equal("b", (await _harness.ReadAsync<TestState>(b)).State.Text);
    }

    [Fact]
    public async Task Two_grain_types_with_the_same_key_do_not_collide()
    {
        await Storage.WriteStateAsync("state", Grain("610000010", "esms"), State("an ESMS"));
        await Storage.WriteStateAsync("state", Grain("610000010", "person"), State("a person"));
        // "esms~x" vs "esms" + key "~x" style confusions are ruled out by escaping '~' in keys.
        await Storage.WriteStateAsync("state", Grain("x", "a~b"), State("type with a tilde"));
        await Storage.WriteStateAsync("state", Grain("b~x", "a"), State("key with a tilde"));

        Assert.Equal("an ESMS", (await _harness.ReadAsync<TestState>(Grain("610000010", "esms"))).State.Text);
        Assert.Equal("a person", (await _harness.ReadAsync<TestState>(Grain("610000010", "person"))).State.Text);
        Assert.Equal("type with a tilde", (await _harness.ReadAsync<TestState>(Grain("x", "a~b"))).State.Text);
        Assert.Equal("key with a tilde", (await _harness.ReadAsync<TestState>(Grain("b~x", "a"))).State.Text);
    }

    [Fact]
    public async Task Two_states_of_one_grain_do_not_collide()
    {
        var grain = Grain("two-states");
        await Storage.WriteStateAsync("profile", grain, State("profile"));
        await Storage.WriteStateAsync("counters", grain, new TestGrainState<OtherState>(new OtherState { Number = 42 }));

        Assert.Equal("profile", (await _harness.ReadAsync<TestState>(grain, "profile")).State.Text);
        Assert.Equal(42, (await _harness.ReadAsync<OtherState>(grain, "counters")).State.Number);
    }

    [Fact]
    public async Task Long_keys_sharing_a_prefix_are_hashed_and_do_not_collide()
    {
        var prefix = new string('/', 2000); // escapes to 6,000 characters, far over the key limit
        var a = Grain(prefix + "a");
        var b = Grain(prefix + "b");

        await Storage.WriteStateAsync("state", a, State("a"));
        await Storage.WriteStateAsync("state", b, State("b"));

        Assert.Equal("a", (await _harness.ReadAsync<TestState>(a)).State.Text);
        Assert.Equal("b", (await _harness.ReadAsync<TestState>(b)).State.Text);
        Assert.True(TableKeys.IsHashed(TableKeys.For(a, "state").PartitionKey));
    }

    [Fact]
    public async Task An_entity_of_another_grain_under_the_same_key_is_never_returned()
    {
        // Simulates a hash collision: the entity at this grain's keys claims to belong to another grain.
        var grain = Grain("victim");
        await Storage.WriteStateAsync("state", Grain("other"), State("other's secret"));
        var table = azurite.CreateServiceClient().GetTableClient(_harness.TableName);
        var entity = await table.QueryAsync<TableEntity>().FirstAsync();
        var key = TableKeys.For(grain, "state");
        await table.AddEntityAsync(new TableEntity(entity) { PartitionKey = key.PartitionKey, RowKey = key.RowKey });

        var error = await Assert.ThrowsAsync<OrleansException>(() => _harness.ReadAsync<TestState>(grain));
        Assert.Contains("collision", error.Message);
    }

    [Fact]
    public async Task A_missing_table_is_reported_as_such_not_as_a_concurrency_conflict()
    {
        await using var services = StorageHarness.BuildServices(o =>
        {
            o.ConnectionString = azurite.ConnectionString;
            o.TableName = AzuriteFixture.UniqueTableName("missing");
            o.CreateTableIfNotExists = false;
        });
        var storage = services.GetRequiredKeyedService<IGrainStorage>(StorageHarness.ProviderName);
        await ((AzureTableGrainStorage)storage).InitAsync(CancellationToken.None);

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => storage.WriteStateAsync("state", Grain("g"), State("x")));
        Assert.Equal("TableNotFound", error.ErrorCode);
        var stale = State("x");
        stale.ETag = "W/\"datetime'2026-01-01T00%3A00%3A00Z'\"";
        await Assert.ThrowsAsync<RequestFailedException>(() => storage.WriteStateAsync("state", Grain("g"), stale));
        // (A clear passes: the SDK treats any 404 on delete as "already deleted".)
    }

    internal static string Show(string key) => string.Concat(key.Select(c => char.IsControl(c) ? $"\\u{(int)c:X4}" : c.ToString()));
}
