using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Listes360.AzureStorage.Connection;
using Listes360.Testing;

namespace Listes360.AzureStorage.Tests;

/// <summary>A connection string with an account key: requests go signed by an account SAS that renews itself, never by the key.</summary>
[Collection(AzuriteCollectionDefinition.Name)]
public sealed class TableClientsTests(AzuriteFixture azurite)
{
    /// <summary>Records each request's query and authorization header (the last policy before the transport).</summary>
    private sealed class Recorder : HttpPipelineSynchronousPolicy
    {
        public List<(string Query, bool SharedKey)> Requests { get; } = [];

        public override void OnSendingRequest(HttpMessage message)
        {
            var query = message.Request.Uri.Query;
            var sharedKey = message.Request.Headers.TryGetValue("Authorization", out var auth) && auth.StartsWith("SharedKey", StringComparison.Ordinal);
            lock (Requests)
                Requests.Add((query, sharedKey));
        }
    }

    private sealed class Clock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;
        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static string Expiry(string query) =>
        query.TrimStart('?').Split('&').Single(p => p.StartsWith("se=", StringComparison.Ordinal));

    [Fact]
    public async Task Writes_and_reads_go_signed_by_a_SAS_that_is_renewed_once_half_spent()
    {
        var recorder = new Recorder();
        var options = new TableClientOptions();
        options.AddPolicy(recorder, HttpPipelinePosition.BeforeTransport);
        // The signatures are checked by the storage server against its own clock: the test's clock starts in the
        // past, so that both the first signature and the renewed one are valid now.
        var clock = new Clock(DateTimeOffset.UtcNow - TableClients.SasLifetime / 2 - TimeSpan.FromMinutes(2));
        var client = TableClients.FromConnectionString(azurite.ConnectionString, options, clock);
        var table = client.GetTableClient(AzuriteFixture.UniqueTableName("sas"));

        await table.CreateIfNotExistsAsync();
        await table.UpsertEntityAsync(new TableEntity("p", "r") { ["Value"] = 1 });
        clock.Now += TableClients.SasLifetime / 2 + TimeSpan.FromMinutes(1);
        await table.UpsertEntityAsync(new TableEntity("p", "r") { ["Value"] = 2 });
        var read = await table.GetEntityAsync<TableEntity>("p", "r");

        Assert.Equal(2, read.Value.GetInt32("Value"));
        Assert.All(recorder.Requests, r => Assert.Contains("sig=", r.Query, StringComparison.Ordinal));
        Assert.DoesNotContain(recorder.Requests, r => r.SharedKey);
        // The first two requests carry the first signature; those after the clock moved past half its life, a later one.
        Assert.Equal(Expiry(recorder.Requests[0].Query), Expiry(recorder.Requests[1].Query));
        Assert.NotEqual(Expiry(recorder.Requests[0].Query), Expiry(recorder.Requests[^1].Query));
    }

    [Fact]
    public async Task A_wrong_account_key_is_refused_by_storage_as_before()
    {
        var wrong = azurite.ConnectionString.Replace("AccountKey=", "AccountKey=AAAA", StringComparison.Ordinal);
        var table = TableClients.FromConnectionString(wrong).GetTableClient(AzuriteFixture.UniqueTableName("sas"));

        var refused = await Assert.ThrowsAsync<Azure.RequestFailedException>(() => table.CreateIfNotExistsAsync());
        Assert.Equal(403, refused.Status);
    }
}
