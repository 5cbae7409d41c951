using System.CommandLine;
using System.Text;
using Listes360.Cli.Commands;
using Listes360.Imports.Persons;

namespace Listes360.Cli.Tests;

public sealed class DedupCommandTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("listes360-cli-");

    public void Dispose() => _dir.Delete(recursive: true);

    private string File(string name, string content, Encoding? encoding = null)
    {
        var path = Path.Combine(_dir.FullName, name);
        System.IO.File.WriteAllText(path, content, encoding ?? new UTF8Encoding(false));
        return path;
    }

    private static (int Code, string Output, string Error) Invoke(params string[] args)
    {
        var root = new RootCommand("test") { DedupCommand.Create() };
        var output = new StringWriter();
        var error = new StringWriter();
        var code = root.Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public void Dedup_reads_several_files_and_writes_every_record_with_its_cluster()
    {
        var first = File("esms1.csv", "identifiant;nom;prénom;date de naissance;n° dossier MDPH\n1;Lefèvre;Hélène;03/04/1987;\n2;Durand;Luc;01/01/1970;61-2010-42\n", TextDecoding.Windows1252);
        var second = File("esms2.csv", "record_id,last_name,first_name,birth_date,mdph_number\nA,LEFEVRE,Helene,1987-04-03,\nB,Durant,Lucas,1970-01-01,61201042\nC,Petit,Anne,1990-05-05,\n");
        var output = Path.Combine(_dir.FullName, "clusters.csv");
        var review = Path.Combine(_dir.FullName, "review.csv");
        var (code, stdout, _) = Invoke("dedup", "--input", first, "--input", second, "--output", output, "--review", review);
        Assert.Equal(0, code);
        Assert.Equal("record_id,cluster_id\n1,P000001\n2,P000002\nA,P000001\nB,P000002\nC,P000003\n", System.IO.File.ReadAllText(output));
        Assert.StartsWith("record_id_1,record_id_2,score,raisons\n", System.IO.File.ReadAllText(review), StringComparison.Ordinal);
        Assert.Contains("Enregistrements lus : 5", stdout);
        Assert.Contains("Paires comparées :", stdout);
        Assert.Contains("par enregistrement", stdout);
        Assert.Contains("Personnes distinctes (clusters) : 3", stdout);
        Assert.Contains("Durée :", stdout);
        Assert.Contains("windows-1252", stdout);
    }

    [Fact]
    public void Dedup_reads_febrl_files()
    {
        var output = Path.Combine(_dir.FullName, "febrl.csv");
        var sample = Path.Combine(Listes360.Testing.RepositoryRoot.Find(), "tests", "Listes360.Imports.Tests", "Data", "febrl-dataset1-sample.csv");
        var (code, stdout, _) = Invoke("dedup", "--input", sample, "--format", "febrl", "--output", output);
        Assert.Equal(0, code);
        Assert.Equal(41, System.IO.File.ReadAllLines(output).Length);
        Assert.Contains("Enregistrements lus : 40", stdout);
    }

    [Fact]
    public void Missing_birth_dates_never_refuse_the_file_and_every_readable_record_is_written()
    {
        // Issue 16: warnings with their line for missing fields, errors only for rows without any name.
        var input = File("liste.csv", "identifiant;nom;prénom;date de naissance;n° dossier MDPH\n" +
                                      "1;Martin;Sophie;1965-13-01;\n" +
                                      "2;Hanon;Tonnin;29/07/1982;61-008143\n" +
                                      "3;HANON;Tonnin;;61008143\n" +
                                      "4;;;01/01/1990;\n" +
                                      "5;Petit;Anne;;\n");
        var output = Path.Combine(_dir.FullName, "out.csv");
        var (code, stdout, stderr) = Invoke("dedup", "--input", input, "--output", output, "--department", "61");
        Assert.Equal(2, code);
        Assert.Equal("record_id,cluster_id\n1,P000001\n2,P000002\n3,P000002\n5,P000003\n", System.IO.File.ReadAllText(output));
        Assert.Contains("Attention : liste.csv, ligne 2 (enregistrement « 1 ») : date de naissance « 1965-13-01 » illisible", stderr);
        Assert.Contains("Attention : liste.csv, ligne 4 (enregistrement « 3 ») : date de naissance manquante", stderr);
        Assert.Contains("Attention : liste.csv, ligne 6 (enregistrement « 5 ») : date de naissance manquante", stderr);
        Assert.Contains("Erreur : liste.csv, ligne 5 (enregistrement « 4 ») : ni nom ni prénom", stderr);
        Assert.Contains("Lignes illisibles écartées : 1", stdout);
        Assert.DoesNotContain("aucun fichier écrit", stderr);
    }

    [Fact]
    public void A_missing_input_file_is_reported_in_french()
    {
        var (code, _, stderr) = Invoke("dedup", "--input", Path.Combine(_dir.FullName, "absent.csv"), "--output", Path.Combine(_dir.FullName, "o.csv"));
        Assert.Equal(1, code);
        Assert.Contains("absent.csv : fichier introuvable", stderr);
    }

    [Fact]
    public void Unknown_format_is_refused_by_the_parser()
    {
        var (code, _, _) = Invoke("dedup", "--input", "x.csv", "--output", "y.csv", "--format", "xlsx");
        Assert.NotEqual(0, code);
    }

    [Fact]
    public void The_development_nir_key_comes_with_a_warning()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var input = File("ok.csv", "id;nom;prenom;ddn;nir\n1;Martin;Luc;1970-01-01;1 70 01 61 123 456\n");
        var code = DedupCommand.Run([new FileInfo(input)], new FileInfo(Path.Combine(_dir.FullName, "o.csv")), Listes360.Imports.Dedup.PersonFileFormat.Csv, null, false, output, error, nirKey: null);
        Assert.Equal(0, code);
        Assert.Contains("LISTES360_NIR_KEY", error.ToString());
        var quiet = new StringWriter();
        DedupCommand.Run([new FileInfo(input)], new FileInfo(Path.Combine(_dir.FullName, "o.csv")), Listes360.Imports.Dedup.PersonFileFormat.Csv, null, false, output, quiet, nirKey: "a-key-long-enough-for-hmac");
        Assert.DoesNotContain("LISTES360_NIR_KEY", quiet.ToString());
    }
}
