using System.Net;
using Hl7.Fhir.Model;
using Hl7.Fhir.Rest;
using Listes360.Domain.Security;
using Listes360.Grains.Security;
using Microsoft.Extensions.DependencyInjection;
using FhirTask = Hl7.Fhir.Model.Task;
using Task = System.Threading.Tasks.Task;

namespace Listes360.Fhir.Tests;

/// <summary>The SDO exchange driven by the Firely FhirClient, as an ESMS's software would, against a running host.</summary>
[Collection(FhirCollection.Name)]
public sealed class SdoExchangeTests(FhirFixture host)
{
    [Fact]
    public async Task The_capability_statement_says_exactly_what_is_served()
    {
        var statement = await host.Fhir("").CapabilityStatementAsync();

        Assert.Equal(FHIRVersion.N4_0_1, statement!.FhirVersion);
        var resources = statement.Rest.Single().Resource.ToDictionary(r => r.Type!, r => r.Interaction.Select(i => i.Code!.Value).OrderBy(c => c).ToArray());
        Assert.Equal(["Consent", "Task"], resources.Keys.Order().ToArray());
        Assert.Equal(new[] { CapabilityStatement.TypeRestfulInteraction.Read, CapabilityStatement.TypeRestfulInteraction.Update,
            CapabilityStatement.TypeRestfulInteraction.Create, CapabilityStatement.TypeRestfulInteraction.SearchType }.OrderBy(c => c), resources["Task"]);
        Assert.Equal([CapabilityStatement.TypeRestfulInteraction.Create], resources["Consent"]);
        var task = statement.Rest.Single().Resource.Single(r => r.Type == "Task");
        Assert.False(task.ConditionalCreate);
        Assert.False(task.ConditionalUpdate);
        Assert.Equal(["_elements", "_lastUpdated"], task.SearchParam.Select(p => p.Name!).Order().ToArray());
    }

    [Fact]
    public async Task An_admission_posted_by_fhir_reaches_graphql_and_the_other_esms_flow_5_1()
    {
        var (a, b) = (await host.Esms("MAS A (FHIR)"), await host.Esms("MAS B (FHIR)"));
        var decision = FhirFixture.NewDecision();
        var person = await host.Person(decision);
        var atA = await host.Candidature(person, a);
        var atB = await host.Candidature(person, b);
        var since = DateTime.UtcNow.AddDays(-1).ToString("yyyy-MM-dd");
        var softwareA = host.Fhir(host.Token(Role.EsmsDirector, a));
        var softwareB = host.Fhir(host.Token(Role.EsmsDirector, b));
        var before = await softwareB.SearchAsync<FhirTask>(new SearchParams().Add("_lastUpdated", "gt" + since));
        Assert.Empty(before!.Entry);

        var created = await softwareA.CreateAsync(SdoTasks.Status(person, a, decision, "42"));
        Assert.Equal($"{a}-{atA}", created!.Id);
        Assert.Equal("UNDER_REVIEW", (await host.Statuses(person))[atA].Status);
        var task = created;
        foreach (var (status, expected) in new[] { ("72", "WAITING"), ("71", "OFFERED"), ("47", "ADMITTED") })
        {
            task = await softwareA.UpdateAsync(SdoTasks.Status(person, a, decision, status, id: task!.Id));
            Assert.Equal(status, SdoTasks.Code(task!, SdoProfile.StatutEsms));
            Assert.Equal(expected, (await host.Statuses(person))[atA].Status);
        }

        var graphql = await host.Statuses(person);
        Assert.Equal(("ADMITTED", "47"), graphql[atA]);
        Assert.Equal(("SOLUTION_FOUND_ELSEWHERE", "45"), graphql[atB]);
        var found = await softwareB.SearchAsync<FhirTask>(new SearchParams().Add("_lastUpdated", "gt" + since).Add("_elements", "id"));
        var entry = Assert.Single(found!.Entry);
        Assert.Equal($"{b}-{atB}", entry.Resource.Id);
        var told = await softwareB.ReadAsync<FhirTask>($"Task/{entry.Resource.Id}");
        Assert.Equal("45", SdoTasks.Code(told!, SdoProfile.StatutEsms));
        Assert.Equal("119", SdoTasks.Code(told!, SdoProfile.MotifEsms));
        Assert.Equal($"Patient/{person}", told!.For.Reference);
        Assert.Equal(decision, (SdoTaskRules.ValueOf(told, SdoProfile.IdDecision) as Identifier)?.Value);
        Assert.DoesNotContain(a, System.Text.Json.JsonSerializer.Serialize(told, FhirEndpoints.Json), StringComparison.Ordinal);
        // A, whose admission it is, is told nothing by flow 5.1.
        Assert.Empty((await softwareA.SearchAsync<FhirTask>(new SearchParams().Add("_lastUpdated", "gt" + since)))!.Entry);
    }

    [Fact]
    public async Task A_task_without_for_goes_to_the_one_person_of_its_decision_on_the_esms_list_and_a_second_post_updates_the_same_task()
    {
        var (a, decision, person, atA) = await host.WaitingAsync("MAS K (FHIR)");
        var software = host.Fhir(host.Token(Role.EsmsDirector, a));
        var task = SdoTasks.Status(person, a, decision, "42");
        task.For = null;

        var created = await software.CreateAsync(task);
        var again = await software.CreateAsync(SdoTasks.Status("61-pseudonyme-d-un-autre-systeme", a, decision, "72"));

        Assert.Equal($"{a}-{atA}", created!.Id);
        Assert.Equal($"Patient/{person}", created.For.Reference);
        Assert.Equal(created.Id, again!.Id);
        Assert.Equal(("WAITING", "72"), (await host.Statuses(person))[atA]);
        var unknown = await Assert.ThrowsAsync<FhirOperationException>(() => software.CreateAsync(SdoTasks.Status("61-inconnu", a, "CDAPH-INCONNUE", "71")));
        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
        Assert.Contains($"aucune personne de la liste de l'ESMS {a} n'a la décision CDAPH-INCONNUE", unknown.Outcome!.Issue.Single().Diagnostics);
        Assert.Equal("WAITING", (await host.Statuses(person))[atA].Status);
    }

    [Fact]
    public async Task Two_persons_of_the_esms_with_the_same_decision_and_no_for_are_refused_409_and_nothing_changes()
    {
        var (a, decision, first, atFirst) = await host.WaitingAsync("MAS L (FHIR)");
        var second = await host.Person(decision);
        var atSecond = await host.Candidature(second, a);
        var task = SdoTasks.Status(first, a, decision, "42");
        task.For = null;

        var refused = await Assert.ThrowsAsync<FhirOperationException>(() => host.Fhir(host.Token(Role.EsmsDirector, a)).CreateAsync(task));

        Assert.Equal(HttpStatusCode.Conflict, refused.Status);
        Assert.Contains("2 personnes de la liste", refused.Outcome!.Issue.Single().Diagnostics);
        Assert.Equal("RECEIVED", (await host.Statuses(first))[atFirst].Status);
        Assert.Equal("RECEIVED", (await host.Statuses(second))[atSecond].Status);
    }

    [Fact]
    public async Task A_conditional_create_is_refused_400_in_french_and_changes_nothing()
    {
        var (a, decision, person, atA) = await host.WaitingAsync("MAS M (FHIR)");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/fhir/Task")
        {
            Content = new StringContent(System.Text.Json.JsonSerializer.Serialize(SdoTasks.Status(person, a, decision, "42"), FhirEndpoints.Json),
                System.Text.Encoding.UTF8, FhirEndpoints.FhirJson),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", host.Token(Role.EsmsDirector, a));
        request.Headers.TryAddWithoutValidation("If-None-Exist", $"identifier={a}-{atA}");

        using var response = await host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("La création conditionnelle (If-None-Exist) n'est pas prise en charge", await response.Content.ReadAsStringAsync());
        Assert.Equal("RECEIVED", (await host.Statuses(person))[atA].Status);
    }

    [Fact]
    public async Task A_transition_the_state_machine_refuses_is_an_operation_outcome_409_and_changes_nothing()
    {
        var (a, decision, person, atA) = await host.WaitingAsync("MAS C (FHIR)");

        var refused = await Assert.ThrowsAsync<FhirOperationException>(() =>
            host.Fhir(host.Token(Role.EsmsDirector, a)).CreateAsync(SdoTasks.Status(person, a, decision, "47")));

        Assert.Equal(HttpStatusCode.Conflict, refused.Status);
        var issue = Assert.Single(refused.Outcome!.Issue);
        Assert.Equal(OperationOutcome.IssueType.Conflict, issue.Code);
        Assert.Contains("Passage interdit du statut « Candidature reçue » au statut « Admis·e »", issue.Diagnostics);
        Assert.Equal("FORBIDDEN_TRANSITION", issue.Details.Coding.Single().Code);
        Assert.Equal("RECEIVED", (await host.Statuses(person))[atA].Status);
    }

    [Fact]
    public async Task A_status_needing_a_reason_without_one_or_unknown_to_listes360_is_refused_422()
    {
        var (a, decision, person, atA) = await host.WaitingAsync("MAS D (FHIR)");
        var software = host.Fhir(host.Token(Role.EsmsDirector, a));

        var noReason = await Assert.ThrowsAsync<FhirOperationException>(() => software.CreateAsync(SdoTasks.Status(person, a, decision, "46")));
        var notification = await Assert.ThrowsAsync<FhirOperationException>(() => software.CreateAsync(SdoTasks.Status(person, a, decision, "40")));
        var refusal = await software.CreateAsync(SdoTasks.Status(person, a, decision, "46", "122"));

        Assert.Equal((HttpStatusCode)422, noReason.Status);
        Assert.Contains("exige un motif", noReason.Outcome!.Issue.Single().Diagnostics);
        Assert.Equal((HttpStatusCode)422, notification.Status);
        Assert.Contains("n'a pas d'équivalent dans Listes360", notification.Outcome!.Issue.Single().Diagnostics);
        Assert.Equal("122", SdoTasks.Code(refusal!, SdoProfile.MotifEsms));
        Assert.Equal("REFUSED_BY_ESMS", (await host.Statuses(person))[atA].Status);
    }

    [Fact]
    public async Task A_task_missing_a_slice_is_refused_with_every_issue_and_its_location()
    {
        var (a, decision, person, atA) = await host.WaitingAsync("MAS E (FHIR)");
        var task = SdoTasks.Status(person, a, decision, "42");
        task.Input.RemoveAll(i => SdoTaskRules.SliceOf(i) == SdoProfile.IdDecision);
        task.Intent = FhirTask.TaskIntent.Order;
        task.Input.Add(SdoTaskMapper.Input(SdoProfile.StatutUnite, new CodeableConcept("urn:x", "999")));

        var refused = await Assert.ThrowsAsync<FhirOperationException>(() => host.Fhir(host.Token(Role.EsmsDirector, a)).CreateAsync(task));

        Assert.Equal((HttpStatusCode)422, refused.Status);
        var issues = refused.Outcome!.Issue.Select(i => (Location: i.Expression.Single(), i.Diagnostics)).ToList();
        Assert.Contains(issues, i => i.Location == "Task.input" && i.Diagnostics.Contains("« idDecision » (1..1) est absente"));
        Assert.Contains(issues, i => i.Location == "Task.intent" && i.Diagnostics.Contains("plan"));
        Assert.Contains(issues, i => i.Location == "Task.input[5].value.ofType(CodeableConcept).coding[0].code" && i.Diagnostics.Contains("JDV_J253"));
        Assert.Contains(issues, i => i.Location == "Task" && i.Diagnostics.Contains("regle-StatutUnite"));
        Assert.Equal("RECEIVED", (await host.Statuses(person))[atA].Status);
    }

    [Fact]
    public async Task An_esms_cannot_read_nor_write_another_esms_tasks()
    {
        var (a, b) = (await host.Esms("MAS F (FHIR)"), await host.Esms("MAS G (FHIR)"));
        var decision = FhirFixture.NewDecision();
        var person = await host.Person(decision);
        var atA = await host.Candidature(person, a);
        var softwareB = host.Fhir(host.Token(Role.EsmsDirector, b));

        var read = await Assert.ThrowsAsync<FhirOperationException>(() => softwareB.ReadAsync<FhirTask>($"Task/{a}-{atA}"));
        var write = await Assert.ThrowsAsync<FhirOperationException>(() => softwareB.CreateAsync(SdoTasks.Status(person, a, decision, "42")));
        var update = await Assert.ThrowsAsync<FhirOperationException>(() => softwareB.UpdateAsync(SdoTasks.Status(person, a, decision, "42", id: $"{a}-{atA}")));
        var own = await host.Fhir(host.Token(Role.EsmsDirector, a)).ReadAsync<FhirTask>($"Task/{a}-{atA}");

        Assert.All(new[] { read, write, update }, e => Assert.Equal(HttpStatusCode.Forbidden, e.Status));
        Assert.Contains($"ne porte pas l'ESMS {a}", read.Outcome!.Issue.Single().Diagnostics);
        Assert.Equal("42", SdoTasks.Code(own!, SdoProfile.StatutEsms));
        Assert.Equal("RECEIVED", (await host.Statuses(person))[atA].Status);
        var audit = host.App.Services.GetRequiredService<IAuditTrail>();
        var denied = await audit.QueryAsync(new AuditQuery(DateTimeOffset.UtcNow.AddMinutes(-10), DateTimeOffset.UtcNow.AddMinutes(1),
            Operation: "FHIR GET Task", Outcome: AuditOutcome.Denied, Limit: 1000));
        Assert.Contains(denied, e => e.Target == $"{a}|fhir" && e.Subject.Contains(b));
    }

    [Fact]
    public async Task Flow_5_1_needs_a_date_and_an_esms_token_and_refuses_anonymous_calls()
    {
        var a = await host.Esms("MAS H (FHIR)");
        var noDate = await Assert.ThrowsAsync<FhirOperationException>(() => host.Fhir(host.Token(Role.EsmsDirector, a)).SearchAsync<FhirTask>(new SearchParams()));
        var staff = await Assert.ThrowsAsync<FhirOperationException>(() =>
            host.Fhir(host.Token(Role.TerritorialStaff)).SearchAsync<FhirTask>(new SearchParams().Add("_lastUpdated", "gt2026-01-01")));
        var anonymous = await Assert.ThrowsAsync<FhirOperationException>(() =>
            host.Fhir("").SearchAsync<FhirTask>(new SearchParams().Add("_lastUpdated", "gt2026-01-01")));

        Assert.Equal(HttpStatusCode.BadRequest, noDate.Status);
        Assert.Contains("_lastUpdated est obligatoire", noDate.Outcome!.Issue.Single().Diagnostics);
        Assert.Equal(HttpStatusCode.Forbidden, staff.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.Status);
    }

    [Fact]
    public async Task A_consent_posted_by_the_esms_is_recorded_on_the_person_and_a_stranger_is_refused()
    {
        var (a, b) = (await host.Esms("MAS I (FHIR)"), await host.Esms("MAS J (FHIR)"));
        var decision = FhirFixture.NewDecision();
        var person = await host.Person(decision);
        await host.Candidature(person, a);
        Consent Consent(string finess, string? patient) => new()
        {
            Meta = new Meta { Source = "1" + finess },
            Status = Hl7.Fhir.Model.Consent.ConsentState.Active,
            Scope = new CodeableConcept("http://terminology.hl7.org/CodeSystem/consentscope", "patient-privacy"),
            Category = [new CodeableConcept("http://loinc.org", "59284-0")],
            PolicyRule = new CodeableConcept("http://terminology.hl7.org/CodeSystem/v3-ActCode", "OPTIN"),
            Patient = patient is null ? null : new ResourceReference($"Patient/{patient}"),
            DateTime = "2026-11-30",
            Provision = new Hl7.Fhir.Model.Consent.provisionComponent
            {
                Data = [new Hl7.Fhir.Model.Consent.provisionDataComponent { Meaning = Hl7.Fhir.Model.Consent.ConsentDataMeaning.Related, Reference = new ResourceReference($"DocumentReference/{decision}") }],
            },
        };

        var stranger = await Assert.ThrowsAsync<FhirOperationException>(() => host.Fhir(host.Token(Role.EsmsDirector, b)).CreateAsync(Consent(b, person)));
        var noPatient = await Assert.ThrowsAsync<FhirOperationException>(() => host.Fhir(host.Token(Role.EsmsDirector, a)).CreateAsync(Consent(a, null)));
        Assert.False(await ConsentOf(person));
        var recorded = await host.Fhir(host.Token(Role.EsmsDirector, a)).CreateAsync(Consent(a, person));

        Assert.Equal(HttpStatusCode.Forbidden, stranger.Status);
        Assert.Equal((HttpStatusCode)422, noPatient.Status);
        Assert.Contains(noPatient.Outcome!.Issue, i => i.Expression.Single() == "Consent.patient");
        Assert.Equal($"{a}-{person}", recorded!.Id);
        Assert.True(await ConsentOf(person));
    }

    private async Task<bool> ConsentOf(string person) =>
        (await host.GraphQL("""query($p: ID!) { person(id: $p) { consentToShare } }""", new { p = person })).GetProperty("person").GetProperty("consentToShare").GetBoolean();
}
