using System.Globalization;
using System.Text;
using Listes360.Domain.Registry;
using Listes360.Domain.Security;
using Listes360.Grains.Identity;
using Listes360.Grains.Persons;
using Listes360.Grains.Registry;
using Listes360.Grains.Security;
using Listes360.Imports.Lists;
using Listes360.Imports.Persons;
using Listes360.Imports.Simulation;
using NirHasher = Listes360.Domain.Persons.NirHasher;

namespace Listes360.Imports.Tests.Lists;

/// <summary>An ESMS's own list imported through the grains (in-memory cluster), in its own département (72) so other tests' persons do not match.</summary>
[Collection(MemoryClusterCollection.Name)]
public sealed class CandidatureListImportTests(MemoryClusterFixture cluster)
{
    private const string Header = "Nom;Prénom;Date de naissance;N° dossier MDPH;Date de la demande;Modalité;Situation;N° décision CDAPH;Orientation";
    private static readonly NirHasher Hasher = NirHasher.FromText("test-key-for-the-import-tests, long enough");
    private static readonly Caller Admin = new("marie (ligne de commande)", Role.Admin, [], "72", null);
    private static int _next = 100;

    private static DateOnly Today => DateOnly.FromDateTime(MemoryClusterFixture.Clock.Now.UtcDateTime);

    private async Task<FinessNumber> NewMasAsync(string department)
    {
        var finess = FinessNumber.WithKey(department + Interlocked.Increment(ref _next).ToString("D6", CultureInfo.InvariantCulture));
        using (CallerContext.As(Caller.ServiceItself))
            await cluster.Grains.GetGrain<IEsmsGrain>(finess.Value).RegisterAsync(
                new EsmsRegistrationRequest(finess.Value, "MAS de test", "255", null, null, null, null, null).ToProfile(), "test");
        return finess;
    }

    /// <summary>480 distinct adults (names from the simulated generator, no twins), then 20 malformed rows at known lines.</summary>
    private static (string Text, int[] BadLines) FiveHundredRows()
    {
        var people = new FrenchPersonGenerator(4, new SimulationOptions { TwinRate = 0 }).Generate(480, 480)
            .Select(r => r with { }).ToList();
        var lines = new List<string> { Header };
        for (var i = 0; i < people.Count; i++)
        {
            var birth = new DateOnly(1950, 1, 1).AddDays(i * 37);
            lines.Add($"{people[i].LastName};{people[i].FirstName};{birth:dd/MM/yyyy};MDPH72-{i:D5};{Today.AddDays(-i):dd/MM/yyyy};internat;à domicile;CDAPH-72-{i};MAS");
        }
        var bad = new List<int>();
        void Insert(int index, string line)
        {
            lines.Insert(index, line);
        }
        // Five of each kind, spread through the file (bad date, empty name, unknown modality, duplicated line).
        for (var k = 0; k < 5; k++)
        {
            Insert(10 + k * 90, $"Martin;Paul;31/02/1980;X{k};01/01/2025;internat;;CDAPH-B{k};MAS");
            Insert(30 + k * 90, $";Anne;01/01/1980;Y{k};01/01/2025;internat;;CDAPH-N{k};MAS");
            Insert(50 + k * 90, $"Durand;Jean;01/01/1981;Z{k};01/01/2025;piscine;;CDAPH-M{k};MAS");
            Insert(70 + k * 90, lines[5 + k * 90]);
        }
        for (var i = 1; i < lines.Count; i++)
            if (lines[i].Contains("31/02/1980", StringComparison.Ordinal) || lines[i].StartsWith(';') || lines[i].Contains(";piscine;", StringComparison.Ordinal)
                || lines.IndexOf(lines[i]) < i)
                bad.Add(i + 1);
        return (string.Join("\r\n", lines) + "\r\n", bad.ToArray());
    }

    [Fact]
    public async Task Five_hundred_rows_with_twenty_malformed_import_480_then_the_same_file_changes_nothing()
    {
        var finess = await NewMasAsync("72");
        var (text, badLines) = FiveHundredRows();
        var bytes = TextDecoding.Windows1252.GetBytes(text);
        var file = CandidatureListReader.Read(bytes, "liste-mas.csv", Hasher, Today);
        Assert.Equal("windows-1252", file.EncodingName);
        var importer = new CandidatureListImporter(cluster.Grains, Admin);
        var progress = new List<int>();

        var first = await importer.ImportAsync(file, finess, p => progress.Add(p.Done));

        Assert.Equal(500, first.RowsRead);
        Assert.Equal(20, badLines.Length);
        Assert.Equal(badLines, first.Rejected.Select(r => r.Line));
        Assert.Equal(480, first.PersonsCreated + first.Matched + first.QueuedForReview);
        Assert.Equal(480, first.CandidaturesCreated);
        Assert.Equal(new[] { 100, 200, 300, 400, 480 }, progress);
        Assert.Contains(first.Rejected, r => r.Code == "INVALID_DATE" && r.Message.Contains("31/02/1980", StringComparison.Ordinal));
        Assert.Contains(first.Rejected, r => r.Code == "MISSING_LAST_NAME" && r.Message == "nom manquant");
        Assert.Contains(first.Rejected, r => r.Code == "UNKNOWN_MODALITY" && r.Message.Contains("« piscine » inconnue", StringComparison.Ordinal));
        Assert.Equal(5, first.Rejected.Count(r => r.Code == "DUPLICATE_ROW" && r.Message.StartsWith("ligne identique à la ligne ", StringComparison.Ordinal)));

        var views = await ViewsAsync(finess);
        Assert.Equal(480, views.Count);
        var persons = views.Select(v => v.PersonId.Value).Distinct().ToList();
        var versions = await VersionsAsync(persons);

        var second = await importer.ImportAsync(CandidatureListReader.Read(bytes, "liste-mas.csv", Hasher, Today), finess);

        Assert.Equal(0, second.PersonsCreated);
        Assert.Equal(0, second.CandidaturesCreated);
        Assert.Equal(480, second.RowsUnchanged);
        Assert.Equal(badLines, second.Rejected.Select(r => r.Line));
        Assert.Equal(views, await ViewsAsync(finess));
        Assert.Equal(versions, await VersionsAsync(persons));
    }

    [Fact]
    public async Task A_spelling_variant_on_another_list_is_the_same_person_and_a_row_without_decision_for_an_unknown_person_is_refused()
    {
        var first = await NewMasAsync("72");
        var second = await NewMasAsync("72");
        var importer = new CandidatureListImporter(cluster.Grains, Admin);
        await importer.ImportAsync(Read($"{Header}\nLE GOFF;Jean-Pierre;03/04/1961;7212345;01/02/2025;internat;;CDAPH-LG;MAS\n"), first);

        var report = await importer.ImportAsync(Read(
            "nom,prénom,date de naissance,n° dossier MDPH,date de la demande,modalité\n" +
            "Legoff,Jean Pierre,1961-04-03,72-12345,2025-03-01,accueil de jour\n" +
            "Inconnu,Zoé,1970-01-01,,2025-03-01,internat\n"), second);

        Assert.Equal(1, report.Matched);
        Assert.Equal(0, report.PersonsCreated);
        var refused = Assert.Single(report.Rejected);
        Assert.Equal(3, refused.Line);
        Assert.Contains("sans décision d'orientation CDAPH", refused.Message, StringComparison.Ordinal);
        var person = (await ViewsAsync(second)).Single().PersonId;
        Assert.Equal(person, (await ViewsAsync(first)).Single().PersonId);
    }

    [Fact]
    public async Task A_row_without_birth_date_joins_the_person_known_by_its_mdph_number()
    {
        var first = await NewMasAsync("72");
        var second = await NewMasAsync("72");
        var importer = new CandidatureListImporter(cluster.Grains, Admin);
        var number = $"72-8{Interlocked.Increment(ref _next):D5}";
        var created = await importer.ImportAsync(Read($"{Header}\nBERTIN;Maëlle;12/09/1984;{number};01/02/2025;internat;;CDAPH-BM;MAS\n"), first);
        Assert.Equal(1, created.PersonsCreated);

        // Another ESMS writes the number without the département and with a dot, its usage name, no birth date.
        var report = await importer.ImportAsync(Read(
            $"{Header}\nBertin-Leroy;Maelle;;{number[3..4]}.{number[4..]};01/03/2025;accueil de jour;;;\n"), second);

        Assert.Empty(report.Rejected);
        Assert.Equal(1, report.Matched);
        Assert.Equal(0, report.PersonsCreated);
        Assert.Equal(1, report.CandidaturesCreated);
        var person = (await ViewsAsync(first)).Single().PersonId;
        Assert.Equal(person, (await ViewsAsync(second)).Single().PersonId);
    }

    [Fact]
    public async Task A_row_without_birth_date_whose_mdph_number_nobody_has_is_reported_by_line_and_changes_nothing()
    {
        var finess = await NewMasAsync("72");
        var importer = new CandidatureListImporter(cluster.Grains, Admin);
        var unknown = $"72-9{Interlocked.Increment(ref _next):D5}";
        var pending = await PendingReviewsAsync();

        var report = await importer.ImportAsync(Read(
            $"{Header}\nFOURNIER;Ilan;;{unknown};01/03/2025;internat;;CDAPH-FI;MAS\nFOURNIER;Inès;;;01/03/2025;internat;;CDAPH-FI2;MAS\n"), finess);

        Assert.Equal(2, report.RowsRead);
        Assert.Equal(0, report.PersonsCreated + report.Matched + report.QueuedForReview + report.CandidaturesCreated);
        Assert.Collection(report.Rejected,
            r =>
            {
                Assert.Equal(2, r.Line);
                Assert.Equal("BIRTH_DATE_REQUIRED", r.Code);
                Assert.Equal("date de naissance manquante : le n° de dossier MDPH (ou le NIR) ne correspond à aucune personne connue, et une personne ne peut pas être créée sans date de naissance", r.Message);
            },
            r =>
            {
                Assert.Equal(3, r.Line);
                Assert.Equal("MISSING_DATE", r.Code);
                Assert.Contains("date de naissance manquante", r.Message, StringComparison.Ordinal);
                Assert.Contains("n° de dossier MDPH ou le NIR", r.Message, StringComparison.Ordinal);
            });
        Assert.Empty(await ViewsAsync(finess));
        Assert.Equal(pending, await PendingReviewsAsync());
    }

    [Fact]
    public async Task A_row_without_birth_date_whose_number_two_persons_carry_joins_neither_and_queues_them_for_review()
    {
        var finess = await NewMasAsync("72");
        var other = await NewMasAsync("72");
        var importer = new CandidatureListImporter(cluster.Grains, Admin);
        var number = $"72-7{Interlocked.Increment(ref _next):D5}";
        // Two different persons (other names, other birth dates) wrongly given one number: the engine keeps them apart.
        var setup = await importer.ImportAsync(Read(
            $"{Header}\nGARNIER;Théo;02/02/1990;{number};01/02/2025;internat;;CDAPH-GT;MAS\nLAMBERT;Suzanne;05/11/1958;{number};01/02/2025;internat;;CDAPH-LS;MAS\n"), other);
        Assert.Empty(setup.Rejected);
        var persons = (await ViewsAsync(other)).Select(v => v.PersonId.Value).Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.Equal(2, persons.Count);
        // Their import queued them already: take that item back, to see this row queue it again.
        var pair = ReviewItem.IdOf(persons[0], persons[1]);
        using (CallerContext.As(Caller.ServiceItself))
            await cluster.Grains.GetGrain<IReviewQueueGrain>("72").WithdrawAsync([pair]);
        Assert.DoesNotContain(pair, await PendingReviewsAsync());

        var report = await importer.ImportAsync(Read($"{Header}\nGARNIER;Théo;;{number};01/03/2025;internat;;CDAPH-GT;MAS\n"), finess);

        var refused = Assert.Single(report.Rejected);
        Assert.Equal("BIRTH_DATE_REQUIRED", refused.Code);
        Assert.Contains("porté par plusieurs personnes", refused.Message, StringComparison.Ordinal);
        Assert.Empty(await ViewsAsync(finess));
        Assert.Contains(pair, await PendingReviewsAsync());
    }

    private async Task<List<string>> PendingReviewsAsync()
    {
        using var _ = CallerContext.As(Admin);
        var queue = cluster.Grains.GetGrain<IReviewQueueGrain>("72");
        var ids = new List<string>();
        string? after = null;
        while (true)
        {
            var page = await queue.ListAsync(true, after, 200);
            ids.AddRange(page.Items.Select(i => i.Id));
            if (!page.HasNextPage) return ids;
            after = page.EndCursor;
        }
    }

    [Fact]
    public void An_address_of_the_orne_gives_the_commune_in_force_an_unknown_one_none()
    {
        var file = Read(
            "nom;prénom;date de naissance;date de la demande;modalité;code postal;commune\n" +
            "Durand;Léa;03/04/1990;01/02/2025;internat;61000;ALENCON\n" +
            "Martin;Luc;03/04/1990;01/02/2025;internat;61100;Flers\n" +
            "Petit;Noé;03/04/1990;01/02/2025;internat;61000;Nulle-Part\n" +
            "Roux;Ana;03/04/1990;01/02/2025;internat;75011;Paris\n");

        Assert.Equal(["61001", "61169", "61001", null], file.Rows.Select(r => r.Identity!.ResidenceCommune));
    }

    private static CandidatureListFile Read(string text) =>
        CandidatureListReader.Read(Encoding.UTF8.GetBytes(text), "liste.csv", Hasher, Today);

    private async Task<List<EsmsCandidatureView>> ViewsAsync(FinessNumber finess)
    {
        using var _ = CallerContext.As(Admin);
        var page = await cluster.Grains.GetGrain<IEsmsGrain>(finess.Value).GetCandidaturesAsync(false, null, 200);
        var all = page.Items.ToList();
        while (page.HasNextPage)
        {
            page = await cluster.Grains.GetGrain<IEsmsGrain>(finess.Value).GetCandidaturesAsync(false, page.EndCursor, 200);
            all.AddRange(page.Items);
        }
        return all;
    }

    private async Task<Dictionary<string, int>> VersionsAsync(IEnumerable<string> persons)
    {
        using var _ = CallerContext.As(Admin);
        var versions = new Dictionary<string, int>();
        foreach (var id in persons)
            versions[id] = (await cluster.Grains.GetGrain<IPersonGrain>(id).GetAsync())!.Version;
        return versions;
    }
}
