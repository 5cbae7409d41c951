using Azure.Data.Tables;
using Listes360.AzureStorage.Backup;
using Listes360.Testing;

namespace Listes360.AzureStorage.Tests;

/// <summary>
/// Which rows a backup of a département takes, read from rows the official provider really wrote
/// (<see cref="StorageHarness"/>), and the export's check that nothing changed while it read.
/// </summary>
[Collection(AzuriteCollectionDefinition.Name)]
public sealed class DepartmentBackupTests(AzuriteFixture azurite)
{
    private static GrainId Grain(string type, string key) => GrainId.Create(GrainType.Create(type), IdSpan.Create(key));

    private static TestState State(string text) => new() { Text = text, Blob = [1, 2, 3] };

    [Fact]
    public async Task Rows_the_provider_wrote_are_classified_by_the_departement_their_key_starts_with()
    {
        var table = AzuriteFixture.UniqueTableName("rows");
        await using var harness = await StorageHarness.StartAsync(azurite.CreateServiceClient(), table);
        var expected = new Dictionary<string, string?>
        {
            ["person/61-4f2a"] = "61",
            ["esms/610000010"] = "61",
            ["ranking/610000010|RESIDENTIAL"] = "61",
            ["rankinghistory/610000010|RESIDENTIAL/3"] = "61",
            ["placeshistory/610000010/12"] = "61",
            ["waitingshard/61-w3"] = "61",
            ["identity/2A"] = "2A",
            ["person/974-abc"] = "974",
            ["esms/2A0000010"] = "2A",
            ["person/14-beef"] = "14",
            ["idempotency/0123456789abcdef0123456789abcdef-fedcba9876543210fedcba9876543210"] = null,
            ["person/61-" + new string('x', 300)] = "61", // hashed tail: the prefix still names it
        };
        foreach (var grain in expected.Keys)
        {
            var slash = grain.IndexOf('/');
            await harness.Storage.WriteStateAsync("state", Grain(grain[..slash], grain[(slash + 1)..]), new TestGrainState<TestState>(State(grain)));
        }
        var rows = new List<TableEntity>();
        await foreach (var row in azurite.CreateServiceClient().GetTableClient(table).QueryAsync<TableEntity>())
            rows.Add(row);

        Assert.Equal(expected.Count, rows.Count);
        var found = rows.ToDictionary(r => DepartmentRows.GrainKeyOfPartition(r.PartitionKey, StorageHarness.ServiceId)!, r => DepartmentRows.DepartmentOfStateRow(r.PartitionKey, StorageHarness.ServiceId));
        foreach (var (grain, department) in expected.Where(e => e.Key.Length < 200))
            Assert.Equal(department, found[grain[(grain.IndexOf('/') + 1)..]]);
        Assert.Equal(expected.Values.Count(d => d == "61"), found.Values.Count(d => d == "61"));
        // Rows of another service id are nobody's.
        Assert.All(rows, r => Assert.Null(DepartmentRows.DepartmentOfStateRow(r.PartitionKey, "other-service")));
    }

    [Fact]
    public void Every_property_type_goes_through_a_backup_line_unchanged()
    {
        var entity = new TableEntity("p", "r")
        {
            ["S"] = "é\n\"x\"", ["B"] = new byte[] { 0, 255, 7 }, ["T"] = true, ["D"] = new DateTimeOffset(2026, 11, 30, 12, 0, 0, 123, TimeSpan.Zero),
            ["F"] = 0.1 + 0.2, ["G"] = Guid.NewGuid(), ["I"] = int.MinValue, ["L"] = long.MaxValue,
        };
        var line = System.Text.Json.JsonSerializer.Serialize(DepartmentRows.ToBackup(entity));
        var back = DepartmentRows.ToEntity(System.Text.Json.JsonSerializer.Deserialize<BackupRow>(line)!);
        foreach (var name in new[] { "S", "T", "D", "F", "G", "I", "L" })
            Assert.Equal(entity[name], back[name]);
        Assert.Equal((byte[])entity["B"], (byte[])back["B"]);
    }

    [Fact]
    public async Task A_row_written_while_the_export_reads_is_taken_in_its_new_version_and_the_round_counted()
    {
        var tables = new BackupSourceTables(AzuriteFixture.UniqueTableName("g"), AzuriteFixture.UniqueTableName("rem"), AzuriteFixture.UniqueTableName("aud"), AzuriteFixture.UniqueTableName("clu"));
        var client = azurite.CreateServiceClient();
        await using var harness = await StorageHarness.StartAsync(client, tables.GrainState);
        for (var i = 0; i < 5; i++)
            await harness.Storage.WriteStateAsync("person", Grain("person", $"61-p{i}"), new TestGrainState<TestState>(State("before")));
        await harness.Storage.WriteStateAsync("person", Grain("person", "14-p0"), new TestGrainState<TestState>(State("calvados")));
        var folder = Path.Combine(Path.GetTempPath(), "listes360-export-" + Guid.NewGuid().ToString("N"));
        // A writer the membership table does not know of writes once the full read is done.
        var progress = new OnFirstLine(async () =>
        {
            var state = new TestGrainState<TestState>(State("before"));
            await harness.Storage.ReadStateAsync("person", Grain("person", "61-p2"), state);
            state.State = State("written during the export");
            await harness.Storage.WriteStateAsync("person", Grain("person", "61-p2"), state);
        });
        try
        {
            var manifest = await new DepartmentExport(new BackupStorage(client, tables, StorageHarness.ServiceId)).RunAsync("61", folder, "test", progress);

            Assert.Equal(2, manifest.Consistency.Rounds);
            Assert.Equal(1, manifest.Consistency.RowsRereadDuringExport);
            Assert.Equal(5, Assert.Single(manifest.Files, f => f.StateName == "person").Rows);
            var backup = await DepartmentRestore.ReadAsync(folder);
            var p2 = Assert.Single(backup.RowsOf(BackupFormat.GrainStateTable), r => r.PartitionKey.EndsWith("61-p2", StringComparison.Ordinal));
            var stored = new List<TableEntity>();
            await foreach (var row in client.GetTableClient(tables.GrainState).QueryAsync<TableEntity>(r => r.PartitionKey == p2.PartitionKey))
                stored.Add(row);
            Assert.Equal(DepartmentRows.ToBackup(Assert.Single(stored)).Properties, p2.Properties);
            // The export is audited on the source.
            await foreach (var entry in client.GetTableClient(tables.Audit).QueryAsync<TableEntity>())
                Assert.Equal("exportDepartment", entry.GetString("Operation"));
        }
        finally
        {
            if (Directory.Exists(folder))
                Directory.Delete(folder, recursive: true);
        }
    }

    private sealed class OnFirstLine(Func<Task> action) : StringWriter
    {
        private bool _done;

        public override async Task WriteLineAsync(string? value)
        {
            await base.WriteLineAsync(value);
            if (!_done)
            {
                _done = true;
                await action();
            }
        }
    }
}
