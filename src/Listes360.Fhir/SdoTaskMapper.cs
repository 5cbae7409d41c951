using Listes360.Domain.Candidatures;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;
using Listes360.Domain.Time;
using Hl7.Fhir.Model;
using FhirTask = Hl7.Fhir.Model.Task;

namespace Listes360.Fhir;

/// <summary>
/// A Listes360 Task is the person's status in one ESMS: one candidature, id <c>{FINESS}-{candidature id}</c>
/// (so the ESMS is known from the id alone), version the candidature's version.
/// </summary>
public static class TaskIds
{
    public static string Of(FinessNumber finess, CandidatureId candidature) => $"{finess.Value}-{candidature.Value}";

    /// <summary>The ESMS and the candidature of a Task id, or the French reason it is not one of Listes360.</summary>
    public static bool TryParse(string? id, out FinessNumber finess, out CandidatureId candidature, out string? error)
    {
        finess = default;
        candidature = default;
        var parts = (id ?? "").Split('-', 2);
        if (parts.Length != 2 || !FinessNumber.TryParse(parts[0], out finess, out _) || !CandidatureId.TryParse(parts[1], out candidature, out _))
        {
            error = $"« {id} » n'est pas un identifiant de Task de Listes360 (FINESS de l'ESMS, tiret, identifiant de la candidature).";
            return false;
        }
        error = null;
        return true;
    }
}

/// <summary>What an incoming SDOTask says, once its slices are read (checked first by <see cref="SdoTaskRules"/>).</summary>
public sealed record SdoStatusReport(string? PersonId, string StructureId, string? Status, string? Reason, string DecisionId, string NationalDecisionId);

/// <summary>SDOTask ⇄ candidature: reading an incoming Task, and writing the Task of a candidature.</summary>
public static class SdoTaskMapper
{
    /// <summary>OID of the national structure identifiers (idNat_Struct).</summary>
    public const string StructureIdSystem = "urn:oid:1.2.250.1.71.4.2.2";
    public const string DecisionSystem = SdoProfile.Listes360System + ":decision-mdph";

    public static SdoStatusReport Read(FhirTask task) => new(
        PersonOf(task.For),
        (SdoTaskRules.ValueOf(task, SdoProfile.IdNatStruct) as Identifier)?.Value?.Trim() ?? "",
        SdoTaskRules.CodeOf(task, SdoProfile.StatutEsms),
        SdoTaskRules.CodeOf(task, SdoProfile.MotifEsms),
        (SdoTaskRules.ValueOf(task, SdoProfile.IdDecision) as Identifier)?.Value?.Trim() ?? "",
        (SdoTaskRules.ValueOf(task, SdoProfile.IdNatDecision) as Identifier)?.Value?.Trim() ?? "");

    /// <summary>The Listes360 person id of a <c>Patient/{id}</c> reference (absolute or relative), or null.</summary>
    public static string? PersonOf(ResourceReference? reference)
    {
        if (reference?.Reference is { } r)
        {
            var at = r.LastIndexOf("Patient/", StringComparison.Ordinal);
            if (at >= 0)
                return r[(at + "Patient/".Length)..].Split('/')[0];
        }
        return reference?.Identifier is { System: SdoProfile.Listes360System + ":person", Value: { } value } ? value : null;
    }

    /// <summary>The CDAPH decision a candidature relies on: the person's decision of the same kind, valid on the request date if any, latest first.</summary>
    public static Orientation? DecisionOf(PersonRecord record, Candidature candidature) =>
        record.Orientations.Where(o => o.Kind == candidature.Kind)
            .OrderByDescending(o => o.IsValidOn(candidature.RequestDate))
            .ThenByDescending(o => o.ValidFrom)
            .FirstOrDefault();

    /// <summary>
    /// The SDOTask of a candidature: the ESMS (idNat_Struct, nomESMS), the J252 status and its J251 reason
    /// when the ANS has one, the status date, the decision. <paramref name="nationalDecisionId"/> is the
    /// SI-SDO's id when the ESMS gave it; otherwise the MDPH reference again, under Listes360's system.
    /// </summary>
    public static FhirTask ToTask(Candidature candidature, string esmsName, Orientation? decision, string? nationalDecisionId = null)
    {
        var last = candidature.History.IsDefaultOrEmpty ? null : candidature.History[^1];
        var (status, reason) = SdoStatusTranslation.ToAns(candidature.Status, last?.Reason);
        var decisionId = decision?.DecisionReference ?? candidature.Id.Value;
        var task = new FhirTask
        {
            Id = TaskIds.Of(candidature.Finess, candidature.Id),
            Meta = new Meta
            {
                Profile = [SdoProfile.TaskProfile],
                VersionId = candidature.Version.ToString(System.Globalization.CultureInfo.InvariantCulture),
                LastUpdated = last?.At ?? DateTimeOffset.UnixEpoch,
            },
            Status = FhirTask.TaskStatus.Completed,
            Intent = FhirTask.TaskIntent.Plan,
            For = new ResourceReference($"Patient/{candidature.PersonId.Value}"),
            Input =
            [
                Input(SdoProfile.IdNatStruct, new Identifier(StructureIdSystem, "1" + candidature.Finess.Value)),
                Input(SdoProfile.NomEsms, new FhirString(esmsName)),
                Input(SdoProfile.StatutEsms, new CodeableConcept(SdoProfile.J252System, status.Code, status.Display, null)),
            ],
        };
        if (reason is not null)
            task.Input.Add(Input(SdoProfile.MotifEsms, new CodeableConcept(SdoProfile.J251System, reason.Code, reason.Display, null)));
        task.Input.Add(Input(SdoProfile.DateStatutEsms, new Date(candidature.StatusSince.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture))));
        task.Input.Add(Input(SdoProfile.IdDecision, new Identifier(DecisionSystem, decisionId)));
        task.Input.Add(Input(SdoProfile.IdNatDecision, new Identifier(nationalDecisionId is null ? DecisionSystem : null, nationalDecisionId ?? decisionId)));
        return task;
    }

    public static FhirTask.ParameterComponent Input(string slice, DataType value) => new()
    {
        Type = new CodeableConcept(SdoProfile.InputCodeSystem, slice, slice, slice),
        Value = value,
    };

    /// <summary>The day of an instant in Paris (status dates are French days).</summary>
    public static DateOnly Day(DateTimeOffset at) => ParisDate.Of(at);
}
