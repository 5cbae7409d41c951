using System.Text;
using Listes360.Domain.Identity;
using Listes360.Domain.Identity.Records;
using Listes360.Imports.Dedup;
using Listes360.Imports.Persons;
using Listes360.Imports.Simulation;
using NirHasher = Listes360.Domain.Persons.NirHasher;

namespace Listes360.Imports.Tests;

public class FebrlAndGeneratorTests
{
    private static readonly NirHasher Hasher = NirHasher.FromText("test-key-for-the-import-tests, long enough");
    private static string SamplePath => Path.Combine(AppContext.BaseDirectory, "Data", "febrl-dataset1-sample.csv");

    internal static (double Precision, double Recall, double F1) PairwiseF1(IReadOnlyList<string> clusters, IReadOnlyList<string> truth)
    {
        static long Pairs(long k) => k * (k - 1) / 2;
        var predicted = clusters.GroupBy(c => c).Sum(g => Pairs(g.Count()));
        var actual = truth.GroupBy(t => t).Sum(g => Pairs(g.Count()));
        var both = Enumerable.Range(0, clusters.Count).GroupBy(i => (clusters[i], truth[i])).Sum(g => Pairs(g.Count()));
        var precision = predicted == 0 ? 1 : (double)both / predicted;
        var recall = actual == 0 ? 1 : (double)both / actual;
        return (precision, recall, precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall));
    }

    [Fact]
    public void Febrl_sample_is_read_with_its_truth()
    {
        var file = FebrlReader.ReadFile(SamplePath, Hasher);
        Assert.Empty(file.Errors);
        Assert.Equal(40, file.Records.Count);
        Assert.NotNull(file.TruthIds);
        Assert.Equal(20, file.TruthIds.Distinct().Count());
        var first = file.Records[0];
        Assert.Equal("rec-223-org", first.RecordId);
        Assert.Equal("waller", first.LastName);
        Assert.Null(first.FirstName);
        Assert.Equal("19081209", first.BirthDate);
        Assert.Equal("4011", first.Postcode);
        Assert.Equal("6 tullaroop street willaroo", first.Address);
        Assert.Equal(Hasher.Hash("6988048"), first.NirHash);
        Assert.Equal("223", file.TruthIds![0]);
    }

    [Fact]
    public void Febrl_sample_is_deduplicated()
    {
        var file = FebrlReader.ReadFile(SamplePath, Hasher);
        var result = Deduplicator.Run(file.Records);
        var (precision, recall, _) = PairwiseF1(result.ClusterIds, file.TruthIds!);
        Assert.Equal(1.0, precision);
        Assert.True(recall >= 0.9, $"recall {recall}");
    }

    [Fact]
    public void Bad_febrl_ids_are_reported()
    {
        var file = FebrlReader.Read("rec_id, given_name, surname, street_number, address_1, address_2, suburb, postcode, state, date_of_birth, soc_sec_id\n" +
                                    "rec-1-org, a, b, 1, x, y, z, 2000, nsw, 19800101, 1\nrecord-2, a, b, 1, x, y, z, 2000, nsw, 19800101, 1\n", "f.csv", Hasher);
        var error = Assert.Single(file.Errors);
        Assert.Equal(3, error.Line);
        Assert.Single(file.Records);
    }

    [Fact]
    public void Generator_is_seeded_and_varied()
    {
        var a = new FrenchPersonGenerator(42).Generate(200);
        var b = new FrenchPersonGenerator(42).Generate(200);
        var c = new FrenchPersonGenerator(43).Generate(200);
        Assert.Equal(a, b);
        Assert.NotEqual(a.Select(r => r.LastName), c.Select(r => r.LastName));
        Assert.True(a.Count > 400 && a.Count < 1200, $"{a.Count} rows");
        Assert.True(a.Select(r => r.PersonId).Distinct().Count() >= 200);
        Assert.Contains(a, r => r.LastName.Contains("épouse", StringComparison.OrdinalIgnoreCase) || r.LastName.Contains("née", StringComparison.OrdinalIgnoreCase) || r.LastName.Contains("ép.", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(a, r => r.MdphNumber is null);
        Assert.All(a, r => Assert.True(BirthDates.IsCanonical(r.BirthDate)));
    }

    [Fact]
    public void Generator_can_hit_an_exact_number_of_rows()
    {
        var rows = new FrenchPersonGenerator(3).Generate(100, records: 400);
        Assert.Equal(400, rows.Count);
        Assert.Equal(100, rows.Select(r => r.PersonId).Distinct().Count());
        Assert.All(rows.GroupBy(r => r.PersonId), g => Assert.InRange(g.Count(), 1, 7));
    }

    [Fact]
    public void End_to_end_f1_on_a_generated_set()
    {
        var rows = new FrenchPersonGenerator(2024).Generate(600);
        var records = rows.Select(r => r.ToRecord(Hasher)).ToList();
        var result = Deduplicator.Run(records);
        var (precision, recall, f1) = PairwiseF1(result.ClusterIds, rows.Select(r => r.PersonId.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList());
        Assert.True(f1 >= 0.98, $"P={precision} R={recall} F1={f1}");
        Assert.True(result.PairsCompared < 50L * records.Count);
    }

    [Fact]
    public void Simulated_csv_round_trips_through_the_reader()
    {
        var rows = new FrenchPersonGenerator(7).Generate(50);
        var bytes = SimulatedCsvWriter.ToBytes(rows, TextDecoding.Windows1252);
        var file = PersonCsvReader.Read(bytes, "persons-source=simulated.csv", Hasher, new DateOnly(2026, 11, 23));
        Assert.Empty(file.Errors);
        Assert.Equal("windows-1252", file.EncodingName);
        Assert.Equal(rows.Select(r => r.ToRecord(Hasher)), file.Records);
    }

    [Fact]
    public void Dedup_job_writes_one_line_per_record_and_qualifies_colliding_ids()
    {
        var dir = Directory.CreateTempSubdirectory("listes360-dedup-");
        try
        {
            var first = Path.Combine(dir.FullName, "esms1.csv");
            var second = Path.Combine(dir.FullName, "esms2.csv");
            File.WriteAllText(first, "identifiant;nom;prénom;date de naissance\n1;Martin;Sophie;12/09/1965\n2;Durand;Luc;01/01/1970\n", new UTF8Encoding(false));
            File.WriteAllText(second, "record_id,last_name,first_name,birth_date\n1,MARTIN,Sophie,1965-09-12\n9,Petit,Anne,1990-05-05\n", new UTF8Encoding(false));
            var job = DedupJob.Run([first, second], PersonFileFormat.Csv, Hasher);
            Assert.False(job.HasErrors);
            Assert.Single(job.Warnings);
            using var text = new StringWriter();
            DedupJob.WriteClusters(job, text);
            Assert.Equal("record_id,cluster_id\nesms1.csv:1,P000001\n2,P000002\nesms2.csv:1,P000001\n9,P000003\n", text.ToString());
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Dedup_job_never_refuses_a_file_for_missing_birth_dates()
    {
        var dir = Directory.CreateTempSubdirectory("listes360-dedup-");
        try
        {
            // Issue 16: missing or unreadable birth dates are warnings with their line; every record gets a cluster.
            var path = Path.Combine(dir.FullName, "esms.csv");
            File.WriteAllText(path, "identifiant;nom;prénom;date de naissance;n° dossier MDPH;code postal\n" +
                                    "1;Martin;Sophie;12/13/1965;;61000\n" +
                                    "2;Durand;Luc;01/01/1970;61-012345;61000\n" +
                                    "3;DURAND;Luc;;012345;61100\n" +
                                    "4;Martin;Sophie;12/09/1965;;61000\n" +
                                    "5;;;01/01/1980;;61000\n" +
                                    "6;Petit;Anne;;;61000\n");
            var job = DedupJob.Run([path], PersonFileFormat.Csv, Hasher);
            Assert.NotNull(job.Result);
            Assert.Equal(["1", "2", "3", "4", "6"], job.RecordIds);
            Assert.Equal(5, job.Result.ClusterIds.Count);
            Assert.Equal(job.Result.ClusterIds[1], job.Result.ClusterIds[2]); // no date, same MDPH number in another notation
            Assert.NotEqual(job.Result.ClusterIds[0], job.Result.ClusterIds[3]); // no date and no key: review at most
            Assert.Contains(job.Result.ReviewPairs, p => p.FirstRecordId == "1" && p.SecondRecordId == "4");
            var error = Assert.Single(job.Errors);
            Assert.Equal((6, "MISSING_NAME"), (error.Line, error.Code));
            Assert.Contains(job.Warnings, w => w.Contains("ligne 2", StringComparison.Ordinal) && w.Contains("12/13/1965", StringComparison.Ordinal));
            Assert.Contains(job.Warnings, w => w.Contains("ligne 4", StringComparison.Ordinal) && w.Contains("date de naissance manquante", StringComparison.Ordinal));
            Assert.Contains(job.Warnings, w => w.Contains("ligne 7", StringComparison.Ordinal) && w.Contains("date de naissance manquante", StringComparison.Ordinal));
            Assert.Contains(job.Warnings, w => w.StartsWith("3 enregistrement(s) sans date de naissance", StringComparison.Ordinal));
            using var text = new StringWriter();
            DedupJob.WriteClusters(job, text);
            Assert.Equal(6, text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
