using System.Net;
using Listes360.Domain.Security;
using Listes360.Grains.Security;

namespace Listes360.Api.Security;

/// <summary>
/// Refusals decided by the API itself, before any grain call (the grain filter audits the others):
/// a valid token without a usable role (403 of the GraphQL endpoint and of the exports), and every
/// 401 (<see cref="UnauthenticatedAudit"/>). Same trail, same shape as the filter's entries.
/// </summary>
public static class ApiAudit
{
    /// <summary>A 403 before any grain call: subject from the token, role <c>SYSTEM</c> as for an unknown caller, the path as target.</summary>
    public static Task RefusedAsync(HttpContext http, string operation, string reason)
    {
        var trail = http.RequestServices.GetService<IAuditTrail>();
        if (trail is null)
            return Task.CompletedTask;
        var subject = Listes360Claims.SubjectOf(http.User);
        var clock = http.RequestServices.GetService<TimeProvider>() ?? TimeProvider.System;
        return trail.AppendAsync(new AuditEntry(clock.GetUtcNow(), subject, Role.System, operation, AuditKind.Read,
            http.Request.Path.Value ?? "", AuditOutcome.Denied, reason));
    }

    /// <summary>Where a request comes from, as the audit names it (the connection's address; no proxy header is trusted).</summary>
    public static string SourceOf(HttpContext http) => http.Connection.RemoteIpAddress switch
    {
        null => "inconnue",
        var ip when ip.IsIPv4MappedToIPv6 => ip.MapToIPv4().ToString(),
        IPAddress ip => ip.ToString(),
    };
}

/// <summary>
/// Audits every 401 without letting an unauthenticated flood fill the audit table: per source and
/// per UTC minute, the first 401 is written at once (subject « anonyme », the reason, the path), the
/// next ones are only counted, and one row per source sums them up once the minute is over
/// (« N autres refus 401 … »). At most <see cref="MaxSourcesPerMinute"/> sources are told apart in a
/// minute; beyond, they share the source « autres ». So a minute writes at most
/// 2 × (<see cref="MaxSourcesPerMinute"/> + 1) rows, however many requests arrive.
/// </summary>
public sealed class UnauthenticatedAudit : IDisposable
{
    public const string Operation = "HTTP 401";
    public const int MaxSourcesPerMinute = 1000;
    public const string OtherSources = "autres";

    private readonly IAuditTrail trail;
    private readonly TimeProvider clock;
    private readonly ILogger<UnauthenticatedAudit> logger;
    private readonly ITimer timer;
    private readonly object gate = new();
    private readonly Dictionary<(long Minute, string Source), Window> windows = [];

    public UnauthenticatedAudit(IAuditTrail trail, TimeProvider clock, ILogger<UnauthenticatedAudit> logger)
    {
        this.trail = trail;
        this.clock = clock;
        this.logger = logger;
        timer = clock.CreateTimer(_ => _ = FlushAsync(), null, TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(15));
    }

    private sealed class Window(string path)
    {
        public string FirstPath { get; } = path;
        public int Suppressed { get; set; }
    }

    public async Task RecordAsync(string source, string path, string reason)
    {
        var now = clock.GetUtcNow();
        var minute = now.UtcTicks / TimeSpan.TicksPerMinute;
        bool first;
        lock (gate)
        {
            if (!windows.ContainsKey((minute, source)) && windows.Keys.Count(k => k.Minute == minute) >= MaxSourcesPerMinute)
                source = OtherSources;
            if (windows.TryGetValue((minute, source), out var window))
            {
                window.Suppressed++;
                first = false;
            }
            else
            {
                windows[(minute, source)] = new Window(path);
                first = true;
            }
        }
        if (first)
            await trail.AppendAsync(new AuditEntry(now, "anonyme", Domain.Security.Role.System, Operation, AuditKind.Read, path, AuditOutcome.Denied,
                $"{reason} (source {source})"));
        await FlushAsync();
    }

    /// <summary>Writes the sums of the minutes that are over, and forgets them.</summary>
    public async Task FlushAsync()
    {
        var minute = clock.GetUtcNow().UtcTicks / TimeSpan.TicksPerMinute;
        List<((long Minute, string Source) Key, Window Window)> ended;
        lock (gate)
        {
            ended = windows.Where(w => w.Key.Minute < minute).Select(w => (w.Key, w.Value)).ToList();
            foreach (var (key, _) in ended)
                windows.Remove(key);
        }
        foreach (var ((at, source), window) in ended.Where(e => e.Window.Suppressed > 0))
        {
            var start = new DateTimeOffset(at * TimeSpan.TicksPerMinute, TimeSpan.Zero);
            try
            {
                await trail.AppendAsync(new AuditEntry(start.AddMinutes(1).AddTicks(-1), "anonyme", Domain.Security.Role.System, Operation, AuditKind.Read,
                    window.FirstPath, AuditOutcome.Denied,
                    $"{window.Suppressed} autre(s) refus 401 de la source {source} entre {start:HH:mm} et {start.AddMinutes(1):HH:mm} UTC, regroupés (non détaillés)"));
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Journal d'audit : le total des refus 401 de {Source} n'a pas pu être écrit.", source);
            }
        }
    }

    public void Dispose() => timer.Dispose();
}
