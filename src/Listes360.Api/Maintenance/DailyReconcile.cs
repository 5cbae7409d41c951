using Listes360.Domain.Security;
using Listes360.Grains.Department;
using Listes360.Grains.Security;

namespace Listes360.Api.Maintenance;

/// <summary>Which départements the daily pass covers, and when (configuration section <c>Maintenance</c>).</summary>
public sealed class MaintenanceSettings
{
    public const string Section = "Maintenance";

    public string[] Departments { get; set; } = ["61"];

    /// <summary>Local hour of the daily pass (ages and orientation ends change by the day).</summary>
    public int DailyHour { get; set; } = 3;

    public bool Enabled { get; set; } = true;
}

/// <summary>
/// At start, makes sure each configured département's daily pass has its reminder: the reminder, in
/// the cluster's storage, fires once a day for the whole cluster, and the département's maintenance
/// grain runs the pass (in batches, resumed after a silo's death). Every host does this; it is
/// idempotent. <c>Maintenance:Enabled=false</c> registers none (reminders already stored stay).
/// </summary>
public sealed class DailyReconcile(IGrainFactory grains, IConfiguration configuration, IHostApplicationLifetime lifetime, ILogger<DailyReconcile> logger) : BackgroundService
{
    private static readonly TimeSpan[] Retries = [TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10)];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = configuration.GetSection(MaintenanceSettings.Section).Get<MaintenanceSettings>() ?? new MaintenanceSettings();
        if (!settings.Enabled)
            return;
        // The silo must be up (it starts before the application is said started).
        await WhenStartedAsync(stoppingToken);
        foreach (var department in settings.Departments)
        {
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    using var acting = CallerContext.As(Caller.ServiceItself);
                    await grains.GetGrain<IDepartmentMaintenanceGrain>(department).EnsureDailyScheduleAsync(settings.DailyHour);
                    logger.LogInformation("Passe quotidienne du département {Department} programmée à {Hour} h (heure locale)", department, settings.DailyHour);
                    break;
                }
                catch (Exception e) when (e is not OperationCanceledException && attempt < Retries.Length)
                {
                    logger.LogWarning(e, "Programmation de la passe quotidienne du département {Department} impossible pour l'instant ; nouvel essai dans {Delay}", department, Retries[attempt]);
                    await Task.Delay(Retries[attempt], stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogError(e, "Passe quotidienne du département {Department} non programmée après {Attempts} essais : elle le sera au prochain démarrage d'un hôte", department, attempt + 1);
                    break;
                }
            }
        }
    }

    private async Task WhenStartedAsync(CancellationToken stoppingToken)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(lifetime.ApplicationStarted, stoppingToken);
        try
        {
            await Task.Delay(Timeout.Infinite, either.Token);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
        }
    }
}
