using Firely.Fhir.Validation;
using Hl7.Fhir.Model;
using Hl7.Fhir.Specification.Source;
using Hl7.Fhir.Specification.Terminology;

namespace Listes360.Fhir;

/// <summary>
/// FHIR R4 validation with the Firely validator, offline: the core specification ships with the
/// service (package <c>Hl7.Fhir.Specification.Data.R4</c>, <c>specification.zip</c> beside the binaries),
/// and the base profile of the resource is checked (types, cardinalities, required bindings of the
/// core value sets, invariants). The SDOTask profile's own rules are <see cref="SdoTaskRules"/>: the
/// guide's package is not carried, so the validator is not asked for it.
/// </summary>
public sealed class FirelyValidation
{
    private readonly Lazy<Validator> validator = new(Create, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>
    /// The one validator of the process (the FHIR endpoints and the SI-SDO client): the specification is
    /// loaded and the schemas compiled once, by the warm-up at start-up.
    /// </summary>
    public static FirelyValidation Shared { get; } = new();

    /// <summary>
    /// Loads the specification and compiles the Task and Consent schemas in the background (tens of
    /// seconds on a small machine), so that the first ESMS call does not wait for it. The host does not
    /// wait for the returned task; a test fixture may, so that its first call does not spend its timeout on it.
    /// </summary>
    public System.Threading.Tasks.Task WarmUpAsync() => System.Threading.Tasks.Task.Run(() =>
    {
        try
        {
            Check(new Hl7.Fhir.Model.Task { Status = Hl7.Fhir.Model.Task.TaskStatus.Completed, Intent = Hl7.Fhir.Model.Task.TaskIntent.Plan });
            Check(new Consent());
        }
        catch (Exception)
        {
            // The first real call reports the problem.
        }
    });

    private static Validator Create()
    {
        var source = new CachedResolver(ZipSource.CreateValidationSource());
        var terminology = new LocalTerminologyService(source);
        return new Validator(source, terminology);
    }

    /// <summary>Every error of <paramref name="resource"/> against its core R4 profile, with its location.</summary>
    public IReadOnlyList<FhirIssue> Check(Resource resource)
    {
        // The profiles the resource claims (SDOTask, ESMSConsent) are the guide's: not carried, so not asked for.
        var copy = (Resource)resource.DeepCopy();
        if (copy.Meta is { } meta)
            meta.Profile = [];
        var outcome = validator.Value.Validate(copy, $"http://hl7.org/fhir/StructureDefinition/{resource.TypeName}");
        return outcome.Issue
            .Where(i => i.Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal)
            .Select(i => new FhirIssue(i.Expression?.FirstOrDefault() ?? i.Location?.FirstOrDefault() ?? resource.TypeName,
                $"FHIR R4 : {i.Details?.Text ?? i.Diagnostics ?? i.Code?.ToString() ?? "erreur"}", "structure"))
            .ToList();
    }
}
