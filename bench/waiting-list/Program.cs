// Departmental waiting list benchmark (writes bench/results/waiting-list.md and .json):
//   dotnet run -c Release --project bench/waiting-list [-- --persons 20000] [--own-vocabulary]
// A Nord-sized département: 20,000 SIMULATED persons (FrenchPersonGenerator, seeded), each with 1 to 7
// open candidatures over 520 made-up ESMS, in the list's shard grains (16 waiting shards x 4 = 64 list
// shards), on one in-process silo with MEMORY storage (Azure Table latency is not measured; the
// authorization filter is not installed). Measured from the caller's side of the grain calls, the way
// the API reads the list: every shard asked in parallel, pages merged.
//   1. first page of the whole list (50 rows, oldest request first);
//   2. a filtered page (a territory and a kind of support);
//   3. a name search with one typo in the last name (« dupnot kylian »), 500 different persons;
//   4. a last name alone, as typed (what the side-by-side's (e) searches: every person of that name and those near it);
//   5. the largest shard state, serialized with Orleans' binary serializer (the storage's).
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Listes360.Bench;
using Listes360.Domain.Candidatures;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;
using Listes360.Domain.Security;
using Listes360.Domain.WaitingList;
using Listes360.Grains;
using Listes360.Grains.Department;
using Listes360.Grains.Security;
using Listes360.Grains.WaitingList;
using Listes360.Imports.Simulation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Serialization;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
string? Arg(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
var personCount = int.Parse(Arg("--persons") ?? "20000", CultureInfo.InvariantCulture);
var today = new DateOnly(2026, 11, 30);
var topology = new DepartmentTopology { WaitingShards = 16 };

var builder = Host.CreateApplicationBuilder();
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.UseOrleans(silo =>
{
    silo.UseLocalhostClustering();
    silo.AddMemoryGrainStorage(StorageNames.Main);
    silo.Services.AddSingleton<Listes360.Grains.Common.IKeyedRowStorage, Listes360.Grains.Common.MemoryKeyedRowStorage>();
    silo.Services.AddSingleton(TimeProvider.System);
    silo.Services.AddSingleton(topology);
    // As `up` does; --own-vocabulary: each shard scans its own words for typos, as before NameVocabulary (an A/B in one build).
    if (!args.Contains("--own-vocabulary"))
        silo.Services.AddSingleton(new NameVocabularies());
    silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromMinutes(10));
});
using var host = builder.Build();
await host.StartAsync();
var grains = host.Services.GetRequiredService<IGrainFactory>();
var serializer = host.Services.GetRequiredService<Serializer>();

// ---------- the list ----------
var random = new Random(59_2026);
var esms = Enumerable.Range(0, 520).Select(i => FinessNumber.WithKey($"59{i:D6}")).ToArray();
string[] territories = ["200093201", "245900410", "200041960", "245901160", "200030385", "245900428", "200068500", "245902101"];
KindOfSupport[] kinds = [KindOfSupport.Ime, KindOfSupport.Sessad, KindOfSupport.Mas, KindOfSupport.Fam, KindOfSupport.Esat, KindOfSupport.Savs];
var rows = new FrenchPersonGenerator(59, new SimulationOptions { MeanRecordsPerPerson = 1 }).Generate(personCount, personCount)
    .GroupBy(r => r.PersonId).Select(g => g.First()).ToList();
var entries = new List<WaitingListEntry>(rows.Count);
foreach (var row in rows)
{
    var id = PersonId.Parse($"59-bench{row.PersonId:D6}");
    var kind = kinds[random.Next(kinds.Length)];
    var candidatures = Enumerable.Range(0, random.Next(1, 8)).Select(j => new ListedCandidature(
        CandidatureId.Parse($"C-{row.PersonId}-{j}"), esms[random.Next(esms.Length)], Modality.Residential, kind,
        CandidatureStatus.Waiting, today.AddDays(-random.Next(5 * 365)), false)).ToArray();
    entries.Add(new WaitingListEntry
    {
        Person = id,
        Version = 1,
        Reason = WaitingReason.OpenCandidature,
        BirthName = row.BirthName ?? row.LastName,
        UsageName = row.BirthName is null ? null : row.LastName,
        FirstNames = [.. row.FirstName.Split(' ', StringSplitOptions.RemoveEmptyEntries)],
        BirthDate = DateOnly.TryParse(row.BirthDate, CultureInfo.InvariantCulture, out var born) ? born : new DateOnly(2000, 1, 1),
        MdphFileNumber = row.MdphNumber,
        Territory = territories[random.Next(territories.Length)],
        Situation = new Situation { Kind = SituationKind.AtHomeWithoutSolution, Since = today.AddYears(-1) },
        Candidatures = [.. candidatures],
        OldestRequest = candidatures.Min(c => c.RequestDate),
        Worklist = random.Next(5) == 0
            ? [new WorklistItem(WorklistItemKind.NoNews, WorklistUrgency.Soon, id, null, null, today.AddMonths(-1), "Aucune nouvelle depuis le 01/04/2026 (6 mois au moins) : vérifier que la demande tient toujours.")]
            : [],
    });
}
Console.WriteLine($"{entries.Count} personnes simulées, {entries.Sum(e => e.Candidatures.Length)} candidatures.");

var load = Stopwatch.StartNew();
using (CallerContext.As(Caller.ServiceItself))
{
    foreach (var chunk in entries.Chunk(500))
        await Task.WhenAll(chunk.Select(e => grains.GetGrain<IWaitingListShardGrain>(topology.ListShardOf(e.Person)).ApplyAsync(e)));
}
load.Stop();
Console.WriteLine($"Chargement : {load.Elapsed.TotalSeconds:F1} s");

var shards = topology.ListShardsOf("59").Select(k => grains.GetGrain<IWaitingListShardGrain>(k)).ToArray();
var reader = new Caller("bench-mdph", Role.MdphReferent, [], "59", null);

async Task<WaitingListShardPage> PageAsync(WaitingListFilter filter, WaitingListOrder order, string? search)
{
    using var acting = CallerContext.As(reader);
    var pages = await Task.WhenAll(shards.Select(s => s.PageAsync(filter, order, search, null, 50)));
    return WaitingListShard.Merge(pages, 50);
}

// Processor time of the whole process per read: the silo's work for it, whichever thread did it (the latency alone hides
// work done in parallel on the other core).
async Task<(double P50, double P99, double Max, int Total, double ProcessorMs)> TimeAsync(int runs, Func<int, Task<WaitingListShardPage>> read)
{
    await read(-1); // warm-up: activations, search indexes
    var processor = Process.GetCurrentProcess().TotalProcessorTime;
    var times = new List<double>(runs);
    var total = 0;
    for (var i = 0; i < runs; i++)
    {
        var watch = Stopwatch.StartNew();
        var page = await read(i);
        times.Add(watch.Elapsed.TotalMilliseconds);
        total = page.TotalCount;
    }
    var processorMs = (Process.GetCurrentProcess().TotalProcessorTime - processor).TotalMilliseconds / runs;
    times.Sort();
    double P(double q) => times[Math.Clamp((int)Math.Ceiling(q * times.Count) - 1, 0, times.Count - 1)];
    return (P(0.5), P(0.99), times[^1], total, processorMs);
}

var whole = await TimeAsync(200, _ => PageAsync(WaitingListFilter.All, WaitingListOrder.OldestRequest, null));
var filtered = await TimeAsync(200, _ => PageAsync(new WaitingListFilter { Territory = territories[0], Kinds = [KindOfSupport.Ime] }, WaitingListOrder.Name, null));
var searched = rows.OrderBy(_ => random.Next()).Take(500).ToList();
var found = 0;
var search = await TimeAsync(searched.Count, async i =>
{
    var row = searched[Math.Max(i, 0)];
    var page = await PageAsync(WaitingListFilter.All, WaitingListOrder.Relevance, $"{Misspell(row.LastName, random)} {row.FirstName}");
    if (i >= 0 && page.Rows.Take(5).Any(r => r.Entry.Person.Value == $"59-bench{row.PersonId:D6}")) found++;
    return page;
});

var lastNames = rows.Select(r => r.LastName.ToLowerInvariant()).Distinct().OrderBy(_ => random.Next()).Take(500).ToList();
var byLastName = await TimeAsync(lastNames.Count, i =>
    PageAsync(WaitingListFilter.All, WaitingListOrder.Relevance, lastNames[Math.Max(i, 0)]));

// Largest shard, serialized as the storage does.
var largest = 0;
var largestPersons = 0;
foreach (var group in entries.GroupBy(e => Listes360.Domain.Projections.WaitingSharding.ShardOf(e.Person, topology.ShardCount())))
{
    var shard = WaitingListShard.Create(group.Key, topology.ShardCount());
    foreach (var e in group) shard = shard.Apply(e);
    var bytes = serializer.SerializeToArray(new WaitingListShardState { Shard = shard }).Length;
    if (bytes > largest) (largest, largestPersons) = (bytes, group.Count());
}

await host.StopAsync();

string Ms(double v) => v.ToString("0.0", CultureInfo.InvariantCulture);
var machine = BenchMachine.Describe(typeof(WaitingListShard).Assembly);
var md = new StringBuilder();
md.AppendLine("# Departmental waiting list benchmark");
md.AppendLine();
md.AppendLine("Produced by `dotnet run -c Release --project bench/waiting-list`. " +
    $"**{entries.Count:N0} SIMULATED persons** (FrenchPersonGenerator, seed 59), {entries.Sum(e => e.Candidatures.Length):N0} open candidatures over 520 made-up ESMS, " +
    $"in {topology.ShardCount()} list shard grains (16 waiting shards × 4), one in-process silo with memory storage (storage latency not measured), read as an MDPH referent: every shard in parallel, pages merged.");
md.AppendLine();
md.AppendLine($"Machine: {BenchMachine.Summary(typeof(WaitingListShard).Assembly)} (shared machine: times are indicative).");
md.AppendLine();
md.AppendLine("| read | runs | rows matching | p50 (ms) | p99 (ms) | max (ms) | processor per read (ms) | target |");
md.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
md.AppendLine($"| whole list, first 50, oldest request first | 200 | {whole.Total:N0} | {Ms(whole.P50)} | {Ms(whole.P99)} | {Ms(whole.Max)} | {Ms(whole.ProcessorMs)} | |");
md.AppendLine($"| a territory and IME, by name | 200 | {filtered.Total:N0} | {Ms(filtered.P50)} | {Ms(filtered.P99)} | {Ms(filtered.Max)} | {Ms(filtered.ProcessorMs)} | |");
md.AppendLine($"| name search, one typo in the last name | {searched.Count} | — | {Ms(search.P50)} | {Ms(search.P99)} | {Ms(search.Max)} | {Ms(search.ProcessorMs)} | p99 < 100 ms |");
md.AppendLine($"| name search, a last name alone (the side-by-side's (e)) | {lastNames.Count} | {byLastName.Total:N0} (the last) | {Ms(byLastName.P50)} | {Ms(byLastName.P99)} | {Ms(byLastName.Max)} | {Ms(byLastName.ProcessorMs)} | |");
md.AppendLine();
md.AppendLine($"Search quality: the person searched is in the first 5 rows for **{found} of {searched.Count}** ({100.0 * found / searched.Count:0.0} %).");
md.AppendLine();
md.AppendLine($"Largest list shard: **{largest / 1024.0:0.0} KiB** serialized ({largestPersons} persons), against 512 KiB (half the 1 MiB Azure Table entity). Loading the {entries.Count:N0} rows: {load.Elapsed.TotalSeconds:F1} s.");
var dir = Path.Combine(BenchResults.RepositoryRoot(AppContext.BaseDirectory), "bench", "results");
Directory.CreateDirectory(dir);
File.WriteAllText(Path.Combine(dir, "waiting-list.md"), md.ToString());
File.WriteAllText(Path.Combine(dir, "waiting-list.json"), JsonSerializer.Serialize(new
{
    machine, persons = entries.Count, shards = topology.ShardCount(),
    wholeList = new { whole.P50, whole.P99, whole.Max, whole.Total, whole.ProcessorMs },
    filtered = new { filtered.P50, filtered.P99, filtered.Max, filtered.Total, filtered.ProcessorMs },
    search = new { search.P50, search.P99, search.Max, search.ProcessorMs, found, searched = searched.Count },
    searchByLastName = new { byLastName.P50, byLastName.P99, byLastName.Max, byLastName.ProcessorMs, searched = lastNames.Count },
    largestShardBytes = largest, largestShardPersons = largestPersons, loadSeconds = load.Elapsed.TotalSeconds,
}, new JsonSerializerOptions { WriteIndented = true }) + "\n");
Console.WriteLine(md);

static string Misspell(string name, Random random)
{
    if (name.Length < 4) return name;
    var letters = name.ToCharArray();
    var i = random.Next(1, letters.Length - 2);
    (letters[i], letters[i + 1]) = (letters[i + 1], letters[i]);
    return new string(letters);
}
