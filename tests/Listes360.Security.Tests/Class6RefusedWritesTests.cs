using Listes360.Domain.Validation;
using Xunit.Abstractions;

namespace Listes360.Security.Tests;

/// <summary>
/// Issue 12, class 6: a refused call writes nothing. Each mutation is validated as a whole before its
/// first grain write; for each class of refusal, storage (every entity of the grains' table) is unchanged.
/// </summary>
[Collection(SecurityCollection.Name)]
public sealed class Class6RefusedWritesTests(Listes360.Api.Tests.ApiFixture api, ITestOutputHelper output)
{
    private const string Esms = "610000077";

    private static RefusalTry CreatePerson(string name, string code, object? situation = null, object? carer = null, string nir = "") =>
        new(name, """
            mutation($s: SituationInput, $c: CarerInput, $nir: String) {
              createPerson(input: {department: "61", birthName: "Rousseau", firstNames: ["Hugo"], birthDate: "1969-03-04", sex: MALE, situation: $s, carer: $c, nir: $nir}) { person { id } }
            }
            """, new { s = situation, c = carer, nir = nir.Length == 0 ? null : nir }, code);

    [Fact]
    public async Task Refused_mutations_leave_storage_unchanged()
    {
        await RefusalReplay.EsmsAsync(api, Esms);
        var person = await RefusalReplay.PersonAsync(api, "Perrin", "Jade");
        var other = await RefusalReplay.PersonAsync(api, "Carpentier", "Noa");
        // Known with decision CDAPH-Guillou (MAS from 01/01/2024); the list spells her address, which the index has not seen.
        await RefusalReplay.PersonAsync(api, "Guillou", "Ambre");
        var tooLongReason = new string('r', FieldLimits.ReasonMaxLength + 1);

        RefusalTry[] tries =
        [
            CreatePerson("personne avec un aidant de 250 ans", "INVALID_CARER_AGE", carer: new { relationship = "PARENT", age = 250, status = "EXHAUSTED" }),
            CreatePerson("personne dans un ESMS de référence illisible", "INVALID_FINESS", situation: new { kind = "IN_ADULT_ESMS", since = "2024-01-01", esms = "ESMS-INCONNU" }),
            CreatePerson("personne dans un ESMS à la clé fausse", "INVALID_FINESS", situation: new { kind = "IN_ADULT_ESMS", since = "2024-01-01", esms = "610000011" }),
            CreatePerson("personne dont la situation commence en 2099", "DATE_IN_FUTURE", situation: new { kind = "IN_HOSPITAL", since = "2099-01-01" }),
            CreatePerson("personne au NIR faux", "INVALID_NIR", nir: "1690361001001"),
            new("aidant de 250 ans (mise à jour)", """
                mutation($id: ID!) { updatePersonSituation(input: {personId: $id, situation: {kind: IN_HOSPITAL, since: "2025-01-01"}, carer: {relationship: PARENT, age: 250, status: AVAILABLE}}) { person { id } } }
                """, new { id = person }, "INVALID_CARER_AGE"),
            new("candidature à un ESMS non enregistré", """
                mutation($id: ID!) { createCandidature(input: {personId: $id, finess: "610000085", modality: RESIDENTIAL}) { candidature { id } } }
                """, new { id = person }, "UNKNOWN_ESMS"),
            new("places d'un ESMS non enregistré", """
                mutation { setEsmsPlaces(input: {finess: "610000085", modality: RESIDENTIAL, capacity: 5, occupied: 0}) { esms { version } } }
                """, null, "UNKNOWN_ESMS"),
            new("places occupées au-delà de la capacité", """
                mutation($f: String!) { setEsmsPlaces(input: {finess: $f, modality: RESIDENTIAL, capacity: 5, occupied: 6}) { esms { version } } }
                """, new { f = Esms }, "INVALID_PLACES"),
            new("fusion au motif trop long", """
                mutation($a: ID!, $b: ID!, $r: String!) { mergePersons(input: {survivorId: $a, mergedId: $b, reason: $r}) { merge { survivorId } } }
                """, new { a = person, b = other, r = tooLongReason }, "TEXT_TOO_LONG"),
            new("fusion sans motif", """
                mutation($a: ID!, $b: ID!) { mergePersons(input: {survivorId: $a, mergedId: $b, reason: " "}) { merge { survivorId } } }
                """, new { a = person, b = other }, "REASON_REQUIRED"),
            new("import au nom de fichier de 1 000 caractères", """
                mutation($f: String!, $n: String!) { importCandidatureList(input: {finess: $f, fileName: $n, content: "nom;prénom"}) { report { rowsRead } } }
                """, new { f = Esms, n = new string('f', 1_000) }, "TEXT_TOO_LONG"),
            new("import d'un fichier aux en-têtes cassés", """
                mutation($f: String!) { importCandidatureList(input: {finess: $f, fileName: "liste.csv", content: "nom;\"prénom\nDurand;Léa"}) { report { rowsRead } } }
                """, new { f = Esms }, "CSV_UNCLOSED_QUOTE"),
            new("import d'un fichier aux lignes toutes refusées", """
                mutation($f: String!, $c: String!) { importCandidatureList(input: {finess: $f, fileName: "liste.csv", content: $c}) { report { rowsRead rejected { code } } } }
                """, new { f = Esms, c = "nom;prénom;date de naissance;date de la demande;modalité\n\"Durand;Léa;03/04/1990;01/02/2025;internat\nRoux;\u0000;03/04/1990;01/02/2025;internat\n" },
                "CSV_UNCLOSED_QUOTE", RejectedRow: true),
            new("import d'une décision déjà connue de la personne avec d'autres dates", """
                mutation($f: String!, $c: String!) { importCandidatureList(input: {finess: $f, fileName: "liste.csv", content: $c}) { report { rowsRead rejected { code } } } }
                """, new { f = Esms, c = "nom;prénom;date de naissance;sexe;code postal;commune;date de la demande;modalité;n° décision CDAPH;orientation;début de validité\nGuillou;Ambre;03/02/1980;F;61000;ALENCON;01/02/2025;internat;CDAPH-Guillou;MAS;01/06/2024\n" },
                "DUPLICATE_ORIENTATION", RejectedRow: true),
            new("urgence au motif de 501 caractères", """
                mutation($id: ID!, $r: String!) { setUrgency(input: {personId: $id, urgency: {source: PAG, reason: $r}}) { person { id } } }
                """, new { id = person, r = tooLongReason }, "TEXT_TOO_LONG"),
        ];

        await RefusalReplay.RunAsync(api, output, "class 6 (refused calls write nothing)", tries);
    }

    [Fact]
    public async Task A_person_refused_for_its_carer_leaves_no_identity_entry_behind()
    {
        var refused = await api.PostAsync("""
            mutation { createPerson(input: {department: "61", birthName: "Vasseur", firstNames: ["Elio"], birthDate: "1972-08-09", sex: MALE,
                                            carer: {relationship: SPOUSE, age: 250, status: AVAILABLE}}) { person { id } } }
            """);
        Assert.Equal("INVALID_CARER_AGE", refused.FirstErrorCode);

        // Had the refused call reached the identity index, the same identity would now be matched to an id without a person.
        var accepted = await api.PostAsync("""
            mutation { createPerson(input: {department: "61", birthName: "Vasseur", firstNames: ["Elio"], birthDate: "1972-08-09", sex: MALE}) { person { id birthName } } }
            """);
        Assert.False(accepted.HasErrors, accepted.Body);
        Assert.Equal("Vasseur", accepted.Data.GetProperty("createPerson").GetProperty("person").GetProperty("birthName").GetString());
    }
}
