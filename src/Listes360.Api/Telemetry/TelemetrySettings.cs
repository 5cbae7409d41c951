namespace Listes360.Api.Telemetry;

/// <summary>Where the service's traces, metrics and logs go (configuration section <c>Telemetry</c>).</summary>
public sealed class TelemetrySettings
{
    public const string Section = "Telemetry";

    /// <summary>The standard variable of the OTLP exporter; when set (or <see cref="OtlpEndpoint"/>), traces, metrics and logs are exported by OTLP.</summary>
    public const string OtlpEnvironmentVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>OTLP endpoint (a collector, an Azure Monitor agent…); wins over <see cref="OtlpEnvironmentVariable"/>. Empty: no OTLP export.</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>
    /// Serve the Prometheus scrape endpoint <see cref="Listes360Telemetry.MetricsPath"/> (off by default; <c>up</c> turns it on).
    /// It answers callers on this machine only (loopback): a scraper next to the process, never the internet.
    /// </summary>
    public bool Prometheus { get; set; }

    /// <summary>
    /// Record traces (spans of HTTP requests, GraphQL operations, grain calls and storage requests). Unset: on when
    /// traces have somewhere to go (an OTLP endpoint), off otherwise — every grain call and storage request would
    /// otherwise make spans nobody reads (a name search of the departmental list calls 32 shards).
    /// </summary>
    public bool? Tracing { get; set; }

    /// <summary>Whether spans are recorded: <see cref="Tracing"/> when set, else whether an OTLP endpoint is.</summary>
    public bool TracingEnabled(Uri? otlp) => Tracing ?? otlp is not null;

    /// <summary>The service name on every span and metric (<c>service.name</c>).</summary>
    public string ServiceName { get; set; } = "listes360";

    public static TelemetrySettings From(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<TelemetrySettings>() ?? new TelemetrySettings();

    /// <summary>The OTLP endpoint in force: the setting, else the standard variable, else none.</summary>
    public Uri? EffectiveOtlpEndpoint(IConfiguration configuration)
    {
        var value = !string.IsNullOrWhiteSpace(OtlpEndpoint) ? OtlpEndpoint : configuration[OtlpEnvironmentVariable];
        if (string.IsNullOrWhiteSpace(value))
            return null;
        return Uri.TryCreate(value, UriKind.Absolute, out var uri)
            ? uri
            : throw new InvalidOperationException($"{Section}:OtlpEndpoint ou {OtlpEnvironmentVariable} « {value} » n'est pas une adresse absolue (ex. http://localhost:4317).");
    }
}
