using System.Globalization;
using Listes360.Domain.Candidatures;
using Hl7.Fhir.Model;
using FhirTask = Hl7.Fhir.Model.Task;

namespace Listes360.Fhir;

/// <summary>One problem of a resource: where (a FHIRPath), what (French), and a stable code.</summary>
public sealed record FhirIssue(string Location, string Message, string Code = "invariant");

/// <summary>
/// The SDOTask profile's own rules, checked by the project (the guide's package is not needed at run
/// time): fixed <c>intent</c> and <c>status</c>, <c>meta.lastUpdated</c>, every slice's cardinality and
/// value type, the J252 / J251 / J253 bindings, the invariant <c>regle-StatutUnite</c>, and the
/// status / reason pairs Listes360 requires. Every problem is returned, each with its FHIRPath.
/// </summary>
public static class SdoTaskRules
{
    public static IReadOnlyList<FhirIssue> Check(FhirTask task)
    {
        var issues = new List<FhirIssue>();
        if (task.Meta?.LastUpdated is null)
            issues.Add(new("Task.meta.lastUpdated", "meta.lastUpdated est obligatoire dans le profil SDOTask (date de la dernière mise à jour).", "required"));
        if (task.Intent != FhirTask.TaskIntent.Plan)
            issues.Add(new("Task.intent", $"intent doit valoir « plan » (valeur fixée par le profil SDOTask) ; reçu « {Literal(task.IntentElement?.JsonValue)} ».", "value"));
        if (task.Status != FhirTask.TaskStatus.Completed)
            issues.Add(new("Task.status", $"status doit valoir « completed » (valeur fixée par le profil SDOTask) ; reçu « {Literal(task.StatusElement?.JsonValue)} ».", "value"));

        var inputs = task.Input ?? [];
        var bySlice = SdoProfile.Slices.ToDictionary(s => s.Code, _ => new List<int>());
        for (var i = 0; i < inputs.Count; i++)
            if (SliceOf(inputs[i]) is { } code && bySlice.TryGetValue(code, out var positions))
                positions.Add(i);

        foreach (var slice in SdoProfile.Slices)
        {
            var positions = bySlice[slice.Code];
            if (positions.Count < slice.Min)
                issues.Add(new("Task.input", $"La tranche « {slice.Code} » ({slice.Min}..{slice.Max}) est absente : Task.input doit contenir un élément de type « {slice.Code} ».", "required"));
            if (positions.Count > slice.Max)
                issues.Add(new($"Task.input[{positions[slice.Max]}]", $"La tranche « {slice.Code} » apparaît {positions.Count} fois ; le profil en admet au plus {slice.Max}.", "structure"));
            foreach (var i in positions)
                CheckValue(slice, inputs[i], $"Task.input[{i}]", issues);
        }

        var status = CodeOf(task, SdoProfile.StatutEsms);
        var reason = CodeOf(task, SdoProfile.MotifEsms);
        if (status is not null && SdoStatusTranslation.StatusesRequiringReason.Contains(status) && reason is null)
            issues.Add(new(PathOf(bySlice, SdoProfile.StatutEsms), $"Le statut J252 {status} « {AnsVocabulary.Statuses.GetValueOrDefault(status)?.Display} » exige un motif (tranche motifESMS, JDV_J251).", "business-rule"));
        if (reason is not null && status is null)
            issues.Add(new(PathOf(bySlice, SdoProfile.MotifEsms), "Un motif (motifESMS) n'a de sens qu'avec le statut qu'il explique (tranche statutESMS absente).", "business-rule"));

        if (bySlice[SdoProfile.StatutUnite].Count > 0)
            foreach (var required in SdoProfile.StatutUniteRequires.Where(r => bySlice[r].Count == 0))
                issues.Add(new("Task", $"Invariant regle-StatutUnite : quand statutUnite est renseigné, la tranche « {required} » est attendue.", "invariant"));
        return issues;
    }

    /// <summary>The slice an input belongs to: its type's coding in InputTaskSDOCodeSystem, else its text (older versions of the guide).</summary>
    public static string? SliceOf(FhirTask.ParameterComponent input) =>
        input.Type?.Coding?.FirstOrDefault(c => c.System == SdoProfile.InputCodeSystem && c.Code is not null)?.Code
        ?? (input.Type?.Text is { } text && SdoProfile.Slices.Any(s => s.Code == text) ? text : null);

    /// <summary>The value of a slice (the first), or null.</summary>
    public static DataType? ValueOf(FhirTask task, string slice) =>
        (task.Input ?? []).FirstOrDefault(i => SliceOf(i) == slice)?.Value;

    /// <summary>The code of a CodeableConcept slice (its first coding with a code), or null.</summary>
    public static string? CodeOf(FhirTask task, string slice) =>
        ValueOf(task, slice) is CodeableConcept concept ? concept.Coding?.FirstOrDefault(c => !string.IsNullOrWhiteSpace(c.Code))?.Code?.Trim() : null;

    private static string PathOf(Dictionary<string, List<int>> bySlice, string slice) =>
        bySlice[slice] is [var i, ..] ? $"Task.input[{i}].value.ofType(CodeableConcept)" : "Task.input";

    private static void CheckValue(SdoSlice slice, FhirTask.ParameterComponent input, string path, List<FhirIssue> issues)
    {
        var expected = slice.Kind switch
        {
            SdoValueKind.Identifier => typeof(Identifier),
            SdoValueKind.String => typeof(FhirString),
            SdoValueKind.CodeableConcept => typeof(CodeableConcept),
            SdoValueKind.Date => typeof(Date),
            _ => typeof(FhirBoolean),
        };
        var typeName = slice.Kind switch
        {
            SdoValueKind.Identifier => "Identifier",
            SdoValueKind.String => "string",
            SdoValueKind.CodeableConcept => "CodeableConcept",
            SdoValueKind.Date => "date",
            _ => "boolean",
        };
        if (input.Value is null || input.Value.GetType() != expected)
        {
            issues.Add(new($"{path}.value", $"La tranche « {slice.Code} » attend une valeur de type {typeName} (value{char.ToUpperInvariant(typeName[0])}{typeName[1..]})"
                + (input.Value is null ? " ; elle n'en a aucune." : $" ; reçu {input.Value.TypeName}."), "structure"));
            return;
        }
        var valuePath = $"{path}.value.ofType({typeName})";
        switch (input.Value)
        {
            case Identifier id when string.IsNullOrWhiteSpace(id.Value):
                issues.Add(new($"{valuePath}.value", $"L'identifiant de la tranche « {slice.Code} » n'a pas de valeur.", "required"));
                break;
            case FhirString s when string.IsNullOrWhiteSpace(s.Value):
                issues.Add(new(valuePath, $"La tranche « {slice.Code} » est vide.", "required"));
                break;
            case CodeableConcept concept:
                CheckBinding(slice.Code, concept, valuePath, issues);
                break;
        }
        if (slice.Code == SdoProfile.IdNatStruct && input.Value is Identifier { Value: { } idNat } && !IsStructureId(idNat))
            issues.Add(new($"{valuePath}.value",
                $"idNat_Struct « {idNat} » n'est pas un identifiant national de structure : « 1 » suivi des 9 caractères du FINESS, ou « 3 » suivi des 14 chiffres du SIRET.", "value"));
    }

    private static void CheckBinding(string slice, CodeableConcept concept, string path, List<FhirIssue> issues)
    {
        var codings = concept.Coding ?? [];
        if (slice == SdoProfile.ModePriseCharge && codings.Count != 1)
            issues.Add(new($"{path}.coding", $"modePriseCharge porte exactement un codage (il en porte {codings.Count}).", "structure"));
        var (valueSet, known) = slice switch
        {
            SdoProfile.StatutEsms => ("JDV_J252", (Func<string, bool>)AnsVocabulary.Statuses.ContainsKey),
            SdoProfile.MotifEsms => ("JDV_J251", AnsVocabulary.Reasons.ContainsKey),
            SdoProfile.StatutUnite => ("JDV_J253", SdoProfile.J253Codes.Contains),
            _ => ((string?)null, (Func<string, bool>?)null),
        };
        if (valueSet is null || known is null)
            return;
        var coded = codings.Select((c, i) => (c, i)).Where(p => !string.IsNullOrWhiteSpace(p.c.Code)).ToList();
        if (coded.Count == 0)
        {
            issues.Add(new($"{path}.coding", $"La tranche « {slice} » exige un code du jeu de valeurs {valueSet} (liaison obligatoire) ; aucun code reçu.", "code-invalid"));
            return;
        }
        foreach (var (coding, i) in coded.Where(p => !known(p.c.Code!.Trim())))
            issues.Add(new($"{path}.coding[{i}].code", $"Le code « {coding.Code} » n'appartient pas au jeu de valeurs {valueSet} (liaison obligatoire de la tranche « {slice} »).", "code-invalid"));
        var expectedSystem = slice switch
        {
            SdoProfile.StatutEsms => SdoProfile.J252System,
            SdoProfile.MotifEsms => SdoProfile.J251System,
            _ => null,
        };
        foreach (var (coding, i) in coded.Where(p => expectedSystem is not null && p.c.System is { } system && system != expectedSystem))
            issues.Add(new($"{path}.coding[{i}].system", $"Le système « {coding.System} » n'est pas celui de {valueSet} ({expectedSystem}).", "code-invalid"));
    }

    /// <summary>« 1 » + FINESS (9 characters) or « 3 » + SIRET (14 digits).</summary>
    public static bool IsStructureId(string value) =>
        value.Length == 10 && value[0] == '1' || value.Length == 15 && value[0] == '3' && value[1..].All(char.IsAsciiDigit);

    private static string Literal(object? value) => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "(absent)";
}
