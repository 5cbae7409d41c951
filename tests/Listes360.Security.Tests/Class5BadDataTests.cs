using Listes360.Domain.Validation;
using Xunit.Abstractions;

namespace Listes360.Security.Tests;

/// <summary>
/// Issue 12, class 5: bad data is refused, precisely, before anything is stored — through the API
/// and through the list import. Each example of the issue is replayed with its expected code.
/// </summary>
[Collection(SecurityCollection.Name)]
public sealed class Class5BadDataTests(Listes360.Api.Tests.ApiFixture api, ITestOutputHelper output)
{
    private const string Esms = "610000051";
    private static readonly string Huge = new('x', 100_000);
    private const string ListHeader = "nom;prénom;date de naissance;date de la demande;modalité;n° décision CDAPH;orientation";

    private const string CreatePerson = """
        mutation($n: String!, $p: [String!]!, $b: DateOnly!, $m: String, $s: SituationInput, $c: CarerInput) {
          createPerson(input: {department: "61", birthName: $n, firstNames: $p, birthDate: $b, sex: MALE, mdphFileNumber: $m, situation: $s, carer: $c}) { person { id } }
        }
        """;

    private static RefusalTry Person(string name, string code, string birthName = "Lemaire", string[]? firstNames = null,
        string birthDate = "1975-06-07", string? mdph = null, object? situation = null, object? carer = null) =>
        new(name, CreatePerson, new { n = birthName, p = firstNames ?? ["Paul"], b = birthDate, m = mdph, s = situation, c = carer }, code);

    private static RefusalTry Import(string name, string content, string code) =>
        new(name, """
            mutation($f: String!, $c: String!) { importCandidatureList(input: {finess: $f, fileName: "liste.csv", content: $c}) { report { rowsRead rejected { line code message } } } }
            """, new { f = Esms, c = content }, code, RejectedRow: true);

    private static string Row(string lastName = "Gautier", string firstName = "Rémi") =>
        $"{lastName};{firstName};03/04/1985;01/02/2025;internat;CDAPH-61-9;MAS";

    [Fact]
    public async Task Every_bad_value_of_the_issue_is_refused_with_its_code_and_nothing_is_stored()
    {
        await RefusalReplay.EsmsAsync(api, Esms);
        var person = await RefusalReplay.PersonAsync(api, "Fournier", "Lise");

        RefusalTry[] tries =
        [
            Person("nom de 100 000 caractères", "TEXT_TOO_LONG", birthName: Huge),
            Person("nom de 101 caractères", "TEXT_TOO_LONG", birthName: new string('N', FieldLimits.NameMaxLength + 1)),
            Person("NUL dans le nom", "INVALID_CHARACTER", birthName: "Le\0maire"),
            Person("BEL dans le nom", "INVALID_CHARACTER", birthName: "Le\amaire"),
            Person("ESC dans le nom", "INVALID_CHARACTER", birthName: "\u001B[2JLemaire"),
            Person("CR LF dans le nom", "INVALID_CHARACTER", birthName: "Lemaire\r\nDurand"),
            Person("U+202E dans le nom", "INVALID_CHARACTER", birthName: "Lemaire\u202Eeriam"),
            Person("U+2066 dans le prénom", "INVALID_CHARACTER", firstNames: ["\u2066Paul"]),
            Person("10 000 prénoms", "TOO_MANY_VALUES", firstNames: Enumerable.Repeat("Paul", 10_000).ToArray()),
            Person("prénom de 100 000 caractères", "TEXT_TOO_LONG", firstNames: [Huge]),
            Person("n° MDPH de 100 000 caractères", "TEXT_TOO_LONG", mdph: Huge),
            Person("n° MDPH de 31 caractères", "TEXT_TOO_LONG", mdph: new string('7', FieldLimits.MdphFileNumberMaxLength + 1)),
            Person("note de 100 000 caractères", "TEXT_TOO_LONG", situation: new { kind = "AT_HOME_WITHOUT_SOLUTION", since = "2025-01-01", note = Huge }),
            Person("situation en 2099", "DATE_IN_FUTURE", situation: new { kind = "AT_HOME_WITHOUT_SOLUTION", since = "2099-01-01" }),
            Person("situation en 9999", "DATE_IN_FUTURE", situation: new { kind = "IN_HOSPITAL", since = "9999-12-31" }),
            Person("naissance en 1850", "INVALID_BIRTH_DATE", birthDate: "1850-01-01"),
            Person("aidant de 250 ans", "INVALID_CARER_AGE", carer: new { relationship = "PARENT", age = 250, status = "AVAILABLE" }),
            new("note de 100 000 caractères (mise à jour)", """
                mutation($id: ID!, $n: String) { updatePersonSituation(input: {personId: $id, situation: {kind: IN_HOSPITAL, since: "2025-01-01", note: $n}}) { person { id } } }
                """, new { id = person, n = Huge }, "TEXT_TOO_LONG"),
            new("situation en 2099 (mise à jour)", """
                mutation($id: ID!) { updatePersonSituation(input: {personId: $id, situation: {kind: IN_HOSPITAL, since: "2099-01-01"}}) { person { id } } }
                """, new { id = person }, "DATE_IN_FUTURE"),
            new("référence de décision de 100 000 caractères", """
                mutation($id: ID!, $r: String!) { addOrientation(input: {personId: $id, decisionReference: $r, kind: MAS, validFrom: "2025-01-01"}) { person { id } } }
                """, new { id = person, r = Huge }, "TEXT_TOO_LONG"),
            new("orientation jusqu'en 9999", """
                mutation($id: ID!) { addOrientation(input: {personId: $id, decisionReference: "CDAPH-9999", kind: MAS, validFrom: "2025-01-01", validTo: "9999-12-31"}) { person { id } } }
                """, new { id = person }, "DATE_TOO_FAR"),
            new("urgence depuis 2099", """
                mutation($id: ID!) { setUrgency(input: {personId: $id, urgency: {source: PAG, since: "2099-01-01", reason: "rupture"}}) { person { id } } }
                """, new { id = person }, "DATE_IN_FUTURE"),
            new("demande en 1800", """
                mutation($id: ID!, $f: String!) { createCandidature(input: {personId: $id, finess: $f, modality: RESIDENTIAL, requestDate: "1800-01-01"}) { candidature { id } } }
                """, new { id = person, f = Esms }, "INVALID_REQUEST_DATE"),
            new("code postal ABCDE", """
                mutation { registerEsms(input: {finess: "610000069", name: "IME Essai", category: "183", postcode: "ABCDE"}) { esms { finess } } }
                """, null, "INVALID_POSTCODE"),
            new("FINESS à la clé fausse", """
                mutation { registerEsms(input: {finess: "610000011", name: "IME Essai", category: "183"}) { esms { finess } } }
                """, null, "INVALID_FINESS"),
            new("nom d'ESMS avec U+202E", """
                mutation { registerEsms(input: {finess: "610000069", name: "IME \u202EessaI", category: "183"}) { esms { finess } } }
                """, null, "INVALID_CHARACTER"),
            new("places en 2099", """
                mutation($f: String!) { setEsmsPlaces(input: {finess: $f, modality: RESIDENTIAL, capacity: 50, occupied: 0, effectiveDate: "2099-01-01"}) { esms { version } } }
                """, new { f = Esms }, "DATE_IN_FUTURE"),
            new("places en 9999", """
                mutation($f: String!) { setEsmsPlaces(input: {finess: $f, modality: RESIDENTIAL, capacity: 50, occupied: 0, effectiveDate: "9999-12-31"}) { esms { version } } }
                """, new { f = Esms }, "DATE_IN_FUTURE"),
            Import("ligne de 100 000 colonnes de trop", $"{ListHeader}\n{Row()}{new string(';', 100_000)}x\n", "CSV_TOO_MANY_COLUMNS"),
            Import("guillemet non fermé", $"{ListHeader}\n\"{Row()}\n{Row("Gautier", "Rémi\u0007")}\n", "CSV_UNCLOSED_QUOTE"),
            Import("NUL dans une cellule", $"{ListHeader}\n{Row("Gau\0tier")}\n", "CSV_INVALID_CHARACTER"),
            Import("U+202E dans une cellule", $"{ListHeader}\n{Row("Gautier\u202E")}\n", "CSV_INVALID_CHARACTER"),
            Import("nom de 101 caractères dans une ligne", $"{ListHeader}\n{Row(new string('G', FieldLimits.NameMaxLength + 1))}\n", "TEXT_TOO_LONG"),
            Import("cellule de 100 000 caractères", $"{ListHeader}\n{Row(Huge)}\n", "CSV_CELL_TOO_LONG"),
        ];

        await RefusalReplay.RunAsync(api, output, "class 5 (bad data)", tries);
    }

    [Fact]
    public async Task An_unclosed_quote_is_named_with_its_line_and_column_in_french()
    {
        await RefusalReplay.EsmsAsync(api, Esms);
        var r = await api.PostAsync("""
            mutation($f: String!, $c: String!) { importCandidatureList(input: {finess: $f, fileName: "liste.csv", content: $c}) { report { rowsRead rejected { line code message } } } }
            """, new { f = Esms, c = $"{ListHeader}\n{Row()}\nMoreau;\"Ana;03/04/1985;01/02/2025;internat;CDAPH-61-9;MAS\n" });

        Assert.False(r.HasErrors, r.Body);
        var rejected = r.Data.GetProperty("importCandidatureList").GetProperty("report").GetProperty("rejected");
        var unclosed = rejected.EnumerateArray().Single(e => e.GetProperty("code").GetString() == "CSV_UNCLOSED_QUOTE");
        Assert.Equal(3, unclosed.GetProperty("line").GetInt32());
        Assert.Contains("ligne 3, colonne 2 (« prénom ») : guillemet non fermé", unclosed.GetProperty("message").GetString());
    }
}
