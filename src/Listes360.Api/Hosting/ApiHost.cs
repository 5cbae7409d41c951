using GraphQL;
using GraphQL.Types;
using Listes360.Api.GraphQL;
using Listes360.Api.Security;

namespace Listes360.Api.Hosting;

/// <summary>Builds the service: one Orleans silo co-hosted with the ASP.NET Core API.</summary>
public static class ApiHost
{
    /// <param name="settings">Configuration that overrides files and environment (read before the silo is wired).</param>
    /// <param name="configure">Last changes to the builder, e.g. a test server.</param>
    public static WebApplication Build(string[] args, IReadOnlyDictionary<string, string?>? settings = null, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        // Quiet defaults, below any appsettings, environment or command-line setting.
        builder.Configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?>
            {
                ["Logging:LogLevel:Default"] = "Information",
                ["Logging:LogLevel:Orleans"] = "Warning",
                // Orleans 10 places grains through a Polly pipeline that logs every attempt at Information.
                ["Logging:LogLevel:Polly"] = "Warning",
                ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
                ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning",
            },
        });
        if (settings is not null)
            builder.Configuration.AddInMemoryCollection(settings);
        // Before the silo: the Azure SDK decides on its spans when its first client is made.
        Listes360.Api.Telemetry.Listes360Telemetry.AddListes360Telemetry(builder);
        builder.UseOrleans(silo =>
        {
            SiloConfiguration.Configure(silo, builder.Configuration);
            Listes360.Api.Telemetry.Listes360Telemetry.AddListes360Tracing(silo);
        });
        builder.Services.AddListes360Authentication(builder.Configuration);
        builder.Services.AddListes360GraphQL();
        WebSignIn.AddListes360WebSignIn(builder.Services, builder.Configuration);
        builder.Services.AddHostedService<Listes360.Api.Maintenance.DailyReconcile>();
        Listes360.Fhir.SdoClient.SdoClientRegistration.AddListes360SdoClient(builder.Services, builder.Configuration);
        // The NIR is hashed with the département's secret as soon as it arrives; without a secret,
        // persons are entered without NIR (the API says so) rather than with a guessable hash.
        if (builder.Configuration["Nir:Secret"] is { Length: > 0 } nirSecret)
            builder.Services.AddSingleton(new Listes360.Domain.Persons.NirHasher(Convert.FromBase64String(nirSecret)));
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/health", StorageHealth.CheckAsync).AllowAnonymous();
        Listes360.Api.Telemetry.Listes360Telemetry.MapListes360Metrics(app);
        app.MapListes360GraphQL();
        Listes360.Api.Exports.RiskExports.MapRiskExports(app);
        Listes360.Fhir.FhirEndpoints.MapListes360Fhir(app, Listes360Claims.ToCaller);
        Listes360.Api.Exports.WaitingListExport.MapWaitingListExport(app);
        if (GraphiQLPage.IsEnabled(app.Configuration, app.Environment))
            app.MapListes360GraphiQL();
        Listes360.Web.WebPages.MapListes360Web(app);
        return app;
    }

    /// <summary>The schema as served, in SDL; what <c>schema.graphql</c> must contain.</summary>
    public static string PrintSchema()
    {
        var services = new ServiceCollection();
        services.AddListes360GraphQL();
        using var provider = services.BuildServiceProvider();
        var schema = provider.GetRequiredService<ISchema>();
        schema.Initialize();
        return schema.Print(new global::GraphQL.Utilities.PrintOptions { IncludeDescriptions = true }).ReplaceLineEndings("\n").TrimEnd() + "\n";
    }
}
