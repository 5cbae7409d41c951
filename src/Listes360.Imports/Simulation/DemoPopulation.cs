using System.Globalization;
using System.Text;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;
using Listes360.Imports.Persons;

namespace Listes360.Imports.Simulation;

/// <summary>One SIMULATED ESMS export: the file name and its bytes.</summary>
public sealed record SimulatedList(FinessNumber Finess, string FileName, byte[] Content, int Rows);

/// <summary>
/// The SIMULATED population of the demo département (source=simulated: no row is a real person): from
/// the real registry's ESMS, persons from <see cref="FrenchPersonGenerator"/> (French names, the
/// spelling variants of real lists), each on 1 to 5 lists of ESMS that fit their age, with a CDAPH
/// decision of the ESMS's kind, a modality the ESMS offers, one situation, and a request date in the
/// last four years. Each ESMS's list is written the way that ESMS would export it: <c>;</c> or <c>,</c>,
/// UTF-8 or Windows-1252, dates JJ/MM/AAAA or AAAA-MM-JJ, headers worded one way or another. Seeded:
/// the same seed gives the same files, so re-importing them changes nothing.
/// </summary>
public static class DemoPopulation
{
    public const int DefaultSeed = 61_2021;

    private static readonly string[][] Headers =
    [
        ["Nom", "Prénom", "Date de naissance", "Nom de naissance", "N° dossier MDPH", "NIR", "Code postal", "Commune", "Date de la demande", "Modalité", "Situation", "N° décision CDAPH", "Orientation", "Début de validité", "Fin de validité", "source"],
        ["NOM D'USAGE", "PRENOMS", "Né(e) le", "Nom de jeune fille", "Numéro dossier MDPH", "NSS", "CP", "Ville", "Date d'inscription", "Mode d'accueil", "Situation actuelle", "Décision CDAPH", "Type d'orientation", "Date de décision", "Fin validité", "source"],
    ];

    private static readonly string[] ModalityWords = ["", "internat", "semi-internat", "externat", "accueil temporaire", "accueil séquentiel", "milieu ordinaire"];

    public static IReadOnlyList<SimulatedList> Generate(IReadOnlyList<EsmsProfile> registry, int persons, DateOnly today, int seed = DefaultSeed)
    {
        var esms = registry.Where(e => e.Kind.Info().InWaitingListScope).OrderBy(e => e.Finess.Value, StringComparer.Ordinal).ToList();
        var lists = esms.ToDictionary(e => e.Finess, _ => new List<string[]>());
        if (persons <= 0 || esms.Count == 0)
            return [];
        var random = new Random(seed);
        var department = esms[0].Finess.Department;
        var rows = new FrenchPersonGenerator(seed, new SimulationOptions { MeanRecordsPerPerson = 2.5 }).Generate(persons);
        foreach (var person in rows.GroupBy(r => r.PersonId).OrderBy(g => g.Key))
        {
            var variants = person.Take(5).ToList();
            var birth = DateOnly.ParseExact(variants[0].BirthDate, "yyyyMMdd", CultureInfo.InvariantCulture);
            var age = Age.InYears(birth, today);
            var fitting = esms.Where(e => e.AgeRange.Contains(age)).OrderBy(_ => random.Next()).Take(variants.Count).ToList();
            var situation = SituationFor(age, random);
            var decisions = new Dictionary<KindOfSupport, (string Reference, DateOnly From)>();
            for (var k = 0; k < fitting.Count; k++)
            {
                var profile = fitting[k];
                var row = variants[k];
                if (!decisions.TryGetValue(profile.Kind, out var decision))
                {
                    var from = today.AddDays(-random.Next(30, 4 * 365));
                    decision = decisions[profile.Kind] = ($"CDAPH-{department}-{from:yyyy}-{random.Next(100_000):D5}", from < birth ? birth : from);
                }
                var modality = profile.Modalities[random.Next(profile.Modalities.Length)];
                var request = decision.From.AddDays(random.Next(0, Math.Max(1, today.DayNumber - decision.From.DayNumber)));
                lists[profile.Finess].Add(
                [
                    row.LastName, row.FirstName, row.BirthDate, row.BirthName ?? "", row.MdphNumber ?? "", row.Nir ?? "",
                    row.Postcode ?? "", row.Commune ?? "", request.ToString("yyyyMMdd", CultureInfo.InvariantCulture),
                    ModalityWords[(int)modality], situation, decision.Reference, profile.Kind.Info().Code,
                    decision.From.ToString("yyyyMMdd", CultureInfo.InvariantCulture), decision.From.AddYears(5).ToString("yyyyMMdd", CultureInfo.InvariantCulture), "simulated",
                ]);
            }
        }
        return esms.Select((e, i) => Write(e, i, lists[e.Finess])).Where(l => l.Rows > 0).ToList();
    }

    private static SimulatedList Write(EsmsProfile esms, int index, List<string[]> rows)
    {
        // Each ESMS its own habits: separator, encoding, date format, header wording.
        var separator = index % 3 == 0 ? ',' : ';';
        var encoding = index % 2 == 0 ? TextDecoding.Windows1252 : new UTF8Encoding(encoderShouldEmitUTF8Identifier: true);
        var dateFormat = index % 4 == 1 ? "yyyy-MM-dd" : "dd/MM/yyyy";
        var text = new StringBuilder();
        text.Append(SimulatedCsvWriter.Line(Headers[index % Headers.Length], separator)).Append("\r\n");
        foreach (var row in rows)
        {
            var fields = row.Select((f, i) => i is 2 or 8 or 13 or 14 && f.Length == 8
                ? DateOnly.ParseExact(f, "yyyyMMdd", CultureInfo.InvariantCulture).ToString(dateFormat, CultureInfo.InvariantCulture)
                : f);
            text.Append(SimulatedCsvWriter.Line(fields, separator)).Append("\r\n");
        }
        return new SimulatedList(esms.Finess, $"liste-attente-{esms.Finess}-source=simulated.csv", encoding.GetBytes(text.ToString()), rows.Count);
    }

    private static string SituationFor(int age, Random random) => (age, random.Next(4)) switch
    {
        ( < 20, 0) => "À domicile sans solution",
        ( < 20, 1) => "Scolarisé avec accompagnement partiel",
        ( < 20, _) => "ESMS enfants",
        ( >= 20 and < 25, 0) => "Amendement Creton",
        (_, 0) => "À domicile sans solution",
        (_, 1) => "Travail en milieu ordinaire",
        (_, 2) => "Hôpital",
        _ => "ESMS adultes",
    };
}
