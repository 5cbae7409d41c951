using Azure.Data.Tables;

namespace Listes360.Api.Hosting;

/// <summary><c>GET /health</c>: whether the grain storage answers, and how fast.</summary>
public static class StorageHealth
{
    public static async Task<IResult> CheckAsync(IConfiguration configuration, CancellationToken cancellationToken)
    {
        var storage = configuration.GetSection(StorageSettings.Section).Get<StorageSettings>() ?? new StorageSettings();
        var started = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            var options = new TableClientOptions { Retry = { MaxRetries = 0 } };
            var service = new TableServiceClient(storage.ConnectionString, options);
            await foreach (var _ in service.QueryAsync(t => t.Name == storage.TableName, maxPerPage: 1, cancellationToken: timeout.Token))
                break;
            return Results.Json(new
            {
                status = "healthy",
                storage = new { reachable = true, table = storage.TableName, endpoint = service.Uri.ToString(), latencyMs = started.ElapsedMilliseconds },
            });
        }
        catch (Exception e) when (e is Azure.RequestFailedException or OperationCanceledException or InvalidOperationException or FormatException or AggregateException)
        {
            return Results.Json(new
            {
                status = "unhealthy",
                storage = new { reachable = false, table = storage.TableName, error = e.Message },
            }, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}
