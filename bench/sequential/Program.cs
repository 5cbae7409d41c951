using Listes360.Bench;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Listes360.Domain.Candidatures;
using Listes360.Domain.Grid;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;
using Listes360.Domain.Security;
using Listes360.Domain.Sequential;
using Listes360.Grains;
using Listes360.Grains.Department;
using Listes360.Grains.Grid;
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
var esmsOfKind = nord.Where(e => e.Kind.Info().InWaitingListScope).GroupBy(e => e.Kind).ToDictionary(g => g.Key, g => g.ToArray());
// The grid's facts come from their own seeded generator, so that the persons, needs and homes stay
// those of earlier runs (same seed, same draws).
var factsRandom = new Random(seed + 1);
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
    candidates[^1] = candidates[^1] with { Facts = SimulatedFacts(candidates[^1], kind, age, near.Territory) };
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

// The same searches ranked by the harmonised grid, as the search grain does by default. No grid is
// shipped for the Nord: the Orne's default grid is applied to it (department code replaced).
const string OrneDepartment = "\"department\": \"61\"";
var orneJson = GridDocument.DefaultJson("61");
if (!orneJson.Contains(OrneDepartment, StringComparison.Ordinal))
    throw new InvalidOperationException("La grille par défaut de l'Orne ne contient plus « \"department\": \"61\" » : le bench ne peut pas l'appliquer au Nord.");
var gridJson = orneJson.Replace(OrneDepartment, "\"department\": \"59\"", StringComparison.Ordinal);
var grid = GridDocument.Parse(gridJson, 1, date);
var gridScore = SequentialSearch.GridScore(grid);
var gridTerritoryTimes = Time(runs, () => last = SequentialSearch.Search(query, candidates, offers, gridScore));
var gridTerritoryResult = last;
var gridDepartmentTimes = Time(Math.Max(10, runs / 10), () => last = SequentialSearch.Search(query with { Territory = null }, candidates, offers, gridScore));
var gridDepartmentResult = last;
var gridReverseTimes = Time(Math.Max(10, runs / 10), () => last = SequentialSearch.Search(query with { Territory = null, RequiredEsms = reverseEsms }, candidates, offers, gridScore));
var gridReverseResult = last;

// --- 2. Through the grains: directory + candidate shards + search grain (in-process silo, memory storage)
var cluster = new TestClusterBuilder(1).AddSiloBuilderConfigurator<BenchSilo>().Build();
await cluster.DeployAsync();
double[] grainTerritory, grainGridTerritory;
SequentialSearchResult grainResult, grainGridResult;
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
    // Then the grid: published for the Nord by an admin, in force from today, the search grain ranks by it.
    using (CallerContext.As(new Caller("bench", Role.Admin, [], "59", null)))
        await cluster.GrainFactory.GetGrain<IGridGrain>("59").PublishAsync(gridJson, "bench (grille de l'Orne appliquée au Nord, simulé)");
    using (CallerContext.As(new Caller("bench", Role.TerritorialStaff, [], "59", null)))
    {
        var search = cluster.GrainFactory.GetGrain<ISequentialSearchGrain>("59");
        grainGridTerritory = await TimeAsync(runs, async () => last = await search.SearchAsync(date, territory, 3, 50));
        grainGridResult = last;
    }
    if (!grainGridResult.ScoreName.StartsWith("grille", StringComparison.Ordinal))
        throw new InvalidOperationException($"Le grain de recherche n'a pas classé par la grille publiée (score : « {grainGridResult.ScoreName} »).");
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
md.AppendLine($"Machine: {BenchMachine.Summary(typeof(SequentialSearch).Assembly)} (shared machine: times are indicative).");
md.AppendLine();
md.AppendLine($"ESMS with availability: {offers.Count}. Territory searched: {territory}, {inTerritory:N0} persons living there. K = 3, 50 combinations returned.");
md.AppendLine();
md.AppendLine($"Scores: **seniority** (days since the oldest waiting request, the score without a grid) and **grid** ({SequentialSearch.GridScoreName(grid)}): the **Orne's default grid applied to the Nord** " +
              "(department code replaced), for lack of a Nord grid; it reads each person's SIMULATED facts (situation: ~32 % of adults and ~30 % of children at home without solution, " +
              "Creton for adults up to 25, hospital, Belgium, …; a carer for 70 %, with a birth year for 60 % of them, 20 % exhausted, ill or unavailable; 2 % urgencies). " +
              "No commune centres are shipped for the Nord, so the grid's proximity criterion gives 0 points (commune de résidence non renseignée).");
md.AppendLine();
md.AppendLine("| search | score | runs | candidates considered | covered | combinations | p50 (ms) | p95 (ms) | p99 (ms) | max (ms) |");
md.AppendLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
const string Grains = "through the grains (directory + 16 candidate shards + search grain, in-process silo, memory storage)";
Row("one territory, pure function (`SequentialSearch.Search`)", "seniority", domainTerritory, territoryResult);
Row("one territory, pure function (`SequentialSearch.Search`)", "grid", gridTerritoryTimes, gridTerritoryResult);
Row($"one territory, {Grains}", "seniority (no grid published)", grainTerritory, grainResult);
Row($"one territory, {Grains}", $"grid published for 59 by an admin (result's score: « {grainGridResult.ScoreName} »)", grainGridTerritory, grainGridResult);
Row("whole département, pure function", "seniority", domainDepartment, departmentResult);
Row("whole département, pure function", "grid", gridDepartmentTimes, gridDepartmentResult);
Row($"reverse: candidates for ESMS {reverseEsms}, whole département, pure function", "seniority", domainReverse, reverseResult);
Row($"reverse: candidates for ESMS {reverseEsms}, whole département, pure function", "grid", gridReverseTimes, gridReverseResult);
md.AppendLine();
md.AppendLine($"Grid / seniority, same run: one territory pure p50 ×{Pct(gridTerritoryTimes, 0.5) / Pct(domainTerritory, 0.5):0.00}, p99 ×{Pct(gridTerritoryTimes, 0.99) / Pct(domainTerritory, 0.99):0.00}; " +
              $"through the grains p50 ×{Pct(grainGridTerritory, 0.5) / Pct(grainTerritory, 0.5):0.00}, p99 ×{Pct(grainGridTerritory, 0.99) / Pct(grainTerritory, 0.99):0.00}; " +
              $"whole département p50 ×{Pct(gridDepartmentTimes, 0.5) / Pct(domainDepartment, 0.5):0.00}.");
md.AppendLine();
md.AppendLine("Target: one territory of a Nord-sized département under 500 ms at p99. Times are wall-clock per search after one warm-up run, single request at a time.");
var dir = Path.Combine(root, "bench", "results");
Directory.CreateDirectory(dir);
File.WriteAllText(Path.Combine(dir, "sequential.md"), md.ToString().Replace("\r\n", "\n", StringComparison.Ordinal));
Console.Write(md.ToString());
return 0;

// SIMULATED facts of the person's oldest waiting candidature, in plausible proportions for the Nord
// (many adults placed in Belgium, young adults kept under the Creton amendment, carers ageing).
// No commune centres are shipped for the Nord, so ResidenceCommune stays null: the grid's proximity
// criterion reads « commune de résidence non renseignée » and gives 0 points.
CandidateFacts SimulatedFacts(SequentialCandidate c, KindOfSupport kind, int age, string? home)
{
    var r = factsRandom;
    var esms = esmsOfKind[kind][r.Next(esmsOfKind[kind].Length)];
    var modality = c.Needs.Modalities.FirstOrDefault(m => esms.Modalities.Contains(m), esms.Modalities.IsDefaultOrEmpty ? c.Needs.Modalities[0] : esms.Modalities[0]);
    var requested = c.OldestWaitingRequest ?? date.AddDays(-r.Next(1500));
    var x = r.NextDouble();
    SituationKind? situation = kind.Info().Audience == Audience.Children
        ? x switch
        {
            < 0.30 => SituationKind.AtHomeWithoutSolution,
            < 0.55 => SituationKind.InChildrenEsms,
            < 0.78 => SituationKind.SchoolWithPartialSupport,
            < 0.86 => SituationKind.ChildWelfare,
            < 0.91 => SituationKind.InHospital,
            < 0.96 => SituationKind.InBelgium,
            < 0.98 => SituationKind.TemporaryStaysOnly,
            _ => null,
        }
        : x switch
        {
            < 0.32 => SituationKind.AtHomeWithoutSolution,
            < 0.42 => age <= 25 ? SituationKind.InChildrenEsmsUnderCreton : SituationKind.InAdultEsms,
            < 0.52 => SituationKind.InHospital,
            < 0.62 => SituationKind.InBelgium,
            < 0.77 => SituationKind.InAdultEsms,
            < 0.82 => SituationKind.WorkWithPartialSupport,
            < 0.85 => SituationKind.InElderlyCare,
            < 0.89 => SituationKind.TemporaryStaysOnly,
            < 0.92 => SituationKind.OutOfDepartment,
            < 0.95 => SituationKind.Other,
            _ => null,
        };
    var carers = ImmutableArray.CreateBuilder<Carer>();
    if (r.NextDouble() < 0.7)
    {
        var s = r.NextDouble();
        carers.Add(new Carer
        {
            Relationship = age < 20 || r.NextDouble() < 0.7 ? CarerRelationship.Parent : CarerRelationship.Sibling,
            // Parents 22–40 years older than the person; the age is often not recorded.
            BirthYear = r.NextDouble() < 0.6 ? date.Year - age - 22 - r.Next(19) : null,
            Status = s < 0.80 ? CarerStatus.Available : s < 0.92 ? CarerStatus.Exhausted : s < 0.97 ? CarerStatus.Ill : CarerStatus.Unavailable,
            StatusSince = date.AddDays(-r.Next(700)),
        });
    }
    return new CandidateFacts
    {
        CandidatureId = CandidatureId.New(),
        PersonId = c.Person,
        Finess = esms.Finess,
        Modality = modality,
        Kind = kind,
        RequestDate = requested,
        Status = CandidatureStatus.Waiting,
        StatusSince = requested.AddDays(r.Next(60)) is var since && since > date ? date : since,
        BirthDate = c.BirthDate,
        Orientations = c.Orientations,
        Situation = situation is { } k ? new Situation { Kind = k, Since = date.AddDays(-r.Next(1460)) } : null,
        Carers = carers.ToImmutable(),
        ResidenceCommune = null,
        Territory = home,
        Urgency = r.NextDouble() < 0.02 ? UrgencyFlag.Create(UrgencySource.TerritorialStaff, date.AddDays(-r.Next(90)), "rupture d'accompagnement (simulée)", "bench (simulé)") : null,
    };
}

void Row(string name, string score, double[] times, SequentialSearchResult result)
{
    md.AppendLine($"| {name} | {score} | {times.Length} | {result.CandidatesConsidered:N0} | {result.CandidatesCovered:N0} | {result.TotalCombinations:N0} | " +
                  $"{Pct(times, 0.50):0.0} | {Pct(times, 0.95):0.0} | {Pct(times, 0.99):0.0} | {times.Max():0.0} |");
}

static double Pct(double[] times, double p) => times.Order().ElementAt(Math.Min(times.Length - 1, (int)Math.Ceiling(p * times.Length) - 1));

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
        siloBuilder.Services.AddSingleton<Listes360.Grains.Common.IKeyedRowStorage, Listes360.Grains.Common.MemoryKeyedRowStorage>();
        // The silo lives on the bench's fixed date, so that the grid it publishes is in force on the
        // searched date whatever day the bench is run.
        siloBuilder.Services.AddSingleton<TimeProvider>(new SettableClock(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero)));
        siloBuilder.Services.AddSingleton(new DepartmentTopology { WaitingShards = Shards });
        siloBuilder.Services.AddSingleton<IAuditTrail>(new InMemoryAuditTrail());
        siloBuilder.AddIncomingGrainCallFilter<AuthorizationFilter>();
    }
}
