using Listes360.Domain.Registry;
using Listes360.Domain.Security;
using Listes360.Grains.Department;
using Listes360.Grains.Registry;
using Listes360.Grains.Security;
using Listes360.Imports.Registry;

namespace Listes360.Imports.Tests.Registry;

/// <summary>The importer against the grains, on the in-memory test cluster (grain behaviour only, no durability).</summary>
[Collection(MemoryClusterCollection.Name)]
public sealed class EsmsRegistryImporterTests(MemoryClusterFixture cluster)
{
    private static readonly Caller Admin = new("marie (ligne de commande)", Role.Admin, [], null, null, National: true);

    private static readonly string OrneFile = Path.Combine(Listes360.Testing.RepositoryRoot.Find(), "data", "finess", "finess_esms_ph_orne61_20210108.csv");

    private async Task<Dictionary<string, int>> VersionsAsync(IEnumerable<EsmsFileRow> rows)
    {
        using var _ = CallerContext.As(Admin);
        var versions = new Dictionary<string, int>();
        foreach (var row in rows)
            versions[row.Profile.Finess.Value] = (await cluster.Grains.GetGrain<IEsmsGrain>(row.Profile.Finess.Value).GetAsync())!.Version;
        return versions;
    }

    private async Task<int> CountAsync(string department)
    {
        using var _ = CallerContext.As(Admin);
        return await cluster.Grains.GetGrain<IDepartmentRegistryGrain>(department).CountAsync();
    }

    [Fact]
    public async Task The_orne_registry_is_imported_then_a_second_import_changes_nothing()
    {
        var file = EsmsFileReader.ReadFile(OrneFile);
        var importer = new EsmsRegistryImporter(cluster.Grains, Admin);
        var seen = new List<EsmsImportProgress>();

        var first = await importer.ImportAsync(file, p => { lock (seen) seen.Add(p); });

        Assert.Equal((72, 72, 0, 0), (first.RowsRead, first.Created, first.Updated, first.Unchanged));
        Assert.Empty(first.Rejected);
        Assert.Equal(3, first.OutOfWaitingListScope);
        Assert.Equal(72, seen.Count);
        Assert.Equal(72, seen.Max(p => p.Done));
        Assert.Equal(72, await CountAsync("61"));
        var before = await VersionsAsync(file.Rows);
        Assert.All(before.Values, v => Assert.Equal(1, v));

        var second = await importer.ImportAsync(EsmsFileReader.ReadFile(OrneFile));

        Assert.Equal((72, 0, 0, 72), (second.RowsRead, second.Created, second.Updated, second.Unchanged));
        Assert.Empty(second.Rejected);
        Assert.Equal(72, await CountAsync("61"));
        Assert.Equal(before, await VersionsAsync(file.Rows));
        // The audit says who imported.
        Assert.Contains(MemoryClusterFixture.Audit.Entries, e => e.Subject == Admin.Subject && e.Target == "610002438");
    }

    [Fact]
    public async Task A_changed_row_is_updated_and_only_it()
    {
        const string header = "finess;name;category;postcode;commune\n";
        var importer = new EsmsRegistryImporter(cluster.Grains, Admin);
        var original = EsmsFileReader.Read("""
            finess;name;category;postcode;commune
            140000027;IME du Bessin;183;14400;Bayeux
            140000035;ESAT de Falaise;246;14700;Falaise
            """u8.ToArray(), "calvados.csv");
        await importer.ImportAsync(original);

        var changed = EsmsFileReader.Read(System.Text.Encoding.UTF8.GetBytes(header +
            "140000027;IME du Bessin;183;14400;Bayeux\n140000035;ESAT de la Falaise;246;14700;Falaise\n"), "calvados.csv");
        var report = await importer.ImportAsync(changed);

        Assert.Equal((0, 1, 1), (report.Created, report.Updated, report.Unchanged));
        using var _ = CallerContext.As(Admin);
        var esat = await cluster.Grains.GetGrain<IEsmsGrain>("140000035").GetAsync();
        Assert.Equal(("ESAT de la Falaise", 2), (esat!.Profile.Name, esat.Version));
    }

    [Fact]
    public async Task Rows_rejected_by_the_reader_and_by_the_grains_are_reported_by_line()
    {
        var file = EsmsFileReader.Read("""
            finess;name;category
            350000014;IME de Rennes;183
            35000002X;IME faux;183
            350000030;SESSAD de Vitré;182
            """u8.ToArray(), "ille.csv");
        var director = new Caller("directeur", Role.EsmsDirector, ["350000014"], "35", null);

        var report = await new EsmsRegistryImporter(cluster.Grains, director).ImportAsync(file);

        Assert.Equal(3, report.RowsRead);
        Assert.Equal(0, report.Registered);
        Assert.Equal([2, 3, 4], report.Rejected.Select(e => e.Line));
        Assert.Equal(["FORBIDDEN", "INVALID_FINESS", "FORBIDDEN"], report.Rejected.Select(e => e.Code));
        Assert.Contains("Accès refusé", report.Rejected[0].Message);
    }
}
