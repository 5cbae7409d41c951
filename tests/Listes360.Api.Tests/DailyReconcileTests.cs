using Listes360.Api.Maintenance;
using Listes360.Grains.Department;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace Listes360.Api.Tests;

/// <summary>The hosts' part of the daily pass: making sure each configured département has its reminder, once for the cluster.</summary>
[Collection(ApiCollection.Name)]
public sealed class DailyReconcileTests(ApiFixture api)
{
    [Fact]
    public async Task Hosts_starting_together_leave_one_daily_reminder_per_configured_departement()
    {
        var settings = Settings(enabled: true, "14", "50");

        // Two hosts of the cluster start at once.
        await Task.WhenAll(RunAsync(settings), RunAsync(settings));

        foreach (var department in new[] { "14", "50" })
        {
            var reminder = Assert.Single(await RemindersAsync(department));
            Assert.Equal((DepartmentMaintenanceGrain.DailyReminder, TimeSpan.FromDays(1)), (reminder.ReminderName, reminder.Period));
        }
    }

    [Fact]
    public async Task Maintenance_disabled_registers_no_reminder()
    {
        await RunAsync(Settings(enabled: false, "27"));

        Assert.Empty(await RemindersAsync("27"));
    }

    private static IConfiguration Settings(bool enabled, params string[] departments) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Maintenance:Enabled"] = enabled.ToString(),
            ["Maintenance:DailyHour"] = "3",
        }.Concat(departments.Select((d, i) => KeyValuePair.Create($"Maintenance:Departments:{i}", (string?)d)))).Build();

    private async Task RunAsync(IConfiguration settings)
    {
        using var host = new DailyReconcile(api.App.Services.GetRequiredService<IGrainFactory>(), settings,
            api.App.Services.GetRequiredService<IHostApplicationLifetime>(), NullLogger<DailyReconcile>.Instance);
        await host.StartAsync(CancellationToken.None);
        await host.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(30));
    }

    private async Task<IReadOnlyList<Orleans.ReminderEntry>> RemindersAsync(string department)
    {
        var grain = api.App.Services.GetRequiredService<IGrainFactory>().GetGrain<IDepartmentMaintenanceGrain>(department);
        return (await api.App.Services.GetRequiredService<Orleans.IReminderTable>().ReadRows(grain.GetGrainId())).Reminders.ToList();
    }
}
