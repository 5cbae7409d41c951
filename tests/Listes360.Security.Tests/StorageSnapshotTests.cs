namespace Listes360.Security.Tests;

/// <summary>The suite's own instrument: a write shows up in the snapshot, a read does not.</summary>
[Collection(SecurityCollection.Name)]
public sealed class StorageSnapshotTests(Listes360.Api.Tests.ApiFixture api)
{
    [Fact]
    public async Task A_write_is_seen_and_a_read_is_not()
    {
        var before = await StorageSnapshot.TakeAsync(api);
        var read = await api.PostAsync("""{ esmsList(department: "61", first: 5) { totalCount } }""");
        Assert.False(read.HasErrors, read.Body);
        Assert.Empty((await StorageSnapshot.TakeAsync(api)).ChangesSince(before));

        var write = await api.PostAsync("""mutation { registerEsms(input: {finess: "610000010", name: "IME Instrument", category: "183"}) { esms { finess } } }""");
        Assert.False(write.HasErrors, write.Body);
        Assert.NotEmpty((await StorageSnapshot.TakeAsync(api)).ChangesSince(before));
    }
}
