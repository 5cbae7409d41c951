using System.Net.Http.Headers;
using System.Text.Json;
using Hl7.Fhir.Rest;
using Listes360.Grains.Sdo;
using Listes360.Grains.Security;
using Listes360.Domain.Security;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Listes360.Fhir.SdoClient;

/// <summary>The Firely clients of the SI-SDO: one HTTP connection pool, the credentials added to every call.</summary>
public sealed class SdoFhirClients : IDisposable
{
    private readonly HttpClient http;

    public SdoFhirClients(SdoClientOptions options, HttpMessageHandler? transport = null)
    {
        Options = options;
        var inner = transport ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        http = new HttpClient(new CredentialsHandler(options, inner)) { Timeout = TimeSpan.FromSeconds(options.TimeoutSeconds) };
    }

    public SdoClientOptions Options { get; }

    public FhirClient Create() => new(new Uri(Options.BaseUrl!.TrimEnd('/')), http,
        new FhirClientSettings { PreferredFormat = ResourceFormat.Json, VerifyFhirVersion = false, ReturnPreference = ReturnPreference.Representation });

    public void Dispose() => http.Dispose();

    /// <summary>The bearer token: the configured one, or one obtained by client credentials and kept until a minute before it expires.</summary>
    private sealed class CredentialsHandler(SdoClientOptions options, HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        private readonly SemaphoreSlim gate = new(1, 1);
        private string? token;
        private DateTimeOffset expires;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(cancellationToken));
            return await base.SendAsync(request, cancellationToken);
        }

        private async Task<string> TokenAsync(CancellationToken cancellationToken)
        {
            if (string.IsNullOrWhiteSpace(options.TokenUrl))
                return options.Token!;
            await gate.WaitAsync(cancellationToken);
            try
            {
                if (token is not null && DateTimeOffset.UtcNow < expires)
                    return token;
                var form = new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["client_id"] = options.ClientId!, ["client_secret"] = options.ClientSecret! };
                if (!string.IsNullOrWhiteSpace(options.Scope))
                    form["scope"] = options.Scope;
                using var ask = new HttpRequestMessage(HttpMethod.Post, options.TokenUrl) { Content = new FormUrlEncodedContent(form) };
                using var answer = await base.SendAsync(ask, cancellationToken);
                if (!answer.IsSuccessStatusCode)
                    throw new HttpRequestException($"Jeton du SI-SDO refusé par {options.TokenUrl} (HTTP {(int)answer.StatusCode}).", null, answer.StatusCode);
                using var json = JsonDocument.Parse(await answer.Content.ReadAsStringAsync(cancellationToken));
                token = json.RootElement.GetProperty("access_token").GetString();
                var lifetime = json.RootElement.TryGetProperty("expires_in", out var e) && e.TryGetInt32(out var s) ? s : 300;
                expires = DateTimeOffset.UtcNow.AddSeconds(Math.Max(30, lifetime - 60));
                return token!;
            }
            finally
            {
                gate.Release();
            }
        }
    }
}

/// <summary>Registration of the SI-SDO client (one line in the host); nothing is registered when it is off.</summary>
public static class SdoClientRegistration
{
    public static IServiceCollection AddListes360SdoClient(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(SdoClientOptions.Section).Get<SdoClientOptions>() ?? new SdoClientOptions();
        var problems = options.Problems();
        if (problems.Count > 0)
            throw new InvalidOperationException("Client SI-SDO mal configuré : " + string.Join(" ", problems));
        services.AddSingleton(options);
        if (!options.Enabled)
            return services;
        options.Departments = options.Departments.Select(d => Listes360.Domain.Geography.DepartmentCodes.Normalize(d)!).ToArray();
        services.AddSingleton(new SdoClientSwitch(true, options.Departments));
        services.AddSingleton(sp => new SdoFhirClients(options));
        services.AddHostedService<SdoClientStart>();
        return services;
    }

    /// <summary>At start-up, wakes each département's exchange so that flow 5.1 is polled (and the queue resent) without waiting for a change.</summary>
    private sealed class SdoClientStart(IGrainFactory grains, SdoClientOptions options) : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            foreach (var department in options.Departments)
            {
                for (var attempt = 0; !stoppingToken.IsCancellationRequested; attempt++)
                {
                    try
                    {
                        using var acting = CallerContext.As(new Caller("client SI-SDO (démarrage)", Role.System, [], department, null));
                        await grains.GetGrain<ISdoExchangeGrain>(department).WakeAsync();
                        break;
                    }
                    catch (Exception) when (attempt < 30)
                    {
                        await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken);
                    }
                }
            }
        }
    }
}
