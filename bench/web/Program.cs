// Web pages benchmark (writes bench/results/web.md and web.json): the p95 response time of each page,
// against a running service at Orne scale, measured from the browser's side (HTTP, the session cookie).
//   ./listes360 up                                   # another terminal: the Orne's 72 real ESMS and
//                                                    # 1,200 SIMULATED persons (about 3,000 list rows)
//   dotnet run -c Release --project bench/web [-- --base http://127.0.0.1:5360 --requests 200 --concurrency 4 --only Liste]
// Tokens come from ./listes360 token (the development key of up), stored as the pages' session cookie.
// Each page is read --requests times by --concurrency parallel clients after 10 warm-up reads; the
// persons and ESMS read are taken from the list itself (the 20 oldest rows and their ESMS), in turn.
// Reported: p50, p95, max and the share of non-200 answers; the issue asks p95 < 300 ms per page.
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Listes360.Bench;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
string? Arg(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
var baseAddress = new Uri(Arg("--base") ?? "http://127.0.0.1:5360");
var requests = int.Parse(Arg("--requests") ?? "200", CultureInfo.InvariantCulture);
var concurrency = int.Parse(Arg("--concurrency") ?? "4", CultureInfo.InvariantCulture);
var root = FindRoot(AppContext.BaseDirectory);

var staff = Token("--role", "territorial-staff", "--name", "banc d'essai web");
using var api = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(2) };
api.DefaultRequestHeaders.Authorization = new("Bearer", staff);

// ---- what to read: the list's oldest rows, their persons and their ESMS ----
var list = await GraphQL("""{ waitingList(department: "61", first: 20) { totalCount edges { node { personId birthName candidatures { finess } } } } }""");
var waiting = list.GetProperty("waitingList");
var total = waiting.GetProperty("totalCount").GetInt32();
var rows = waiting.GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node")).ToList();
if (rows.Count == 0)
    throw new InvalidOperationException("La liste d'attente de l'Orne est vide : lancez « ./listes360 up » (il charge la population SIMULÉE) avant ce banc.");
var persons = rows.Select(r => r.GetProperty("personId").GetString()!).ToArray();
var names = rows.Select(r => r.GetProperty("birthName").GetString()!).Distinct().ToArray();
var finess = rows.SelectMany(r => r.GetProperty("candidatures").EnumerateArray().Select(c => c.GetProperty("finess").GetString()!))
    .GroupBy(f => f).OrderByDescending(g => g.Count()).Select(g => g.Key).Take(5).ToArray();
var director = Token(["--role", "esms-director", "--name", "banc d'essai web", "--finess", .. finess]);
Console.WriteLine($"Liste de l'Orne : {total} lignes ; pages lues pour {persons.Length} personnes et {finess.Length} ESMS.");

// ---- the other roles (issue 18): MDPH referent, observatory, administration, each with its own token ----
var referent = Token("--role", "mdph-referent", "--name", "banc d'essai web");
var observatory = Token("--role", "observatory", "--name", "banc d'essai web");
var admin = Token("--role", "admin", "--name", "banc d'essai web");
// The review queue's pairs (the population of up queues possible duplicates); the referent reads them as they are.
api.DefaultRequestHeaders.Authorization = new("Bearer", referent);
var queue = (await GraphQL("""{ reviewQueue(department: "61", first: 20) { edges { node { id existingPersonId } } } }"""))
    .GetProperty("reviewQueue").GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node")).ToList();
var pairs = queue.Select(n => n.GetProperty("id").GetString()!).ToArray();
api.DefaultRequestHeaders.Authorization = new("Bearer", admin);
var gridVersions = (await GraphQL("""{ gridVersions(department: "61") { version } }"""))
    .GetProperty("gridVersions").EnumerateArray().Select(v => v.GetProperty("version").GetInt32()).ToArray();
api.DefaultRequestHeaders.Authorization = new("Bearer", staff);
if (gridVersions.Length == 0)
    throw new InvalidOperationException("Aucune grille publiée pour l'Orne : lancez « ./listes360 up » (il publie la grille de départ) avant ce banc.");
Console.WriteLine($"File des doublons : {pairs.Length} paire(s) lue(s) ; grille : {gridVersions.Length} version(s).");

var pages = new List<(string Name, string Token, Func<int, string> Path)>
{
    ("Liste départementale (1re page)", staff, _ => "/conseiller"),
    ("Liste départementale, page 3", staff, _ => "/conseiller?page=3"),
    ("Liste : recherche par nom", staff, i => "/conseiller?recherche=" + Uri.EscapeDataString(names[i % names.Length].ToLowerInvariant())),
    ("Liste : filtre situation", staff, _ => "/conseiller?situation=AtHomeWithoutSolution"),
    ("À faire (conseiller)", staff, _ => "/conseiller/a-faire"),
    ("Personne", staff, i => $"/conseiller/personnes/{persons[i % persons.Length]}"),
    ("Accueil séquentiel", staff, i => $"/conseiller/personnes/{persons[i % persons.Length]}/sequentiel"),
    ("ESMS : accueil", director, i => $"/esms/{finess[i % finess.Length]}"),
    ("ESMS : places", director, i => $"/esms/{finess[i % finess.Length]}/places"),
    ("ESMS : classement", director, i => $"/esms/{finess[i % finess.Length]}/classement"),
    ("ESMS : disponibilités", director, i => $"/esms/{finess[i % finess.Length]}/disponibilites"),
    ("ESMS : import", director, i => $"/esms/{finess[i % finess.Length]}/import"),
    ("Référent : file des doublons", referent, _ => "/referent"),
    ("Référent : une paire", referent, i => pairs.Length > 0 ? $"/referent/doublons/{Uri.EscapeDataString(pairs[i % pairs.Length])}" : "/referent"),
    ("Référent : personne (fusion)", referent, i => $"/referent/personnes/{persons[i % persons.Length]}"),
    ("Observatoire : indicateurs", observatory, _ => "/observatoire"),
    ("Observatoire : risques", observatory, _ => "/observatoire/risques"),
    ("Observatoire : rapport mensuel", observatory, _ => "/observatoire/rapport"),
    ("Observatoire : CSV par type", observatory, _ => "/observatoire/donnees/types.csv"),
    ("Admin : grille", admin, _ => "/admin/grille"),
    ("Admin : grille, comparaison", admin, _ => $"/admin/grille?a={gridVersions[0]}&b={gridVersions[^1]}"),
    ("Admin : import du registre", admin, _ => "/admin/registre"),
    ("Admin : journal d'audit", admin, _ => "/admin/journal"),
};
if (pairs.Length == 0)
    Console.WriteLine("La file des doublons est vide : « Référent : une paire » lit la file à la place (dit dans le rapport).");

// --only TEXT: only the pages whose name contains TEXT (a before/after of one page); the report files are then left as they are.
var only = Arg("--only");
var results = new List<PageResult>();
foreach (var (name, token, path) in pages.Where(p => only is null || p.Name.Contains(only, StringComparison.OrdinalIgnoreCase)))
{
    using var handler = new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false, MaxConnectionsPerServer = concurrency };
    using var client = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(2) };
    client.DefaultRequestHeaders.Add("Cookie", "listes360_session=" + token);
    for (var i = 0; i < 10; i++)
        await Read(client, path(i));
    var times = new List<double>();
    var failures = new List<string>();
    var next = -1;
    await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
    {
        int i;
        while ((i = Interlocked.Increment(ref next)) < requests)
        {
            var (ms, status) = await Read(client, path(i));
            lock (times)
            {
                times.Add(ms);
                if (status != HttpStatusCode.OK) failures.Add($"{(int)status} {path(i)}");
            }
        }
    }));
    times.Sort();
    var result = new PageResult(name, path(0), times.Count, Percentile(times, 0.50), Percentile(times, 0.95), times[^1], failures.Count);
    results.Add(result);
    Console.WriteLine($"{name,-34} p50 {result.P50Ms,7:0.0} ms  p95 {result.P95Ms,7:0.0} ms  max {result.MaxMs,7:0.0} ms  non-200 : {failures.Count}{(failures.Count > 0 ? " (" + failures[0] + ")" : "")}");
}

if (only is not null)
    return results.Any(r => r.Failures > 0) ? 1 : 0;

// ---- the report ----
var machine = BenchMachine.Summary(typeof(PageResult).Assembly);
var md = new StringBuilder();
md.AppendLine("# Pages web : temps de réponse par page (p95), Orne");
md.AppendLine();
md.AppendLine($"Mesuré par `dotnet run -c Release --project bench/web -- --requests {requests} --concurrency {concurrency}` contre `./listes360 up`");
md.AppendLine($"(un silo, l'API et les pages, Azurite local ; les 72 ESMS réels de l'Orne et la population **SIMULÉE** de `up` : {total} lignes de liste).");
md.AppendLine($"Chaque page : 10 lectures d'échauffement puis {requests} lectures par {concurrency} clients en parallèle, avec le cookie de session (jeton de `./listes360 token`) ;");
md.AppendLine("le temps est celui de la réponse complète (HTML rendu côté serveur, lectures des grains et audit compris), vu du client. Objectif des issues 17 et 18 : p95 < 300 ms par page.");
md.AppendLine($"Rôles : conseiller (territorial-staff), direction d'ESMS, référent MDPH, observatoire, administration du département, chacun avec son jeton ; file des doublons : {pairs.Length} paire(s) lue(s) à tour de rôle{(pairs.Length == 0 ? " (file vide : la ligne « une paire » lit la file)" : "")} ; grille : versions {gridVersions[0]} et {gridVersions[^1]} comparées.");
md.AppendLine();
md.AppendLine($"Machine : {machine}. La machine est partagée (un autre assistant et le responsable du projet y compilent et testent) ; leurs processus n'étaient pas arrêtés : la charge (lue à la fin) est dans la ligne.");
md.AppendLine();
md.AppendLine("| Page | Adresse (exemple) | Lectures | p50 (ms) | p95 (ms) | max (ms) | Réponses non 200 | p95 < 300 ms |");
md.AppendLine("|---|---|---:|---:|---:|---:|---:|---|");
foreach (var r in results)
    md.AppendLine($"| {r.Page} | `{r.Example}` | {r.Requests} | {r.P50Ms:0.0} | {r.P95Ms:0.0} | {r.MaxMs:0.0} | {r.Failures} | {(r.P95Ms < 300 ? "oui" : "**non**")} |");
var folder = Path.Combine(root, "bench", "results");
Directory.CreateDirectory(folder);
await File.WriteAllTextAsync(Path.Combine(folder, "web.md"), md.ToString());
await File.WriteAllTextAsync(Path.Combine(folder, "web.json"), JsonSerializer.Serialize(new { machine = BenchMachine.Describe(typeof(PageResult).Assembly), total, requests, concurrency, pairs = pairs.Length, gridVersions, pages = results }, new JsonSerializerOptions { WriteIndented = true }));
Console.WriteLine($"Écrit : {Path.Combine(folder, "web.md")}");
return results.Any(r => r.Failures > 0) ? 1 : 0;

static async Task<(double Ms, HttpStatusCode Status)> Read(HttpClient client, string path)
{
    var watch = Stopwatch.StartNew();
    using var response = await client.GetAsync(path, HttpCompletionOption.ResponseContentRead);
    watch.Stop();
    return (watch.Elapsed.TotalMilliseconds, response.StatusCode);
}

static double Percentile(List<double> sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

async Task<JsonElement> GraphQL(string query)
{
    using var response = await api.PostAsync("/graphql", new StringContent(JsonSerializer.Serialize(new { query }), Encoding.UTF8, "application/json"));
    var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    if (body.TryGetProperty("errors", out var errors))
        throw new InvalidOperationException("GraphQL : " + errors);
    return body.GetProperty("data");
}

string Token(params string[] arguments)
{
    var start = new ProcessStartInfo(Path.Combine(root, "listes360")) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = root };
    start.ArgumentList.Add("token");
    foreach (var a in arguments) start.ArgumentList.Add(a);
    using var process = Process.Start(start)!;
    var output = process.StandardOutput.ReadToEnd().Trim();
    process.WaitForExit();
    if (process.ExitCode != 0 || output.Length == 0)
        throw new InvalidOperationException("./listes360 token a échoué : " + process.StandardError.ReadToEnd());
    return output.Split('\n')[^1].Trim();
}

static string FindRoot(string from)
{
    for (var dir = new DirectoryInfo(from); dir is not null; dir = dir.Parent)
        if (File.Exists(Path.Combine(dir.FullName, "listes360")) && File.Exists(Path.Combine(dir.FullName, "Listes360.sln")))
            return dir.FullName;
    throw new InvalidOperationException("Racine du dépôt introuvable (le script listes360) au-dessus de " + from);
}

internal sealed record PageResult(string Page, string Example, int Requests, double P50Ms, double P95Ms, double MaxMs, int Failures);
