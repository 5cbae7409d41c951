using Listes360.Bench;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;
using Listes360.Domain.Security;
using Listes360.Domain.Sequential;
using Listes360.Grains;
using Listes360.Grains.Department;
using Listes360.Grains.Security;
using Listes360.Grains.Sequential;
using Listes360.Imports.Registry;
using Listes360.Testing.Cluster;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

// Sequential placement search, Nord-sized (issue « Sequential placements »).
//   dotnet run -c Release --project bench/sequential            → bench/results/sequential.md
// Options: --finess FILE (default /work/shared/data/finess/finess_esms_ph_france_20210108.csv),
// --persons N (20000), --runs N (200), --seed N (59).
// The ESMS are the Nord's real ones (FINESS, 8 January 2021, with coordinates); their availability,
// the persons, their needs and homes are SIMULATED (seeded). Territories are simulated too: the Nord's
// EPCI are not embedded, so the ESMS are grouped by the first three digits of their postcode.

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
string? Arg(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
var finessFile = Arg("--finess") ?? "/work/shared/data/finess/finess_esms_ph_france_20210108.csv";
var personCount = int.Parse(Arg("--persons") ?? "20000", CultureInfo.InvariantCulture);
var runs = int.Parse(Arg("--runs") ?? "200", CultureInfo.InvariantCulture);
var seed = int.Parse(Arg("--seed") ?? "59", CultureInfo.InvariantCulture);
var date = new DateOnly(2026, 11, 23);
var now = new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

// --- Data: the Nord's real ESMS, simulated availability and persons --------------------------------
var registry = EsmsFileReader.ReadFile(finessFile);
var nord = registry.Rows.Select(r => r.Profile).Where(p => p.Finess.Department == "59")
    .Select(p => p with { Territory = p.Postcode is { Length: 5 } pc ? "SIM" + pc[..3] : null })
    .ToList();
var random = new Random(seed);
var offers = new List<EsmsOffer>();
foreach (var esms in nord.Where(e => e.Kind.Info().InWaitingListScope && e.Latitude is not null))
{
    if (random.NextDouble() > 0.7) continue; // about 70 % declare sequential places
    var availability = EsmsAvailability.Empty(esms.Finess);
    foreach (var modality in esms.Modalities.OrderBy(_ => random.Next()).Take(2))
    {
        var days = 0;
        for (var d = 0; d < 5; d++)
            if (random.NextDouble() < 0.45) days |= 1 << d;
        if (days == 0) days = 1 << random.Next(5);
        var mask = WeekSlots.FromDays(days);
        if (modality.UsesHalfDays() && random.NextDouble() < 0.3)
            mask &= 0x1555; // mornings only
        availability = availability.Declare(new AvailabilityDeclaration
        {
            Id = $"D-{esms.Finess}-{modality}",
            Modality = modality,
            HalfDays = mask,
            Places = 1 + random.Next(3),
            From = date.AddDays(-random.Next(60)),
            To = random.NextDouble() < 0.5 ? null : date.AddDays(30 + random.Next(300)),
            DeclaredBy = "bench (simulé)",
            DeclaredAt = now,
        }, esms, Places.Declare(modality, 10, 0, date.AddYears(-1)));
    }
    offers.Add(new EsmsOffer(esms, availability));
}

var kinds = nord.Where(e => e.Kind.Info().InWaitingListScope).Select(e => e.Kind).ToArray();
var located = nord.Where(e => e.Latitude is not null && e.Territory is not null).ToArray();
var candidates = new List<SequentialCandidate>(personCount);
for (var i = 0; i < personCount; i++)
{
    var kind = kinds[random.Next(kinds.Length)];
    var info = kind.Info();
    var age = info.Audience == Audience.Children ? 4 + random.Next(16) : 20 + random.Next(40);
    var near = located[random.Next(located.Length)];
    var unit = random.NextDouble() < 0.8 ? NeedUnit.Days : NeedUnit.HalfDays;
    var modalities = info.UsualModalities.Where(m => m != Modality.Residential || random.NextDouble() < 0.3).ToArray();
    candidates.Add(new SequentialCandidate
    {
        Person = PersonId.Parse($"59-sim-{i:D5}"),
        BirthDate = date.AddYears(-age).AddDays(-random.Next(365)),
        Orientations = [Orientation.Create($"CDAPH-{i}", kind, date.AddYears(-1), date.AddYears(4))],
        Needs = SequentialNeeds.Create(unit == NeedUnit.Days ? 2 + random.Next(4) : 3 + random.Next(8), unit,
            modalities.Length == 0 ? info.UsualModalities : modalities, random.NextDouble() < 0.7 ? 10 + random.Next(40) : null, null, date.AddDays(-30), "bench", now),
        Home = new HomeLocation(null, near.Territory, near.Latitude + (random.NextDouble() - 0.5) * 0.15, near.Longitude + (random.NextDouble() - 0.5) * 0.2),
        OldestWaitingRequest = date.AddDays(-random.Next(1500)),
        Waiting = random.NextDouble() < 0.9,
    });
}
var territory = candidates.GroupBy(c => c.Home.Territory).OrderByDescending(g => g.Count()).First().Key!;
var inTerritory = candidates.Count(c => c.Home.Territory == territory);
Console.WriteLine($"Nord : {nord.Count} ESMS réels, {offers.Count} avec disponibilités (simulées), {candidates.Count} personnes simulées ; territoire {territory} : {inTerritory} personnes.");

// --- 1. The pure search ----------------------------------------------------------------------------
var query = new SequentialQuery { Date = date, Territory = territory, Now = now };
SequentialSearchResult last = null!;
var domainTerritory = Time(runs, () => last = SequentialSearch.Search(query, candidates, offers));
var territoryResult = last;
var domainDepartment = Time(Math.Max(10, runs / 10), () => last = SequentialSearch.Search(query with { Territory = null }, candidates, offers));
var departmentResult = last;
var reverseEsms = territoryResult.Combinations.SelectMany(c => c.Parts).GroupBy(p => p.Finess).OrderByDescending(g => g.Count()).First().Key;
var domainReverse = Time(Math.Max(10, runs / 10), () => last = SequentialSearch.Search(query with { Territory = null, RequiredEsms = reverseEsms }, candidates, offers));
var reverseResult = last;

// --- 2. Through the grains: directory + candidate shards + search grain (in-process silo, memory storage)
var cluster = new TestClusterBuilder(1).AddSiloBuilderConfigurator<BenchSilo>().Build();
await cluster.DeployAsync();
double[] grainTerritory;
SequentialSearchResult grainResult;
try
{
    using (CallerContext.As(Caller.ServiceItself))
    {
        var topology = new DepartmentTopology { WaitingShards = BenchSilo.Shards };
        foreach (var batch in offers.Chunk(32))
            await Task.WhenAll(batch.Select(o => cluster.GrainFactory.GetGrain<IAvailabilityDirectoryGrain>("59").RecordAsync(o, 1)));
        foreach (var batch in candidates.Chunk(256))
            await Task.WhenAll(batch.Select(c => cluster.GrainFactory.GetGrain<ICandidateShardGrain>(
                SequentialKeys.CandidateShard("59", Listes360.Domain.Projections.WaitingSharding.ShardOf(c.Person, topology.WaitingShards))).ApplyAsync(c.Person, 1, c)));
    }
    using (CallerContext.As(new Caller("bench", Role.TerritorialStaff, [], "59", null)))
    {
        var search = cluster.GrainFactory.GetGrain<ISequentialSearchGrain>("59");
        grainTerritory = await TimeAsync(runs, async () => last = await search.SearchAsync(date, territory, 3, 50));
        grainResult = last;
    }
}
finally
{
    await cluster.DisposeAsync();
}

// --- Report -----------------------------------------------------------------------------------------
var root = RepoRoot();
var md = new StringBuilder();
md.AppendLine("# Sequential placement search benchmark");
md.AppendLine();
md.AppendLine("Produced by `dotnet run -c Release --project bench/sequential` (reads the France FINESS extract from /work/shared/data/finess).");
md.AppendLine($"Data: the **{nord.Count} real ESMS of the Nord (59)** (FINESS, 8 January 2021); their sequential availability (~70 % declare, 1–2 modalities, 1–3 places, random days) and " +
              $"**{candidates.Count:N0} persons are simulated** (seed {seed}): needs 2–5 days or 3–10 half-days, 70 % with a distance limit of 10–50 km, homes near a real ESMS, one orientation each, 90 % waiting. " +
              "Territories are **simulated** (postcode prefix, the Nord's EPCI are not embedded); distances are great-circle × 1.3 from coordinates.");
md.AppendLine();
md.AppendLine($"Machine: {Environment.ProcessorCount} cores ({BenchMachine.CpuModel()}), {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024):0.0} GiB, {RuntimeInformation.OSDescription}, .NET {Environment.Version}, " +
              $"{(BenchMachine.IsRelease(typeof(SequentialSearch).Assembly) ? "Release" : "Debug")}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC. Load average at the end: {BenchMachine.LoadAverage()} (shared machine: times are indicative).");
md.AppendLine();
md.AppendLine($"ESMS with availability: {offers.Count}. Territory searched: {territory}, {inTerritory:N0} persons living there. K = 3, 50 combinations returned.");
md.AppendLine();
md.AppendLine("| search | runs | candidates considered | covered | combinations | p50 (ms) | p95 (ms) | p99 (ms) | max (ms) |");
md.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
Row("one territory, pure function (`SequentialSearch.Search`)", domainTerritory, territoryResult);
Row("one territory, through the grains (directory + 16 candidate shards + search grain, in-process silo, memory storage)", grainTerritory, grainResult);
Row("whole département, pure function", domainDepartment, departmentResult);
Row($"reverse: candidates for ESMS {reverseEsms}, whole département, pure function", domainReverse, reverseResult);
md.AppendLine();
md.AppendLine("Target: one territory of a Nord-sized département under 500 ms at p99. Times are wall-clock per search after one warm-up run, single request at a time.");
var dir = Path.Combine(root, "bench", "results");
Directory.CreateDirectory(dir);
File.WriteAllText(Path.Combine(dir, "sequential.md"), md.ToString().Replace("\r\n", "\n", StringComparison.Ordinal));
Console.Write(md.ToString());
return 0;

void Row(string name, double[] times, SequentialSearchResult result)
{
    Array.Sort(times);
    md.AppendLine($"| {name} | {times.Length} | {result.CandidatesConsidered:N0} | {result.CandidatesCovered:N0} | {result.TotalCombinations:N0} | " +
                  $"{Pct(times, 0.50):0.0} | {Pct(times, 0.95):0.0} | {Pct(times, 0.99):0.0} | {times[^1]:0.0} |");
}

static double Pct(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

static double[] Time(int n, Action action)
{
    action();
    var times = new double[n];
    for (var i = 0; i < n; i++)
    {
        var sw = Stopwatch.StartNew();
        action();
        times[i] = sw.Elapsed.TotalMilliseconds;
    }
    return times;
}

static async Task<double[]> TimeAsync(int n, Func<Task> action)
{
    await action();
    var times = new double[n];
    for (var i = 0; i < n; i++)
    {
        var sw = Stopwatch.StartNew();
        await action();
        times[i] = sw.Elapsed.TotalMilliseconds;
    }
    return times;
}

static string RepoRoot()
{
    var dir = new DirectoryInfo(AppContext.BaseDirectory);
    while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Listes360.sln")))
        dir = dir.Parent;
    return dir?.FullName ?? Directory.GetCurrentDirectory();
}

/// <summary>One silo as the host runs it for a Nord-sized département (16 shards), state in memory: the bench measures the search, not storage.</summary>
internal sealed class BenchSilo : ISiloConfigurator
{
    public const int Shards = 16;

    public void Configure(ISiloBuilder siloBuilder)
    {
        siloBuilder.AddMemoryGrainStorage(StorageNames.Main);
        siloBuilder.Services.AddSingleton(TimeProvider.System);
        siloBuilder.Services.AddSingleton(new DepartmentTopology { WaitingShards = Shards });
        siloBuilder.Services.AddSingleton<IAuditTrail>(new InMemoryAuditTrail());
        siloBuilder.AddIncomingGrainCallFilter<AuthorizationFilter>();
    }
}
