using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Listes360.Api.Hosting;
using Listes360.AzureStorage.Audit;
using Listes360.AzureStorage.Backup;
using Listes360.Domain.Registry;
using Listes360.Domain.Security;
using Listes360.Domain.Time;
using Listes360.Grains.Department;
using Listes360.Grains.Grid;
using Listes360.Grains.Persons;
using Listes360.Grains.Registry;
using Listes360.Grains.Security;
using Listes360.Imports.Registry;
using Listes360.Imports.Simulation;
using Listes360.Testing;
using Xunit.Abstractions;
using Orleans.TestingHost;
using NirHasher = Listes360.Domain.Persons.NirHasher;

namespace Listes360.Cli.Tests;

/// <summary>
/// The seeded Orne, on a real Azurite with the production wiring, exported by <c>listes360 export</c>
/// once (service stopped) for the whole class: the round trip and the refusals start from that backup.
/// </summary>
public sealed class SeededOrneBackup : IAsyncLifetime
{
    /// <summary>SIMULATED persons seeded: enough for every ESMS list, every shard and the archives of busy ESMS to hold rows.</summary>
    public const int Persons = 300;

    public AzuriteFixture Azurite { get; } = new();
    public Tables Source { get; } = Tables.Unique("src");
    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "listes360-backup-" + Guid.NewGuid().ToString("N"));
    public OrneSnapshot Original { get; private set; } = null!;
    public TimeSpan SeedTime { get; private set; }
    public TimeSpan ExportTime { get; private set; }
    public string ExportOutput { get; private set; } = "";

    public async Task InitializeAsync()
    {
        await Azurite.InitializeAsync();
        var cluster = await StartSiloAsync(Source);
        try
        {
            var watch = Stopwatch.StartNew();
            var grains = cluster.GrainFactory;
            var rows = OrneReferenceData.Esms.Select((r, i) => new EsmsFileRow(i + 2, EsmsFileReader.ProfileOf(r))).ToList();
            await new EsmsRegistryImporter(grains, Caller.ServiceItself).ImportAsync(rows);
            await DemoSeed.RunAsync(grains, Caller.ServiceItself, Path.Combine(Directory + "-seed"), Persons,
                new NirHasher(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray()), ParisDate.Today(TimeProvider.System), TextWriter.Null);
            SeedTime = watch.Elapsed;
            Original = await OrneSnapshot.ReadAsync(grains);
        }
        finally
        {
            // The service stopped, as export requires.
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
        }
        var export = Stopwatch.StartNew();
        var (code, output) = await RunCliAsync(["export", "--department", "61", .. StorageArgs(Source), Directory]);
        ExportTime = export.Elapsed;
        ExportOutput = output;
        Assert.True(code == 0, $"export a échoué (code {code}) :\n{output}");
    }

    public async Task DisposeAsync()
    {
        await Azurite.DisposeAsync();
        foreach (var folder in new[] { Directory, Directory + "-seed" })
            if (System.IO.Directory.Exists(folder))
                System.IO.Directory.Delete(folder, recursive: true);
    }

    public string[] StorageArgs(Tables tables) =>
        ["--storage", Azurite.ConnectionString, "--grain-table", tables.Grains, "--audit-table", tables.Audit, "--reminders-table", tables.Reminders, "--cluster-table", tables.Cluster];

    /// <summary>A one-silo cluster with the production wiring (<see cref="SiloConfiguration.ConfigureGrains"/>) on these tables.</summary>
    public async Task<TestCluster> StartSiloAsync(Tables tables)
    {
        var builder = new TestClusterBuilder(1);
        builder.Properties["Storage:ConnectionString"] = Azurite.ConnectionString;
        builder.Properties["Storage:TableName"] = tables.Grains;
        builder.Properties["Storage:AuditTableName"] = tables.Audit;
        builder.Properties["Storage:RemindersTableName"] = tables.Reminders;
        builder.Properties["Storage:ClusterTableName"] = tables.Cluster;
        builder.AddSiloBuilderConfigurator<ProductionWiring>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    private sealed class ProductionWiring : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder) => SiloConfiguration.ConfigureGrains(siloBuilder, siloBuilder.Configuration);
    }

    public static async Task<(int Code, string Output)> RunCliAsync(params string[] args)
    {
        await using var cli = CliProcess.Start(args);
        await cli.WaitForExitAsync(TimeSpan.FromMinutes(5));
        // Let the asynchronous output readers drain.
        await Task.Delay(200);
        return (cli.ExitCode, cli.Output);
    }

    /// <summary>Rows of a table (none when it does not exist).</summary>
    public async Task<List<TableEntity>> RowsAsync(string table)
    {
        var rows = new List<TableEntity>();
        try
        {
            await foreach (var row in Azurite.CreateServiceClient().GetTableClient(table).QueryAsync<TableEntity>())
                rows.Add(row);
        }
        catch (Azure.RequestFailedException e) when (e.Status == 404)
        {
        }
        return rows;
    }
}

public sealed record Tables(string Grains, string Audit, string Reminders, string Cluster)
{
    public static Tables Unique(string prefix)
    {
        var id = Guid.NewGuid().ToString("N")[..12];
        return new($"{prefix}grains{id}", $"{prefix}audit{id}", $"{prefix}reminders{id}", $"{prefix}cluster{id}");
    }
}

/// <summary>Every person, ESMS (with its candidatures as the ESMS sees them), ranking and count of the Orne, as JSON read through the grains.</summary>
public sealed record OrneSnapshot(SortedDictionary<string, string> Persons, SortedDictionary<string, string> Esms, SortedDictionary<string, string> Rankings, SortedDictionary<string, string> Counts)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false, Converters = { new SortedDictionaryConverter() } };

    public static async Task<OrneSnapshot> ReadAsync(IGrainFactory grains)
    {
        using var _ = CallerContext.As(Caller.ServiceItself);
        var topology = new DepartmentTopology();
        var persons = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var counts = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var rankingKeys = new SortedSet<string>(StringComparer.Ordinal);
        for (var shard = 0; shard < topology.WaitingShards; shard++)
        {
            var key = DepartmentTopology.ShardKey("61", shard);
            var waiting = grains.GetGrain<IWaitingShardGrain>(key);
            counts[key] = JsonSerializer.Serialize(await waiting.GetCountsAsync(), Json);
            counts[key + " persons"] = (await waiting.CountPersonsAsync()).ToString();
            foreach (var person in await waiting.GetPersonsAsync())
            {
                var snapshot = (await grains.GetGrain<IPersonGrain>(person.Value).GetAsync())!;
                persons[person.Value] = JsonSerializer.Serialize(snapshot, Json);
                foreach (var candidature in snapshot.Candidatures)
                    rankingKeys.Add(RankingKeys.Of(candidature.Finess, candidature.Modality));
            }
        }
        counts["registry"] = (await grains.GetGrain<IDepartmentRegistryGrain>("61").CountAsync()).ToString();
        var esms = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var record in OrneReferenceData.Esms)
        {
            var finess = EsmsFileReader.ProfileOf(record).Finess.Value;
            var grain = grains.GetGrain<IEsmsGrain>(finess);
            var text = new System.Text.StringBuilder(JsonSerializer.Serialize(await grain.GetAsync(), Json));
            string? after = null;
            do
            {
                var page = await grain.GetCandidaturesAsync(false, after, 200);
                text.Append(JsonSerializer.Serialize(page, Json));
                after = page.HasNextPage ? page.EndCursor : null;
            }
            while (after is not null);
            esms[finess] = text.ToString();
        }
        var rankings = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var today = ParisDate.Today(TimeProvider.System);
        foreach (var key in rankingKeys)
            rankings[key] = JsonSerializer.Serialize(await grains.GetGrain<IRankingGrain>(key).GetAsync(today), Json);
        return new(persons, esms, rankings, counts);
    }
}

public sealed class BackupRestoreTests(SeededOrneBackup backup, ITestOutputHelper log) : IClassFixture<SeededOrneBackup>
{
    private BackupManifest Manifest => JsonSerializer.Deserialize<BackupManifest>(File.ReadAllText(Path.Combine(backup.Directory, "manifest.json")), new JsonSerializerOptions(JsonSerializerDefaults.Web))!;

    [Fact]
    public async Task A_restore_in_transactions_of_one_partition_writes_exactly_the_rows_a_restore_row_by_row_writes()
    {
        var client = backup.Azurite.CreateServiceClient();
        var times = new List<string>();
        var restored = new List<Dictionary<string, List<string>>>();
        foreach (var (how, max) in new[] { ("une ligne par requête (avant)", 1), ("par transactions de 100 (après)", DepartmentRestore.MaxTransactionEntities) })
        {
            var target = Tables.Unique(max == 1 ? "one" : "batch");
            var progress = new StringWriter();
            var watch = Stopwatch.StartNew();
            var report = await new DepartmentRestore(client, new BackupSourceTables(target.Grains, target.Reminders, target.Audit, target.Cluster)) { MaxBatch = max }
                .RunAsync(backup.Directory, replaceExisting: false, "test", progress);
            times.Add($"{how} : {watch.Elapsed.TotalSeconds:0.00} s ({report.GrainStates} états, {report.Reminders} rappels, {report.AuditEntries} entrées d'audit ; {progress.ToString().Replace(Environment.NewLine, " ", StringComparison.Ordinal)})");
            Assert.Equal(0, report.AuditEntriesAlreadyThere);
            var tables = new Dictionary<string, List<string>>();
            foreach (var (name, table) in new[] { ("grains", target.Grains), ("reminders", target.Reminders), ("audit", target.Audit) })
                tables[name] = (await backup.RowsAsync(table))
                    .Where(e => e.GetString("Operation") != "restoreDepartment")
                    .Select(e => e.PartitionKey + "|" + e.RowKey + "|" + string.Join(",", e.Keys.Where(k => k is not ("odata.etag" or "Timestamp")).Order(StringComparer.Ordinal)
                        .Select(k => k + "=" + (e[k] is byte[] b ? Convert.ToBase64String(b) : Convert.ToString(e[k], System.Globalization.CultureInfo.InvariantCulture)))))
                    .Order(StringComparer.Ordinal).ToList();
            restored.Add(tables);
        }
        Assert.True(restored[0]["grains"].Count > 0 && restored[0]["audit"].Count > 0);
        foreach (var name in restored[0].Keys)
            Assert.Equal(restored[0][name], restored[1][name]);
        log.WriteLine($"Restauration de la même sauvegarde (Orne SIMULÉE, {SeededOrneBackup.Persons} personnes) dans deux stockages vides :{Environment.NewLine}{string.Join(Environment.NewLine, times)}");
    }

    [Fact]
    public async Task The_seeded_Orne_exported_then_restored_into_an_empty_storage_reads_the_same_through_the_grains()
    {
        var target = Tables.Unique("dst");
        var watch = Stopwatch.StartNew();
        var (code, output) = await SeededOrneBackup.RunCliAsync(["restore", .. backup.StorageArgs(target), backup.Directory]);
        var restoreTime = watch.Elapsed;
        Assert.True(code == 0, output);

        // The manifest says what was exported, and each state kind is there.
        var manifest = Manifest;
        Assert.Equal("61", manifest.Department);
        Assert.Equal(BackupFormat.Version, manifest.FormatVersion);
        var states = manifest.Files.Where(f => f.Table == BackupFormat.GrainStateTable).ToDictionary(f => f.StateName!, f => f.Rows);
        Assert.Equal(backup.Original.Persons.Count, states["person"]);
        Assert.Equal(OrneReferenceData.Esms.Count, states["esms"]);
        Assert.True(new[] { "waiting", "ranking", "identity-shard", "registry" }.All(s => states.GetValueOrDefault(s) > 0), string.Join(", ", states));
        Assert.True(manifest.Files.Single(f => f.Table == BackupFormat.AuditTable).Rows > 0);

        var cluster = await backup.StartSiloAsync(target);
        OrneSnapshot restored;
        try
        {
            restored = await OrneSnapshot.ReadAsync(cluster.GrainFactory);
        }
        finally
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
        }
        Assert.True(backup.Original.Persons.Count >= SeededOrneBackup.Persons * 9 / 10, $"{backup.Original.Persons.Count} personnes lues");
        AssertSame(backup.Original.Persons, restored.Persons, "personne");
        AssertSame(backup.Original.Esms, restored.Esms, "ESMS");
        AssertSame(backup.Original.Rankings, restored.Rankings, "classement");
        AssertSame(backup.Original.Counts, restored.Counts, "compte");

        // The restore is in the target's audit trail, and every audit entry of the backup too.
        var audit = await backup.RowsAsync(target.Audit);
        var restore = Assert.Single(audit, e => e.GetString("Operation") == "restoreDepartment");
        Assert.Equal("61", restore.GetString("Target"));
        // (The reads above are audited too: the target holds more entries than the backup.)
        var restoredKeys = audit.Select(e => (e.PartitionKey, e.RowKey)).ToHashSet();
        var backedUp = File.ReadAllLines(Path.Combine(backup.Directory, "audit.ndjson")).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal(manifest.Files.Single(f => f.Table == BackupFormat.AuditTable).Rows, backedUp.Count);
        Assert.All(backedUp, e => Assert.Contains(((string)e["partitionKey"]!, (string)e["rowKey"]!), restoredKeys));
        // And the export is in the source's, after the backup's as-of (so not in the backup).
        Assert.Contains(await backup.RowsAsync(backup.Source.Audit), e => e.GetString("Operation") == "exportDepartment");

        log.WriteLine($"États sauvegardés : {string.Join(", ", states)}.");
        log.WriteLine($"Orne SIMULÉE, {SeededOrneBackup.Persons} personnes : seed {backup.SeedTime.TotalSeconds:0.0} s, export {backup.ExportTime.TotalSeconds:0.0} s, restore {restoreTime.TotalSeconds:0.0} s (processus listes360 compris).\n{backup.ExportOutput}\n{output}");
    }

    [Fact]
    public async Task A_file_whose_checksum_does_not_match_is_refused_before_any_write()
    {
        var copy = Copy();
        var person = Path.Combine(copy, "grain-state", "person.ndjson");
        var bytes = File.ReadAllBytes(person);
        bytes[bytes.Length / 2] ^= 0x01;
        File.WriteAllBytes(person, bytes);
        var target = Tables.Unique("bad");

        var (code, output) = await SeededOrneBackup.RunCliAsync(["restore", .. backup.StorageArgs(target), copy]);

        Assert.Equal(1, code);
        Assert.Contains("grain-state/person.ndjson ne correspond pas à son empreinte", output);
        Assert.Contains("rien n'a été écrit", output);
        await AssertNothingWrittenAsync(target);
    }

    [Fact]
    public async Task An_unknown_format_version_is_refused_before_any_write()
    {
        var copy = Copy();
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(copy, "manifest.json")))!;
        manifest["formatVersion"] = 2;
        File.WriteAllText(Path.Combine(copy, "manifest.json"), manifest.ToJsonString());
        var target = Tables.Unique("ver");

        var (code, output) = await SeededOrneBackup.RunCliAsync(["restore", .. backup.StorageArgs(target), copy]);

        Assert.Equal(1, code);
        Assert.Contains("version de format 2 inconnue : cette version de listes360 lit la version 1 seulement", output);
        await AssertNothingWrittenAsync(target);
    }

    [Fact]
    public async Task A_target_already_holding_the_department_is_refused_unless_told_to_replace()
    {
        // The source itself holds the Orne.
        var before = await backup.RowsAsync(backup.Source.Grains);

        var (code, output) = await SeededOrneBackup.RunCliAsync(["restore", .. backup.StorageArgs(backup.Source), backup.Directory]);

        Assert.Equal(1, code);
        Assert.Contains("contient déjà des données du département 61", output);
        Assert.Contains("--replace-existing", output);
        var after = await backup.RowsAsync(backup.Source.Grains);
        Assert.Equal(before.Select(r => (r.PartitionKey, r.RowKey, r.ETag)).OrderBy(r => r.PartitionKey + r.RowKey),
            after.Select(r => (r.PartitionKey, r.RowKey, r.ETag)).OrderBy(r => r.PartitionKey + r.RowKey));

        // Told to, it replaces: a row of the département the backup does not hold is deleted, the others written back.
        var extra = new TableEntity("listes360_person_61-extra", "person") { ["Data"] = new byte[] { 1 } };
        await backup.Azurite.CreateServiceClient().GetTableClient(backup.Source.Grains).AddEntityAsync(extra);
        var (replaced, replaceOutput) = await SeededOrneBackup.RunCliAsync(["restore", "--replace-existing", .. backup.StorageArgs(backup.Source), backup.Directory]);
        Assert.True(replaced == 0, replaceOutput);
        var rows = await backup.RowsAsync(backup.Source.Grains);
        Assert.DoesNotContain(rows, r => r.PartitionKey == extra.PartitionKey);
        Assert.Equal(before.Count, rows.Count);
    }

    [Fact]
    public async Task Export_is_refused_while_a_silo_runs_on_the_storage()
    {
        var tables = Tables.Unique("run");
        var cluster = backup.Azurite.CreateServiceClient().GetTableClient(tables.Cluster);
        await cluster.CreateIfNotExistsAsync();
        await cluster.AddEntityAsync(new TableEntity("listes360", "127.0.0.1-11111-1") { ["Status"] = "Active", ["Address"] = "127.0.0.1", ["Port"] = "11111" });
        var folder = Path.Combine(Path.GetTempPath(), "listes360-backup-" + Guid.NewGuid().ToString("N"));

        var (code, output) = await SeededOrneBackup.RunCliAsync(["export", "--department", "61", .. backup.StorageArgs(tables), folder]);

        Assert.Equal(1, code);
        Assert.Contains("1 silo(s) Listes360 tournent sur ce stockage (127.0.0.1:11111", output);
        Assert.False(Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any());
    }

    [Fact]
    public async Task The_storage_is_never_implied()
    {
        var (code, output) = await SeededOrneBackup.RunCliAsync("restore", backup.Directory);

        Assert.NotEqual(0, code);
        Assert.Contains("--storage", output);
    }

    private async Task AssertNothingWrittenAsync(Tables target)
    {
        foreach (var table in new[] { target.Grains, target.Audit, target.Reminders })
            Assert.Empty(await backup.RowsAsync(table));
    }

    private string Copy()
    {
        var copy = backup.Directory + "-copy-" + Guid.NewGuid().ToString("N")[..8];
        foreach (var file in Directory.EnumerateFiles(backup.Directory, "*", SearchOption.AllDirectories))
        {
            var to = Path.Combine(copy, Path.GetRelativePath(backup.Directory, file));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }
        return copy;
    }

    private static void AssertSame(SortedDictionary<string, string> expected, SortedDictionary<string, string> actual, string what)
    {
        Assert.Equal(expected.Keys, actual.Keys);
        foreach (var (key, value) in expected)
            Assert.True(value == actual[key], $"{what} {key} diffère après restauration :\n  avant : {value}\n  après : {actual[key]}");
    }
}

/// <summary>
/// Writes any dictionary as an array of {k, v} sorted by the key's JSON: keys of any type (records
/// included), and the same text whatever order the dictionary was filled in. Write only.
/// </summary>
internal sealed class SortedDictionaryConverter : System.Text.Json.Serialization.JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => PairType(typeToConvert) is not null
        && typeToConvert.GetInterfaces().Append(typeToConvert).Any(i => i.IsGenericType && i.GetGenericTypeDefinition() is var d && (d == typeof(IDictionary<,>) || d == typeof(IReadOnlyDictionary<,>)));

    public override System.Text.Json.Serialization.JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options)
    {
        var pair = PairType(typeToConvert)!.GetGenericArguments();
        return (System.Text.Json.Serialization.JsonConverter)Activator.CreateInstance(typeof(Writer<,,>).MakeGenericType(typeToConvert, pair[0], pair[1]))!;
    }

    private static Type? PairType(Type type) => type.GetInterfaces().Append(type)
        .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))
        .Select(i => i.GetGenericArguments()[0])
        .FirstOrDefault(e => e.IsGenericType && e.GetGenericTypeDefinition() == typeof(KeyValuePair<,>));

    private sealed class Writer<TDictionary, TKey, TValue> : System.Text.Json.Serialization.JsonConverter<TDictionary>
    {
        public override TDictionary Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => throw new NotSupportedException();

        public override void Write(Utf8JsonWriter writer, TDictionary value, JsonSerializerOptions options)
        {
            writer.WriteStartArray();
            foreach (var (key, item) in ((IEnumerable<KeyValuePair<TKey, TValue>>)value!).Select(p => (JsonSerializer.Serialize(p.Key, options), p.Value)).OrderBy(p => p.Item1, StringComparer.Ordinal))
            {
                writer.WriteStartObject();
                writer.WritePropertyName("k");
                writer.WriteRawValue(key);
                writer.WritePropertyName("v");
                JsonSerializer.Serialize(writer, item, options);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        }
    }
}
