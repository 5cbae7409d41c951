// Ranking benchmark (timed run, writes bench/results/ranking.md and ranking.json):
//   dotnet run -c Release --project bench/ranking [-- --finess PATH_TO_NATIONAL_FINESS_CSV] [--nord-candidatures 80000]
// 1. One ESMS with 2,000 candidatures: latency of its ranking served by the ranking grain after warm-up
//    (p50/p99/max over 2,000 reads), and the cost of a full recompute.
// 2. A Nord-sized département: the real ESMS of the Nord (FINESS extract of 8 January 2021), 80,000
//    simulated candidatures spread over them, then a new grid published: time until every ranking of
//    the département is recomputed.
// One in-process silo with MEMORY grain storage (storage latency is not measured: Azure Table storage
// adds its own); candidatures are simulated (made-up facts sent straight to the ranking grains, as the
// persons' grains do); the authorization filter is not installed (its cost is a dictionary lookup per call).
using System.Diagnostics;
using System.Globalization;
using Listes360.Bench;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Listes360.Domain.Candidatures;
using Listes360.Domain.Grid;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;
using Listes360.Domain.Security;
using Listes360.Domain.Territories;
using Listes360.Grains;
using Listes360.Grains.Department;
using Listes360.Grains.Grid;
using Listes360.Grains.Registry;
using Listes360.Grains.Security;
using Listes360.Imports.Registry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

string? Arg(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
var finessFile = Arg("--finess") ?? "/work/shared/data/finess/finess_esms_ph_france_20210108.csv";
var nordCandidatures = int.Parse(Arg("--nord-candidatures") ?? "80000", CultureInfo.InvariantCulture);
var today = DateOnly.FromDateTime(DateTime.UtcNow);

var builder = Host.CreateApplicationBuilder();
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.UseOrleans(silo =>
{
    silo.UseLocalhostClustering();
    silo.AddMemoryGrainStorage(StorageNames.Main);
    silo.Services.AddSingleton<Listes360.Grains.Common.IKeyedRowStorage, Listes360.Grains.Common.MemoryKeyedRowStorage>();
    silo.Services.AddSingleton(TimeProvider.System);
    silo.Services.AddSingleton(new DepartmentTopology { WaitingShards = 16 });
    silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromMinutes(10));
});
using var host = builder.Build();
await host.StartAsync();
var grains = host.Services.GetRequiredService<IGrainFactory>();
using var acting = CallerContext.As(Caller.ServiceItself);
var random = new Random(20261123);

// ---------- 1. One ESMS, 2,000 candidatures ----------
var fam = new EsmsRegistrationRequest("610999005", "FAM du banc d'essai", "448", "61000", "ALENCON").ToProfile();
await grains.GetGrain<IEsmsGrain>(fam.Finess.Value).RegisterAsync(fam, "bench");
var orneCommunes = TerritoryDirectory.FromEmbedded("61").Communes.Where(c => !c.IsDelegated).Select(c => c.InseeCode).ToArray();
var famRanking = grains.GetGrain<IRankingGrain>(RankingKeys.Of(fam.Finess, Modality.Residential));
var load = Stopwatch.StartNew();
for (var i = 0; i < 2000; i++)
    await famRanking.ApplyFactsAsync(Facts($"C-B{i:D5}", fam, Modality.Residential, orneCommunes));
load.Stop();
for (var i = 0; i < 200; i++)
    await famRanking.GetAsync(null); // warm-up (JIT, cache)
var served = new List<double>();
for (var i = 0; i < 2000; i++)
{
    var t = Stopwatch.GetTimestamp();
    var r = await famRanking.GetAsync(null);
    served.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
    if (r.Entries.Length == 0) throw new InvalidOperationException("classement vide");
}
var famResult = await famRanking.GetAsync(null);
var eligible = famResult.Entries.Length;
// What an HTTP answer adds: the whole ranking (every breakdown) written as JSON.
var json = new List<double>();
var jsonBytes = 0;
for (var i = 0; i < 200; i++)
{
    var t = Stopwatch.GetTimestamp();
    jsonBytes = JsonSerializer.SerializeToUtf8Bytes(famResult).Length;
    json.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
}
var orneGrid = (await grains.GetGrain<IGridGrain>("61").GetInForceAsync(null))!;
var recompute = new List<double>();
for (var i = 0; i < 30; i++)
{
    var t = Stopwatch.GetTimestamp();
    await famRanking.RefreshAsync(orneGrid);
    recompute.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
}
Console.WriteLine($"ESMS à 2 000 candidatures : p50 {P(served, 50):F3} ms, p99 {P(served, 99):F3} ms, max {served.Max():F3} ms ; recalcul complet p50 {P(recompute, 50):F1} ms");

// ---------- 2. Nord-sized département ----------
var nordEsms = LoadNord(finessFile);
var setUp = Stopwatch.StartNew();
foreach (var chunk in nordEsms.Chunk(64))
    await Task.WhenAll(chunk.Select(p => grains.GetGrain<IEsmsGrain>(p.Finess.Value).RegisterAsync(p, "bench")));
var gridGrain = grains.GetGrain<IGridGrain>("59");
var v1 = await gridGrain.PublishAsync(NordGrid(25), "bench");
var targets = nordEsms.SelectMany(p => p.Modalities.Select(m => (p, m))).ToArray();
var facts = Enumerable.Range(0, nordCandidatures).Select(i =>
{
    var (p, m) = targets[random.Next(targets.Length)];
    return Facts($"C-N{i:D6}", p, m, ["59350", "59183", "59599", "59009"]);
}).ToArray();
foreach (var chunk in facts.Chunk(512))
    await Task.WhenAll(chunk.Select(f => grains.GetGrain<IRankingGrain>(RankingKeys.Of(f.Finess, f.Modality)).ApplyFactsAsync(f)));
setUp.Stop();
var rerank = Stopwatch.StartNew();
var v2 = await gridGrain.PublishAsync(NordGrid(0), "bench");
rerank.Stop();
Console.WriteLine($"Nord : {nordEsms.Count} ESMS, {v2.RankingsRefreshed} classements, {nordCandidatures} candidatures ({v2.CandidatesRanked} classées), reclassement {rerank.Elapsed.TotalSeconds:F2} s");

await host.StopAsync();
Write();
return;

CandidateFacts Facts(string id, EsmsProfile esms, Modality modality, string[] communes)
{
    var range = esms.AgeRange;
    var maxAge = Math.Min(range.Until ?? 70, 70) - 1;
    var age = random.Next(range.From, Math.Max(range.From + 1, maxAge));
    var accepted = esms.Kind.Info().AcceptedOrientations;
    var kind = accepted.Count == 0 ? esms.Kind : accepted[random.Next(accepted.Count)];
    var situations = Enum.GetValues<SituationKind>();
    var status = random.Next(10) switch { 0 => CandidatureStatus.Received, 1 => CandidatureStatus.UnderReview, 2 => CandidatureStatus.Offered, 3 => CandidatureStatus.Incomplete, _ => CandidatureStatus.Waiting };
    return new CandidateFacts
    {
        CandidatureId = CandidatureId.Parse(id),
        PersonId = PersonId.Parse($"{esms.Finess.Department}-{id.ToLowerInvariant()}"),
        Finess = esms.Finess,
        Modality = modality,
        Kind = esms.Kind,
        RequestDate = today.AddDays(-random.Next(1, 2000)),
        Status = status,
        StatusSince = today.AddDays(-random.Next(0, 30)),
        BirthDate = today.AddYears(-age).AddDays(-random.Next(0, 365)),
        Orientations = random.Next(20) == 0 ? [] : [Orientation.Create("CDAPH-" + id, kind, today.AddYears(-2), today.AddYears(3))],
        Situation = new Situation { Kind = situations[random.Next(situations.Length)], Since = today.AddDays(-random.Next(0, 1500)) },
        Carers = random.Next(3) == 0 ? [] : [Carer.FromDeclaredAge(CarerRelationship.Parent, random.Next(35, 90), today, (CarerStatus)random.Next(1, 5))],
        ResidenceCommune = communes[random.Next(communes.Length)],
        Urgency = random.Next(30) == 0 ? UrgencyFlag.Create(UrgencySource.TerritorialStaff, today.AddDays(-10), "banc d'essai", "bench") : null,
    };
}

List<EsmsProfile> LoadNord(string path)
{
    if (!File.Exists(path))
        throw new FileNotFoundException($"Extrait FINESS national introuvable : {path} (option --finess).");
    return EsmsFileReader.ReadFile(path).Rows.Select(r => r.Profile)
        .Where(p => p.Finess.Department == "59" && p.Kind.Info().InWaitingListScope)
        .ToList();
}

static string NordGrid(int cretonPoints)
{
    var doc = JsonNode.Parse(GridDocument.DefaultJson("61"))!;
    doc["department"] = "59";
    foreach (var c in doc["criteria"]!.AsArray())
        if ((string?)c!["id"] == "CRETON") c["points"] = cretonPoints;
    return doc.ToJsonString();
}

static double P(List<double> values, int percentile)
{
    var sorted = values.Order().ToArray();
    return sorted[Math.Clamp((int)Math.Ceiling(percentile / 100.0 * sorted.Length) - 1, 0, sorted.Length - 1)];
}

void Write()
{
    var machine = BenchMachine.Describe(typeof(Program).Assembly);
    var results = new
    {
        esms2000 = new
        {
            candidatures = 2000, eligible, loadSeconds = Math.Round(load.Elapsed.TotalSeconds, 2),
            servedMs = new { p50 = Math.Round(P(served, 50), 3), p99 = Math.Round(P(served, 99), 3), max = Math.Round(served.Max(), 3), reads = served.Count },
            jsonMs = new { p50 = Math.Round(P(json.Skip(50).ToList(), 50), 1), p99 = Math.Round(P(json.Skip(50).ToList(), 99), 1), bytes = jsonBytes },
            recomputeMs = new { p50 = Math.Round(P(recompute, 50), 1), max = Math.Round(recompute.Max(), 1) },
        },
        nord = new
        {
            esms = nordEsms.Count, rankings = v2.RankingsRefreshed, failed = v2.RankingsFailed, candidatures = nordCandidatures,
            ranked = v2.CandidatesRanked, setUpSeconds = Math.Round(setUp.Elapsed.TotalSeconds, 1), rerankSeconds = Math.Round(rerank.Elapsed.TotalSeconds, 2),
            gridVersions = new[] { v1.Grid.Version, v2.Grid.Version },
        },
    };
    var root = FindRoot();
    var dir = Path.Combine(root, "bench", "results");
    Directory.CreateDirectory(dir);
    File.WriteAllText(Path.Combine(dir, "ranking.json"), JsonSerializer.Serialize(new { machine, results }, new JsonSerializerOptions { WriteIndented = true }) + "\n");
    var md = new StringBuilder();
    md.AppendLine("# Rankings benchmark");
    md.AppendLine();
    md.AppendLine("Command: `dotnet run -c Release --project bench/ranking` (reads the national FINESS extract, `--finess PATH`).");
    md.AppendLine();
    md.AppendLine($"Machine: {BenchMachine.Summary(typeof(Program).Assembly)} (load average 1, 5, 15 min at the end of the run; the machine is shared with other builds, so times are indicative).");
    md.AppendLine();
    md.AppendLine("One in-process Orleans silo, **memory** grain storage; candidatures are **simulated** facts sent to the ranking grains as the persons' grains do.");
    md.AppendLine();
    md.AppendLine("| measure | target | result |");
    md.AppendLine("|---|---|---|");
    md.AppendLine($"| ranking of an ESMS with 2,000 candidatures ({eligible} eligible), served by its grain after warm-up, {served.Count} reads | p99 < 20 ms | p50 {P(served, 50):F3} ms, **p99 {P(served, 99):F3} ms**, max {served.Max():F3} ms |");
    md.AppendLine($"| same ranking written as JSON ({jsonBytes / 1024:N0} KiB, every breakdown), what an HTTP answer adds | — | p50 {P(json.Skip(50).ToList(), 50):F1} ms, p99 {P(json.Skip(50).ToList(), 99):F1} ms |");
    md.AppendLine($"| same ESMS, full recompute (after a facts change or a grid publication) | — | p50 {P(recompute, 50):F1} ms, max {recompute.Max():F1} ms |");
    md.AppendLine($"| re-ranking the Nord after a grid change: {nordEsms.Count} real ESMS, {v2.RankingsRefreshed} rankings (ESMS × modality), {nordCandidatures:N0} candidatures ({v2.CandidatesRanked:N0} eligible and ranked) | < 30 s | **{rerank.Elapsed.TotalSeconds:F2} s** ({v2.RankingsFailed} failed) |");
    md.AppendLine();
    md.AppendLine($"Set-up (not timed against a target): loading 2,000 candidatures into one ranking grain {load.Elapsed.TotalSeconds:F1} s; registering the Nord's ESMS and loading {nordCandidatures:N0} candidatures {setUp.Elapsed.TotalSeconds:F1} s.");
    File.WriteAllText(Path.Combine(dir, "ranking.md"), md.ToString().Replace("\r", "", StringComparison.Ordinal));
}

static string FindRoot()
{
    var dir = new DirectoryInfo(AppContext.BaseDirectory);
    while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Listes360.sln"))) dir = dir.Parent;
    return dir?.FullName ?? Directory.GetCurrentDirectory();
}
