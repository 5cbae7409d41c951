using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Listes360.Application.Persons;
using Listes360.Domain;
using Listes360.Domain.Candidatures;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;
using Listes360.Domain.Security;
using Listes360.Fhir.SdoClient;
using Listes360.Grains.Common;
using Listes360.Grains.Persons;
using Listes360.Grains.Registry;
using Listes360.Grains.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using FhirTask = Hl7.Fhir.Model.Task;
using Task = System.Threading.Tasks.Task;

namespace Listes360.Fhir;

/// <summary>
/// The FHIR R4 endpoint of the ANS SDO exchange (<c>/fhir</c>, JSON), as the guide's server for the
/// département's ESMS software: flow 4 (<c>POST /fhir/Task</c>, <c>PUT /fhir/Task/{id}</c>), flow 5.1
/// (<c>GET /fhir/Task?_lastUpdated=gt…</c>, <c>GET /fhir/Task/{id}</c>), flow 2 (<c>POST /fhir/Consent</c>)
/// and <c>GET /fhir/metadata</c>. Same bearer tokens, same use cases and grain calls as GraphQL (so the
/// same state machine and authorization filter); every call is written to the audit trail.
/// </summary>
public static class FhirEndpoints
{
    public const string BasePath = "/fhir";
    public const string FhirJson = "application/fhir+json";
    /// <summary>Largest request body read (a Task or a Consent is a few kilobytes).</summary>
    public const int MaxBodyBytes = 256 * 1024;

    /// <summary>FHIR JSON, UTF-8 text as is (French messages readable, not \u-escaped).</summary>
    internal static readonly JsonSerializerOptions Json =
        new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }.ForFhir(ModelInfo.ModelInspector);
    private static readonly FirelyValidation Validation = FirelyValidation.Shared;

    /// <summary>Maps <c>/fhir</c>. <paramref name="toCaller"/> turns the token into the caller (the host's one rule).</summary>
    public static IEndpointRouteBuilder MapListes360Fhir(this IEndpointRouteBuilder app, Func<ClaimsPrincipal, (Caller? Caller, string? Error)> toCaller)
    {
        _ = Validation.WarmUpAsync();
        var fhir = app.MapGroup(BasePath);
#pragma warning disable ASP0016 // the inner handlers return their resource to RunAsync, which writes it

        fhir.MapGet("/metadata", (HttpContext http) => WriteAsync(http, 200, Capability.Statement(BaseUrl(http)))).AllowAnonymous();
        fhir.MapPost("/Task", (HttpContext http) => RunAsync(http, toCaller, "FHIR POST Task", c => PostTaskAsync(c))).RequireAuthorization();
        fhir.MapPut("/Task/{id}", (HttpContext http, string id) => RunAsync(http, toCaller, "FHIR PUT Task", c => PutTaskAsync(c, id))).RequireAuthorization();
        fhir.MapGet("/Task/{id}", (HttpContext http, string id) => RunAsync(http, toCaller, "FHIR GET Task", c => ReadTaskAsync(c, id))).RequireAuthorization();
        fhir.MapGet("/Task", (HttpContext http) => RunAsync(http, toCaller, "FHIR GET Task?", c => SearchTasksAsync(c))).RequireAuthorization();
        fhir.MapPost("/Consent", (HttpContext http) => RunAsync(http, toCaller, "FHIR POST Consent", c => PostConsentAsync(c))).RequireAuthorization();
        fhir.MapGet("/" + SdoClientReport.Operation, (HttpContext http) => RunAsync(http, toCaller, "FHIR GET " + SdoClientReport.Operation, c => SdoClientReportAsync(c))).RequireAuthorization();
#pragma warning restore ASP0016
        return app;
    }

    /// <summary>One FHIR call: who, the grains, and what goes to the audit trail.</summary>
    private sealed class FhirCall(HttpContext http, Caller caller)
    {
        public HttpContext Http { get; } = http;
        public Caller Caller { get; } = caller;
        public IGrainFactory Grains { get; } = http.RequestServices.GetRequiredService<IGrainFactory>();
        /// <summary>The audit target: <c>{FINESS}|fhir/…</c> once the ESMS is known (the département follows from it).</summary>
        public string Target { get; set; } = http.Request.Path.Value ?? BasePath;
        public string? Detail { get; set; }
    }

    /// <summary>A refusal with its HTTP status and every issue found.</summary>
    private sealed class FhirRefusal(int status, string code, IReadOnlyList<FhirIssue> issues) : Exception(string.Join(" ; ", issues.Select(i => i.Message)))
    {
        public int Status { get; } = status;
        public string Code { get; } = code;
        public IReadOnlyList<FhirIssue> Issues { get; } = issues;

        public FhirRefusal(int status, string code, string location, string message) : this(status, code, [new FhirIssue(location, message, code)]) { }
    }

    private static async Task RunAsync(HttpContext http, Func<ClaimsPrincipal, (Caller? Caller, string? Error)> toCaller, string operation,
        Func<FhirCall, Task<(int Status, Resource Resource, string? Location)>> handle)
    {
        var (caller, error) = toCaller(http.User);
        var trail = http.RequestServices.GetService<IAuditTrail>();
        var clock = http.RequestServices.GetService<TimeProvider>() ?? TimeProvider.System;
        if (caller is null)
        {
            await AppendAsync(trail, new AuditEntry(clock.GetUtcNow(), Subject(http), Role.System, operation, AuditKind.Read, http.Request.Path.Value ?? "", AuditOutcome.Denied, error));
            await WriteAsync(http, 403, Outcome(403, "FORBIDDEN", [new FhirIssue(BasePath, error!, "FORBIDDEN")]));
            return;
        }
        var call = new FhirCall(http, caller);
        var kind = HttpMethods.IsGet(http.Request.Method) ? AuditKind.Read : AuditKind.Write;
        using var acting = CallerContext.As(caller);
        // One FHIR call is one request for the audit: a page scan of an ESMS's view is audited once.
        RequestContext.Set(RequestAuditDeduplication.RequestKey, Guid.NewGuid().ToString("N"));
        int status;
        string? failure = null;
        try
        {
            var (ok, resource, location) = await handle(call);
            status = ok;
            if (location is not null)
                http.Response.Headers.Location = $"{BaseUrl(http)}/{location}";
            if (resource.Meta?.VersionId is { } version)
                http.Response.Headers.ETag = $"W/\"{version}\"";
            await WriteAsync(http, status, resource);
        }
        catch (Exception e) when (Refusal(e) is { } refusal)
        {
            status = refusal.Status;
            failure = refusal.Code;
            await WriteAsync(http, status, Outcome(status, refusal.Code, refusal.Issues));
        }
        catch (Exception e) when (e is TimeoutException or OrleansException)
        {
            status = 503;
            failure = e.GetType().Name;
            http.Response.Headers.RetryAfter = "5";
            await WriteAsync(http, status, Outcome(status, "UNAVAILABLE",
                [new FhirIssue(BasePath, "Le service est momentanément indisponible (grappe en reprise) : réessayez dans quelques secondes ; rien n'a été perdu.", "UNAVAILABLE")]));
        }
        catch (Exception e)
        {
            status = 500;
            failure = e.GetType().Name;
            http.RequestServices.GetService<ILoggerFactory>()?.CreateLogger(typeof(FhirEndpoints)).LogError(e, "Appel FHIR {Operation} en échec.", operation);
            await WriteAsync(http, status, Outcome(status, "INTERNAL",
                [new FhirIssue(BasePath, "Erreur interne du service : l'appel n'a pas abouti et l'incident est journalisé.", "INTERNAL")]));
        }
        await AppendAsync(trail, new AuditEntry(clock.GetUtcNow(), caller.Subject, caller.Role, operation, kind, call.Target,
            failure is null ? AuditOutcome.Done : status == 403 ? AuditOutcome.Denied : AuditOutcome.Failed,
            failure is null ? call.Detail : $"HTTP {status} {failure}{(call.Detail is null ? "" : " ; " + call.Detail)}"));
    }

    private static FhirRefusal? Refusal(Exception e) => e switch
    {
        FhirRefusal r => r,
        DomainException d => new FhirRefusal(HttpStatusOf(d.Code), d.Code, d.Field is null ? BasePath : $"Task ({d.Field})", d.Message),
        _ => null,
    };

    /// <summary>The HTTP status of a refusal of the domain or the grains.</summary>
    public static int HttpStatusOf(string code) => code switch
    {
        "FORBIDDEN" => 403,
        "UNKNOWN_PERSON" or "CANDIDATURE_NOT_FOUND" or "UNKNOWN_ESMS" or "NOT_FOUND" => 404,
        "FORBIDDEN_TRANSITION" or "CANDIDATURE_NOT_OPEN" or "PERSON_MERGED" or "VERSION_CONFLICT" => 409,
        "REASON_REQUIRED" or "INVALID_REASON" or "UNSUPPORTED_STATUS" or "UNSUPPORTED_REASON" or "INVALID_RESOURCE" => 422,
        _ => 400,
    };

    // ---------- flow 4 ----------

    private static async Task<(int, Resource, string?)> PostTaskAsync(FhirCall call)
    {
        if (call.Http.Request.Headers.ContainsKey("If-None-Exist"))
            throw new FhirRefusal(400, "UNSUPPORTED_CONDITIONAL", "If-None-Exist",
                "La création conditionnelle (If-None-Exist) n'est pas prise en charge (le guide SDO ne l'emploie pas) : un POST pour une candidature qui a déjà sa Task met à jour cette Task ({FINESS}-{candidature}), il n'en crée jamais une seconde.");
        var task = await ReadResourceAsync<FhirTask>(call.Http);
        var report = Check(task);
        var finess = FinessOf(report);
        RequireOwnEsms(call, finess);
        call.Target = $"{finess.Value}|fhir/Task";
        var person = await LocatePersonAsync(call, finess, report);
        var personId = person.Record.Id.Value;
        var decision = DecisionOf(person, report);
        var candidature = person.Candidatures
            .Where(c => c.Finess == finess && c.Kind == decision.Kind)
            .OrderByDescending(c => c.IsOpen).ThenByDescending(c => c.RequestDate).FirstOrDefault()
            ?? throw new FhirRefusal(404, "CANDIDATURE_NOT_FOUND", "Task.for",
                $"La personne {personId} n'a pas de candidature dans l'ESMS {finess.Value} pour la décision {report.DecisionId} ({decision.Kind.Info().Label}) : créez-la d'abord (mutation createCandidature ou import de la liste).");
        var result = await ApplyAsync(call, person, candidature, report, decision);
        return (201, result, $"Task/{result.Id}/_history/{result.Meta!.VersionId}");
    }

    private static async Task<(int, Resource, string?)> PutTaskAsync(FhirCall call, string id)
    {
        var (finess, candidatureId) = ParseTaskId(id);
        RequireOwnEsms(call, finess);
        call.Target = $"{finess.Value}|fhir/Task/{id}";
        var task = await ReadResourceAsync<FhirTask>(call.Http);
        if (task.Id is { } bodyId && bodyId != id)
            throw new FhirRefusal(400, "INVALID_RESOURCE", "Task.id", $"L'identifiant de la Task ({bodyId}) diffère de celui de l'adresse ({id}).");
        var report = Check(task);
        if (FinessOf(report) != finess)
            throw new FhirRefusal(422, "INVALID_RESOURCE", "Task.input", $"idNat_Struct ({report.StructureId}) ne désigne pas l'ESMS de la Task {id} ({finess.Value}).");
        // The Task's id names the candidature, hence the person; Task.for, when it names a person of this
        // service, must be that one (another Listes360 or an SI-SDO may send its own pseudonym: ignored).
        var view = await FindInEsmsAsync(call, finess, candidatureId);
        if (report.PersonId is { } named && named != view.PersonId.Value && await KnownPersonAsync(call, named) is not null)
            throw new FhirRefusal(422, "INVALID_RESOURCE", "Task.for", $"Task.for désigne la personne {named} ; la Task {id} est celle d'une autre personne.");
        var personId = view.PersonId.Value;
        var person = await ReadPersonAsync(call, personId);
        var candidature = person.Candidatures.FirstOrDefault(c => c.Id == candidatureId && c.Finess == finess)
            ?? throw new FhirRefusal(404, "NOT_FOUND", "Task.id", $"La Task {id} n'existe pas pour la personne {personId}.");
        var result = await ApplyAsync(call, person, candidature, report, DecisionOf(person, report));
        return (200, result, null);
    }

    private static async Task<FhirTask> ApplyAsync(FhirCall call, PersonSnapshot person, Candidature candidature, SdoStatusReport report, Orientation decision)
    {
        if (decision.Kind != candidature.Kind)
            throw new FhirRefusal(422, "INVALID_RESOURCE", "Task.input", $"La décision {report.DecisionId} ({decision.Kind.Info().Label}) ne porte pas sur le type d'accompagnement de la candidature ({candidature.Kind.Info().Label}).");
        var current = candidature;
        if (report.Status is { } status)
        {
            var move = SdoStatusTranslation.Translate(status, report.Reason, candidature);
            call.Detail = $"Task {TaskIds.Of(candidature.Finess, candidature.Id)} : J252 {status}{(report.Reason is null ? "" : $", J251 {report.Reason}")} → {move.Target.Code()}{(move.NoChange ? " (déjà à ce statut)" : "")}";
            if (!move.NoChange)
            {
                var result = await call.Http.RequestServices.GetRequiredService<ChangeCandidatureStatus>()
                    .ExecuteAsync(new ChangeCandidatureStatusInput(person.Record.Id.Value, candidature.Id.Value, move.Target, move.Reason), call.Caller);
                current = result.Candidature ?? current;
            }
        }
        return await ProduceAsync(call, current, decision, report.NationalDecisionId);
    }

    // ---------- flow 5.1 ----------

    private static async Task<(int, Resource, string?)> ReadTaskAsync(FhirCall call, string id)
    {
        var (finess, candidatureId) = ParseTaskId(id);
        RequireOwnEsms(call, finess);
        call.Target = $"{finess.Value}|fhir/Task/{id}";
        var view = await FindInEsmsAsync(call, finess, candidatureId);
        var person = await ReadPersonAsync(call, view.PersonId.Value);
        var candidature = person.Candidatures.FirstOrDefault(c => c.Id == candidatureId)
            ?? throw new FhirRefusal(404, "NOT_FOUND", "Task.id", $"La Task {id} n'existe pas.");
        return (200, await ProduceAsync(call, candidature, SdoTaskMapper.DecisionOf(person.Record, candidature), null), null);
    }

    /// <summary>
    /// Flow 5.1: the Tasks of the calling ESMS's candidatures changed since the date by an admission
    /// elsewhere (J252 45, reason 119: the person was admitted in another ESMS, never said which) or by
    /// the confirmation of that « admission impossible » (J252 46, reason 119).
    /// </summary>
    private static async Task<(int, Resource, string?)> SearchTasksAsync(FhirCall call)
    {
        var query = call.Http.Request.Query;
        if (call.Caller.Role != Role.EsmsDirector || call.Caller.Finess.Count == 0)
            throw new FhirRefusal(403, "FORBIDDEN", "Task", "Le flux 5.1 s'adresse au logiciel d'un ESMS : le jeton doit porter le rôle esms-director et le FINESS de l'ESMS.");
        var known = new HashSet<string> { "_lastUpdated", "_elements", "_format" };
        if (query.Keys.FirstOrDefault(k => !known.Contains(k)) is { } unknown)
            throw new FhirRefusal(400, "INVALID_SEARCH", unknown, $"Paramètre de recherche « {unknown} » non pris en charge : _lastUpdated (gt ou ge) et _elements=id seulement (voir /fhir/metadata).");
        var since = ParseLastUpdated(query["_lastUpdated"]);
        var idsOnly = (string?)query["_elements"] is { } elements
            ? elements.Split(',', StringSplitOptions.TrimEntries) is ["id"] ? true : throw new FhirRefusal(400, "INVALID_SEARCH", "_elements", "Seul _elements=id est pris en charge.")
            : false;
        call.Target = $"{call.Caller.Finess[0]}|fhir/Task?_lastUpdated";
        var bundle = new Bundle { Type = Bundle.BundleType.Searchset, Id = Guid.NewGuid().ToString("N"), Meta = new Meta { LastUpdated = DateTimeOffset.UtcNow } };
        foreach (var finessValue in call.Caller.Finess)
        {
            var finess = FinessNumber.Parse(finessValue);
            await foreach (var view in ViewsAsync(call, finess))
            {
                if (view.UpdatedAt <= since.At && !(since.Inclusive && view.UpdatedAt == since.At))
                    continue;
                if (!(view.Status == CandidatureStatus.SolutionFoundElsewhere
                      || view.Status == CandidatureStatus.Withdrawn && view.Reason == CandidatureReason.AdmittedElsewhere))
                    continue;
                var id = TaskIds.Of(finess, view.Id);
                Resource entry;
                if (idsOnly)
                {
                    entry = new FhirTask { Id = id, Meta = new Meta { Tag = [new Coding("http://terminology.hl7.org/CodeSystem/v3-ObservationValue", "SUBSETTED")] } };
                }
                else
                {
                    var person = await ReadPersonAsync(call, view.PersonId.Value);
                    var candidature = person.Candidatures.First(c => c.Id == view.Id);
                    entry = await ProduceAsync(call, candidature, SdoTaskMapper.DecisionOf(person.Record, candidature), null);
                }
                bundle.Entry.Add(new Bundle.EntryComponent
                {
                    FullUrl = $"{BaseUrl(call.Http)}/Task/{id}",
                    Resource = entry,
                    Search = new Bundle.SearchComponent { Mode = Bundle.SearchEntryMode.Match },
                });
            }
        }
        bundle.Total = bundle.Entry.Count;
        call.Detail = $"{bundle.Total} Task(s) depuis le {since.At:yyyy-MM-dd'T'HH:mm:ssK}";
        return (200, bundle, null);
    }

    private static (DateTimeOffset At, bool Inclusive) ParseLastUpdated(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
            throw new FhirRefusal(400, "INVALID_SEARCH", "_lastUpdated", "Le paramètre _lastUpdated est obligatoire au flux 5.1 : _lastUpdated=gtAAAA-MM-JJ (ou ge, ou une date et heure).");
        var inclusive = value.StartsWith("ge", StringComparison.Ordinal);
        var text = value.StartsWith("gt", StringComparison.Ordinal) || inclusive ? value[2..] : value;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            // A day is a French day: « gt2026-11-30 » is after the end of that day in Paris.
            return (inclusive
                ? new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), Domain.Time.ParisDate.Zone.GetUtcOffset(day.ToDateTime(TimeOnly.MinValue)))
                : new DateTimeOffset(day.AddDays(1).ToDateTime(TimeOnly.MinValue), Domain.Time.ParisDate.Zone.GetUtcOffset(day.AddDays(1).ToDateTime(TimeOnly.MinValue))).AddTicks(-1),
                inclusive);
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) && text.Contains('T'))
            return (at, inclusive);
        throw new FhirRefusal(400, "INVALID_SEARCH", "_lastUpdated", $"« {value} » n'est pas une valeur de _lastUpdated : gt ou ge suivi d'une date AAAA-MM-JJ ou d'une date et heure ISO 8601.");
    }

    // ---------- flow 2 ----------

    private static async Task<(int, Resource, string?)> PostConsentAsync(FhirCall call)
    {
        var consent = await ReadResourceAsync<Consent>(call.Http);
        var issues = new List<FhirIssue>(Validation.Check(consent));
        var personId = SdoTaskMapper.PersonOf(consent.Patient);
        if (personId is null)
            issues.Add(new("Consent.patient", "Consent.patient doit désigner la personne (Patient/{identifiant Listes360}).", "required"));
        var source = consent.Meta?.Source?.Trim();
        FinessNumber finess = default;
        var finessText = source is { Length: 10 } && source[0] == '1' ? source[1..] : source?.Split('/')[^1];
        if (source is null)
            issues.Add(new("Consent.meta.source", "meta.source doit désigner l'ESMS qui a recueilli le consentement (son FINESS, ou 1 + FINESS).", "required"));
        else if (!FinessNumber.TryParse(finessText is { Length: 10 } t && t[0] == '1' ? t[1..] : finessText, out finess, out var finessError))
            issues.Add(new("Consent.meta.source", $"meta.source ne désigne pas un ESMS : {finessError}", "value"));
        if (consent.DateTime is null)
            issues.Add(new("Consent.dateTime", "Consent.dateTime (date du recueil) est obligatoire dans le profil ESMSConsent.", "required"));
        bool? given = consent.Status switch
        {
            Consent.ConsentState.Active => true,
            Consent.ConsentState.Rejected or Consent.ConsentState.Inactive => false,
            _ => null,
        };
        if (given is null)
            issues.Add(new("Consent.status", $"Consent.status « {consent.StatusElement?.JsonValue ?? "(absent)"} » : active (consentement donné), rejected ou inactive (refusé ou retiré).", "value"));
        if (issues.Count > 0)
            throw new FhirRefusal(422, "INVALID_RESOURCE", issues);
        RequireOwnEsms(call, finess);
        call.Target = $"{finess.Value}|fhir/Consent";
        var result = await call.Http.RequestServices.GetRequiredService<RecordConsent>()
            .ExecuteAsync(new RecordConsentInput(personId!, finess.Value, given!.Value), call.Caller);
        call.Detail = $"Consentement au partage de {personId} : {(given.Value ? "donné" : "refusé ou retiré")}";
        consent.Id = $"{finess.Value}-{result.Person.Record.Id.Value}";
        consent.Meta ??= new Meta();
        consent.Meta.VersionId = result.Person.Version.ToString(CultureInfo.InvariantCulture);
        consent.Meta.LastUpdated = DateTimeOffset.UtcNow;
        return (201, consent, $"Consent/{consent.Id}");
    }

    // ---------- the SI-SDO client's report ----------

    /// <summary>
    /// What the département's SI-SDO client sent, has pending and failed (French reasons), and its last poll
    /// of flow 5.1: administrators and territorial staff of the département (the grain's rule).
    /// </summary>
    private static async Task<(int, Resource, string?)> SdoClientReportAsync(FhirCall call)
    {
        var asked = (string?)call.Http.Request.Query["department"] ?? call.Caller.Department;
        var department = Domain.Geography.DepartmentCodes.Normalize(asked)
            ?? throw new FhirRefusal(400, "INVALID_SEARCH", "department", $"« {asked} » n'est pas un code de département : {SdoClientReport.Operation}?department=61.");
        call.Target = $"{department}|fhir/{SdoClientReport.Operation}";
        var report = await call.Grains.GetGrain<Grains.Sdo.ISdoExchangeGrain>(department).GetReportAsync();
        call.Detail = $"{report.Sent} envoyée(s), {report.Pending} en attente, {report.Failed} en échec";
        return (200, SdoClientReport.ToParameters(report), null);
    }

    // ---------- shared steps ----------

    /// <summary>Every SDOTask rule and every FHIR R4 error at once; then what the Task says.</summary>
    private static SdoStatusReport Check(FhirTask task)
    {
        var issues = SdoTaskRules.Check(task).Concat(Validation.Check(task)).ToList();
        if (issues.Count > 0)
            throw new FhirRefusal(422, "INVALID_RESOURCE", issues);
        return SdoTaskMapper.Read(task);
    }

    private static FinessNumber FinessOf(SdoStatusReport report)
    {
        if (report.StructureId.StartsWith('3'))
            throw new FhirRefusal(422, "INVALID_RESOURCE", "Task.input", $"idNat_Struct {report.StructureId} est un SIRET : Listes360 identifie les ESMS par leur FINESS (1 + FINESS).");
        return FinessNumber.TryParse(report.StructureId[1..], out var finess, out var error)
            ? finess
            : throw new FhirRefusal(422, "INVALID_RESOURCE", "Task.input", $"idNat_Struct {report.StructureId} : {error}");
    }

    private static void RequireOwnEsms(FhirCall call, FinessNumber finess)
    {
        if (AccessPolicy.DenyOtherEsms(call.Caller, finess) is { } refusal)
        {
            call.Target = $"{finess.Value}|fhir";
            throw new FhirRefusal(403, "FORBIDDEN", "Task", refusal);
        }
    }

    private static (FinessNumber, CandidatureId) ParseTaskId(string id) =>
        TaskIds.TryParse(id, out var finess, out var candidature, out var error)
            ? (finess, candidature)
            : throw new FhirRefusal(404, "NOT_FOUND", "Task.id", error!);

    private static async Task<PersonSnapshot> ReadPersonAsync(FhirCall call, string personId)
    {
        if (!PersonId.TryParse(personId, out var id, out var error))
            throw new FhirRefusal(422, "INVALID_RESOURCE", "Task.for", error);
        return await call.Grains.GetGrain<IPersonGrain>(id.Value).GetAsync()
            ?? throw new FhirRefusal(404, "UNKNOWN_PERSON", "Task.for", $"Aucune personne n'est enregistrée sous l'identifiant {personId}.");
    }

    /// <summary>
    /// The person of a Task, or null when the id is not one of this service's persons the caller may see
    /// (unknown and not on the ESMS's list answer alike: nothing tells an ESMS whether a person exists elsewhere).
    /// </summary>
    private static async Task<PersonSnapshot?> KnownPersonAsync(FhirCall call, string personId)
    {
        if (!PersonId.TryParse(personId, out var id, out _))
            return null;
        try
        {
            return await call.Grains.GetGrain<IPersonGrain>(id.Value).GetAsync();
        }
        catch (DomainException e) when (e.Code == "FORBIDDEN")
        {
            return null;
        }
    }

    /// <summary>
    /// The person a POSTed Task is about: <c>Task.for</c> when it names a person of this service; otherwise
    /// (absent, as the guide allows, or the sender's own pseudonym — another Listes360 or an SI-SDO) the one
    /// person on this ESMS's list with the MDPH decision <c>idDecision</c>, as the SI-SDO itself knows a
    /// dossier by its decision. Only the calling ESMS's candidatures are looked at (one read per person on
    /// its list: a fallback, not the usual path).
    /// </summary>
    private static async Task<PersonSnapshot> LocatePersonAsync(FhirCall call, FinessNumber finess, SdoStatusReport report)
    {
        if (report.PersonId is { } named && await KnownPersonAsync(call, named) is { } known)
            return known;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var matches = new List<PersonSnapshot>();
        var batch = new List<PersonId>();
        async Task FlushAsync()
        {
            var persons = await Task.WhenAll(batch.Select(p => call.Grains.GetGrain<IPersonGrain>(p.Value).GetAsync()));
            matches.AddRange(persons.OfType<PersonSnapshot>().Where(p => p.Record.Orientations.Any(o => o.DecisionReference == report.DecisionId)));
            batch.Clear();
        }
        await foreach (var view in ViewsAsync(call, finess))
        {
            if (!seen.Add(view.PersonId.Value))
                continue;
            batch.Add(view.PersonId);
            if (batch.Count >= 50)
                await FlushAsync();
        }
        await FlushAsync();
        var whyNot = report.PersonId is null ? "Task.for est absent" : $"Task.for ({report.PersonId}) ne désigne aucune personne de Listes360";
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new FhirRefusal(404, "UNKNOWN_PERSON", "Task.input",
                $"{whyNot} et aucune personne de la liste de l'ESMS {finess.Value} n'a la décision {report.DecisionId} (idDecision) : créez d'abord sa candidature (mutation createCandidature ou import de la liste)."),
            _ => throw new FhirRefusal(409, "AMBIGUOUS_PERSON", "Task.input",
                $"{whyNot} et {matches.Count} personnes de la liste de l'ESMS {finess.Value} ont la décision {report.DecisionId} : désignez la personne par Task.for (Patient/{{identifiant Listes360}})."),
        };
    }

    private static Orientation DecisionOf(PersonSnapshot person, SdoStatusReport report) =>
        person.Record.Orientations.FirstOrDefault(o => o.DecisionReference == report.DecisionId)
        ?? throw new FhirRefusal(422, "INVALID_RESOURCE", "Task.input",
            $"La décision {report.DecisionId} (idDecision) n'est pas une décision d'orientation enregistrée pour la personne {person.Record.Id.Value}.");

    private static async IAsyncEnumerable<EsmsCandidatureView> ViewsAsync(FhirCall call, FinessNumber finess)
    {
        string? after = null;
        while (true)
        {
            var page = await call.Grains.GetGrain<IEsmsGrain>(finess.Value).GetCandidaturesAsync(false, after, Paging.MaxPageSize);
            foreach (var view in page.Items)
                yield return view;
            if (!page.HasNextPage || page.EndCursor is null)
                yield break;
            after = page.EndCursor;
        }
    }

    private static async Task<EsmsCandidatureView> FindInEsmsAsync(FhirCall call, FinessNumber finess, CandidatureId candidature)
    {
        await foreach (var view in ViewsAsync(call, finess))
            if (view.Id == candidature)
                return view;
        throw new FhirRefusal(404, "NOT_FOUND", "Task.id", $"La Task {TaskIds.Of(finess, candidature)} n'existe pas : aucune candidature {candidature.Value} dans l'ESMS {finess.Value}.");
    }

    /// <summary>The Task of a candidature, checked as every Task Listes360 produces.</summary>
    private static async Task<FhirTask> ProduceAsync(FhirCall call, Candidature candidature, Orientation? decision, string? nationalDecisionId)
    {
        var esms = await call.Grains.GetGrain<IEsmsGrain>(candidature.Finess.Value).GetAsync();
        var task = SdoTaskMapper.ToTask(candidature, esms?.Profile.Name ?? candidature.Finess.Value, decision, nationalDecisionId);
        var issues = SdoTaskRules.Check(task).Concat(Validation.Check(task)).ToList();
        if (issues.Count > 0)
            throw new InvalidOperationException("Task produite invalide : " + string.Join(" ; ", issues.Select(i => $"{i.Location} {i.Message}")));
        return task;
    }

    private static async Task<T> ReadResourceAsync<T>(HttpContext http) where T : Resource
    {
        if (http.Request.ContentLength > MaxBodyBytes)
            throw new FhirRefusal(413, "TOO_LARGE", typeof(T).Name, $"Le corps de la requête dépasse {MaxBodyBytes / 1024} Kio.");
        using var buffer = new MemoryStream();
        var read = new byte[16 * 1024];
        int n;
        while ((n = await http.Request.Body.ReadAsync(read)) > 0)
        {
            if (buffer.Length + n > MaxBodyBytes)
                throw new FhirRefusal(413, "TOO_LARGE", typeof(T).Name, $"Le corps de la requête dépasse {MaxBodyBytes / 1024} Kio.");
            buffer.Write(read, 0, n);
        }
        Resource? resource;
        try
        {
            resource = JsonSerializer.Deserialize<Resource>(buffer.ToArray(), Json);
        }
        catch (DeserializationFailedException e)
        {
            throw new FhirRefusal(400, "INVALID_JSON",
                e.Exceptions.Select(x => new FhirIssue(typeof(T).Name, $"JSON FHIR illisible : {x.Message}", "structure")).ToList());
        }
        catch (JsonException e)
        {
            throw new FhirRefusal(400, "INVALID_JSON", e.Path ?? typeof(T).Name, $"Le corps n'est pas du JSON FHIR lisible : {e.Message}");
        }
        return resource as T
            ?? throw new FhirRefusal(400, "INVALID_RESOURCE", "resourceType", $"Une ressource {typeof(T).Name} est attendue ; reçu {resource?.TypeName ?? "rien"}.");
    }

    internal static OperationOutcome Outcome(int status, string code, IReadOnlyList<FhirIssue> issues) => new()
    {
        Issue = issues.Select(i => new OperationOutcome.IssueComponent
        {
            Severity = OperationOutcome.IssueSeverity.Error,
            Code = status switch
            {
                403 => OperationOutcome.IssueType.Forbidden,
                404 => OperationOutcome.IssueType.NotFound,
                409 => OperationOutcome.IssueType.Conflict,
                413 => OperationOutcome.IssueType.TooCostly,
                503 => OperationOutcome.IssueType.Transient,
                500 => OperationOutcome.IssueType.Exception,
                422 when i.Code is "required" => OperationOutcome.IssueType.Required,
                422 when i.Code is "code-invalid" => OperationOutcome.IssueType.CodeInvalid,
                422 when i.Code is "structure" => OperationOutcome.IssueType.Structure,
                422 when i.Code is "value" => OperationOutcome.IssueType.Value,
                422 when i.Code is "invariant" => OperationOutcome.IssueType.Invariant,
                422 => OperationOutcome.IssueType.BusinessRule,
                _ => OperationOutcome.IssueType.Invalid,
            },
            Details = new CodeableConcept(SdoProfile.Listes360System + ":error", code, i.Message, i.Message),
            Diagnostics = i.Message,
            Expression = [i.Location],
        }).ToList(),
    };

    private static async Task WriteAsync(HttpContext http, int status, Resource resource)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = FhirJson + "; charset=utf-8";
        await http.Response.WriteAsync(JsonSerializer.Serialize(resource, Json));
    }

    private static string BaseUrl(HttpContext http) => $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}{BasePath}";

    private static string Subject(HttpContext http) =>
        http.User.FindFirst("name")?.Value ?? http.User.FindFirst("sub")?.Value ?? "inconnu";

    private static async Task AppendAsync(IAuditTrail? trail, AuditEntry entry)
    {
        if (trail is not null)
            await trail.AppendAsync(entry);
    }
}
