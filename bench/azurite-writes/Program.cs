// Azurite's processor time per request as its table grows (writes bench/results/azurite-writes.md):
//   dotnet run -c Release --project bench/azurite-writes [-- --sizes 0,100000,400000 --requests 1000 --entity-bytes 4096]
// Issue 20: at the Nord's scale (20,000 SIMULATED persons) the emulator spent ~10 ms of processor per write of an
// admission, 2.3 ms at 1,000 persons, and writing the ESMS's view as one small row instead of hundreds of candidatures
// did not lower it. Hypothesis: the cost of a request grows with the number of entities in the table (the emulator
// keeps them in memory, LokiJS), a cost Azure Table would not have to that degree. Azurite is started in memory (as
// `up --in-memory`), one table; for each size, the table is first filled up to that many entities (~1 KB, 100 per
// partition, written by transactions of 100), then three kinds of request are timed, 8 at a time: an upsert of one
// entity in a new partition (a grain state written whole the first time), the same entity written again (every later
// write of a grain state: an update, which Azurite 3.37 does by removing and inserting, infra/azurite/rewrite-in-place.cjs
// in place), a point read, a transaction of 3 entities (a keyed-rows write: 2 rows and the version row), and the same
// transaction again (merges of existing rows). Processor time: Azurite's node process, from /proc, during each kind only.
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Azure.Data.Tables;
using Listes360.AzureStorage.Emulator;
using Listes360.Bench;
using Listes360.Bench.SideBySide;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
string? Arg(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
var sizes = (Arg("--sizes") ?? "0,100000,400000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
var requests = int.Parse(Arg("--requests") ?? "1000", CultureInfo.InvariantCulture);
var entityBytes = int.Parse(Arg("--entity-bytes") ?? "4096", CultureInfo.InvariantCulture);
const int Parallel = 8;

var folder = Directory.CreateTempSubdirectory("listes360-azurite-writes-");
var rows = new List<string>();
await using (var azurite = await AzuriteServer.StartAsync(AzuriteServer.FindInfraFolder(AppContext.BaseDirectory), folder.FullName, inMemory: true))
{
    var table = new TableClient(azurite.ConnectionString, "bench");
    await table.CreateIfNotExistsAsync();
    var filled = 0;
    var payload = new byte[entityBytes];
    Random.Shared.NextBytes(payload);
    var small = new byte[1024];
    foreach (var size in sizes)
    {
        var fillWatch = Stopwatch.StartNew();
        var batches = Enumerable.Range(filled / 100, Math.Max(0, (size - filled) / 100)).ToList();
        await ForEachAsync(batches, async b => await table.SubmitTransactionAsync(Enumerable.Range(0, 100).Select(i =>
            new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity($"fill-{b:D6}", $"r{i:D3}") { ["Data"] = small }))));
        filled = Math.Max(filled, size);
        Console.WriteLine($"{filled:N0} entités dans la table ({fillWatch.Elapsed.TotalSeconds:0.0} s de remplissage).");

        var run = Guid.NewGuid().ToString("N")[..6];
        var ids = Enumerable.Range(0, requests).ToList();
        var upsert = await MeasureAsync(() => ForEachAsync(ids, i => table.UpsertEntityAsync(new TableEntity($"w-{run}-{i}", "state") { ["Data"] = payload }, TableUpdateMode.Replace)));
        var read = await MeasureAsync(() => ForEachAsync(ids, i => table.GetEntityAsync<TableEntity>($"w-{run}-{i}", "state")));
        // The same entities written again: what every write of a grain state that already exists is (an update, not an insert).
        var rewrite = await MeasureAsync(() => ForEachAsync(ids, i => table.UpsertEntityAsync(new TableEntity($"w-{run}-{i}", "state") { ["Data"] = payload }, TableUpdateMode.Replace)));
        Task KeyedRowsWrite(int i) => table.SubmitTransactionAsync(
        [
            new TableTransactionAction(TableTransactionActionType.UpsertMerge, new TableEntity($"w-{run}-{i}", "state|") { ["Written"] = DateTimeOffset.UtcNow }),
            new TableTransactionAction(TableTransactionActionType.UpsertMerge, new TableEntity($"w-{run}-{i}", "state|a") { ["Data"] = small }),
            new TableTransactionAction(TableTransactionActionType.UpsertMerge, new TableEntity($"w-{run}-{i}", "state|b") { ["Data"] = small }),
        ]);
        var transaction = await MeasureAsync(() => ForEachAsync(ids, KeyedRowsWrite));
        // The same rows merged again: every later write of a grain kept as rows.
        var transactionAgain = await MeasureAsync(() => ForEachAsync(ids, KeyedRowsWrite));
        var line = $"| {filled:N0} | {upsert.CpuMs:0.00} | {upsert.PerSecond:N0} | {rewrite.CpuMs:0.00} | {rewrite.PerSecond:N0} | {read.CpuMs:0.00} | {read.PerSecond:N0} | {transaction.CpuMs:0.00} | {transaction.PerSecond:N0} | {transactionAgain.CpuMs:0.00} | {transactionAgain.PerSecond:N0} |";
        Console.WriteLine(line);
        rows.Add(line);
        filled += 4 * requests; // the measured entities stay in the table: one per upsert, three per transaction
    }
}
try { folder.Delete(recursive: true); } catch (IOException) { }

var md = new StringBuilder();
md.AppendLine("# Azurite : processeur par requête selon la taille de la table (issue 20)");
md.AppendLine();
md.AppendLine($"Produit par `dotnet run -c Release --project bench/azurite-writes -- --sizes {string.Join(',', sizes)} --requests {requests} --entity-bytes {entityBytes}`.");
md.AppendLine($"Azurite 3.37 en mémoire (comme `up --in-memory`), une table ; {Parallel} requêtes à la fois ; processeur du processus `node` d'Azurite lu dans /proc pendant chaque mesure seulement.");
md.AppendLine($"Machine : {BenchMachine.Summary(typeof(Program).Assembly)} (machine partagée : comparer les lignes d'une même passe).");
md.AppendLine();
md.AppendLine($"| entités déjà dans la table | écriture d'une entité nouvelle de {entityBytes:N0} o : ms processeur / requête | req/s | réécriture de la même entité : ms / requête | req/s | lecture ponctuelle : ms / requête | req/s | transaction de 3 entités : ms / requête | req/s | la même transaction à nouveau (fusion de 3 entités existantes) : ms / requête | req/s |");
md.AppendLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
foreach (var row in rows) md.AppendLine(row);
var path = Path.Combine(BenchResults.RepositoryRoot(AppContext.BaseDirectory), "bench", "results", "azurite-writes.md");
BenchResults.WriteKeepingReading(path, md.ToString());
Console.WriteLine($"Écrit : {path}");

async Task<(double CpuMs, double PerSecond)> MeasureAsync(Func<Task> work)
{
    var before = NodeSeconds();
    var watch = Stopwatch.StartNew();
    await work();
    watch.Stop();
    return ((NodeSeconds() - before) * 1000 / requests, requests / watch.Elapsed.TotalSeconds);
}

static double NodeSeconds() => ProcessTreeCpu.ByName(Environment.ProcessId).GetValueOrDefault("node");

static async Task ForEachAsync<T>(IReadOnlyList<T> items, Func<T, Task> action) =>
    await System.Threading.Tasks.Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = Parallel }, async (item, _) => await action(item));
