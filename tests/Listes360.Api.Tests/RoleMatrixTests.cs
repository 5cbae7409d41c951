using GraphQL.Types;
using Listes360.Domain.Security;
using Microsoft.Extensions.DependencyInjection;

namespace Listes360.Api.Tests;

/// <summary>
/// Every query and mutation of the schema, for every role: allowed callers succeed, denied callers
/// get FORBIDDEN and nothing changes. A field without an entry here fails the first test.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class RoleMatrixTests(ApiFixture api)
{
    private static readonly Role[] TokenRoles = [Role.EsmsDirector, Role.TerritorialStaff, Role.MdphReferent, Role.Observatory, Role.Admin];
    private static int _nextFiness = 1_000;

    /// <summary>
    /// One entry per schema field. <c>{finess}</c> is replaced by a fresh ESMS registered by the admin
    /// (the director's token carries it); <see cref="Case.Probe"/> reads, as admin, what a denied
    /// mutation must leave unchanged.
    /// </summary>
    internal static readonly Dictionary<string, Case> Matrix = new()
    {
        ["Query.esms"] = new(
            """{ esms(finess: "{finess}") { name places { capacity } } }""",
            [Role.EsmsDirector, Role.TerritorialStaff, Role.MdphReferent, Role.Observatory, Role.Admin]),
        ["Query.esmsList"] = new(
            """{ esmsList(department: "61", first: 5) { totalCount edges { cursor node { finess } } pageInfo { hasNextPage endCursor } } }""",
            [Role.EsmsDirector, Role.TerritorialStaff, Role.MdphReferent, Role.Observatory, Role.Admin]),
        ["Query.auditEntries"] = new(
            """{ auditEntries(from: "2026-01-01T00:00:00Z", to: "2026-12-31T00:00:00Z", first: 1) { operation } }""",
            [Role.Admin],
            Unscoped: true),
        ["Query.person"] = new(
            """{ person(id: "{person}") { birthName candidatures { status } } }""",
            [Role.EsmsDirector, Role.TerritorialStaff, Role.MdphReferent, Role.Admin]),
        ["Query.node"] = new(
            """{ node(id: "{personNode}") { nodeId ... on Person { birthName candidatures { status position { position } } } } }""",
            [Role.EsmsDirector, Role.TerritorialStaff, Role.MdphReferent, Role.Admin]),
        ["Query.departmentCounts"] = new(
            """{ departmentCounts(department: "61") { total { distinctPersonsWaiting listEntries } } }""",
            [Role.TerritorialStaff, Role.MdphReferent, Role.Observatory, Role.Admin]),
        ["Query.waitingList"] = new(
            """{ waitingList(department: "61", first: 5, search: "matrice") { totalCount edges { cursor node { personId birthName candidatures { status position { position } } worklist { why } } } } }""",
            [Role.TerritorialStaff, Role.MdphReferent, Role.Admin]),
        ["Query.worklist"] = new(
            """{ worklist(department: "61") { item { kind urgency why } birthName } }""",
            [Role.EsmsDirector, Role.TerritorialStaff, Role.MdphReferent, Role.Admin]),
        ["Query.ruptureRisks"] = new(
            """{ ruptureRisks(department: "61", first: 5) { totalCount edges { node { pseudonym probability } } model { modelId simulated } } }""",
            [Role.TerritorialStaff, Role.MdphReferent, Role.Observatory, Role.Admin]),
        ["Query.indicators"] = new(
            """{ indicators(department: "61") { distinctPersonsWaiting listEntries creton transitionAge model { simulated } } }""",
            [Role.TerritorialStaff, Role.MdphReferent, Role.Observatory, Role.Admin]),
        ["Query.indicatorHistory"] = new(
            """{ indicatorHistory(department: "61", days: 30) { date total { distinctPersonsWaiting listEntries withoutSolution } byKind { kind waiting { q1Days medianDays q3Days } } } }""",
            [Role.TerritorialStaff, Role.MdphReferent, Role.Observatory, Role.Admin]),
        ["Mutation.createPerson"] = new(
            """mutation { createPerson(input: {department: "61", birthName: "Matrice", firstNames: ["Test"], birthDate: "1990-01-01", sex: FEMALE}) { person { id } } }""",
            [Role.TerritorialStaff, Role.MdphReferent, Role.Admin]),
        ["Mutation.updatePersonSituation"] = new(
            """mutation { updatePersonSituation(input: {personId: "{person}", situation: {kind: IN_HOSPITAL, since: "2026-01-01"}}) { person { version } } }""",
            [Role.TerritorialStaff, Role.MdphReferent, Role.Admin],
            Probe: PersonProbe),
        ["Mutation.addOrientation"] = new(
            """mutation { addOrientation(input: {personId: "{person}", decisionReference: "CDAPH-M2", kind: FAM, validFrom: "2025-01-01"}) { person { version } } }""",
            [Role.MdphReferent, Role.Admin],
            Probe: PersonProbe),
        ["Mutation.createCandidature"] = new(
            """mutation { createCandidature(input: {personId: "{person}", finess: "{finess}", modality: SEMI_RESIDENTIAL}) { candidature { id } } }""",
            [Role.EsmsDirector, Role.TerritorialStaff, Role.MdphReferent, Role.Admin],
            Probe: PersonProbe),
        ["Mutation.changeCandidatureStatus"] = new(
            """mutation { changeCandidatureStatus(input: {personId: "{person}", candidatureId: "{candidature}", status: UNDER_REVIEW}) { person { version } } }""",
            [Role.EsmsDirector, Role.TerritorialStaff, Role.Admin],
            Probe: PersonProbe),
        ["Mutation.resolveSolutionElsewhere"] = new(
            """mutation { resolveSolutionElsewhere(input: {personId: "{person}", candidatureId: "{candidature}", decision: CONFIRM}) { person { version } } }""",
            [Role.TerritorialStaff, Role.Admin],
            Probe: PersonProbe,
            AdmittedElsewhere: true),
        ["Mutation.reconcileDepartment"] = new(
            """mutation { reconcileDepartment(input: {department: "61"}) { pass { status persons failed } } }""",
            [Role.Admin],
            // The pass walks every person of the Orne in the background and gives each a version more: the next
            // cases' « nothing changed » probes would see it.
            SettledWhen: ("""{ reconcileStatus(department: "61") { status } }""", "\"DONE\"")),
        ["Query.reconcileStatus"] = new(
            """{ reconcileStatus(department: "61") { status startedAt persons total failed seconds } }""",
            [Role.Admin]),
        ["Mutation.registerEsms"] = new(
            """mutation { registerEsms(input: {finess: "{finess}", name: "Nouveau nom", category: "183"}) { esms { name } } }""",
            [Role.Admin],
            Probe: """{ esms(finess: "{finess}") { name version } }"""),
        ["Query.reviewQueue"] = new(
            """{ reviewQueue(department: "61", first: 5) { totalCount edges { node { id score } } } }""",
            [Role.MdphReferent, Role.Admin]),
        ["Mutation.importCandidatureList"] = new(
            """mutation { importCandidatureList(input: {finess: "{finess}", fileName: "liste.csv", content: "nom;prénom;date de naissance;date de la demande;modalité;n° décision CDAPH\n{otherName};Import;{otherBirth};01/03/2026;internat;CDAPH-IMP\n"}) { report { rowsRead rejected { line message } } } }""",
            [Role.EsmsDirector, Role.TerritorialStaff, Role.Admin],
            Probe: """{ esms(finess: "{finess}") { candidatures(first: 10) { totalCount } } }"""),
        ["Mutation.resolveReview"] = new(
            """mutation { resolveReview(input: {department: "61", itemId: "61-a~61-b", decision: DIFFERENT_PERSONS, reason: "matrice"}) { item { id } } }""",
            [Role.MdphReferent, Role.Admin],
            AllowedError: "UNKNOWN_REVIEW_ITEM"),
        ["Mutation.mergePersons"] = new(
            """mutation { mergePersons(input: {survivorId: "{person}", mergedId: "{other}", reason: "doublon (matrice)"}) { merge { survivorId } } }""",
            [Role.MdphReferent, Role.Admin],
            Probe: PersonProbe,
            Other: true),
        ["Mutation.splitPerson"] = new(
            """mutation { splitPerson(input: {mergedId: "{other}", reason: "homonymes (matrice)"}) { merge { split } } }""",
            [Role.MdphReferent, Role.Admin],
            Probe: PersonProbe,
            Other: true,
            Merged: true),
        ["Query.grid"] = new(
            """{ grid(department: "61", version: 1) { version criteria { id points } } }""",
            [Role.EsmsDirector, Role.TerritorialStaff, Role.MdphReferent, Role.Observatory, Role.Admin]),
        ["Query.gridVersions"] = new(
            """{ gridVersions(department: "61") { version effectiveFrom } }""",
            [Role.EsmsDirector, Role.TerritorialStaff, Role.MdphReferent, Role.Observatory, Role.Admin]),
        ["Query.ranking"] = new(
            """{ ranking(finess: "{finess}", modality: RESIDENTIAL) { gridVersion entries { totalCount edges { node { position score breakdown { criterionId points fact } } } } } }""",
            [Role.EsmsDirector, Role.TerritorialStaff, Role.MdphReferent, Role.Admin]),
        ["Query.rankingPreview"] = new(
            $$""""{ rankingPreview(finess: "{finess}", modality: RESIDENTIAL, top: 5, document: """{{Listes360.Domain.Grid.GridDocument.DefaultJson("61")}}""") { currentVersion draftVersion lines { change } } }"""",
            [Role.Admin]),
        ["Mutation.publishGrid"] = new(
            $$""""mutation { publishGrid(input: {department: "61", document: """{{Listes360.Domain.Grid.GridDocument.DefaultJson("61")}}"""}) { publication { grid { version } rankingsRefreshed } } }"""",
            [Role.Admin],
            Probe: """{ gridVersions(department: "61") { version } }"""),
        ["Mutation.setUrgency"] = new(
            """mutation { setUrgency(input: {personId: "{person}", urgency: {source: PAG, since: "2026-01-01", reason: "rupture d'accueil"}}) { person { version urgency { source } } } }""",
            [Role.TerritorialStaff, Role.MdphReferent, Role.Admin],
            Probe: PersonProbe),
        ["Mutation.setEsmsPlaces"] = new(
            """mutation { setEsmsPlaces(input: {finess: "{finess}", modality: RESIDENTIAL, capacity: 9, occupied: 3}) { esms { version } } }""",
            [Role.EsmsDirector, Role.Admin],
            Probe: """{ esms(finess: "{finess}") { places { capacity occupied } version } }"""),
        ["Query.esmsAvailability"] = new(
            """{ esmsAvailability(finess: "{finess}") { declarations { id places } free { label places } } }""",
            [Role.EsmsDirector, Role.TerritorialStaff, Role.MdphReferent, Role.Admin],
            Setup: [SemiResidentialPlaces, MondayAvailability]),
        ["Query.sequentialSearch"] = new(
            """{ sequentialSearch(department: "61", maxStructures: 2, first: 5) { candidatesConsidered combinations { personId } } }""",
            [Role.TerritorialStaff, Role.Admin]),
        ["Query.sequentialCandidatesForEsms"] = new(
            """{ sequentialCandidatesForEsms(finess: "{finess}", first: 5) { combinations { personId parts { finess days } } } }""",
            [Role.EsmsDirector, Role.TerritorialStaff, Role.Admin],
            Setup: [SemiResidentialPlaces, MondayAvailability]),
        ["Query.sequentialNeeds"] = new(
            """{ sequentialNeeds(personId: "{person}") { amount unit modalities } }""",
            [Role.EsmsDirector, Role.TerritorialStaff, Role.MdphReferent, Role.Admin],
            Setup: [OneDayNeeds]),
        ["Mutation.declareAvailability"] = new(
            """mutation { declareAvailability(input: {finess: "{finess}", modality: SEMI_RESIDENTIAL, slots: [{weekday: TUESDAY}, {weekday: FRIDAY, part: MORNING}], places: 2}) { availability { version } } }""",
            [Role.EsmsDirector, Role.Admin],
            Probe: AvailabilityProbe,
            Setup: [SemiResidentialPlaces]),
        ["Mutation.withdrawAvailability"] = new(
            """mutation { withdrawAvailability(input: {finess: "{finess}", declarationId: "{declaration}"}) { availability { version } } }""",
            [Role.EsmsDirector, Role.Admin],
            Probe: AvailabilityProbe,
            Setup: [SemiResidentialPlaces, MondayAvailability]),
        ["Mutation.setSequentialNeeds"] = new(
            """mutation { setSequentialNeeds(input: {personId: "{person}", amount: 3, modalities: [SEMI_RESIDENTIAL], maxDistanceKm: 30}) { needs { amount } } }""",
            [Role.TerritorialStaff, Role.MdphReferent, Role.Admin],
            Probe: NeedsProbe),
        ["Mutation.removeSequentialNeeds"] = new(
            """mutation { removeSequentialNeeds(input: {personId: "{person}"}) { personId } }""",
            [Role.TerritorialStaff, Role.MdphReferent, Role.Admin],
            Probe: NeedsProbe,
            Setup: [OneDayNeeds]),
        ["Mutation.proposeSequentialPlacement"] = new(
            """mutation { proposeSequentialPlacement(input: {personId: "{person}", parts: [{finess: "{finess}", modality: SEMI_RESIDENTIAL, slots: [{weekday: MONDAY}]}]}) { proposal { id candidatureIds } } }""",
            [Role.TerritorialStaff, Role.Admin],
            Probe: """{ person(id: "{person}") { version candidatures { status version } } esmsAvailability(finess: "{finess}") { version reservations { proposalId } } }""",
            Setup: [SemiResidentialPlaces, MondayAvailability, OneDayNeeds]),
        // Issue 19, places libérées: the MAS's RESIDENTIAL place freed (V-{finess}-1-1) proposes the person's candidature once WAITING.
        ["Query.vacancies"] = new(
            """{ vacancies(finess: "{finess}") { id status proposals { rank points } } }""",
            [Role.EsmsDirector, Role.TerritorialStaff, Role.Admin],
            Setup: [ResidentialVacancy]),
        ["Query.vacancy"] = new(
            """{ vacancy(id: "V-{finess}-1-1") { id proposals { candidatureId rank breakdown { points } } } }""",
            [Role.EsmsDirector, Role.TerritorialStaff, Role.Admin],
            Setup: [ResidentialVacancy]),
        ["Query.vacancyChains"] = new(
            """{ vacancyChains(department: "61", minLength: 1) { root length daysToLastAdmission personsWithoutSolutionPlaced } }""",
            [Role.TerritorialStaff, Role.Observatory, Role.Admin]),
        ["Query.vacancyIndicators"] = new(
            """{ vacancyIndicators(department: "61") { vacancies shareFilledFromTop3 refusalsPerVacancy medianDaysToAdmissionByKind { kind medianDays } } }""",
            [Role.TerritorialStaff, Role.Observatory, Role.Admin]),
        ["Mutation.recordExit"] = new(
            """mutation { recordExit(input: {finess: "{finess}", modality: RESIDENTIAL, reason: RETURN_HOME}) { vacancy { id origin } } }""",
            [Role.EsmsDirector, Role.TerritorialStaff, Role.Admin],
            Probe: VacancyProbe),
        ["Mutation.proposeVacancy"] = new(
            """mutation { proposeVacancy(input: {vacancyId: "V-{finess}-1-1", count: 3}) { vacancy { proposalGridVersion } } }""",
            [Role.EsmsDirector, Role.TerritorialStaff, Role.Admin],
            Probe: VacancyProbe,
            Setup: [ResidentialVacancy]),
        ["Mutation.offerVacancy"] = new(
            """mutation { offerVacancy(input: {vacancyId: "V-{finess}-1-1", candidatureId: "{candidature}"}) { vacancy { status } } }""",
            [Role.EsmsDirector, Role.Admin],
            Probe: VacancyProbe,
            Setup: [UnderReview, Waiting, ResidentialVacancy]),
        ["Mutation.recordVacancyRefusal"] = new(
            """mutation { recordVacancyRefusal(input: {vacancyId: "V-{finess}-1-1", candidatureId: "{candidature}", reason: PERSON_REFUSES_ESMS_PROJECT}) { vacancy { status countedRefusals } } }""",
            [Role.EsmsDirector, Role.TerritorialStaff, Role.Admin],
            Probe: VacancyProbe,
            Setup: [UnderReview, Waiting, ResidentialVacancy, OfferTheVacancy]),
        ["Mutation.expireVacancyOffer"] = new(
            """mutation { expireVacancyOffer(input: {vacancyId: "V-{finess}-1-1"}) { vacancy { status } } }""",
            [Role.EsmsDirector, Role.TerritorialStaff, Role.Admin],
            Probe: VacancyProbe,
            AllowedError: "OFFER_NOT_OVERDUE",
            Setup: [UnderReview, Waiting, ResidentialVacancy, OfferTheVacancy]),
        ["Mutation.withdrawVacancy"] = new(
            """mutation { withdrawVacancy(input: {vacancyId: "V-{finess}-1-1", reason: "Déclarée par erreur"}) { vacancy { status } } }""",
            [Role.EsmsDirector, Role.TerritorialStaff, Role.Admin],
            Probe: VacancyProbe,
            Setup: [ResidentialVacancy]),
        // Issue 19, the signed webhook of an ESMS (https to this machine's port 9: nothing listens, nothing leaves the machine).
        ["Query.vacancyHook"] = new(
            """{ vacancyHook(finess: "{finess}") { url pending deliveries { outcome } } }""",
            [Role.EsmsDirector, Role.Admin],
            Setup: [ConfigureHook]),
        ["Mutation.configureVacancyHook"] = new(
            """mutation { configureVacancyHook(input: {finess: "{finess}", url: "https://127.0.0.1:9/places"}) { url generatedSecret } }""",
            [Role.EsmsDirector, Role.Admin],
            Probe: HookProbe),
        ["Mutation.removeVacancyHook"] = new(
            """mutation { removeVacancyHook(input: {finess: "{finess}"}) { removed } }""",
            [Role.EsmsDirector, Role.Admin],
            Probe: HookProbe,
            Setup: [ConfigureHook]),
    };

    private const string ConfigureHook = """mutation { configureVacancyHook(input: {finess: "{finess}", url: "https://127.0.0.1:9/hook", secret: "matrice-0123456789-0123456789-0123456789"}) { url } }""";
    private const string HookProbe = """{ vacancyHook(finess: "{finess}") { url setBy setAt } }""";
    private const string ResidentialVacancy = """mutation { setEsmsPlaces(input: {finess: "{finess}", modality: RESIDENTIAL, capacity: 10, occupied: 9}) { esms { version } } }""";
    private const string UnderReview = """mutation { changeCandidatureStatus(input: {personId: "{person}", candidatureId: "{candidature}", status: UNDER_REVIEW}) { person { version } } }""";
    private const string Waiting = """mutation { changeCandidatureStatus(input: {personId: "{person}", candidatureId: "{candidature}", status: WAITING}) { person { version } } }""";
    private const string OfferTheVacancy = """mutation { offerVacancy(input: {vacancyId: "V-{finess}-1-1", candidatureId: "{candidature}"}) { vacancy { status } } }""";
    private const string VacancyProbe = """{ vacancies(finess: "{finess}") { id status offers { outcome } steps { code } } person(id: "{person}") { candidatures { status } } }""";
    private const string SemiResidentialPlaces = """mutation { setEsmsPlaces(input: {finess: "{finess}", modality: SEMI_RESIDENTIAL, capacity: 6, occupied: 2}) { esms { version } } }""";
    private const string MondayAvailability = """mutation { declareAvailability(input: {finess: "{finess}", modality: SEMI_RESIDENTIAL, slots: [{weekday: MONDAY}], places: 1}) { availability { version } } }""";
    private const string OneDayNeeds = """mutation { setSequentialNeeds(input: {personId: "{person}", amount: 1, modalities: [SEMI_RESIDENTIAL]}) { needs { amount } } }""";
    private const string AvailabilityProbe = """{ esmsAvailability(finess: "{finess}") { version declarations { id places } reservations { proposalId } } }""";
    private const string NeedsProbe = """{ sequentialNeeds(personId: "{person}") { amount maxDistanceKm } }""";

    private const string PersonProbe = """{ person(id: "{person}") { version candidatures { status version } orientations { decisionReference } situation { kind } } }""";

    public static TheoryData<string, Role> Cases()
    {
        var data = new TheoryData<string, Role>();
        foreach (var field in Matrix.Keys)
            foreach (var role in TokenRoles)
                data.Add(field, role);
        return data;
    }

    [Fact]
    public void Every_query_and_mutation_has_an_entry()
    {
        var schema = api.App.Services.GetRequiredService<ISchema>();
        var fields = schema.Query.Fields.Select(f => "Query." + f.Name)
            .Concat(schema.Mutation?.Fields.Select(f => "Mutation." + f.Name) ?? [])
            .ToHashSet();

        var missing = fields.Except(Matrix.Keys).ToList();
        var stale = Matrix.Keys.Except(fields).ToList();

        Assert.True(missing.Count == 0, "Champs sans entrée dans la matrice rôles × opérations : " + string.Join(", ", missing));
        Assert.True(stale.Count == 0, "Entrées de la matrice sans champ dans le schéma : " + string.Join(", ", stale));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Allowed_roles_succeed_and_denied_roles_get_forbidden_and_change_nothing(string field, Role role)
    {
        var entry = Matrix[field];
        var (finess, person, candidature, other) = await SetUpAsync(entry.AdmittedElsewhere, entry.Other, entry.Merged);
        var otherName = UniqueName();
        var otherBirth = $"{Random.Shared.Next(1, 28):D2}/{Random.Shared.Next(1, 12):D2}/{Random.Shared.Next(1940, 1999)}";
        Func<string, string> Fill = text => text.Replace("{personNode}", Listes360.Api.GraphQL.GlobalId.Encode(Listes360.Api.GraphQL.GlobalId.Person, person))
            .Replace("{finess}", finess).Replace("{person}", person).Replace("{candidature}", candidature)
            .Replace("{other}", other).Replace("{otherName}", otherName).Replace("{otherBirth}", otherBirth);
        foreach (var setup in entry.Setup ?? [])
        {
            var prepared = await api.PostAsync(Fill(setup));
            Assert.False(prepared.HasErrors, prepared.Body);
        }
        if (entry.Operation.Contains("{declaration}", StringComparison.Ordinal))
        {
            var declarations = (await api.PostAsync(Fill("""{ esmsAvailability(finess: "{finess}") { declarations { id } } }"""))).Data;
            var declaration = declarations.GetProperty("esmsAvailability").GetProperty("declarations")[0].GetProperty("id").GetString()!;
            var fillIds = Fill;
            Fill = text => fillIds(text).Replace("{declaration}", declaration);
        }
        var before = entry.Probe is null ? null : (await api.PostAsync(Fill(entry.Probe))).Body;

        var response = await api.PostAsync(Fill(entry.Operation), token: api.Token(role, finess));

        if (entry.Allowed.Contains(role) && entry.AllowedError is { } expected)
        {
            // Past the access check, the operation answers on its own terms (here: no such item).
            Assert.True(response.FirstErrorCode == expected, $"{field} devrait être permis au rôle {role} (erreur attendue {expected}) : {response.Body}");
        }
        else if (entry.Allowed.Contains(role))
        {
            Assert.False(response.HasErrors, $"{field} devrait être permis au rôle {role} : {response.Body}");
            if (entry.SettledWhen is var (query, marker))
                await UntilSettledAsync(field, query, marker);
        }
        else
        {
            Assert.True(response.FirstErrorCode == "FORBIDDEN", $"{field} devrait être refusé au rôle {role} : {response.Body}");
            if (entry.Probe is not null)
                Assert.Equal(before, (await api.PostAsync(Fill(entry.Probe))).Body);
        }
    }

    public static TheoryData<string, Role> AllowedCases()
    {
        var data = new TheoryData<string, Role>();
        foreach (var (field, entry) in Matrix.Where(e => !e.Value.Unscoped))
            foreach (var role in entry.Allowed)
                data.Add(field, role);
        return data;
    }

    /// <summary>
    /// Issue 12, class 4: each allowed role, with a token of the Pas-de-Calais (a director: of an ESMS
    /// there), is refused every field on the Orne's data, and nothing changes.
    /// </summary>
    [Theory]
    [MemberData(nameof(AllowedCases))]
    public async Task Allowed_roles_of_another_departement_get_forbidden_and_change_nothing(string field, Role role)
    {
        var entry = Matrix[field];
        var (finess, person, candidature, other) = await SetUpAsync(entry.AdmittedElsewhere, entry.Other, entry.Merged);
        string Fill(string text) => text.Replace("{personNode}", Listes360.Api.GraphQL.GlobalId.Encode(Listes360.Api.GraphQL.GlobalId.Person, person))
            .Replace("{finess}", finess).Replace("{person}", person).Replace("{candidature}", candidature)
            .Replace("{other}", other).Replace("{otherName}", UniqueName()).Replace("{otherBirth}", "01/02/1990").Replace("{declaration}", "D-1");
        foreach (var setup in entry.Setup ?? [])
            Assert.False((await api.PostAsync(Fill(setup))).HasErrors);
        var before = entry.Probe is null ? null : (await api.PostAsync(Fill(entry.Probe))).Body;
        var outOfScope = Listes360.Api.Security.DevTokens.Mint(api.Auth, $"test-{role}-62", role, role is Role.EsmsDirector ? ["620000018"] : [], "62", null,
            TimeSpan.FromMinutes(30));

        var response = await api.PostAsync(Fill(entry.Operation), token: outOfScope);

        Assert.True(response.FirstErrorCode == "FORBIDDEN", $"{field} devrait être refusé au rôle {role} du département 62 : {response.Body}");
        if (entry.Probe is not null)
            Assert.Equal(before, (await api.PostAsync(Fill(entry.Probe))).Body);
    }

    /// <summary>Polls <paramref name="query"/> as admin until its answer holds <paramref name="marker"/> (two minutes at most).</summary>
    private async Task UntilSettledAsync(string field, string query, string marker)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            var body = (await api.PostAsync(query)).Body;
            if (body.Contains(marker, StringComparison.Ordinal))
                return;
            Assert.True(DateTime.UtcNow < deadline, $"Le travail lancé par {field} n'est pas terminé après deux minutes : {body}");
            await Task.Delay(200);
        }
    }

    /// <summary>
    /// As admin: a MAS, a person oriented towards MAS with a candidature to it; with
    /// <paramref name="admittedElsewhere"/>, the person is then admitted in a second MAS, so the
    /// first candidature is SOLUTION_FOUND_ELSEWHERE.
    /// </summary>
    /// <summary>
    /// A surname no other setup shares (persons are matched on creation: the same identity twice is one
    /// person): eight random letters, far from any other in Jaro-Winkler.
    /// </summary>
    private static string UniqueName() =>
        string.Concat(Enumerable.Range(0, 8).Select(i => (char)((i == 0 ? 'A' : 'a') + Random.Shared.Next(26))));

    private static string UniqueIdentity() =>
        $"birthName: \"{UniqueName()}\", firstNames: [\"{UniqueName()}\"], birthDate: \"{Random.Shared.Next(1940, 1999)}-{Random.Shared.Next(1, 13):D2}-{Random.Shared.Next(1, 29):D2}\"";

    private async Task<(string Finess, string Person, string Candidature, string Other)> SetUpAsync(bool admittedElsewhere, bool withOther, bool merged)
    {
        async Task<System.Text.Json.JsonElement> Admin(string query, object? variables = null)
        {
            var r = await api.PostAsync(query, variables);
            Assert.False(r.HasErrors, r.Body);
            return r.Data;
        }
        async Task<string> NewEsms()
        {
            var f = Listes360.Domain.Registry.FinessNumber.WithKey("61" + Interlocked.Increment(ref _nextFiness).ToString("D6")).Value;
            await Admin("""mutation($f: String!) { registerEsms(input: {finess: $f, name: "ESMS de la matrice", category: "255"}) { esms { finess } } }""", new { f });
            return f;
        }
        async Task<string> Apply(string p, string f) =>
            (await Admin("""mutation($p: ID!, $f: String!) { createCandidature(input: {personId: $p, finess: $f, modality: RESIDENTIAL, requestDate: "2026-03-01"}) { candidature { id } } }""", new { p, f }))
                .GetProperty("createCandidature").GetProperty("candidature").GetProperty("id").GetString()!;

        var finess = await NewEsms();
        async Task<string> NewPerson() =>
            (await Admin("mutation { createPerson(input: {department: \"61\", " + UniqueIdentity() + ", sex: MALE, situation: {kind: AT_HOME_WITHOUT_SOLUTION, since: \"2025-01-01\"}}) { person { id } } }"))
                .GetProperty("createPerson").GetProperty("person").GetProperty("id").GetString()!;
        var person = await NewPerson();
        await Admin("""mutation($p: ID!) { addOrientation(input: {personId: $p, decisionReference: "CDAPH-M1", kind: MAS, validFrom: "2025-01-01"}) { person { id } } }""", new { p = person });
        var candidature = await Apply(person, finess);
        if (admittedElsewhere)
        {
            var other = await Apply(person, await NewEsms());
            foreach (var status in new[] { "UNDER_REVIEW", "WAITING", "OFFERED", "ADMITTED" })
                await Admin("""mutation($p: ID!, $c: ID!, $s: CandidatureStatus!) { changeCandidatureStatus(input: {personId: $p, candidatureId: $c, status: $s}) { person { id } } }""", new { p = person, c = other, s = status });
        }
        var second = "";
        if (withOther)
        {
            second = await NewPerson();
            await Admin("""mutation($p: ID!) { addOrientation(input: {personId: $p, decisionReference: "CDAPH-M2", kind: MAS, validFrom: "2025-01-01"}) { person { id } } }""", new { p = second });
            await Apply(second, await NewEsms());
            if (merged)
                await Admin("""mutation($s: ID!, $m: ID!) { mergePersons(input: {survivorId: $s, mergedId: $m, reason: "matrice"}) { merge { survivorId } } }""", new { s = person, m = second });
        }
        return (finess, person, candidature, second);
    }

    /// <param name="Setup">Mutations run as admin before the operation (places, availability, needs).</param>
    /// <param name="Unscoped">The field names no département (the audit trail): not in the scope theory.</param>
    /// <param name="SettledWhen">Work an allowed call leaves running: a query polled as admin until its answer holds the marker.</param>
    internal sealed record Case(string Operation, Role[] Allowed, string? Probe = null, bool AdmittedElsewhere = false,
        string? AllowedError = null, bool Other = false, bool Merged = false, string[]? Setup = null, bool Unscoped = false,
        (string Query, string Marker)? SettledWhen = null);
}
