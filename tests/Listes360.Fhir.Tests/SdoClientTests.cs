using System.Net;
using Hl7.Fhir.Model;
using Listes360.Api.Security;
using Listes360.Domain.Security;
using FhirTask = Hl7.Fhir.Model.Task;
using Task = System.Threading.Tasks.Task;

namespace Listes360.Fhir.Tests;

/// <summary>
/// The service as a client of the SI-SDO, against a STAND-IN SI-SDO (<see cref="SdoStandIn"/>, a FHIR server
/// on 127.0.0.1 built with the service's FHIR code — not ViaTrajectoire): statuses leave as SDOTasks (POST,
/// then PUT) through the ESMS grain's outbox and the département's durable queue, survive an SI-SDO that
/// is down and a restart of the service, and flow 5.1 brings an admission recorded elsewhere back into
/// GraphQL.
/// </summary>
[Collection(SdoClientCollection.Name)]
public sealed class SdoClientTests(SdoClientFixture host)
{
    private FhirTask RemoteTask(SdoReportItem item) => host.StandIn.Task(item.RemoteTask!["Task/".Length..])!;

    [Fact]
    public async Task A_status_round_trip_posts_then_puts_retries_while_the_si_sdo_is_down_and_brings_back_an_admission_elsewhere()
    {
        var (esms, decision, person, candidature) = await host.WaitingAsync("MAS SI-SDO 1");

        // Flow 4, first status: POST; the Task the stand-in received is a valid SDOTask of this candidature.
        var sent = (await SdoReport.WaitAsync(host, r => r.Of(candidature)?.State == "sent", "la candidature envoyée (POST)")).Of(candidature)!;
        Assert.StartsWith("Task/sdo-", sent.RemoteTask);
        var task = RemoteTask(sent);
        Assert.Empty(SdoTaskRules.Check(task));
        Assert.Equal("1" + esms, (SdoTaskRules.ValueOf(task, SdoProfile.IdNatStruct) as Identifier)!.Value);
        Assert.Equal(decision, (SdoTaskRules.ValueOf(task, SdoProfile.IdDecision) as Identifier)!.Value);
        Assert.Equal("42", SdoTasks.Code(task, SdoProfile.StatutEsms));
        Assert.Equal($"Patient/{person}", task.For.Reference);
        Assert.Contains("POST Task → 201", host.StandIn.Calls);

        // Updates: PUT on the SI-SDO's id.
        await host.ChangeStatus(person, candidature, "UNDER_REVIEW");
        await host.ChangeStatus(person, candidature, "WAITING");
        sent = (await SdoReport.WaitAsync(host, r => r.Of(candidature)?.SentJ252 == "72" && r.Of(candidature)!.State == "sent", "la liste d'attente envoyée (PUT)")).Of(candidature)!;
        Assert.Contains("PUT", sent.Detail);
        Assert.Equal("72", SdoTasks.Code(RemoteTask(sent), SdoProfile.StatutEsms));
        Assert.True(int.Parse(RemoteTask(sent).Meta.VersionId!) >= 2);

        // The SI-SDO is down for three calls: the status stays pending with the French reason, then leaves.
        host.StandIn.FailNext(3);
        await host.ChangeStatus(person, candidature, "OFFERED");
        var pending = (await SdoReport.WaitAsync(host, r => r.Of(candidature) is { State: "pending", Attempts: > 0 }, "l'envoi en attente après un 503")).Of(candidature)!;
        Assert.Contains("SI-SDO indisponible (HTTP 503)", pending.Detail);
        Assert.Contains("nouvel essai le", pending.Detail);
        sent = (await SdoReport.WaitAsync(host, r => r.Of(candidature) is { State: "sent", SentJ252: "71" }, "la place proposée envoyée après les nouveaux essais")).Of(candidature)!;
        Assert.True(sent.Attempts >= 2, $"essais : {sent.Attempts}");
        Assert.Equal("71", SdoTasks.Code(RemoteTask(sent), SdoProfile.StatutEsms));
        Assert.Contains("503", string.Join("\n", host.StandIn.Calls));

        // Flow 5.1: the SI-SDO learns the person was admitted elsewhere; the service polls it and applies it.
        var putsBefore = host.StandIn.Calls.Count(c => c.StartsWith("PUT", StringComparison.Ordinal));
        host.StandIn.RecordAdmissionElsewhere(sent.RemoteTask!["Task/".Length..]);
        var report = await SdoReport.WaitAsync(host, r => r.Received.Any(l => l.Contains(sent.RemoteTask!["Task/".Length..]) && l.Contains("J252 45")), "la Task du flux 5.1 appliquée");
        var (status, ans) = (await host.Statuses(person))[candidature];
        Assert.NotEqual("OFFERED", status);
        Assert.Contains(ans, new[] { "45", "46" });
        Assert.Contains("appliqué à la candidature " + candidature, report.Received.Last(l => l.Contains("J252 45")));
        // What came from the SI-SDO is not sent back to it.
        await SdoReport.WaitAsync(host, r => r.Of(candidature)?.Detail.Contains("reçu du SI-SDO") == true, "le statut reçu marqué non renvoyé");
        await Task.Delay(1500);
        Assert.Equal(putsBefore, host.StandIn.Calls.Count(c => c.StartsWith("PUT", StringComparison.Ordinal)));
        Assert.Contains("Flux 5.1 interrogé le", (await SdoReport.ReadAsync(host, host.Token(Role.Admin))).Report!.LastPoll);
    }

    [Fact]
    public async Task A_task_the_si_sdo_refuses_is_failed_with_its_reason_until_the_status_changes_again()
    {
        var esms = await host.Esms("MAS SI-SDO 2");
        var decision = FhirFixture.NewDecision();
        var person = await host.Person(decision);
        host.StandIn.RefuseNext(1, "idNat_Decision inconnu du SI-SDO", onlyFor: decision);
        var candidature = await host.Candidature(person, esms);

        var failed = (await SdoReport.WaitAsync(host, r => r.Of(candidature)?.State == "failed", "l'envoi refusé")).Of(candidature)!;
        Assert.Contains("Refusée par le SI-SDO (HTTP 422) : idNat_Decision inconnu du SI-SDO", failed.Detail);
        Assert.Null(failed.RemoteTask);
        await Task.Delay(1000);
        Assert.Equal("failed", (await SdoReport.ReadAsync(host, host.Token(Role.Admin))).Report!.Of(candidature)!.State);

        await host.ChangeStatus(person, candidature, "UNDER_REVIEW");
        var sent = (await SdoReport.WaitAsync(host, r => r.Of(candidature)?.State == "sent", "l'envoi du statut suivant")).Of(candidature)!;
        Assert.Contains("POST", sent.Detail);
    }

    [Fact]
    public async Task Pending_statuses_survive_a_restart_of_the_service_and_leave_once_the_si_sdo_is_back()
    {
        var esms = await host.Esms("MAS SI-SDO 3");
        var person = await host.Person(FhirFixture.NewDecision());
        host.StandIn.Down = true;
        try
        {
            var candidature = await host.Candidature(person, esms);
            await SdoReport.WaitAsync(host, r => r.Of(candidature) is { State: "pending", Attempts: > 0 }, "l'envoi en attente");

            await host.RestartAsync();

            var after = (await SdoReport.ReadAsync(host, host.Token(Role.Admin))).Report!.Of(candidature);
            Assert.NotNull(after);
            Assert.Equal("pending", after.State);
            host.StandIn.Down = false;
            var sent = (await SdoReport.WaitAsync(host, r => r.Of(candidature)?.State == "sent", "l'envoi après le redémarrage")).Of(candidature)!;
            // Listes360's id of the status: FINESS-candidature (a candidature id has a dash itself: « C-… »).
            Assert.Equal($"{esms}-{candidature}", RemoteTask(sent).Identifier.Single().Value);
        }
        finally
        {
            host.StandIn.Down = false;
        }
    }

    [Fact]
    public async Task The_report_is_for_the_departments_administrators_and_territorial_staff_only()
    {
        Assert.Equal(HttpStatusCode.OK, (await SdoReport.ReadAsync(host, host.Token(Role.Admin))).Status);
        Assert.Equal(HttpStatusCode.OK, (await SdoReport.ReadAsync(host, host.Token(Role.TerritorialStaff))).Status);
        var director = await SdoReport.ReadAsync(host, host.Token(Role.EsmsDirector, await host.Esms("MAS SI-SDO 4")));
        Assert.Equal(HttpStatusCode.Forbidden, director.Status);
        Assert.Contains("Accès refusé", director.Body);
        var otherDepartment = DevTokens.Mint(host.Auth, "admin-14", Role.Admin, [], department: "14", territory: null, TimeSpan.FromMinutes(5));
        Assert.Equal(HttpStatusCode.Forbidden, (await SdoReport.ReadAsync(host, otherDepartment)).Status);
        var badDepartment = await SdoReport.ReadAsync(host, host.Token(Role.Admin), department: "xx");
        Assert.Equal(HttpStatusCode.BadRequest, badDepartment.Status);
        Assert.Contains("n'est pas un code de département", badDepartment.Body);
    }
}

/// <summary>Off by default: the host of the other tests has no SdoClient section.</summary>
[Collection(FhirCollection.Name)]
public sealed class SdoClientOffTests(FhirFixture host)
{
    [Fact]
    public async Task Without_configuration_the_client_is_off_and_queues_nothing()
    {
        var esms = await host.Esms("MAS sans SI-SDO");
        var person = await host.Person("CDAPH-OFF-1");
        await host.Candidature(person, esms);

        var (status, report, body) = await SdoReport.ReadAsync(host, host.Token(Role.Admin));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False(report!.Enabled, body);
        Assert.Empty(report.Items);
        Assert.Contains("Client SI-SDO désactivé", report.LastPoll);
    }
}
