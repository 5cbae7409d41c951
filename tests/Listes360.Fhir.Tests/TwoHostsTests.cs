using Hl7.Fhir.Model;
using Listes360.Domain.Security;
using Task = System.Threading.Tasks.Task;

namespace Listes360.Fhir.Tests;

/// <summary>
/// Issue 21, point 4: two running Listes360 hosts, one the département's SI, the other configured as its
/// SI-SDO. Each host has its own pseudonymous person ids (random, per host): the SI-SDO knows the dossier
/// by its MDPH decision (flow 1 of the guide, set up here through its GraphQL) and finds the person of an
/// incoming Task by that decision among the ESMS's list, as the guide's SDOTask carries no Patient.
/// </summary>
public sealed class TwoHostsTests(TwoHostsFixture hosts) : IClassFixture<TwoHostsFixture>
{
    [Fact]
    public async Task A_status_posted_in_the_si_reaches_the_si_sdo_by_flow_4_and_an_admission_recorded_there_comes_back_by_flow_5_1()
    {
        var (si, sdo) = (hosts.Si, hosts.SiSdo);
        var (finess, other) = (hosts.Finess[0], hosts.Finess[1]);
        var decision = FhirFixture.NewDecision("CDAPH-2H");
        // The SI-SDO knows the dossier: the decision, the person's candidatures in both ESMS.
        var there = await sdo.WaitingAsync("MAS des deux hôtes", finess, decision);
        var thereOther = await sdo.Candidature(there.Person, await sdo.Esms("MAS voisine des deux hôtes", other));
        // The département's SI: the same ESMS and decision, the person under its own id.
        var here = await si.WaitingAsync("MAS des deux hôtes", finess, decision);
        Assert.NotEqual(here.Person, there.Person);

        // Flow 4, first status: the SI's client POSTs the Task; the SI-SDO applies it through its state machine.
        var sent = (await SdoReport.WaitAsync(si, r => r.Of(here.Candidature)?.State == "sent", "le premier statut envoyé au second hôte (POST)")).Of(here.Candidature)!;
        Assert.Equal($"Task/{finess}-{there.Candidature}", sent.RemoteTask);
        Assert.Equal("UNDER_REVIEW", (await sdo.Statuses(there.Person))[there.Candidature].Status);

        // Updates: PUT on the SI-SDO's Task.
        await si.ChangeStatus(here.Person, here.Candidature, "UNDER_REVIEW");
        await si.ChangeStatus(here.Person, here.Candidature, "WAITING");
        sent = (await SdoReport.WaitAsync(si, r => r.Of(here.Candidature) is { State: "sent", SentJ252: "72" }, "la liste d'attente envoyée (PUT)")).Of(here.Candidature)!;
        Assert.Contains("PUT Task/", sent.Detail);
        Assert.Equal(("WAITING", "72"), (await sdo.Statuses(there.Person))[there.Candidature]);

        // Flow 5.1: the other ESMS's software admits the person in the SI-SDO (flow 4 there, Firely client).
        var software = sdo.Fhir(sdo.Token(Role.EsmsDirector, other));
        var task = await software.CreateAsync(SdoTasks.Status(there.Person, other, decision, "42"));
        foreach (var status in new[] { "72", "71", "47" })
            task = await software.UpdateAsync(SdoTasks.Status(there.Person, other, decision, status, id: task!.Id));
        Assert.Equal(("ADMITTED", "47"), (await sdo.Statuses(there.Person))[thereOther]);
        Assert.Equal("SOLUTION_FOUND_ELSEWHERE", (await sdo.Statuses(there.Person))[there.Candidature].Status);

        // The SI polls flow 5.1 on the SI-SDO, reads the Task and ends the person's waiting in its own ESMS.
        var remote = $"{finess}-{there.Candidature}";
        var report = await SdoReport.WaitAsync(si, r => r.Received.Any(l => l.Contains(remote) && l.Contains("J252 45")), "l'admission ailleurs reçue par le flux 5.1");
        Assert.Contains($"appliqué à la candidature {here.Candidature}", report.Received.Last(l => l.Contains(remote)));
        var (statusHere, ansHere) = (await si.Statuses(here.Person))[here.Candidature];
        Assert.Equal("WITHDRAWN", statusHere);
        Assert.Contains(ansHere, new[] { "45", "46" });
        // What came from the SI-SDO is not sent back to it.
        report = await SdoReport.WaitAsync(si, r => r.Of(here.Candidature)?.Detail.Contains("reçu du SI-SDO") == true, "le statut reçu marqué non renvoyé");
        Assert.Equal("72", report.Of(here.Candidature)!.SentJ252);
        Assert.Equal("SOLUTION_FOUND_ELSEWHERE", (await sdo.Statuses(there.Person))[there.Candidature].Status);
    }
}
