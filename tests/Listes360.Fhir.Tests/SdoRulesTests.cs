using Hl7.Fhir.Model;
using Listes360.Domain;
using Listes360.Domain.Candidatures;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;
using FhirTask = Hl7.Fhir.Model.Task;

namespace Listes360.Fhir.Tests;

/// <summary>The SDOTask rules and the J252 / J251 translation, alone (no host; in the host's collection so that the validator's load does not compete with its start).</summary>
[Collection(FhirCollection.Name)]
public sealed class SdoRulesTests
{
    private const string Finess = "610000010";

    [Fact]
    public void A_complete_task_has_no_issue_and_the_firely_validator_agrees()
    {
        var task = SdoTasks.Status("P-1", Finess, "D-1", "46", "122");

        Assert.Empty(SdoTaskRules.Check(task));
        Assert.Empty(new FirelyValidation().Check(task));
    }

    [Fact]
    public void The_firely_validator_finds_core_errors_offline()
    {
        var task = SdoTasks.Status("P-1", Finess, "D-1", "42");
        task.Input.Add(new FhirTask.ParameterComponent { Type = new CodeableConcept(SdoProfile.InputCodeSystem, SdoProfile.NomUnite) });

        var issues = new FirelyValidation().Check(task);

        Assert.NotEmpty(issues);
        Assert.Contains(issues, i => i.Location.Contains("input[6]", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("45", null, "exige un motif")]
    [InlineData("99", null, "JDV_J252")]
    [InlineData("46", "999", "JDV_J251")]
    public void Status_and_reason_codes_are_checked_against_their_value_sets_and_pairs(string status, string? reason, string words)
    {
        var issues = SdoTaskRules.Check(SdoTasks.Status("P-1", Finess, "D-1", status, reason));

        Assert.Contains(issues, i => i.Message.Contains(words, StringComparison.Ordinal));
    }

    [Fact]
    public void A_unit_status_needs_the_unit_its_category_the_mode_of_care_and_the_date()
    {
        var task = SdoTasks.Status("P-1", Finess, "D-1", "42");
        task.Input.Add(SdoTaskMapper.Input(SdoProfile.StatutUnite, new CodeableConcept("urn:j253", "185")));

        var missing = SdoTaskRules.Check(task).Where(i => i.Message.Contains("regle-StatutUnite")).Select(i => i.Message).ToList();

        Assert.Equal(5, missing.Count);
        Assert.Contains(missing, m => m.Contains("« categorieOrganisation »"));
    }

    [Fact]
    public void A_slice_twice_and_a_wrong_value_type_are_located()
    {
        var task = SdoTasks.Status("P-1", Finess, "D-1", "42");
        task.Input.Add(SdoTaskMapper.Input(SdoProfile.NomEsms, new FhirString("Autre nom")));
        task.Input[4].Value = new FhirString("pas un identifiant");

        var issues = SdoTaskRules.Check(task);

        Assert.Contains(issues, i => i.Location == "Task.input[6]" && i.Message.Contains("au plus 1"));
        Assert.Contains(issues, i => i.Location == "Task.input[4].value" && i.Message.Contains("Identifier"));
    }

    private static Candidature Candidature(CandidatureStatus status)
    {
        var c = Domain.Candidatures.Candidature.Create(CandidatureId.Parse("C-1"), PersonId.Parse("P-1"), FinessNumber.Parse(Finess), Modality.Residential,
            KindOfSupport.Mas, new DateOnly(2026, 1, 1), DateTimeOffset.UtcNow, "test");
        foreach (var step in new[] { CandidatureStatus.UnderReview, CandidatureStatus.Waiting, CandidatureStatus.Offered }.TakeWhile(_ => c.Status != status))
            c = CandidatureStateMachine.Transition(c, step, null, DateTimeOffset.UtcNow, "test");
        return c;
    }

    [Theory]
    [InlineData("42", null, CandidatureStatus.Received, CandidatureStatus.UnderReview, false)]
    [InlineData("42", null, CandidatureStatus.UnderReview, CandidatureStatus.UnderReview, true)]
    [InlineData("72", null, CandidatureStatus.UnderReview, CandidatureStatus.Waiting, false)]
    [InlineData("71", null, CandidatureStatus.Waiting, CandidatureStatus.Offered, false)]
    [InlineData("43", null, CandidatureStatus.Offered, CandidatureStatus.Admitted, false)]
    [InlineData("46", "122", CandidatureStatus.Waiting, CandidatureStatus.RefusedByEsms, false)]
    [InlineData("46", "118", CandidatureStatus.Offered, CandidatureStatus.DeclinedByPerson, false)]
    [InlineData("46", "118", CandidatureStatus.Waiting, CandidatureStatus.Withdrawn, false)]
    [InlineData("46", "124", CandidatureStatus.Waiting, CandidatureStatus.Withdrawn, false)]
    [InlineData("37", "173", CandidatureStatus.Waiting, CandidatureStatus.Expired, false)]
    public void J252_and_j251_are_read_as_the_status_they_mean_for_this_candidature(string status, string? reason, CandidatureStatus from, CandidatureStatus target, bool noChange)
    {
        var move = SdoStatusTranslation.Translate(status, reason, Candidature(from));

        Assert.Equal(target, move.Target);
        Assert.Equal(noChange, move.NoChange);
    }

    [Theory]
    [InlineData("40", null, "UNSUPPORTED_STATUS")]
    [InlineData("46", "150", "UNSUPPORTED_REASON")]
    public void Codes_without_an_equivalent_are_refused_in_french(string status, string? reason, string code)
    {
        var refusal = Assert.Throws<DomainException>(() => SdoStatusTranslation.Translate(status, reason, Candidature(CandidatureStatus.Waiting)));

        Assert.Equal(code, refusal.Code);
        Assert.Contains("n'a pas d'équivalent dans Listes360", refusal.Message);
    }

    [Fact]
    public void Every_status_produced_is_a_valid_sdo_task()
    {
        foreach (var info in CandidatureStatuses.All)
        {
            var reason = info.RequiresReason ? CandidatureReasons.AllowedFor(info.Status).First(r => r.Info().Ans is not null) : (CandidatureReason?)null;
            var c = Candidature(CandidatureStatus.Received) with
            {
                Status = info.Status,
                History = [new CandidatureHistoryEntry { Version = 1, Event = CandidatureEvent.StatusChanged, To = info.Status, Reason = reason, At = DateTimeOffset.UtcNow, By = "test" }],
            };
            var task = SdoTaskMapper.ToTask(c, "MAS", null);
            Assert.Empty(SdoTaskRules.Check(task));
            Assert.Equal(info.Ans.Code, SdoTaskRules.CodeOf(task, SdoProfile.StatutEsms));
        }
    }
}
