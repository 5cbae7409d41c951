using System.Collections.Concurrent;
using System.Text.Json;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using FhirTask = Hl7.Fhir.Model.Task;
using Task = System.Threading.Tasks.Task;

namespace Listes360.Fhir.Tests;

/// <summary>
/// A STAND-IN for the SI-SDO (ViaTrajectoire), not the real one: a FHIR server on 127.0.0.1 (a free port,
/// Kestrel) that keeps Tasks in memory, built with the service's own FHIR code (the Firely JSON settings of
/// <see cref="FhirEndpoints"/>, the SDOTask rules, the OperationOutcome of refusals). It serves what the
/// service uses as a client: POST and PUT of Task (flow 4), flow 5.1 (<c>GET Task?_lastUpdated=gt…&amp;_elements=id</c>,
/// then <c>GET Task/{id}</c>). A test can make it fail (HTTP 503, unreachable), refuse (422), or record
/// that a person was admitted elsewhere (the Task becomes J252 45 / J251 119, as the SI-SDO says in flow 5.1).
/// </summary>
public sealed class SdoStandIn : IAsyncDisposable
{
    public const string Token = "jeton-du-si-sdo-de-test";
    private readonly ConcurrentDictionary<string, FhirTask> tasks = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> changedBySdo = new();
    private readonly ConcurrentQueue<string> calls = new();
    private int next;
    private int failures;
    private int refusals;
    private string refusal = "";
    private string? refusalOnlyFor;
    private WebApplication? app;

    public string BaseUrl { get; private set; } = "";

    /// <summary>Every call received: <c>POST Task → 201</c>…</summary>
    public IReadOnlyList<string> Calls => calls.ToList();

    /// <summary>The next <paramref name="count"/> calls answer HTTP 503 (the SI-SDO is down).</summary>
    public void FailNext(int count) => Interlocked.Exchange(ref failures, count);

    /// <summary>While true, every call answers 503.</summary>
    public bool Down { get; set; }

    /// <summary>The next <paramref name="count"/> writes are refused with HTTP 422 and <paramref name="message"/>.</summary>
    /// <summary>
    /// Refuses the next <paramref name="count"/> writes (422 with <paramref name="message"/>); with
    /// <paramref name="onlyFor"/>, only writes whose body contains it (a decision id), so that a late write
    /// of another test (a retry under load) does not take the refusal meant for this one.
    /// </summary>
    public void RefuseNext(int count, string message, string? onlyFor = null)
    {
        refusal = message;
        refusalOnlyFor = onlyFor;
        Interlocked.Exchange(ref refusals, count);
    }

    public FhirTask? Task(string id) => tasks.TryGetValue(id, out var t) ? t : null;

    public IReadOnlyCollection<FhirTask> Tasks => tasks.Values.ToList();

    /// <summary>The SI-SDO learns (from elsewhere) that the person of Task <paramref name="id"/> was admitted in another ESMS.</summary>
    public void RecordAdmissionElsewhere(string id)
    {
        var task = tasks[id];
        var copy = (FhirTask)task.DeepCopy();
        copy.Input.RemoveAll(i => i.Type?.Coding.FirstOrDefault()?.Code is SdoProfile.StatutEsms or SdoProfile.MotifEsms);
        copy.Input.Add(SdoTaskMapper.Input(SdoProfile.StatutEsms, new CodeableConcept(SdoProfile.J252System, "45", "Admission impossible", null)));
        copy.Input.Add(SdoTaskMapper.Input(SdoProfile.MotifEsms, new CodeableConcept(SdoProfile.J251System, "119", "Admis dans un autre ESMS", null)));
        Stamp(copy, id);
        tasks[id] = copy;
        changedBySdo[id] = copy.Meta.LastUpdated!.Value;
    }

    public static async Task<SdoStandIn> StartAsync()
    {
        var standIn = new SdoStandIn();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapPost("/fhir/Task", standIn.PostAsync);
        app.MapPut("/fhir/Task/{id}", standIn.PutAsync);
        app.MapGet("/fhir/Task/{id}", standIn.ReadAsync);
        app.MapGet("/fhir/Task", standIn.SearchAsync);
        await app.StartAsync();
        standIn.app = app;
        standIn.BaseUrl = app.Urls.Single().TrimEnd('/') + "/fhir";
        return standIn;
    }

    private async Task PostAsync(HttpContext http)
    {
        if (await RefusedAsync(http, "POST Task", write: true) || await BodyAsync(http, "POST Task") is not { } task)
            return;
        var id = $"sdo-{Interlocked.Increment(ref next)}";
        Stamp(task, id);
        tasks[id] = task;
        http.Response.Headers.Location = $"{BaseUrl}/Task/{id}/_history/{task.Meta.VersionId}";
        await WriteAsync(http, "POST Task", 201, task);
    }

    private async Task PutAsync(HttpContext http, string id)
    {
        if (await RefusedAsync(http, $"PUT Task/{id}", write: true) || await BodyAsync(http, $"PUT Task/{id}") is not { } task)
            return;
        if (!tasks.TryGetValue(id, out var known))
        {
            await WriteAsync(http, $"PUT Task/{id}", 404, FhirEndpoints.Outcome(404, "NOT_FOUND", [new FhirIssue("Task.id", $"Task {id} inconnue du SI-SDO (doublure).", "not-found")]));
            return;
        }
        Stamp(task, id, int.Parse(known.Meta.VersionId!) + 1);
        tasks[id] = task;
        await WriteAsync(http, $"PUT Task/{id}", 200, task);
    }

    private async Task ReadAsync(HttpContext http, string id)
    {
        if (await RefusedAsync(http, $"GET Task/{id}", write: false))
            return;
        if (tasks.TryGetValue(id, out var task))
            await WriteAsync(http, $"GET Task/{id}", 200, task);
        else
            await WriteAsync(http, $"GET Task/{id}", 404, FhirEndpoints.Outcome(404, "NOT_FOUND", [new FhirIssue("Task.id", $"Task {id} inconnue.", "not-found")]));
    }

    /// <summary>Flow 5.1: the Tasks the SI-SDO itself changed since the date (ids only).</summary>
    private async Task SearchAsync(HttpContext http)
    {
        if (await RefusedAsync(http, "GET Task?", write: false))
            return;
        var value = (string?)http.Request.Query["_lastUpdated"] ?? "";
        if (!value.StartsWith("gt", StringComparison.Ordinal) || !DateTimeOffset.TryParse(value[2..], out var since) || (string?)http.Request.Query["_elements"] != "id")
        {
            await WriteAsync(http, "GET Task?", 400, FhirEndpoints.Outcome(400, "INVALID_SEARCH", [new FhirIssue("_lastUpdated", $"Recherche non prise en charge : {http.Request.QueryString}", "value")]));
            return;
        }
        var bundle = new Bundle { Type = Bundle.BundleType.Searchset };
        foreach (var (id, at) in changedBySdo.Where(c => c.Value > since))
            bundle.Entry.Add(new Bundle.EntryComponent { FullUrl = $"{BaseUrl}/Task/{id}", Resource = new FhirTask { Id = id } });
        bundle.Total = bundle.Entry.Count;
        await WriteAsync(http, "GET Task?", 200, bundle);
    }

    private static void Stamp(FhirTask task, string id, int version = 1)
    {
        task.Id = id;
        task.Meta ??= new Meta();
        task.Meta.VersionId = version.ToString();
        task.Meta.LastUpdated = DateTimeOffset.UtcNow;
    }

    private async Task<bool> RefusedAsync(HttpContext http, string call, bool write)
    {
        if (http.Request.Headers.Authorization.ToString() != "Bearer " + Token)
        {
            await WriteAsync(http, call, 401, FhirEndpoints.Outcome(401, "UNAUTHORIZED", [new FhirIssue("Authorization", "Jeton absent ou inconnu.", "security")]));
            return true;
        }
        if (Down || Interlocked.Decrement(ref failures) >= 0)
        {
            await WriteAsync(http, call, 503, FhirEndpoints.Outcome(503, "UNAVAILABLE", [new FhirIssue("Task", "SI-SDO (doublure) en maintenance.", "transient")]));
            return true;
        }
        if (write && Volatile.Read(ref refusals) > 0 && await ConcernsRefusalAsync(http) && Interlocked.Decrement(ref refusals) >= 0)
        {
            await WriteAsync(http, call, 422, FhirEndpoints.Outcome(422, "INVALID_RESOURCE", [new FhirIssue("Task.input", refusal, "business-rule")]));
            return true;
        }
        return false;
    }

    private async Task<bool> ConcernsRefusalAsync(HttpContext http)
    {
        if (refusalOnlyFor is not { } only)
            return true;
        http.Request.EnableBuffering();
        using var reader = new StreamReader(http.Request.Body, leaveOpen: true);
        var body = await reader.ReadToEndAsync();
        http.Request.Body.Position = 0;
        return body.Contains($"\"{only}\"", StringComparison.Ordinal);
    }

    /// <summary>The Task of the body, checked by the SDOTask rules; null (and a 422 written) when invalid.</summary>
    private async Task<FhirTask?> BodyAsync(HttpContext http, string call)
    {
        var task = await JsonSerializer.DeserializeAsync<Resource>(http.Request.Body, FhirEndpoints.Json) as FhirTask;
        var issues = task is null ? [new FhirIssue("Task", "Une Task est attendue.", "structure")] : SdoTaskRules.Check(task).ToList();
        if (issues.Count == 0)
            return task;
        await WriteAsync(http, call, 422, FhirEndpoints.Outcome(422, "INVALID_RESOURCE", issues));
        return null;
    }

    private async Task WriteAsync(HttpContext http, string call, int status, Resource resource)
    {
        calls.Enqueue($"{call} → {status}");
        http.Response.StatusCode = status;
        http.Response.ContentType = FhirEndpoints.FhirJson + "; charset=utf-8";
        await http.Response.WriteAsync(JsonSerializer.Serialize(resource, FhirEndpoints.Json));
    }

    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
