using Hl7.Fhir.Model;
using FhirTask = Hl7.Fhir.Model.Task;

namespace Listes360.Fhir.Tests;

/// <summary>SDOTasks as an ESMS's software writes them.</summary>
internal static class SdoTasks
{
    public static FhirTask Status(string person, string finess, string decision, string status, string? reason = null, string? id = null)
    {
        var task = new FhirTask
        {
            Id = id,
            Meta = new Meta { Profile = [SdoProfile.TaskProfile], LastUpdated = DateTimeOffset.UtcNow },
            Status = FhirTask.TaskStatus.Completed,
            Intent = FhirTask.TaskIntent.Plan,
            For = new ResourceReference($"Patient/{person}"),
            Input =
            [
                SdoTaskMapper.Input(SdoProfile.IdNatStruct, new Identifier(SdoTaskMapper.StructureIdSystem, "1" + finess)),
                SdoTaskMapper.Input(SdoProfile.NomEsms, new FhirString("MAS d'essai")),
                SdoTaskMapper.Input(SdoProfile.StatutEsms, new CodeableConcept(SdoProfile.J252System, status)),
                SdoTaskMapper.Input(SdoProfile.DateStatutEsms, new Date("2026-11-30")),
                SdoTaskMapper.Input(SdoProfile.IdDecision, new Identifier("urn:mdph61:decision", decision)),
                SdoTaskMapper.Input(SdoProfile.IdNatDecision, new Identifier("urn:si-sdo:decision", "SDO-" + decision)),
            ],
        };
        if (reason is not null)
            task.Input.Add(SdoTaskMapper.Input(SdoProfile.MotifEsms, new CodeableConcept(SdoProfile.J251System, reason)));
        return task;
    }

    public static string? Code(FhirTask task, string slice) => SdoTaskRules.CodeOf(task, slice);
}
