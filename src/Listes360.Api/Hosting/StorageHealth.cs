using Azure.Data.Tables;
using Orleans.Runtime;

namespace Listes360.Api.Hosting;

/// <summary>
/// <c>GET /health</c>: whether the grain storage answers, and how fast, and what this silo sees of
/// its cluster's membership. Open to anyone, so it gives counts and statuses, never silo addresses.
/// </summary>
public static class StorageHealth
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(5);

    public static async Task<IResult> CheckAsync(IConfiguration configuration, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var storage = await StorageAsync(configuration, cancellationToken);
        var cluster = await ClusterAsync(grains);
        var healthy = storage.Reachable && cluster.Reachable;
        return Results.Json(new
        {
            status = healthy ? "healthy" : "unhealthy",
            storage = storage.Body,
            cluster = cluster.Body,
        }, statusCode: healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }

    private static async Task<(bool Reachable, object Body)> StorageAsync(IConfiguration configuration, CancellationToken cancellationToken)
    {
        var storage = StorageSettings.From(configuration);
        var started = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Budget);
            var options = new TableClientOptions { Retry = { MaxRetries = 0 } };
            var service = storage.CreateServiceClient(options);
            await foreach (var _ in service.QueryAsync(t => t.Name == storage.TableName, maxPerPage: 1, cancellationToken: timeout.Token))
                break;
            return (true, new { reachable = true, table = storage.TableName, endpoint = service.Uri.ToString(), latencyMs = started.ElapsedMilliseconds });
        }
        catch (Exception e) when (e is Azure.RequestFailedException or Azure.Identity.AuthenticationFailedException or OperationCanceledException or InvalidOperationException or FormatException or AggregateException)
        {
            return (false, new { reachable = false, table = storage.TableName, error = e.Message });
        }
    }

    /// <summary>The silos this silo's membership view holds as active (the management grain reads it).</summary>
    private static async Task<(bool Reachable, object Body)> ClusterAsync(IGrainFactory grains)
    {
        try
        {
            var hosts = await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: false).WaitAsync(Budget);
            var byStatus = hosts.Values.GroupBy(status => status.ToString()).ToDictionary(g => g.Key, g => g.Count());
            var active = hosts.Values.Count(status => status == SiloStatus.Active);
            return (active > 0, new { reachable = true, activeSilos = active, silosByStatus = byStatus });
        }
        catch (Exception e) when (e is TimeoutException or OrleansException or OperationCanceledException)
        {
            return (false, new { reachable = false, error = "Le silo ne répond pas sur l'état de son cluster : " + e.Message });
        }
    }
}
