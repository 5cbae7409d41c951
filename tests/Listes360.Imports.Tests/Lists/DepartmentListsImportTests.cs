using System.Globalization;
using System.Text;
using Listes360.Domain.Registry;
using Listes360.Domain.Security;
using Listes360.Grains.Persons;
using Listes360.Grains.Registry;
using Listes360.Grains.Security;
using Listes360.Imports.Lists;
using NirHasher = Listes360.Domain.Persons.NirHasher;

namespace Listes360.Imports.Tests.Lists;

/// <summary>A département's lists imported together (issue 20), in département 74 so that other tests' persons do not match.</summary>
[Collection(MemoryClusterCollection.Name)]
public sealed class DepartmentListsImportTests(MemoryClusterFixture cluster)
{
    private const string Header = "Nom;Prénom;Date de naissance;N° dossier MDPH;Date de la demande;Modalité;Situation;N° décision CDAPH;Orientation";
    private static readonly NirHasher Hasher = NirHasher.FromText("test-key-for-the-import-tests, long enough");
    private static readonly Caller Admin = new("admin 74", Role.Admin, [], "74", null);
    private static int _next = 300;

    private static DateOnly Today => DateOnly.FromDateTime(MemoryClusterFixture.Clock.Now.UtcDateTime);

    private async Task<FinessNumber> NewMasAsync()
    {
        var finess = FinessNumber.WithKey("74" + Interlocked.Increment(ref _next).ToString("D6", CultureInfo.InvariantCulture));
        using (CallerContext.As(Caller.ServiceItself))
            await cluster.Grains.GetGrain<IEsmsGrain>(finess.Value).RegisterAsync(
                new EsmsRegistrationRequest(finess.Value, "MAS de Haute-Savoie", "255", null, null, null, null, null).ToProfile(), "test");
        return finess;
    }

    private static CandidatureListFile Read(string name, params string[] rows) =>
        CandidatureListReader.Read(Encoding.UTF8.GetBytes(string.Join("\n", [Header, .. rows]) + "\n"), name, Hasher, Today);

    [Fact]
    public async Task Each_file_gets_its_own_report_a_person_on_three_lists_is_written_once_and_a_second_run_changes_nothing()
    {
        var (a, b, c) = (await NewMasAsync(), await NewMasAsync(), await NewMasAsync());
        EsmsListFile[] files =
        [
            new(Read("a.csv", "Favre;Léon;04/05/1966;74-1;01/02/2025;internat;;CDAPH-74-1;", "Mermoud;Ana;30/02/1970;74-2;01/02/2025;internat;;CDAPH-74-2;",
                "Pollet;Iris;11/11/1971;74-3;01/02/2025;internat;;CDAPH-74-3;"), a),
            new(Read("b.csv", "Bochet;Noé;12/12/1962;74-4;01/03/2025;internat;;CDAPH-74-4;", "FAVRE;Leon;04/05/1966;74-1;01/03/2025;internat;;;"), b),
            new(Read("c.csv", "Favre;Léon;04/05/1966;74-1;01/04/2025;internat;;;"), c),
        ];
        var progress = new List<int>();

        var first = await new DepartmentListsImporter(cluster.Grains, Admin, chunkSize: 3).ImportAsync("74", files, p => progress.Add(p.Done));

        Assert.Equal(["a.csv", "b.csv", "c.csv"], first.Select(r => r.Source));
        Assert.Equal([a.Value, b.Value, c.Value], first.Select(r => r.Finess));
        // a.csv: line 3 refused by the reader (30 February), its other rows created.
        Assert.Equal((3, 2, 0, 2), (first[0].RowsRead, first[0].PersonsCreated, first[0].Matched, first[0].CandidaturesCreated));
        Assert.Equal(3, Assert.Single(first[0].Rejected).Line);
        Assert.True((1, 1) == (first[1].PersonsCreated, first[1].Matched), string.Join(" ; ", first.SelectMany(r => r.Rejected)));
        Assert.Equal((0, 1, 1), (first[2].PersonsCreated, first[2].Matched, first[2].CandidaturesCreated));
        // Léon's three rows travel together (chunks of 3: his three rows, then the others) and make one commit.
        Assert.Equal([3, 5], progress);
        using (CallerContext.As(Admin))
        {
            var leon = (await cluster.Grains.GetGrain<IEsmsGrain>(c.Value).GetCandidaturesAsync(true, null, 10)).Items.Single().PersonId;
            var file = await cluster.Grains.GetGrain<IPersonGrain>(leon.Value).GetAsync();
            Assert.Equal(3, file!.Candidatures.Count);
            Assert.Equal(1, file.Version);
            // Delivered before the import answered: each ESMS lists its rows.
            Assert.Equal(2, (await cluster.Grains.GetGrain<IEsmsGrain>(a.Value).GetCandidaturesAsync(true, null, 10)).Items.Count);
            Assert.Equal(2, (await cluster.Grains.GetGrain<IEsmsGrain>(b.Value).GetCandidaturesAsync(true, null, 10)).Items.Count);
        }

        var again = await new DepartmentListsImporter(cluster.Grains, Admin).ImportAsync("74", files);
        Assert.Equal(0, again.Sum(r => r.PersonsCreated + r.CandidaturesCreated));
        Assert.Equal([2, 2, 1], again.Select(r => r.RowsUnchanged));
    }

    [Fact]
    public void Rows_of_one_key_stay_in_one_chunk_in_the_order_keys_first_appear()
    {
        string[] rows = ["x1", "y1", "x2", "z1", "x3", "y2", "w1"];
        var chunks = DepartmentListsImporter.ChunksOfPersons(rows, r => [r[..1]], 4).ToList();
        Assert.Equal([["x1", "x2", "x3"], ["y1", "y2", "z1", "w1"]], chunks);
        // A key with more rows than a chunk holds is cut, never lost.
        Assert.Equal([["x1", "x2"], ["x3"], ["y1", "y2"], ["z1", "w1"]], DepartmentListsImporter.ChunksOfPersons(rows, r => [r[..1]], 2).ToList());
    }

    [Fact]
    public void Rows_tied_through_another_row_travel_together_and_a_key_of_too_many_rows_ties_none()
    {
        // a and c share no key, b shares one with each (a typo in the date, then one in the first name): one group.
        (string Row, string[] Keys)[] rows = [("a", ["PD:1", "DI:1"]), ("x", ["PD:9"]), ("b", ["PD:2", "DI:1"]), ("y", ["PD:8"]), ("c", ["PD:2", "DI:3"])];
        Assert.Equal([["a", "b", "c"], ["x", "y"]], DepartmentListsImporter.ChunksOfPersons(rows, r => r.Keys, 3).Select(c => c.Select(r => r.Row).ToList()).ToList());

        // A key many rows share (a date common to many persons) ties none of them: the rows stay in file order, z second.
        var crowd = Enumerable.Range(0, DepartmentListsImporter.MaxRowsPerLinkingKey + 1).Select(i => ($"r{i}", new[] { "DI:common", $"PD:{i}" })).ToList();
        crowd.Insert(1, ("z", ["PD:z"]));
        var order = DepartmentListsImporter.ChunksOfPersons(crowd, r => r.Item2, 500).SelectMany(c => c).Select(r => r.Item1).ToList();
        Assert.Equal(crowd.Select(r => r.Item1), order);
        // One row fewer and the key ties them: z comes after them all.
        var tied = DepartmentListsImporter.ChunksOfPersons(crowd.Take(crowd.Count - 1).ToList(), r => r.Item2, 500).SelectMany(c => c).Select(r => r.Item1).ToList();
        Assert.Equal("z", tied[^1]);
    }
}
