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

    private static Validator Create()
    {
        var source = new CachedResolver(ZipSource.CreateValidationSource());
        var terminology = new LocalTerminologyService(source);
        return new Validator(source, terminology);
    }

    /// <summary>Every error of <paramref name="resource"/> against its core R4 profile, with its location.</summary>
    public IReadOnlyList<FhirIssue> Check(Resource resource)
    {
        var outcome = validator.Value.Validate(resource, $"http://hl7.org/fhir/StructureDefinition/{resource.TypeName}");
        return outcome.Issue
            .Where(i => i.Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal)
            .Select(i => new FhirIssue(i.Expression?.FirstOrDefault() ?? i.Location?.FirstOrDefault() ?? resource.TypeName,
                $"FHIR R4 : {i.Details?.Text ?? i.Diagnostics ?? i.Code?.ToString() ?? "erreur"}", "structure"))
            .ToList();
    }
}
