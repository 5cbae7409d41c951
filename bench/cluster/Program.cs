// Cluster benchmark (writes bench/results/cluster.md and cluster.json):
//   dotnet run -c Release --project bench/cluster [-- --writers 16 --seconds 20 --failover-seconds 30 --give-up 60 --output cluster --note "text"]
// 1. Throughput: for 1, 2 and 3 silo PROCESSES (`listes360 serve --membership AzureTable`, production
//    wiring, one in-memory Azurite), the same load generator: W concurrent writers spread over the
//    silos' APIs for S seconds, each writing persons one after the other (createPerson, addOrientation,
//    2 × createCandidature), every mutation with an Idempotency-Key and retried as the README says.
//    Reported: acknowledged mutations per second, createPerson per second, latencies.
// 2. Failover (3 silos): the same load, the third silo killed (SIGKILL) after 8 s. Polled every 100 ms:
//    the membership table's row of the killed silo (until Dead) and the survivors' /health (until they
//    see 2 active silos). Reported: eviction times, the time until the killed silo's writers are
//    acknowledged again, the last failed attempt on a survivor, failed attempts by code, and the
//    acknowledged writes second by second around the kill.
// With --kill-identity-host (and --output cluster-identity-host): the failover only, killing the silo that
// holds the Orne's identity grain, through which every createPerson of the département goes.
// Everything runs on this machine: the silos, Azurite and the load generator share its cores.
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Listes360.Api.Security;
using Listes360.Bench;
using Listes360.Domain.Registry;
using Listes360.Domain.Security;
using Listes360.Testing.Cluster;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
string? Arg(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
var writers = int.Parse(Arg("--writers") ?? "16", CultureInfo.InvariantCulture);
var seconds = int.Parse(Arg("--seconds") ?? "20", CultureInfo.InvariantCulture);
var failoverSeconds = int.Parse(Arg("--failover-seconds") ?? "30", CultureInfo.InvariantCulture);
var killAfterSeconds = 8;
var note = Arg("--note");
var output = Arg("--output") ?? "cluster";
var commit = Git("rev-parse --short HEAD");
var branch = Git("rev-parse --abbrev-ref HEAD");
var giveUp = TimeSpan.FromSeconds(int.Parse(Arg("--give-up") ?? "60", CultureInfo.InvariantCulture));
// --kill-identity-host: only the failover, killing the silo that holds the Orne's identity grain (every
// createPerson of the département goes through it), found with Orleans' management grain.
var killIdentityHost = args.Contains("--kill-identity-host");
string? killedWhy = null;

var throughput = new List<ThroughputResult>();
FailoverResult? failover = null;
for (var silos = killIdentityHost ? 3 : 1; silos <= 3; silos++)
{
    Console.WriteLine($"== {silos} silo(s) : démarrage");
    await using var cluster = await ProcessCluster.StartAsync(silos, log: Console.Out);
    var token = DevTokens.Mint(new AuthSettings { SigningKey = cluster.SigningKey }, "bench-writer", Role.Admin, [], "61", null, TimeSpan.FromHours(2));
    using var client = new RetryingGraphQLClient([.. cluster.Silos.Select(s => s.Url)], token);
    var esms = await RegisterEsmsAsync(client, silos);
    // Warm-up: every silo's grains and the HTTP connections (not counted).
    await RunLoadAsync(client, esms, writers, TimeSpan.FromSeconds(4), null);
    var failuresBefore = client.Failures.Count;
    var load = killIdentityHost ? new LoadResult([], [], TimeSpan.Zero) : await RunLoadAsync(client, esms, writers, TimeSpan.FromSeconds(seconds), null);
    if (!killIdentityHost)
    {
        var r = new ThroughputResult(silos, writers, load.Elapsed.TotalSeconds, load.Acks.Count,
            load.Acks.Count(a => a.Operation == "createPerson"), Percentile(load.Acks.Select(a => a.Latency.TotalMilliseconds), 50),
            Percentile(load.Acks.Select(a => a.Latency.TotalMilliseconds), 99), client.Failures.Count - failuresBefore, load.Refusals.Count);
        throughput.Add(r);
        Console.WriteLine($"   {r.Acknowledged} mutations acquittées en {r.Seconds:F1} s : {r.PerSecond:F1}/s (createPerson {r.PersonsPerSecond:F1}/s), p50 {r.P50Ms:F0} ms, p99 {r.P99Ms:F0} ms, essais échoués {r.FailedAttempts}, refus {r.Refusals}");
    }

    if (silos == 3)
    {
        Console.WriteLine("== bascule : un silo tué sous charge");
        var killed = killIdentityHost ? await IdentityHostAsync(cluster) : cluster.Silos[2];
        killedWhy = killIdentityHost ? $"silo {killed.Index + 1}, the one holding the Orne's identity grain (found with Orleans' management grain just before the run)" : "the third silo";
        var survivors = cluster.Silos.Where(s => s != killed).ToList();
        var failuresAtStart = client.Failures.Count;
        var clock = Stopwatch.StartNew();
        using var stopPolling = new CancellationTokenSource();
        var loadTask = RunLoadAsync(client, esms, writers, TimeSpan.FromSeconds(failoverSeconds), clock);
        await Task.Delay(TimeSpan.FromSeconds(killAfterSeconds));
        var killAt = clock.Elapsed;
        var killUtc = DateTimeOffset.UtcNow;
        cluster.Kill(killed);
        Console.WriteLine($"   silo {killed.Index + 1} tué à {killAt.TotalSeconds:F1} s ({killedWhy})");
        var membershipDead = PollAsync(async ct => await cluster.MembershipStatusAsync(killed, ct) == "Dead", clock, stopPolling.Token);
        var healthEvicted = survivors.Select(s => PollAsync(async ct =>
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            return (await ProcessCluster.ActiveSilosAsync(http, s, ct)).Active == 2;
        }, clock, stopPolling.Token)).ToList();
        var result = await loadTask;
        var deadAt = await membershipDead.WaitAsync(TimeSpan.FromSeconds(60)).ContinueWith(t => t.IsCompletedSuccessfully ? t.Result : null);
        var evictedAt = await Task.WhenAll(healthEvicted.Select(t => t.WaitAsync(TimeSpan.FromSeconds(60)).ContinueWith(x => x.IsCompletedSuccessfully ? x.Result : null)));
        stopPolling.Cancel();
        var failures = client.Failures.Skip(failuresAtStart).ToList();
        // Writers that were on the killed silo: when each was first acknowledged after the kill.
        var moved = result.Acks.Where(a => a.StartedOnSilo == killed.Index && a.At > killAt).GroupBy(a => a.Writer).Select(g => g.Min(a => a.At)).ToList();
        var lastSurvivorFailure = failures.Where(f => f.Silo != killed.Index && f.At >= killUtc).Select(f => f.At - killUtc).DefaultIfEmpty().Max();
        var lastFailure = failures.Where(f => f.At >= killUtc).Select(f => f.At - killUtc).DefaultIfEmpty().Max();
        var timeline = Enumerable.Range(0, (int)Math.Ceiling(result.Elapsed.TotalSeconds))
            .Select(s => (Second: s, All: result.Acks.Count(a => a.At.TotalSeconds >= s && a.At.TotalSeconds < s + 1),
                Persons: result.Acks.Count(a => a.Operation == "createPerson" && a.At.TotalSeconds >= s && a.At.TotalSeconds < s + 1),
                Failed: failures.Count(f => (f.At - killUtc + killAt).TotalSeconds >= s && (f.At - killUtc + killAt).TotalSeconds < s + 1)))
            .ToList();
        failover = new FailoverResult(
            killAt.TotalSeconds,
            deadAt is { } d ? (d - killAt).TotalSeconds : null,
            evictedAt.All(e => e is not null) ? evictedAt.Max(e => e!.Value - killAt).TotalSeconds : null,
            moved.Count > 0 ? moved.Max(m => m - killAt).TotalSeconds : null,
            moved.Count > 0 ? moved.Min(m => m - killAt).TotalSeconds : null,
            lastSurvivorFailure.TotalSeconds, lastFailure.TotalSeconds,
            result.Acks.Where(a => a.At > killAt).Select(a => a.Latency.TotalSeconds).DefaultIfEmpty().Max(),
            result.Acks.Where(a => a.Operation == "createPerson" && a.At > killAt).Select(a => a.Latency.TotalSeconds).DefaultIfEmpty().Max(),
            result.Acks.Count, result.Acks.Count(a => a.Attempts > 1), result.Refusals.Count,
            failures.GroupBy(f => $"{f.Kind} ({(f.Silo == killed.Index ? "killed silo" : "survivor")}, {(f.Retryable ? "retried" : "not retryable: the writer gives up that person")})").OrderByDescending(g => g.Count()).ToDictionary(g => g.Key, g => g.Count()),
            result.Refusals.GroupBy(r => r).ToDictionary(g => g.Key, g => g.Count()),
            timeline.Select(t => new[] { t.Second, t.All, t.Persons, t.Failed }).ToList());
        Console.WriteLine($"   mort dans la table : {failover.MembershipDeadSeconds:F1} s après le kill ; /health des survivants : {failover.HealthEvictedSeconds:F1} s ; " +
                          $"écrivains du silo tué acquittés de nouveau : {failover.WritersBackFirstSeconds:F1}–{failover.WritersBackAllSeconds:F1} s ; dernier échec sur un survivant : {failover.LastSurvivorFailureSeconds:F1} s");
        foreach (var (code, count) in failover.FailedAttemptsByCode)
            Console.WriteLine($"   {count,5} × {code}");
    }
}
Write();
return 0;

async Task<List<string>> RegisterEsmsAsync(RetryingGraphQLClient client, int silos)
{
    var esms = new List<string>();
    var prefix = Random.Shared.Next(100, 900);
    for (var n = 0; n < 6; n++)
    {
        var finess = FinessNumber.WithKey($"61{prefix}{n:D3}").Value;
        await client.MutateAsync(n % silos, "mutation($f: String!, $n: String!) { registerEsms(input: {finess: $f, name: $n, category: \"255\"}) { esms { finess } } }",
            new { f = finess, n = $"MAS du banc {n}" }, Guid.NewGuid().ToString(), giveUp);
        await client.MutateAsync(n % silos, "mutation($f: String!) { setEsmsPlaces(input: {finess: $f, modality: RESIDENTIAL, capacity: 5000, occupied: 0}) { esms { finess } } }",
            new { f = finess }, Guid.NewGuid().ToString(), giveUp);
        esms.Add(finess);
    }
    return esms;
}

async Task<LoadResult> RunLoadAsync(RetryingGraphQLClient client, List<string> esms, int count, TimeSpan duration, Stopwatch? sharedClock)
{
    var clock = sharedClock ?? Stopwatch.StartNew();
    var startedAt = clock.Elapsed;
    var acks = new ConcurrentBag<Ack>();
    var refusals = new ConcurrentBag<string>();
    var end = startedAt + duration;
    var tasks = Enumerable.Range(0, count).Select(w => Task.Run(async () =>
    {
        var random = new Random(w * 31 + Environment.TickCount);
        var silo = w % client.SiloCount;
        var home = silo;
        var n = 0;
        async Task<JsonElement> Send(string operation, string query, object variables)
        {
            var sent = clock.Elapsed;
            var ack = await client.MutateAsync(silo, query, variables, Guid.NewGuid().ToString(), giveUp);
            silo = ack.Silo;
            acks.Add(new Ack(w, home, operation, clock.Elapsed, clock.Elapsed - sent, ack.Attempts));
            return ack.Data;
        }
        while (clock.Elapsed < end)
        {
            try
            {
                n++;
                var person = (await Send("createPerson", "mutation($in: CreatePersonInput!) { createPerson(input: $in) { person { id } } }", new
                {
                    @in = new
                    {
                        department = "61",
                        birthName = Name(random),
                        firstNames = new[] { Name(random) },
                        birthDate = new DateOnly(1960, 1, 1).AddDays(random.Next(40 * 365)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                        sex = random.Next(2) == 0 ? "FEMALE" : "MALE",
                        residenceCommune = "61001",
                        situation = new { kind = "AT_HOME_WITHOUT_SOLUTION", since = "2025-01-01" },
                    },
                })).GetProperty("createPerson").GetProperty("person").GetProperty("id").GetString()!;
                if (clock.Elapsed >= end) break;
                await Send("addOrientation", "mutation($p: ID!, $r: String!) { addOrientation(input: {personId: $p, decisionReference: $r, kind: MAS, validFrom: \"2025-01-01\"}) { person { id } } }",
                    new { p = person, r = $"B-{w}-{n}" });
                foreach (var finess in esms.OrderBy(_ => random.Next()).Take(2))
                {
                    if (clock.Elapsed >= end) break;
                    await Send("createCandidature", "mutation($p: ID!, $f: String!) { createCandidature(input: {personId: $p, finess: $f, modality: RESIDENTIAL, requestDate: \"2026-01-15\"}) { candidature { id } } }",
                        new { p = person, f = finess });
                }
            }
            catch (GraphQLRefusedException refused)
            {
                refusals.Add(refused.Code);
            }
            catch (TimeoutException)
            {
                // Retried for the whole give-up time without an acknowledgement: counted, then the next person.
                refusals.Add($"NOT_ACKNOWLEDGED_IN_{giveUp.TotalSeconds:F0}_S");
            }
        }
    })).ToList();
    await Task.WhenAll(tasks);
    return new LoadResult([.. acks], [.. refusals], clock.Elapsed - startedAt);
}

static string Name(Random random)
{
    string[] syllables = ["ba", "lo", "mi", "ren", "tor", "vu", "sal", "ke", "dan", "pi", "gou", "fer", "ni", "zo", "char", "mou", "lei", "bre"];
    return string.Concat(Enumerable.Range(0, 4).Select(_ => syllables[random.Next(syllables.Length)])).ToUpperInvariant();
}

static double Percentile(IEnumerable<double> values, int percentile)
{
    var sorted = values.Order().ToArray();
    return sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(percentile / 100.0 * sorted.Length) - 1, 0, sorted.Length - 1)];
}

/// <summary>When <paramref name="check"/> first holds (time on <paramref name="clock"/>), polled every 100 ms.</summary>
static async Task<TimeSpan?> PollAsync(Func<CancellationToken, Task<bool>> check, Stopwatch clock, CancellationToken cancellationToken)
{
    while (!cancellationToken.IsCancellationRequested)
    {
        try
        {
            if (await check(cancellationToken))
                return clock.Elapsed;
        }
        catch (Exception e) when (e is Azure.RequestFailedException or HttpRequestException or TaskCanceledException)
        {
            // Not yet answering: poll again.
        }
        await Task.Delay(100, CancellationToken.None);
    }
    return null;
}

// The silo whose activation of IIdentityGrain("61") answers (the warm-up created persons, so it exists).
static async Task<ProcessCluster.Silo> IdentityHostAsync(ProcessCluster cluster)
{
    var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new Microsoft.Extensions.Hosting.HostApplicationBuilderSettings { DisableDefaults = true });
    builder.UseOrleansClient(c =>
    {
        c.Configure<Orleans.Configuration.ClusterOptions>(o => { o.ClusterId = ProcessCluster.ClusterId; o.ServiceId = ProcessCluster.ClusterId; });
        c.UseAzureStorageClustering(o =>
        {
            o.TableServiceClient = new Azure.Data.Tables.TableServiceClient(cluster.StorageConnectionString);
            o.TableName = ProcessCluster.MembershipTable;
        });
    });
    using var host = builder.Build();
    await host.StartAsync();
    var grains = host.Services.GetRequiredService<IClusterClient>();
    var address = await grains.GetGrain<IManagementGrain>(0).GetActivationAddress(grains.GetGrain<Listes360.Grains.Identity.IIdentityGrain>("61"))
        ?? throw new InvalidOperationException("Le grain d'identité de l'Orne n'est actif sur aucun silo.");
    await host.StopAsync();
    return cluster.Silos.Single(s => s.SiloPort == address.Endpoint.Port);
}

void Write()
{
    var machine = BenchMachine.Describe(typeof(ThroughputResult).Assembly);
    var root = FindRoot();
    var dir = Path.Combine(root, "bench", "results");
    Directory.CreateDirectory(dir);
    File.WriteAllText(Path.Combine(dir, output + ".json"), JsonSerializer.Serialize(new { machine, commit, branch, note, writers, seconds, failoverSeconds, throughput, failover },
        new JsonSerializerOptions { WriteIndented = true }) + "\n");
    var md = new StringBuilder();
    md.AppendLine("# Cluster benchmark");
    md.AppendLine();
    md.AppendLine($"Produced by `dotnet run -c Release --project bench/cluster` (writers {writers}, {seconds} s per measure, failover run {failoverSeconds} s, kill after {killAfterSeconds} s).");
    md.AppendLine();
    md.AppendLine($"Code: commit {commit} (branch {branch}).{(note is null ? "" : " " + note)}");
    md.AppendLine();
    md.AppendLine($"Machine: {BenchMachine.Summary(typeof(ThroughputResult).Assembly)} (load average 1, 5, 15 min at the end of the run; the machine is shared with other builds and helpers, so figures are indicative).");
    md.AppendLine();
    md.AppendLine("Every silo is a process of its own (`listes360 serve --membership AzureTable`, production wiring), all on **this one machine** with Azurite (in memory) and the load generator: " +
                  "more silos here share the same cores, so the figures show what clustering costs and what a failover looks like, not how a cluster of several machines scales.");
    md.AppendLine($"Load: {writers} concurrent writers spread over the silos' APIs (writer i on silo i mod N), each writing persons one after the other — createPerson, addOrientation (MAS), 2 × createCandidature — " +
                  "every mutation with its own `Idempotency-Key`, retried with the same key on a retryable answer, a 5xx, a timeout or a refused connection (then on the next silo). A warm-up of 4 s precedes each measure.");
    md.AppendLine();
    md.AppendLine("## Acknowledged mutations per second");
    md.AppendLine();
    md.AppendLine("| silos | writers | seconds | mutations acknowledged | **per second** | createPerson per second | latency p50 (ms) | latency p99 (ms) | failed attempts | given up |");
    md.AppendLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    foreach (var t in throughput)
        md.AppendLine($"| {t.Silos} | {t.Writers} | {t.Seconds:F1} | {t.Acknowledged:N0} | **{t.PerSecond:F1}** | {t.PersonsPerSecond:F1} | {t.P50Ms:F0} | {t.P99Ms:F0} | {t.FailedAttempts} | {t.Refusals} |");
    if (failover is { } f)
    {
        md.AppendLine();
        md.AppendLine("## A silo killed under load (3 silos)");
        md.AppendLine();
        md.AppendLine($"{char.ToUpperInvariant(killedWhy![0])}{killedWhy[1..]} is killed (SIGKILL, `Process.Kill(entireProcessTree: true)`) {f.KillAtSeconds:F1} s into a {failoverSeconds}-s run; the membership table and the survivors' `/health` are polled every 100 ms.");
        md.AppendLine();
        md.AppendLine("| measure | seconds after the kill |");
        md.AppendLine("| --- | ---: |");
        md.AppendLine($"| killed silo marked **Dead** in the membership table | **{Show(f.MembershipDeadSeconds)}** |");
        md.AppendLine($"| both survivors' `/health` show 2 active silos | {Show(f.HealthEvictedSeconds)} |");
        md.AppendLine($"| the killed silo's writers acknowledged again (first – last writer, after moving to a survivor) | {Show(f.WritersBackFirstSeconds)} – {Show(f.WritersBackAllSeconds)} |");
        md.AppendLine($"| last failed attempt on a survivor (writes succeed everywhere after this) | {f.LastSurvivorFailureSeconds:F1} |");
        md.AppendLine($"| last failed attempt anywhere | {f.LastFailureSeconds:F1} |");
        md.AppendLine($"| longest latency of a write acknowledged after the kill (retries included) / of a createPerson | {f.LongestLatencySeconds:F1} / {f.LongestPersonLatencySeconds:F1} |");
        md.AppendLine();
        md.AppendLine($"Writes acknowledged during the run: {f.Acknowledged:N0}, of which {f.AcknowledgedAfterRetry} after at least one retry; writes given up (a non-retryable answer, or no acknowledgement after {giveUp.TotalSeconds:F0} s of retries): {f.Refusals}" +
                      (f.RefusalsByCode.Count > 0 ? " — " + string.Join(", ", f.RefusalsByCode.Select(r => $"{r.Key} × {r.Value}")) : "") + ".");
        md.AppendLine();
        md.AppendLine("Failed attempts during the run, by code, by silo, and whether the client retried them (same request, same key):");
        md.AppendLine();
        md.AppendLine("| code | attempts |");
        md.AppendLine("| --- | ---: |");
        foreach (var (code, count) in f.FailedAttemptsByCode)
            md.AppendLine($"| {code} | {count} |");
        if (f.FailedAttemptsByCode.Count == 0)
            md.AppendLine("| (none) | 0 |");
        md.AppendLine();
        md.AppendLine($"Second by second (the kill at {f.KillAtSeconds:F1} s): mutations acknowledged, of which createPerson, and failed attempts.");
        md.AppendLine();
        md.AppendLine("| second | acknowledged | createPerson | failed attempts |");
        md.AppendLine("| ---: | ---: | ---: | ---: |");
        foreach (var row in f.Timeline)
            md.AppendLine($"| {row[0]} | {row[1]} | {row[2]} | {row[3]} |");
    }
    File.WriteAllText(Path.Combine(dir, output + ".md"), md.ToString().Replace("\r", "", StringComparison.Ordinal));
    Console.WriteLine($"Résultats : {Path.Combine(dir, output + ".md")}");
}

static string Git(string arguments)
{
    try
    {
        using var git = Process.Start(new ProcessStartInfo("git", arguments) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = FindRoot() })!;
        var text = git.StandardOutput.ReadToEnd().Trim();
        git.WaitForExit();
        return git.ExitCode == 0 ? text : "?";
    }
    catch (System.ComponentModel.Win32Exception)
    {
        return "?";
    }
}

static string Show(double? seconds) => seconds is { } s ? s.ToString("F1", CultureInfo.InvariantCulture) : "not within 60 s";

static string FindRoot()
{
    var dir = new DirectoryInfo(AppContext.BaseDirectory);
    while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Listes360.sln"))) dir = dir.Parent;
    return dir?.FullName ?? Directory.GetCurrentDirectory();
}

internal sealed record Ack(int Writer, int StartedOnSilo, string Operation, TimeSpan At, TimeSpan Latency, int Attempts);

internal sealed record LoadResult(List<Ack> Acks, List<string> Refusals, TimeSpan Elapsed);

internal sealed record ThroughputResult(int Silos, int Writers, double Seconds, int Acknowledged, int Persons, double P50Ms, double P99Ms, int FailedAttempts, int Refusals)
{
    public double PerSecond => Acknowledged / Seconds;
    public double PersonsPerSecond => Persons / Seconds;
}

internal sealed record FailoverResult(
    double KillAtSeconds, double? MembershipDeadSeconds, double? HealthEvictedSeconds, double? WritersBackAllSeconds, double? WritersBackFirstSeconds,
    double LastSurvivorFailureSeconds, double LastFailureSeconds, double LongestLatencySeconds, double LongestPersonLatencySeconds,
    int Acknowledged, int AcknowledgedAfterRetry, int Refusals, Dictionary<string, int> FailedAttemptsByCode, Dictionary<string, int> RefusalsByCode, List<int[]> Timeline);
