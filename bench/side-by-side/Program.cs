// Issue 20's side-by-side run (writes bench/results/peer.md and peer.json): Listes360 and its conventional
// PostgreSQL peer (bench/peer) on the same machine, fed the same SIMULATED lists, measured over HTTP by the
// same load generator at the same concurrency.
//   dotnet build -c Release bench/peer && dotnet run -c Release --project bench/side-by-side -- \
//       [--department 59] [--persons 20000] [--concurrency 16] [--duration 10] [--warmup 2] [--finess FILE] [--territory EPCI] [--only b,d,e]
// Listes360 is started as a newcomer does (./listes360 up on free ports, a temporary Azurite folder, no Orne
// seed), the département's real ESMS loaded by ./listes360 import-esms from the FINESS extract, its lists by
// ./listes360 seed (DemoPopulation, SIMULATED); the peer (bench/peer serve) gets the same registry and, over
// its HTTP API, the same lists (same generator, same seed). Both get the same SIMULATED sequential data
// (availability of ~70 % of ESMS, needs of a quarter of the waiting persons). Then, for each system in
// turn: (b) ranking top 20 with points, (d) counts, (e) list searched by name, (f) sequential search,
// (c) admissions, and a mixed working-day workload. Both servers are stopped at the end (SIGINT: each
// stops its own PostgreSQL, or silo and Azurite).
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Listes360.Bench;
using Listes360.Bench.SideBySide;
using Listes360.Domain.Registry;
using Listes360.Domain.Sequential;
using Listes360.Imports.Lists;
using Listes360.Imports.Registry;
using Listes360.Imports.Simulation;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
string? Arg(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
var root = BenchResults.RepositoryRoot(AppContext.BaseDirectory);
var department = Arg("--department") ?? "59";
var persons = int.Parse(Arg("--persons") ?? "20000", CultureInfo.InvariantCulture);
var concurrency = int.Parse(Arg("--concurrency") ?? "16", CultureInfo.InvariantCulture);
var duration = TimeSpan.FromSeconds(double.Parse(Arg("--duration") ?? "10", CultureInfo.InvariantCulture));
// Seconds of load on each system before each measure; with --only, the first measure also pays for the just-in-time
// compilation of the code the others would have warmed: a longer warm-up then (the processor profile of an `--only e`
// pass at 2 s still showed 17 % in the JIT).
var warmup = TimeSpan.FromSeconds(double.Parse(Arg("--warmup") ?? "2", CultureInfo.InvariantCulture));
// --in-memory: Azurite keeps its tables in memory only (`up --in-memory`). On disk it rewrites its whole database every
// few seconds, a cost that grows with the département (2 GB at the Nord's scale) and that Azure Table does not have.
var inMemory = args.Contains("--in-memory");
var admissions = int.Parse(Arg("--admissions") ?? "200", CultureInfo.InvariantCulture);
// --only b,d,e: onboarding (the data) then only these operations (letters b–f, "mixed"), for quick iterations; results printed, peer.md untouched.
var only = Arg("--only")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(o => o.ToLowerInvariant()).ToHashSet();
bool Runs(string operation) => only is null || only.Contains(operation);
var finessFile = Path.GetFullPath(Arg("--finess") ?? Environment.GetEnvironmentVariable("LISTES360_FINESS_FILE")
    ?? new[] { Path.Combine(root, "..", "shared"), "/work/shared" }
        .Select(d => Path.Combine(d, "data", "finess", "finess_esms_ph_france_20210108.csv")).FirstOrDefault(File.Exists)
    ?? "../shared/data/finess/finess_esms_ph_france_20210108.csv");
var today = DateOnly.FromDateTime(DateTime.Today);
var command = "dotnet run -c Release --project bench/side-by-side -- " + string.Join(' ', args);
var loadAtStart = BenchMachine.LoadAverage();
Console.WriteLine($"Départ : {DateTime.UtcNow:HH:mm:ss} UTC, charge {loadAtStart}. Département {department}, {persons} personnes SIMULÉES, {concurrency} connexions.");

var profiles = EsmsFileReader.ReadFile(finessFile).Rows.Select(r => r.Profile)
    .Where(p => p.Finess.Value.StartsWith(department, StringComparison.Ordinal))
    .GroupBy(p => p.Finess.Value).Select(g => g.First()).OrderBy(p => p.Finess.Value, StringComparer.Ordinal).ToList();
var inScope = profiles.Where(p => p.Kind.Info().InWaitingListScope).ToList();

var peerDll = Directory.Exists(Path.Combine(root, "bench", "peer", "bin", "Release"))
    ? Directory.GetFiles(Path.Combine(root, "bench", "peer", "bin", "Release"), "Listes360.Bench.Peer.dll", SearchOption.AllDirectories).FirstOrDefault()
    : null;
if (peerDll is null)
    throw new InvalidOperationException("Le pair n'est pas compilé : « dotnet build -c Release bench/peer » d'abord.");

var temp = Directory.CreateTempSubdirectory("listes360-side-by-side-");
var peerPort = ServerProcess.FreePort();
var apiPort = ServerProcess.FreePort();
var storagePort = ServerProcess.FreePort();
var siloPort = ServerProcess.FreePort();
var gatewayPort = ServerProcess.FreePort();
var cli = Path.Combine(root, "listes360");
string[] target = ["--gateway-port", $"{gatewayPort}"];
var report = new Report();

await using (var peer = ServerProcess.Start("pair PostgreSQL", "dotnet", [peerDll, "serve", "--department", department, "--port", $"{peerPort}", "--finess", finessFile], root))
await using (var listes360 = ServerProcess.Start("Listes360 (up)", cli,
    ["up", "--urls", $"http://127.0.0.1:{apiPort}", "--storage-port", $"{storagePort}", "--data", Path.Combine(temp.FullName, "azurite"),
     "--silo-port", $"{siloPort}", "--gateway-port", $"{gatewayPort}", "--seed-persons", "0", .. (inMemory ? new[] { "--in-memory" } : [])], root,
    // The API limits each user's writes (60 a minute); the load generator is one token standing for a whole
    // département's staff, so the limit is lifted for this run (the peer has none).
    new Dictionary<string, string> { ["Limits__WritesPerMinute"] = "1000000", ["Limits__WriteBurst"] = "1000000" }))
{
    try
    {
        var peerToken = (await peer.WaitForLineAsync("Jeton : ", TimeSpan.FromMinutes(3))).Split("Jeton : ")[1].Trim();
        Console.WriteLine($"Pair prêt sur 127.0.0.1:{peerPort}.");
        await listes360.WaitForLineAsync("Listes360 est prêt", TimeSpan.FromMinutes(5));
        Console.WriteLine($"Listes360 prêt sur 127.0.0.1:{apiPort}.");
        var registryWatch = Stopwatch.StartNew();
        await ServerProcess.RunAsync(cli, ["import-esms", finessFile, "--department", department, .. target], root, TimeSpan.FromMinutes(10), 2); // 2: some rows rejected (reported), the others imported
        Console.WriteLine($"Répertoire FINESS du {department} chargé dans Listes360 en {registryWatch.Elapsed.TotalSeconds:F1} s.");
        var token = (await ServerProcess.RunAsync(cli, ["token", "--role", "admin", "--department", department, "--hours", "12", "--name", "banc côte à côte"], root, TimeSpan.FromMinutes(2))).Trim();

        using var l = new LoadGenerator(new Uri($"http://127.0.0.1:{apiPort}"), token, concurrency);
        using var p = new LoadGenerator(new Uri($"http://127.0.0.1:{peerPort}"), peerToken, concurrency);

        // ---- (a) onboarding: the same SIMULATED lists through each service ----
        var lists = DemoPopulation.Generate(inScope, persons, today, DemoSeed.SeedOf(department));
        var rows = lists.Sum(x => x.Rows);
        Console.WriteLine($"(a) {lists.Count} listes SIMULÉES, {rows} lignes.");
        var watch = Stopwatch.StartNew();
        var seedOutput = await ServerProcess.RunAsync(cli, ["seed", "--department", department, "--persons", $"{persons}", "--output", Path.Combine(temp.FullName, "seed"), .. target],
            root, TimeSpan.FromMinutes(90), 2);
        var listesOnboarding = watch.Elapsed.TotalSeconds;
        Console.WriteLine($"(a) Listes360 : {listesOnboarding:F1} s. {seedOutput.Split('\n').FirstOrDefault(x => x.Contains("lignes", StringComparison.Ordinal))}");
        var listesWaiting = await SettledCountAsync(l, department);
        var listesVisible = watch.Elapsed.TotalSeconds;
        watch.Restart();
        foreach (var list in DemoPopulation.Generate(inScope, persons, today, DemoSeed.SeedOf(department)))
        {
            using var response = await p.Http.PostAsync($"/esms/{list.Finess}/list", new ByteArrayContent(list.Content));
            response.EnsureSuccessStatusCode();
        }
        var peerOnboarding = watch.Elapsed.TotalSeconds;
        var peerCounts = JsonNode.Parse(await p.Http.GetStringAsync($"/departments/{department}/counts"))!;
        var peerWaiting = peerCounts["distinctPersonsWaiting"]!.GetValue<int>();
        Console.WriteLine($"(a) pair : {peerOnboarding:F1} s. Personnes en attente : Listes360 {listesWaiting}, pair {peerWaiting}.");
        report.Onboarding = new(rows, lists.Count, listesOnboarding, listesVisible, peerOnboarding, listesWaiting, peerWaiting);

        // ---- what the operations read: the busiest (ESMS, modality) pairs, names, persons ----
        var parsed = lists.SelectMany(x => CandidatureListReader.Read(x.Content, x.FileName, null, today).Rows.Select(r => (x.Finess, Row: r))).ToList();
        var busiest = parsed.GroupBy(x => (Finess: x.Finess.Value, x.Row.Modality)).OrderByDescending(g => g.Count()).Select(g => g.Key).ToArray();
        var targets = busiest.Take(20).ToArray();
        // Admissions are drawn from the top 20 of more lists than (b) reads: about 2 × --admissions distinct persons to offer.
        var admissionTargets = busiest.Take(Math.Max(20, admissions / 4)).ToArray();
        // 2,000 names (200 until 02/12/2026): Listes360 keeps the typo matches of a query word (NameVocabulary), and with
        // 200 names repeated every half-second the bench measured that memory more than a day of different searches would.
        var names = parsed.Where(x => x.Row.Identity is not null).Select(x => x.Row.Identity!.BirthName.ToLowerInvariant()).Distinct().Take(2000).ToArray();
        Console.WriteLine($"(e) {names.Length} noms cherchés tour à tour.");

        // ---- sequential data, the same for both (SIMULATED) ----
        var territory = Arg("--territory");
        List<(WaitingRow Row, PeerNeedBody Need)> needs = [];
        if (Runs("f") || Runs("mixed"))
        {
        var waitingRows = await WaitingRowsAsync(l, department);
        territory ??= waitingRows.Where(r => r.Territory is not null).GroupBy(r => r.Territory).OrderByDescending(g => g.Count()).Select(g => g.Key).FirstOrDefault();
        var (declared, refused) = await DeclareAvailabilityAsync(l, p, inScope);
        needs = waitingRows.Where(r => Stable(r.BirthName + r.FirstNames + r.BirthDate) % 4 == 0)
            .GroupBy(r => (r.BirthName, r.FirstNames, r.BirthDate)).Where(g => g.Count() == 1).Select(g => g.First())
            .Select(r => (Row: r, Need: NeedOf(r))).ToList();
        await Parallel.ForEachAsync(needs, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (n, _) =>
        {
            await GraphQLAsync(l.Http, SetNeedsMutation(n.Row.PersonId, n.Need));
            // Both imports create RECEIVED candidatures; the search considers WAITING ones: the review of one candidature is done (SIMULATED).
            if (n.Row.Received.Id is { } id)
            {
                await GraphQLAsync(l.Http, StatusMutation(n.Row.PersonId, id, "UNDER_REVIEW"));
                await GraphQLAsync(l.Http, StatusMutation(n.Row.PersonId, id, "WAITING"));
            }
        });
        var reviewed = needs.Where(n => n.Row.Received.Id is not null).Select(n => new
        {
            birthName = n.Row.BirthName, firstNames = n.Row.FirstNames, birthDate = n.Row.BirthDate, finess = n.Row.Received.Finess,
            modality = (short)System.Enum.Parse<Modality>(n.Row.Received.Modality.Replace("_", ""), ignoreCase: true),
        }).ToArray();
        (await p.Http.PostAsJsonAsync("/candidatures/reviewed", reviewed)).EnsureSuccessStatusCode();
        var peerNeedsSet = (await (await p.Http.PostAsJsonAsync("/sequential-needs", needs.Select(n => n.Need).ToArray())).EnsureSuccessStatusCode()
            .Content.ReadFromJsonAsync<JsonObject>())!["persons"]!.GetValue<int>();
        Console.WriteLine($"Séquentiel SIMULÉ : {declared} disponibilités déclarées ({refused} refusées par Listes360, omises des deux), besoins de {needs.Count} personnes (pair : {peerNeedsSet} retrouvées) ; territoire cherché : {territory ?? "aucun (tout le département)"}.");
        report.Sequential = new(declared, refused, needs.Count, peerNeedsSet, territory);
        }

        // ---- admissions: distinct persons' waiting candidatures from the rankings, offered beforehand in Listes360 (its state machine: WAITING → OFFERED → ADMITTED) ----
        var offered = new List<(string Person, string Candidature)>();
        var listesPool = new Queue<(string Person, string Candidature)>();
        var peerPool = new Queue<long>();
        var seenL = new HashSet<string>();
        var seenP = new HashSet<long>();
        var statusesL = new Dictionary<string, int>();
        int entriesP = 0;
        if (Runs("c") || Runs("mixed"))
        {
        foreach (var (finess, modality) in admissionTargets)
        {
            var ranking = await GraphQLAsync(l.Http, RankingQuery(finess, modality));
            foreach (var edge in ranking["ranking"]!["entries"]!["edges"]!.AsArray())
            {
                var node = edge!["node"]!;
                statusesL[node["status"]!.GetValue<string>()] = statusesL.GetValueOrDefault(node["status"]!.GetValue<string>()) + 1;
                if (node["status"]!.GetValue<string>() is "RECEIVED" or "UNDER_REVIEW" or "WAITING" && seenL.Add(node["personId"]!.GetValue<string>()) && listesPool.Count < 2 * admissions)
                    listesPool.Enqueue((node["personId"]!.GetValue<string>(), node["candidatureId"]!.GetValue<string>()));
            }
            foreach (var entry in JsonNode.Parse(await p.Http.GetStringAsync($"/esms/{finess}/ranking?modality={(int)modality}&first=20"))!.AsArray())
                if (++entriesP > 0 && entry!["status"]!.GetValue<int>() is >= 1 and <= 5 && seenP.Add(entry["personId"]!.GetValue<long>()) && peerPool.Count < 2 * admissions)
                    peerPool.Enqueue(entry["candidatureId"]!.GetValue<long>());
        }
        Console.WriteLine($"Classements des {admissionTargets.Length} cibles (20 premiers) : Listes360 {statusesL.Values.Sum()} entrées ({string.Join(", ", statusesL.Select(x => $"{x.Key} {x.Value}"))}), pair {entriesP}.");
        string? offerError = null;
        foreach (var c in listesPool)
        {
            try
            {
                // Listes360's state machine: RECEIVED → UNDER_REVIEW → WAITING → OFFERED → ADMITTED (the peer admits any open candidature).
                foreach (var step in new[] { "UNDER_REVIEW", "WAITING" })
                    await TryGraphQLAsync(l.Http, StatusMutation(c.Person, c.Candidature, step));
                await GraphQLAsync(l.Http, StatusMutation(c.Person, c.Candidature, "OFFERED"));
                offered.Add(c);
            }
            catch (InvalidOperationException e)
            {
                offerError ??= e.Message;
            }
        }
        if (offerError is not null)
            Console.WriteLine($"Offre refusée par Listes360 (première) : {offerError}");
        Console.WriteLine($"Admissions préparées : Listes360 {offered.Count} candidatures offertes, pair {peerPool.Count} candidatures en attente.");
        }

        // ---- single operations ----
        var rankingL = Rotate(targets, t => Gql(RankingQuery(t.Finess, t.Modality)));
        var rankingP = Rotate(targets, t => new HttpRequestMessage(HttpMethod.Get, $"/esms/{t.Finess}/ranking?modality={(int)t.Modality}&first=20"));
        var countsL = (Func<int, HttpRequestMessage?>)(_ => Gql(CountsQuery(department)));
        var countsP = (Func<int, HttpRequestMessage?>)(_ => new HttpRequestMessage(HttpMethod.Get, $"/departments/{department}/counts"));
        var listL = Rotate(names, n => Gql(WaitingListQuery(department, n)));
        var listP = Rotate(names, n => new HttpRequestMessage(HttpMethod.Get, $"/departments/{department}/waiting-list?search={Uri.EscapeDataString(n)}&first=20"));
        var seqL = (Func<int, HttpRequestMessage?>)(_ => Gql(SequentialQuery(department, territory)));
        var seqP = (Func<int, HttpRequestMessage?>)(_ => new HttpRequestMessage(HttpMethod.Get, $"/departments/{department}/sequential-search?first=50{(territory is null ? "" : "&territory=" + territory)}"));

        async Task Measure(string name, Func<int, HttpRequestMessage?> forL, Func<int, HttpRequestMessage?> forP, TimeSpan time, int? max = null, bool warm = true)
        {
            if (!Runs(name[..1] == "(" ? name[1..2] : "mixed"))
                return;
            if (warm)
            {
                await l.RunAsync(forL, warmup);
                await p.RunAsync(forP, warmup);
            }
            var (storageBefore, writtenBefore) = await StorageCountersAsync(l.Http);
            var cpuByName = listes360.CpuSecondsByName;
            var rl = await l.RunAsync(forL, time, max);
            var cpuByNameAfter = listes360.CpuSecondsByName;
            var cpuL = cpuByNameAfter.Values.Sum() - cpuByName.Values.Sum();
            var (storageAfter, writtenAfter) = await StorageCountersAsync(l.Http);
            var storageDetail = $"{StoragePerRequest(storageBefore, storageAfter, rl.Requests)} ; écrit : {WrittenPerRequest(writtenBefore, writtenAfter, rl.Requests)}";
            var cpuP = peer.CpuSeconds;
            var rp = await p.RunAsync(forP, time, max);
            cpuP = peer.CpuSeconds - cpuP;
            var cpuByProcess = cpuByNameAfter.ToDictionary(x => x.Key, x => 1000 * (x.Value - cpuByName.GetValueOrDefault(x.Key)) / Math.Max(1, rl.Requests));
            report.Operations.Add(new(name, rl, rp, new RequestCost(1000 * cpuL / Math.Max(1, rl.Requests), cpuByProcess, 1000 * cpuP / Math.Max(1, rp.Requests),
                StorageTotal(storageBefore, storageAfter, rl.Requests), storageDetail)));
            Console.WriteLine($"{name} : Listes360 {rl.Throughput:F0} req/s p50 {rl.P50Ms:F1} p99 {rl.P99Ms:F1} ({rl.Failures} échecs) | pair {rp.Throughput:F0} req/s p50 {rp.P50Ms:F1} p99 {rp.P99Ms:F1} ({rp.Failures} échecs) | charge {BenchMachine.LoadAverage()}");
            Console.WriteLine($"-> Listes360, requêtes de stockage par requête : {storageDetail}");
            Console.WriteLine($"-> processeur par requête (serveur et ses processus, hors générateur) : Listes360 {1000 * cpuL / Math.Max(1, rl.Requests):F1} ms ({cpuL / rl.Seconds:F2} cœur ; {string.Join(", ", cpuByNameAfter.Select(x => (x.Key, D: x.Value - cpuByName.GetValueOrDefault(x.Key))).Where(x => x.D > 0).Select(x => $"{x.Key} {1000 * x.D / Math.Max(1, rl.Requests):F1} ms"))}), pair {1000 * cpuP / Math.Max(1, rp.Requests):F1} ms ({cpuP / rp.Seconds:F2} cœur)");
            if (rl.FirstFailure is not null) Console.WriteLine($"-> Listes360, premier échec : {rl.FirstFailure}");
            if (rp.FirstFailure is not null) Console.WriteLine($"-> pair, premier échec : {rp.FirstFailure}");
        }

        await Measure("(b) classement d'un ESMS, 20 premiers avec points par critère", rankingL, rankingP, duration);
        await Measure("(d) décomptes par type et territoire", countsL, countsP, duration);
        await Measure("(e) liste d'attente, recherche par nom (20 lignes)", listL, listP, duration);
        await Measure("(f) recherche séquentielle" + (territory is null ? " (tout le département)" : $" (territoire {territory})"), seqL, seqP, duration);
        var half = Math.Min(admissions, Math.Min(offered.Count, peerPool.Count) / 2);
        var admitL = offered.Take(half).ToArray();
        var admitP = peerPool.Take(half).ToArray();
        await Measure($"(c) admission ({half} candidatures distinctes, les autres candidatures closes)",
            i => i < admitL.Length ? Gql(StatusMutation(admitL[i].Person, admitL[i].Candidature, "ADMITTED")) : null,
            i => i < admitP.Length ? new HttpRequestMessage(HttpMethod.Post, $"/candidatures/{admitP[i]}/admission") : null,
            TimeSpan.FromMinutes(5), half, warm: false);

        // ---- mixed working day ----
        var mixL = offered.Skip(half).ToArray();
        var mixP = peerPool.Skip(half).ToArray();
        int admittedL = -1, admittedP = -1;
        HttpRequestMessage? Mixed(int i, bool listes)
        {
            var roll = (int)(Stable($"mix{i}") % 100);
            if (roll < Mix.List) return listes ? listL(i) : listP(i);
            if (roll < Mix.List + Mix.Ranking) return listes ? rankingL(i) : rankingP(i);
            if (roll < Mix.List + Mix.Ranking + Mix.Counts) return listes ? countsL(i) : countsP(i);
            if (roll < Mix.List + Mix.Ranking + Mix.Counts + Mix.Sequential) return listes ? seqL(i) : seqP(i);
            if (roll < Mix.List + Mix.Ranking + Mix.Counts + Mix.Sequential + Mix.Admission)
            {
                var k = Interlocked.Increment(ref listes ? ref admittedL : ref admittedP);
                if (listes && k < mixL.Length) return Gql(StatusMutation(mixL[k].Person, mixL[k].Candidature, "ADMITTED"));
                if (!listes && k < mixP.Length) return new HttpRequestMessage(HttpMethod.Post, $"/candidatures/{mixP[k]}/admission");
            }
            var n = needs[i % needs.Count];
            var need = n.Need with { Amount = 1 + (n.Need.Amount + i) % (n.Need.Unit == 1 ? 7 : 14) };
            return listes ? Gql(SetNeedsMutation(n.Row.PersonId, need))
                : new HttpRequestMessage(HttpMethod.Post, "/sequential-needs") { Content = JsonContent.Create(new[] { need }) };
        }
        await Measure($"mixte « journée de travail » ({Mix.Describe})", i => Mixed(i, true), i => Mixed(i, false), 2 * duration, warm: false);
    }
    catch
    {
        Console.Error.WriteLine($"--- {listes360.Name} ---\n{listes360.Tail()}\n--- {peer.Name} ---\n{peer.Tail()}");
        throw;
    }
    Console.WriteLine("Arrêt des deux services…");
}
try { temp.Delete(recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }

if (only is null)
    report.Write(root, department, persons, concurrency, duration, warmup, command, loadAtStart, inMemory);
return 0;

// ---------------------------------------------------------------------------------------------------

// The silo's storage counters, read from one /metrics page: requests by grain type and operation
// (listes360.storage.operations: what an operation asks of Azure Table) and bytes written by grain type
// (listes360.storage.written: how heavy those writes are).
static async Task<(Dictionary<string, double> Operations, Dictionary<string, double> Written)> StorageCountersAsync(HttpClient http)
{
    var text = await http.GetStringAsync("/metrics");
    return (Counters(text, @"listes360_storage_operations_total", tags => $"{tags.GetValueOrDefault("grain", "?")} {tags.GetValueOrDefault("operation", "?")}"),
        Counters(text, @"listes360_storage_written\w*", tags => tags.GetValueOrDefault("grain", "?")));
}

// A Prometheus counter's values summed by a key made of their tags.
static Dictionary<string, double> Counters(string metrics, string namePattern, Func<Dictionary<string, string>, string> keyOf)
{
    var result = new Dictionary<string, double>();
    foreach (Match m in Regex.Matches(metrics, $@"^{namePattern}\{{([^}}]*)\}} (\S+)", RegexOptions.Multiline))
    {
        var key = keyOf(Regex.Matches(m.Groups[1].Value, "(\\w+)=\"([^\"]*)\"").ToDictionary(t => t.Groups[1].Value, t => t.Groups[2].Value));
        result[key] = result.GetValueOrDefault(key) + double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
    }
    return result;
}

static string WrittenPerRequest(Dictionary<string, double> before, Dictionary<string, double> after, int requests)
{
    if (requests == 0) return "aucune requête";
    var parts = after.Select(x => (x.Key, KiB: (x.Value - before.GetValueOrDefault(x.Key)) / 1024 / requests)).Where(x => x.KiB > 0.05).OrderByDescending(x => x.KiB).ToList();
    return parts.Count == 0 ? "rien" : $"{parts.Sum(x => x.KiB):F1} Kio ({string.Join(", ", parts.Select(x => $"{x.Key} {x.KiB:F1}"))})";
}

static double StorageTotal(Dictionary<string, double> before, Dictionary<string, double> after, int requests) =>
    requests == 0 ? 0 : after.Sum(x => x.Value - before.GetValueOrDefault(x.Key)) / requests;

static string StoragePerRequest(Dictionary<string, double> before, Dictionary<string, double> after, int requests)
{
    if (requests == 0) return "aucune requête";
    var parts = after.Select(x => (x.Key, Delta: x.Value - before.GetValueOrDefault(x.Key))).Where(x => x.Delta > 0).OrderByDescending(x => x.Delta)
        .Select(x => $"{x.Key} {x.Delta / requests:F2}").ToList();
    return parts.Count == 0 ? "aucune" : $"{StorageTotal(before, after, requests):F2} ({string.Join(", ", parts)})";
}

static uint Stable(string text)
{
    var h = 2166136261u;
    foreach (var c in text) h = (h ^ c) * 16777619u;
    return h;
}

static string Enum(object value) => Regex.Replace(value.ToString()!, "(?<!^)([A-Z])", "_$1").ToUpperInvariant();

static Func<int, HttpRequestMessage?> Rotate<T>(IReadOnlyList<T> items, Func<T, HttpRequestMessage> make) => i => make(items[i % items.Count]);

static HttpRequestMessage Gql(string body) => new(HttpMethod.Post, "/graphql") { Content = new StringContent(body, Encoding.UTF8, "application/json") };

static string Body(string query, object variables) => JsonSerializer.Serialize(new { query, variables });

static string RankingQuery(string finess, Modality modality) => Body(
    "query($f:String!,$m:Modality!){ ranking(finess:$f, modality:$m){ eligibleCount entries(first:20){ edges{ node{ position candidatureId personId requestDate status score breakdown{ criterionId points } } } } } }",
    new { f = finess, m = Enum(modality) });

static string CountsQuery(string department) => Body(
    "query($d:String!){ departmentCounts(department:$d){ total{ distinctPersonsWaiting } byKind{ kind counts{ distinctPersonsWaiting } } byTerritory{ territory counts{ distinctPersonsWaiting } } } }",
    new { d = department });

static string WaitingListQuery(string department, string search) => Body(
    "query($d:String!,$s:String){ waitingList(department:$d, search:$s, first:20){ totalCount edges{ node{ personId birthName usageName firstNames birthDate territory candidatures{ finess modality kind status requestDate } } } } }",
    new { d = department, s = search });

static string SequentialQuery(string department, string? territory) => Body(
    "query($d:String!,$t:String){ sequentialSearch(department:$d, territory:$t, first:50){ candidatesConsidered candidatesCovered totalCombinations combinations{ personId score weeklyDistanceKm parts{ finess modality days distanceKm } } } }",
    new { d = department, t = territory });

static string StatusMutation(string person, string candidature, string status) => Body(
    "mutation($p:ID!,$c:ID!,$s:CandidatureStatus!){ changeCandidatureStatus(input:{personId:$p, candidatureId:$c, status:$s}){ candidature{ id status } } }",
    new { p = person, c = candidature, s = status });

static string SetNeedsMutation(string person, PeerNeedBody need) => Body(
    "mutation($p:ID!,$a:Int!,$u:NeedUnit,$m:[Modality!]!,$k:Float){ setSequentialNeeds(input:{personId:$p, amount:$a, unit:$u, modalities:$m, maxDistanceKm:$k}){ needs{ amount } } }",
    new { p = person, a = need.Amount, u = need.Unit == 1 ? "DAYS" : "HALF_DAYS", m = need.Modalities.Select(m => Enum((Modality)m)).ToArray(), k = need.MaxDistanceKm });

// The data set-up's calls (not the measured ones): an answer marked retryable (UNAVAILABLE: a call that outlasted its
// timeout while the emulator was saturated) is sent again, as the service asks its clients to, up to 5 times.
static async Task<JsonNode> GraphQLAsync(HttpClient http, string body)
{
    for (var attempt = 1; ; attempt++)
    {
        using var response = await http.SendAsync(Gql(body));
        var text = await response.Content.ReadAsStringAsync();
        var json = JsonNode.Parse(text)!;
        if (response.IsSuccessStatusCode && json["errors"] is null)
            return json["data"]!;
        var retryable = json["errors"]?.AsArray().All(e => e?["extensions"]?["retryable"]?.GetValue<bool>() == true) == true;
        if (!retryable || attempt == 5)
            throw new InvalidOperationException($"GraphQL {(int)response.StatusCode} : {text[..Math.Min(500, text.Length)]}");
        Console.WriteLine($"(réessai {attempt} d'un appel de préparation : {text[..Math.Min(160, text.Length)]})");
        await Task.Delay(TimeSpan.FromSeconds(5 * attempt));
    }
}

static async Task<bool> TryGraphQLAsync(HttpClient http, string body)
{
    try { await GraphQLAsync(http, body); return true; }
    catch (InvalidOperationException) { return false; }
}

// Waits until Listes360's département counts stop moving (its projections follow the imports through outboxes).
static async Task<int> SettledCountAsync(LoadGenerator l, string department)
{
    var last = -1;
    for (var i = 0; i < 120; i++)
    {
        var count = (await GraphQLAsync(l.Http, CountsQuery(department)))["departmentCounts"]!["total"]!["distinctPersonsWaiting"]!.GetValue<int>();
        if (count == last && count > 0)
            return count;
        last = count;
        await Task.Delay(TimeSpan.FromSeconds(3));
    }
    return last;
}

static async Task<List<WaitingRow>> WaitingRowsAsync(LoadGenerator l, string department)
{
    var rows = new List<WaitingRow>();
    string? after = null;
    do
    {
        var page = (await GraphQLAsync(l.Http, Body(
            "query($d:String!,$a:String){ waitingList(department:$d, first:50, after:$a){ pageInfo{ hasNextPage endCursor } edges{ node{ personId birthName firstNames birthDate territory candidatures{ id finess modality status } } } } }",
            new { d = department, a = after })))["waitingList"]!;
        foreach (var edge in page["edges"]!.AsArray())
        {
            var n = edge!["node"]!;
            rows.Add(new WaitingRow(n["personId"]!.GetValue<string>(), n["birthName"]!.GetValue<string>(),
                string.Join(' ', n["firstNames"]!.AsArray().Select(f => f!.GetValue<string>())), DateOnly.Parse(n["birthDate"]!.GetValue<string>(), CultureInfo.InvariantCulture),
                n["territory"]?.GetValue<string>(),
                n["candidatures"]!.AsArray().Where(c => c!["status"]!.GetValue<string>() == "RECEIVED")
                    .Select(c => (c!["id"]!.GetValue<string>(), c["finess"]!.GetValue<string>(), c["modality"]!.GetValue<string>())).FirstOrDefault()));
        }
        after = page["pageInfo"]!["hasNextPage"]!.GetValue<bool>() ? page["pageInfo"]!["endCursor"]!.GetValue<string>() : null;
    }
    while (after is not null);
    return rows;
}

// SIMULATED needs: 2–5 days (60 %) or 3–10 half-days, day modalities, a distance limit of 10–50 km for 70 %.
static PeerNeedBody NeedOf(WaitingRow row)
{
    var random = new Random((int)Stable(row.BirthName + row.FirstNames + row.BirthDate));
    var days = random.NextDouble() < 0.6;
    short[] modalities = days ? [(short)Modality.SemiResidential, (short)Modality.Sequential, (short)Modality.Temporary] : [(short)Modality.SemiResidential, (short)Modality.NonResidential, (short)Modality.Sequential];
    return new PeerNeedBody(row.BirthName, row.FirstNames, row.BirthDate, days ? random.Next(2, 6) : random.Next(3, 11), (short)(days ? 1 : 2), modalities,
        random.NextDouble() < 0.7 ? random.Next(10, 51) : null);
}

// SIMULATED availability: ~70 % of ESMS declare 1–3 places on 2–5 days (full days, or mornings for half-day modalities) in one of their modalities.
static async Task<(int Declared, int Refused)> DeclareAvailabilityAsync(LoadGenerator l, LoadGenerator p, IReadOnlyList<EsmsProfile> profiles)
{
    int declared = 0, refused = 0;
    foreach (var profile in profiles)
    {
        var random = new Random((int)Stable(profile.Finess.Value));
        if (random.NextDouble() >= 0.7)
            continue;
        var offered = profile.Modalities.Where(m => m is Modality.SemiResidential or Modality.Sequential or Modality.NonResidential or Modality.Temporary).ToArray();
        if (offered.Length == 0)
            continue;
        var modality = offered[random.Next(offered.Length)];
        var part = modality.UsesHalfDays() && random.NextDouble() < 0.3 ? DayPart.Morning : DayPart.FullDay;
        var days = WeekSlots.Week.Take(5).OrderBy(_ => random.Next()).Take(random.Next(2, 6)).ToArray();
        var places = random.Next(1, 4);
        var mask = days.Aggregate(0, (m, d) => m | WeekSlots.Mask(d, part));
        var slots = string.Join(", ", days.Select(d => $"{{weekday: {Enum(d)}, part: {Enum(part)}}}"));
        var declare = Body($"mutation{{ declareAvailability(input:{{finess:\"{profile.Finess.Value}\", modality:{Enum(modality)}, places:{places}, slots:[{slots}]}}){{ availability{{ finess }} }} }}", new { });
        if (!await TryGraphQLAsync(l.Http, declare))
        {
            // No capacity declared yet for the modality: a SIMULATED one (10 places, none occupied), then the declaration again.
            await TryGraphQLAsync(l.Http, Body($"mutation{{ setEsmsPlaces(input:{{finess:\"{profile.Finess.Value}\", modality:{Enum(modality)}, capacity:10, occupied:0}}){{ esms{{ finess }} }} }}", new { }));
            if (!await TryGraphQLAsync(l.Http, declare))
            {
                refused++;
                continue;
            }
        }
        (await p.Http.PostAsJsonAsync($"/esms/{profile.Finess.Value}/availability", new { modality = (short)modality, halfDays = mask, places })).EnsureSuccessStatusCode();
        declared++;
    }
    return (declared, refused);
}

internal sealed record WaitingRow(string PersonId, string BirthName, string FirstNames, DateOnly BirthDate, string? Territory,
    (string Id, string Finess, string Modality) Received);

/// <summary>The peer's need body (same JSON as bench/peer's PeerNeed).</summary>
internal sealed record PeerNeedBody(string BirthName, string FirstNames, DateOnly BirthDate, int Amount, short Unit, short[] Modalities, double? MaxDistanceKm);

/// <summary>The mixed workload's shares (%), a département's working day: mostly reading the list and rankings, some writes.</summary>
internal static class Mix
{
    public const int List = 40, Ranking = 25, Counts = 10, Sequential = 5, Admission = 5, NeedUpdate = 15;
    public static string Describe => $"{List} % liste/recherche, {Ranking} % classements, {Counts} % décomptes, {Sequential} % recherches séquentielles, {Admission} % admissions, {NeedUpdate} % mises à jour de besoins séquentiels";
}
