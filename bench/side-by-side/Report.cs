using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Listes360.Bench.SideBySide;

internal sealed record OnboardingResult(int Rows, int Lists, double ListesSeconds, double ListesVisibleSeconds, double PeerSeconds, int ListesWaiting, int PeerWaiting);

internal sealed record SequentialSetup(int Declared, int Refused, int Needs, int PeerNeeds, string? Territory);

/// <summary>What one request cost on the machine: processor milliseconds of each server's processes, and Listes360's storage requests.</summary>
internal sealed record RequestCost(double ListesCpuMs, IReadOnlyDictionary<string, double> ListesCpuMsByProcess, double PeerCpuMs, double StorageRequests, string StorageDetail);

internal sealed record OperationResult(string Name, LoadResult Listes360, LoadResult Peer, RequestCost? Cost = null)
{
    public double Ratio => Peer.Throughput > 0 ? Listes360.Throughput / Peer.Throughput : double.NaN;
}

/// <summary>Writes bench/results/peer.md (the table, both columns and the ratio) and peer.json.</summary>
internal sealed class Report
{
    public OnboardingResult? Onboarding { get; set; }
    public SequentialSetup? Sequential { get; set; }
    public List<OperationResult> Operations { get; } = [];

    public void Write(string root, string department, int persons, int concurrency, TimeSpan duration, TimeSpan warmup, string command, string loadAtStart, bool inMemory)
    {
        var machine = BenchMachine.Describe(typeof(Report).Assembly);
        var md = new StringBuilder();
        md.AppendLine("# Listes360 face à un pair PostgreSQL (issue 20)");
        md.AppendLine();
        md.AppendLine($"Produit par `{command}` (après `dotnet build -c Release bench/peer`).");
        md.AppendLine();
        md.AppendLine($"Données : les **ESMS réels du département {department}** (extrait FINESS du 8 janvier 2021), **{persons:N0} personnes SIMULÉES** (DemoPopulation, celle de `listes360 seed`), "
            + $"{Onboarding?.Rows:N0} lignes de liste dans {Onboarding?.Lists} listes ; disponibilités séquentielles et besoins **SIMULÉS** "
            + $"({Sequential?.Declared} déclarations, besoins de {Sequential?.Needs:N0} personnes).");
        md.AppendLine();
        md.AppendLine($"Machine : {machine.Cores} cœurs ({machine.Cpu}), {machine.MemoryGiB:0.0} Gio, {machine.Os}, {machine.Dotnet}, {machine.Configuration}, {machine.DateUtc}. "
            + $"Charge (`uptime`) au départ : {loadAtStart} ; à la fin : {machine.LoadAverageAtEnd}. **Machine partagée** (d'autres sessions compilent et testent sur les mêmes 2 cœurs) : les chiffres sont indicatifs, le rapport entre les deux colonnes l'est davantage, les deux systèmes ayant été mesurés l'un après l'autre pour chaque opération.");
        md.AppendLine();
        md.AppendLine($"Générateur de charge : le même client HTTP C# en boucle fermée (`bench/side-by-side/LoadGenerator.cs`) pour les deux, {concurrency} connexions, "
            + $"{duration.TotalSeconds:0} s par opération après {warmup.TotalSeconds:0} s de chauffe (le mixte : {2 * duration.TotalSeconds:0} s), dans le même processus que le pilote, sur la même machine que les deux serveurs. "
            + "Listes360 : `./listes360 up` (un silo, Azurite" + (inMemory ? " **en mémoire seulement**, `--in-memory` : rien sur disque, là où le pair écrit le sien avec fsync" : " sur disque") + "), l'API GraphQL `/graphql` avec jeton ; le pair : `bench/peer serve` (PostgreSQL lancé par initdb, API minimale ASP.NET, Npgsql), jeton JWT validé de même.");
        md.AppendLine();
        md.AppendLine("| opération | Listes360 req/s | p50 (ms) | p99 (ms) | pair req/s | p50 (ms) | p99 (ms) | débit Listes360 / pair |");
        md.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var o in Operations)
            md.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {o.Name} | {o.Listes360.Throughput:N0}{Failures(o.Listes360)} | {o.Listes360.P50Ms:F1} | {o.Listes360.P99Ms:F1} | {o.Peer.Throughput:N0}{Failures(o.Peer)} | {o.Peer.P50Ms:F1} | {o.Peer.P99Ms:F1} | ×{o.Ratio:F2} |"));
        if (Operations.Any(o => o.Cost is not null))
        {
            md.AppendLine();
            md.AppendLine("Coût d'une requête sur la machine pendant la même mesure : temps processeur des processus de chaque serveur (Listes360 : "
                + "le silo et son API, `dotnet`, et l'émulateur Azurite, `node` ; le pair : son API, `dotnet`, et PostgreSQL), lu dans /proc, "
                + "divisé par le nombre de requêtes ; et les requêtes de stockage (Azure Table) de Listes360 par requête, lues sur le `/metrics` du silo "
                + "(`listes360.storage.operations`, hors journal d'audit). Sur Azure, le travail d'Azurite n'est pas sur la machine du service.");
            md.AppendLine();
            md.AppendLine("| opération | Listes360 ms processeur / requête (silo + Azurite) | pair ms processeur / requête | Listes360 requêtes de stockage / requête |");
            md.AppendLine("| --- | ---: | ---: | --- |");
            foreach (var o in Operations.Where(o => o.Cost is not null))
            {
                var c = o.Cost!;
                var silo = c.ListesCpuMsByProcess.Where(x => x.Key != "node").Sum(x => x.Value);
                var azurite = c.ListesCpuMsByProcess.GetValueOrDefault("node");
                md.AppendLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {o.Name} | {c.ListesCpuMs:F1} ({silo:F1} + {azurite:F1}) | {c.PeerCpuMs:F1} | {c.StorageDetail} |"));
            }
        }
        if (Onboarding is { } a)
        {
            md.AppendLine();
            md.AppendLine("| (a) intégration des listes | Listes360 | pair | Listes360 / pair |");
            md.AppendLine("| --- | ---: | ---: | ---: |");
            md.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {a.Rows:N0} lignes, {a.Lists} listes, de bout en bout (génération comprise) | {a.ListesSeconds:F1} s ({a.Rows / a.ListesSeconds:F0} lignes/s) | {a.PeerSeconds:F1} s ({a.Rows / a.PeerSeconds:F0} lignes/s) | ×{a.ListesSeconds / a.PeerSeconds:F1} |"));
            md.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| jusqu'aux décomptes stables (Listes360) | {a.ListesVisibleSeconds:F1} s | — | — |"));
            md.AppendLine();
            md.AppendLine($"Personnes distinctes en attente après intégration : Listes360 {a.ListesWaiting:N0}, pair {a.PeerWaiting:N0}.");
        }
        var path = Path.Combine(root, "bench", "results", "peer.md");
        BenchResults.WriteKeepingReading(path, md.ToString());
        File.WriteAllText(Path.Combine(root, "bench", "results", "peer.json"), JsonSerializer.Serialize(new
        {
            command, department, persons, concurrency, inMemory, durationSeconds = duration.TotalSeconds, machine, loadAtStart,
            onboarding = Onboarding, sequential = Sequential,
            operations = Operations.Select(o => new { o.Name, listes360 = Row(o.Listes360), peer = Row(o.Peer), ratio = o.Ratio, cost = o.Cost }),
        }, new JsonSerializerOptions { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals }));
        Console.WriteLine(md);
    }

    private static object Row(LoadResult r) => new { throughput = r.Throughput, r.P50Ms, r.P99Ms, r.Requests, r.Failures, r.Seconds, r.FirstFailure };

    private static string Failures(LoadResult r) => r.Failures > 0 ? $" ({r.Failures} échecs)" : "";
}
