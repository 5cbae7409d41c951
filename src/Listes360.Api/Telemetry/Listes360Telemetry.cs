using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using GraphQL.DI;
using Microsoft.Extensions.Logging.Console;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Listes360.Api.Telemetry;

/// <summary>
/// The service's OpenTelemetry: traces HTTP → GraphQL → grain calls → Azure Storage in one trace,
/// Orleans' and ASP.NET Core's meters and the service's own (<see cref="MeterName"/>: GraphQL mutations here,
/// imports, outbox lengths, review queue, admission to ESMS views in <see cref="Grains.Telemetry.ServiceMetrics"/>), exported by OTLP
/// when an endpoint is configured and scraped by Prometheus on <see cref="MetricsPath"/> when asked
/// (loopback callers only); console logs with a UTC timestamp and the trace and span ids.
/// </summary>
public static class Listes360Telemetry
{
    public const string GraphQLSourceName = "Listes360.GraphQL";
    public const string MeterName = "Listes360";
    public const string MetricsPath = "/metrics";

    /// <summary>Azure SDK clients emit <see cref="ActivitySource"/> spans only with this switch (Azure.Core, "experimental").</summary>
    public const string AzureActivitySwitch = "Azure.Experimental.EnableActivitySource";

    /// <summary>Orleans' sources: grain calls made by the runtime and by application code (Orleans.Diagnostics.ActivitySources).</summary>
    public static readonly string[] OrleansSources = ["Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application"];

    internal static readonly ActivitySource GraphQLSource = new(GraphQLSourceName);
    internal static readonly Meter Meter = new(MeterName);

    /// <summary>GraphQL mutation fields executed, by field and outcome code (OK or the error's code).</summary>
    internal static readonly Counter<long> Mutations = Meter.CreateCounter<long>(
        "listes360.graphql.mutations", unit: "{mutation}", description: "Mutations GraphQL exécutées, par champ et par code de résultat (OK ou code d'erreur).");

    /// <summary>
    /// Wires telemetry into the host. Call before the silo is configured: the Azure SDK reads
    /// <see cref="AzureActivitySwitch"/> once, when its first client is made.
    /// </summary>
    public static WebApplicationBuilder AddListes360Telemetry(this WebApplicationBuilder builder)
    {
        AppContext.SetSwitch(AzureActivitySwitch, true);
        Grains.Telemetry.ServiceMetrics.Initialize();
        var settings = TelemetrySettings.From(builder.Configuration);
        var otlp = settings.EffectiveOtlpEndpoint(builder.Configuration);

        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.IncludeScopes = true;
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
        });
        builder.Logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);

        builder.Services.AddSingleton<IConfigureExecution, GraphQLTracing>();
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(settings.ServiceName));
        if (settings.TracingEnabled(otlp))
            telemetry.WithTracing(tracing =>
            {
                tracing
                    .AddAspNetCoreInstrumentation(o => o.Filter = http => http.Request.Path != MetricsPath)
                    // The Azure SDK's own span covers its HTTP call: the HTTP client span under it would say the same again.
                    .AddHttpClientInstrumentation(o => o.FilterHttpRequestMessage = _ => Activity.Current?.Parent?.Source.Name != "Azure.Core.Http")
                    .AddSource(GraphQLSourceName)
                    .AddSource(OrleansSources)
                    .AddSource("Azure.*");
                if (otlp is not null)
                    tracing.AddOtlpExporter(o => o.Endpoint = otlp);
            });
        telemetry.WithMetrics(metrics =>
        {
            metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddMeter("Microsoft.Orleans")
                .AddMeter(MeterName);
            if (otlp is not null)
                metrics.AddOtlpExporter(o => o.Endpoint = otlp);
            if (settings.Prometheus)
                metrics.AddPrometheusExporter();
        });
        if (otlp is not null)
            telemetry.WithLogging(logging => logging.AddOtlpExporter(o => o.Endpoint = otlp), o => o.IncludeScopes = true);
        return builder;
    }

    /// <summary>Grain calls carry the trace: the silo's outgoing and incoming calls continue the caller's span.</summary>
    public static ISiloBuilder AddListes360Tracing(this ISiloBuilder silo) => silo.AddActivityPropagation();

    /// <summary><see cref="MetricsPath"/> for Prometheus when <see cref="TelemetrySettings.Prometheus"/> is on, answering loopback callers only.</summary>
    public static WebApplication MapListes360Metrics(this WebApplication app)
    {
        if (TelemetrySettings.From(app.Configuration).Prometheus)
            app.UseOpenTelemetryPrometheusScrapingEndpoint(http => http.Request.Path == MetricsPath && IsLocal(http));
        return app;
    }

    /// <summary>A caller on this machine: a loopback address (a request without a network address, from inside the process, is not).</summary>
    public static bool IsLocal(HttpContext http) => http.Connection.RemoteIpAddress is { } remote && IPAddress.IsLoopback(remote);
}
