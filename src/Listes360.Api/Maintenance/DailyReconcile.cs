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

/// <summary>Triggers, once a day, each département's reconcile pass (the work is in the grain).</summary>
public sealed class DailyReconcile(IGrainFactory grains, IConfiguration configuration, TimeProvider clock, ILogger<DailyReconcile> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = configuration.GetSection(MaintenanceSettings.Section).Get<MaintenanceSettings>() ?? new MaintenanceSettings();
        if (!settings.Enabled)
            return;
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = clock.GetLocalNow();
            var next = now.Date.AddHours(settings.DailyHour);
            if (next <= now)
                next = next.AddDays(1);
            await Task.Delay(next - now, clock, stoppingToken);
            foreach (var department in settings.Departments)
            {
                try
                {
                    using var acting = CallerContext.As(Caller.ServiceItself);
                    var report = await grains.GetGrain<IDepartmentMaintenanceGrain>(department).ReconcileAsync();
                    logger.LogInformation("Passe quotidienne du département {Department} : {Persons} personnes, {Failed} en échec, {Duration}",
                        report.Department, report.Persons, report.Failed, report.Duration);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogError(e, "Passe quotidienne du département {Department} en échec", department);
                }
            }
        }
    }
}
