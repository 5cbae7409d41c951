using System.CommandLine;
using System.Globalization;
using System.Text;
using Listes360.Domain.Identity.Records;
using Listes360.Imports.Dedup;
using NirHasher = Listes360.Domain.Persons.NirHasher;

namespace Listes360.Cli.Commands;

/// <summary>
/// <c>listes360 dedup --input FILE [--input FILE2 …] --output clusters.csv [--format csv|febrl]
/// [--review review.csv] [--skip-invalid]</c>: one cluster (one person) per group of records.
/// The NIR column is hashed with the key of <c>LISTES360_NIR_KEY</c> (a fixed development key, with a
/// warning, when unset) and never written anywhere.
/// </summary>
public static class DedupCommand
{
    public const string NirKeyVariable = "LISTES360_NIR_KEY";
    private const string DevelopmentKey = "listes360-development-key-do-not-use-in-production";

    public static Command Create()
    {
        var input = new Option<FileInfo[]>("--input", "-i")
        {
            Description = "Fichier(s) de personnes à dédupliquer (option répétable).",
            Required = true,
            Arity = ArgumentArity.OneOrMore,
        };
        var output = new Option<FileInfo>("--output", "-o")
        {
            Description = "Fichier CSV écrit : record_id,cluster_id pour chaque enregistrement lu.",
            Required = true,
        };
        var format = new Option<string>("--format")
        {
            Description = "Format des fichiers : csv (colonnes record_id, last_name… ou leurs noms français) ou febrl.",
            DefaultValueFactory = _ => "csv",
        };
        format.AcceptOnlyFromAmong("csv", "febrl");
        var review = new Option<FileInfo?>("--review")
        {
            Description = "Fichier CSV des paires à vérifier par le référent MDPH (zone grise), avec les raisons.",
        };
        var skipInvalid = new Option<bool>("--skip-invalid")
        {
            Description = "Sans effet (gardé pour compatibilité) : les lignes illisibles sont toujours listées et écartées, les autres toujours traitées.",
        };
        var department = new Option<string?>("--department")
        {
            Description = "Département des listes (par ex. 61) : lit les n° de dossier MDPH écrits avec le département accolé (61012345).",
        };
        var command = new Command("dedup", "Déduplique des listes de personnes : une personne, un identifiant (cluster_id).")
        {
            input, output, format, review, skipInvalid, department,
        };
        command.SetAction(parseResult => Run(
            parseResult.GetRequiredValue(input),
            parseResult.GetRequiredValue(output),
            parseResult.GetValue(format) == "febrl" ? PersonFileFormat.Febrl : PersonFileFormat.Csv,
            parseResult.GetValue(review),
            parseResult.GetValue(skipInvalid),
            parseResult.InvocationConfiguration.Output,
            parseResult.InvocationConfiguration.Error,
            Environment.GetEnvironmentVariable(NirKeyVariable),
            parseResult.GetValue(department)));
        return command;
    }

    /// <summary>
    /// The action, callable from tests. Returns the exit code: 0 done (every readable record written),
    /// 2 done but unreadable rows were left out, 1 nothing written (a file could not be read at all).
    /// </summary>
    public static int Run(IReadOnlyList<FileInfo> inputs, FileInfo output, PersonFileFormat format, FileInfo? review, bool skipInvalid,
        TextWriter stdout, TextWriter stderr, string? nirKey, string? department = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        var fr = CultureInfo.GetCultureInfo("fr-FR");
        if (string.IsNullOrEmpty(nirKey))
        {
            stderr.WriteLine($"Attention : {NirKeyVariable} n'est pas défini ; les NIR sont hachés avec une clé de développement fixe (à ne pas utiliser en production).");
            nirKey = DevelopmentKey;
        }
        NirHasher hasher;
        try
        {
            hasher = NirHasher.FromText(nirKey);
        }
        catch (Domain.DomainException e)
        {
            stderr.WriteLine($"Erreur : {e.Message}");
            return 1;
        }

        var job = DedupJob.Run(inputs.Select(i => i.FullName).ToList(), format, hasher, skipInvalid, department: department);
        foreach (var error in job.Errors) stderr.WriteLine($"Erreur : {error}");
        foreach (var warning in job.Warnings) stderr.WriteLine($"Attention : {warning}");
        if (job.Result is null)
        {
            stderr.WriteLine($"{job.Errors.Count} erreur(s) : un fichier n'a pas pu être lu, aucun fichier écrit.");
            return 1;
        }

        using (var writer = new StreamWriter(output.FullName, append: false, new UTF8Encoding(false)))
        {
            DedupJob.WriteClusters(job, writer);
        }
        if (review is not null)
        {
            using var writer = new StreamWriter(review.FullName, append: false, new UTF8Encoding(false));
            DedupJob.WriteReview(job, writer);
        }

        var result = job.Result;
        foreach (var file in job.Files)
        {
            stdout.WriteLine(string.Format(fr, "{0} : {1:N0} enregistrement(s) lu(s) ({2}, séparateur « {3} »)", file.Source, file.Records.Count, file.EncodingName, file.Delimiter == '\t' ? "tabulation" : file.Delimiter));
        }
        stdout.WriteLine(string.Format(fr, "Enregistrements lus : {0:N0}", result.ClusterIds.Count));
        stdout.WriteLine(string.Format(fr, "Paires comparées : {0:N0} ({1:N1} par enregistrement)", result.PairsCompared, result.PairsPerRecord));
        stdout.WriteLine(string.Format(fr, "Personnes distinctes (clusters) : {0:N0}", result.Clusters));
        stdout.WriteLine(string.Format(fr, "Paires à vérifier (zone grise) : {0:N0}{1}", result.ReviewPairs.Count, review is null ? " (--review pour les écrire)" : $" → {review.Name}"));
        stdout.WriteLine(string.Format(fr, "Durée : {0:N2} s", result.Elapsed.TotalSeconds));
        stdout.WriteLine($"Résultat écrit : {output.FullName}");
        if (job.Errors.Count > 0)
        {
            stdout.WriteLine(string.Format(fr, "Lignes illisibles écartées : {0:N0} (listées ci-dessus avec leur numéro de ligne)", job.Errors.Count));
            return 2;
        }
        return 0;
    }
}
