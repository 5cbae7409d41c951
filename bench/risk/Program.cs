// Rupture-risk scoring at Nord scale (~20,000 persons waiting), with the shipped model:
//   dotnet run -c Release --project bench/risk            → bench/results/risk.md
// 1. snapshot (RiskSnapshot.From, as the person grain does) + score (pooled PredictionEngines), one thread;
// 2. the same on all cores (grains score concurrently);
// 3. through Orleans: 20,000 PersonRiskInput applied to the 16 risk shard grains of an in-process silo
//    (a storage that serialises each state as the Azure Table provider does, without the network).
// Persons are SIMULATED (seeded), never real.
using System.Diagnostics;
using System.Globalization;
using Listes360.Bench;
using System.Runtime.InteropServices;
using System.Text;
using Listes360.Domain.Candidatures;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;
using Listes360.Domain.Risk;
using Listes360.Grains;
using Listes360.Grains.Department;
using Listes360.Grains.Risk;
using Listes360.Risk.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

const int Persons = 20_000;
var today = new DateOnly(2026, 11, 23);
var random = new Random(42);
var kinds = new[] { KindOfSupport.Mas, KindOfSupport.Fam, KindOfSupport.FoyerDeVie, KindOfSupport.Esat, KindOfSupport.Ime };
var situations = Enum.GetValues<SituationKind>();
var people = new List<(PersonRecord Record, List<Candidature> Candidatures)>(Persons);
for (var i = 0; i < Persons; i++)
{
    var id = PersonId.Parse($"59-bench{i:D6}");
    var age = random.Next(12, 60);
    var kind = kinds[random.Next(kinds.Length)];
    var record = new PersonRecord
    {
        Id = id,
        Identity = new PersonIdentity { BirthName = "SIMULÉ", FirstNames = ["Personne"], BirthDate = today.AddYears(-age).AddDays(-random.Next(365)), Sex = Sex.Unknown },
        Situation = new Situation { Kind = situations[random.Next(situations.Length)], Since = today.AddMonths(-random.Next(1, 60)) },
        Carers = random.NextDouble() < 0.8 ? [new Carer { Relationship = CarerRelationship.Parent, BirthYear = today.Year - age - 25 - random.Next(15), Status = (CarerStatus)random.Next(1, 5) }] : [],
        Orientations = [Orientation.Create($"B{i}", kind, today.AddYears(-2), today.AddYears(random.Next(0, 4)))],
    };
    var candidatures = Enumerable.Range(0, random.Next(1, 5)).Select(c => Candidature.Create(CandidatureId.Parse($"B{i}-{c}"), id,
        FinessNumber.WithKey($"59{random.Next(100_000, 999_999):D6}"), Modality.Residential, kind, today.AddMonths(-random.Next(1, 60)),
        DateTimeOffset.UnixEpoch, "bench")).ToList();
    people.Add((record, candidatures));
}

var load = Stopwatch.StartNew();
var model = RiskModel.LoadShipped();
load.Stop();
model.Score(RiskSnapshot.From(people[0].Record, people[0].Candidatures, today)); // warm-up: JIT and the first engine

var sequential = Stopwatch.StartNew();
double sum = 0;
foreach (var (record, candidatures) in people)
    sum += model.Score(RiskSnapshot.From(record, candidatures, today)).Probability;
sequential.Stop();

var parallel = Stopwatch.StartNew();
var scores = new double[Persons];
Parallel.For(0, Persons, i => scores[i] = model.Score(RiskSnapshot.From(people[i].Record, people[i].Candidatures, today)).Probability);
parallel.Stop();
if (Math.Abs(scores.Sum() - sum) > 1e-6) throw new InvalidOperationException("Scores parallèles et séquentiels différents.");

var topology = new DepartmentTopology { WaitingShards = 16 };
using var host = Host.CreateDefaultBuilder()
    .ConfigureLogging(l => l.SetMinimumLevel(LogLevel.Error))
    .UseOrleans(silo =>
    {
        silo.UseLocalhostClustering();
        silo.Configure<Orleans.Configuration.SiloMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromMinutes(5));
        silo.Services.AddKeyedSingleton<Orleans.Storage.IGrainStorage>(StorageNames.Main,
            (sp, _) => new CountingStorage(sp.GetRequiredService<Orleans.Serialization.Serializer>()));
        silo.Services.AddSingleton(topology);
        silo.Services.AddSingleton<IRiskScorer>(model);
    })
    .Build();
await host.StartAsync();
var grains = host.Services.GetRequiredService<IGrainFactory>();
var inputs = people.Select(p => (p.Record.Id, Input: RiskProjection.InputOf(p.Record, p.Candidatures, "200041762", today))).ToList();
// A rebuild or first pass: up to 1,000 persons in flight, as many person grains publish at once.
CountingStorage.Reset();
var throughGrains = Stopwatch.StartNew();
foreach (var batch in inputs.Chunk(1_000))
    await Task.WhenAll(batch.Select(p => grains.GetGrain<IRiskShardGrain>(topology.RiskShardOf(p.Id)).ApplyAsync(p.Id, 1, p.Input)));
throughGrains.Stop();
var (firstWrites, firstWriteTime) = CountingStorage.Snapshot();
CountingStorage.Reset();
// A daily pass where nothing moved for anyone: re-scored, compared, not rewritten; 16 in flight as in DepartmentMaintenanceGrain.
var dailyPass = Stopwatch.StartNew();
foreach (var batch in inputs.Chunk(16))
    await Task.WhenAll(batch.Select(p => grains.GetGrain<IRiskShardGrain>(topology.RiskShardOf(p.Id)).ApplyAsync(p.Id, 2, p.Input)));
dailyPass.Stop();
var (dailyWrites, _) = CountingStorage.Snapshot();
double serializeMs, deserializeMs;
int shardBytes, shardEntries;
{
    var serializer = host.Services.GetRequiredService<Orleans.Serialization.Serializer>();
    var shard = RiskShard.Create(0, 16);
    foreach (var p in inputs.Where(p => WaitingShardingProbe(p.Id) == 0))
        shard = shard.Apply(p.Id, new RiskEntry(1, p.Input, model.Score(p.Input.Snapshot), "m"));
    var sw = Stopwatch.StartNew();
    byte[] bytes = [];
    for (var k = 0; k < 20; k++) bytes = serializer.SerializeToArray(new RiskShardState { Shard = shard });
    serializeMs = sw.Elapsed.TotalMilliseconds / 20;
    sw.Restart();
    for (var k = 0; k < 20; k++) serializer.Deserialize<RiskShardState>(bytes);
    deserializeMs = sw.Elapsed.TotalMilliseconds / 20;
    (shardBytes, shardEntries) = (bytes.Length, shard.Entries.Count);
}
static int WaitingShardingProbe(PersonId id) => Listes360.Domain.Projections.WaitingSharding.ShardOf(id, 16);
var listed = 0;
for (var s = 0; s < topology.WaitingShards; s++)
    listed += (await grains.GetGrain<IRiskShardGrain>(RiskTopology.ShardKey("59", s)).SelectAsync(RiskFilter.All, null, 1)).TotalCount;
await host.StopAsync();

string S(TimeSpan t) => t.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture);
string PerPerson(TimeSpan t) => (t.TotalMilliseconds * 1000 / Persons).ToString("0", CultureInfo.InvariantCulture);

var md = new StringBuilder();
md.Append("# Rupture-risk scoring benchmark\n\n");
md.Append("Produced by `dotnet run -c Release --project bench/risk`. 20,000 SIMULATED persons (seeded, Nord scale), the shipped model ");
md.Append($"`{model.Provenance.ModelId}` (trained on the simulated cohort), scored on {today:yyyy-MM-dd}.\n\n");
md.Append($"Machine: {BenchMachine.Summary(typeof(Program).Assembly)} (load average 1, 5, 15 min at the end of the run; the machine is shared with other builds, so times are indicative).\n\n");
md.Append("| step | persons | time (s) | µs / person | shard writes | target |\n| --- | ---: | ---: | ---: | ---: | --- |\n");
md.Append($"| load the shipped model (silo start) | — | {S(load.Elapsed)} | — | — | |\n");
md.Append($"| snapshot + score, one thread | {Persons:N0} | {S(sequential.Elapsed)} | {PerPerson(sequential.Elapsed)} | — | < 10 s: {(sequential.Elapsed.TotalSeconds < 10 ? "**met**" : "**missed**")} |\n");
md.Append($"| snapshot + score, all cores (pooled engines) | {Persons:N0} | {S(parallel.Elapsed)} | {PerPerson(parallel.Elapsed)} | — | < 10 s: {(parallel.Elapsed.TotalSeconds < 10 ? "**met**" : "**missed**")} |\n");
md.Append($"| through 16 risk shard grains, first load (score + group-committed writes, serialising storage) | {Persons:N0} | {S(throughGrains.Elapsed)} | {PerPerson(throughGrains.Elapsed)} | {firstWrites:N0} ({S(firstWriteTime)} s in storage) | < 10 s: {(throughGrains.Elapsed.TotalSeconds < 10 ? "**met**" : "**missed**")} |\n");
md.Append($"| through 16 risk shard grains, daily pass with nothing changed (score, no write) | {Persons:N0} | {S(dailyPass.Elapsed)} | {PerPerson(dailyPass.Elapsed)} | {dailyWrites:N0} | < 10 s: {(dailyPass.Elapsed.TotalSeconds < 10 ? "**met**" : "**missed**")} |\n\n");
md.Append($"Persons listed by the shards afterwards: {listed:N0} (in scope: waiting, flagged or at home without solution).\n\n");
md.Append($"One shard's state (shard 0 of 16, {shardEntries:N0} persons) serialises to {shardBytes / 1024.0:0} KiB with Orleans' binary serializer ");
md.Append($"(the Azure Table entity cap is 1 MiB); serialising takes {serializeMs:0.0} ms and deserialising {deserializeMs:0.0} ms. ");
md.Append("Every write rewrites the shard, so the risk shard grain commits by groups: applies that arrive while a write is in flight share the next one. ");
md.Append("A first load is bounded by those writes; an ordinary daily pass, where durations and ages have not moved for most persons, re-scores without writing.\n");
var output = Path.Combine(FindRoot(), "bench", "results", "risk.md");
File.WriteAllText(output, md.ToString());
Console.Write(md.ToString());

static string FindRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        if (File.Exists(Path.Combine(dir.FullName, "Listes360.sln"))) return dir.FullName;
    return Directory.GetCurrentDirectory();
}

/// <summary>
/// In-process storage that does what the Azure Table provider does before the network: Orleans'
/// binary serialisation of the whole state on every write (and back on read). Counts the writes and
/// the time spent in them. (Orleans' MemoryGrainStorage is not used: it deep-copies states through a
/// storage grain, which measures that grain rather than the risk shards.)
/// </summary>
sealed class CountingStorage(Orleans.Serialization.Serializer serializer) : Orleans.Storage.IGrainStorage
{
    private static long writes;
    private static long ticks;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<GrainId, byte[]> store = new();

    public static void Reset() => (writes, ticks) = (0, 0);

    public static (long Writes, TimeSpan Time) Snapshot() => (Interlocked.Read(ref writes), TimeSpan.FromTicks(Interlocked.Read(ref ticks)));

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (store.TryGetValue(grainId, out var bytes))
        {
            grainState.State = serializer.Deserialize<T>(bytes);
            grainState.RecordExists = true;
        }
        return Task.CompletedTask;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var started = Stopwatch.GetTimestamp();
        store[grainId] = serializer.SerializeToArray(grainState.State);
        grainState.RecordExists = true;
        await Task.Yield(); // the network round trip's await, without its latency
        Interlocked.Increment(ref writes);
        Interlocked.Add(ref ticks, Stopwatch.GetElapsedTime(started).Ticks);
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        store.TryRemove(grainId, out _);
        return Task.CompletedTask;
    }
}
