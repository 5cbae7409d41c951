using System.Globalization;
using System.Net;
using Hl7.Fhir.Model;
using Hl7.Fhir.Rest;
using Listes360.Domain;
using Listes360.Domain.Candidatures;
using Listes360.Domain.Persons;
using Listes360.Domain.Security;
using Listes360.Domain.Time;
using Listes360.Grains;
using Listes360.Grains.Common;
using Listes360.Grains.Persons;
using Listes360.Grains.Registry;
using Listes360.Grains.Sdo;
using Listes360.Grains.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using FhirTask = Hl7.Fhir.Model.Task;
using Task = System.Threading.Tasks.Task;

namespace Listes360.Fhir.SdoClient;

[GenerateSerializer, Alias("Listes360.Sdo.SdoExchangeState")]
public sealed class SdoExchangeState
{
    /// <summary>Each candidature's latest status towards the SI-SDO, by candidature id.</summary>
    [Id(0)] public Dictionary<string, SdoExchangeItem> Items { get; set; } = [];
    /// <summary>Start of the last successful poll of flow 5.1 (the next asks for what changed since, with a margin).</summary>
    [Id(1)] public DateTimeOffset? LastPollAt { get; set; }
    [Id(2)] public string? LastPoll { get; set; }
    /// <summary>The last lines of what flow 5.1 brought (bounded).</summary>
    [Id(3)] public List<string> Received { get; set; } = [];
    /// <summary>Statuses applied from the SI-SDO, by candidature id: when they come back from the ESMS grain they are not sent back.</summary>
    [Id(4)] public Dictionary<string, string> Learned { get; set; } = [];
    /// <summary>Last <c>meta.lastUpdated</c> applied of each SI-SDO Task (a poll's margin brings some again).</summary>
    [Id(5)] public Dictionary<string, DateTimeOffset> Seen { get; set; } = [];
}

/// <summary>
/// <see cref="ISdoExchangeGrain"/>: a durable queue (one item per candidature, the latest status only,
/// as every receiver of the service applies by version), sent by a timer: each due item is read from the
/// person's grain, mapped to an SDOTask, checked (SDOTask rules and the Firely validator) and sent with the
/// Firely client, POST the first time and PUT after. A transient failure (unreachable, 5xx, 408, 429)
/// keeps it pending with a growing delay; a refusal of the SI-SDO or an invalid Task makes it failed with
/// the French reason, until the candidature changes again. Every write is one state write; a restart
/// resumes from it (the reminder wakes the grain).
/// </summary>
public sealed class SdoExchangeGrain : Grain, ISdoExchangeGrain, IRemindable
{
    public const int MaxItems = 50_000;
    public const int ReceivedKept = 100;
    /// <summary>A sent status of a closed candidature is forgotten this long after it was sent (the SI-SDO keeps it).</summary>
    public static readonly TimeSpan SentClosedKept = TimeSpan.FromDays(30);
    private const string WakeReminder = "sdo-wake";
    /// <summary>
    /// Shared with the FHIR endpoints (warmed up at start-up). Its first use loads the specification and
    /// compiles the schemas synchronously (tens of seconds on a loaded machine): it runs off the grain's
    /// scheduler (<see cref="ValidateAsync"/>), else that turn holds the activation and even the
    /// interleaved report and queueing wait behind it (seen: the report timing out, 503, for a minute).
    /// </summary>
    private static readonly FirelyValidation Validation = FirelyValidation.Shared;

    private readonly IPersistentState<SdoExchangeState> state;
    private readonly TimeProvider clock;
    private readonly ILogger<SdoExchangeGrain> logger;
    private readonly SdoClientOptions options;
    private readonly SemaphoreSlim writing = new(1, 1);
    private IGrainTimer? timer;
    private Task? wakeRegistration;
    private DateTimeOffset lastPollTry = DateTimeOffset.MinValue;

    public SdoExchangeGrain([PersistentState("sdo", StorageNames.Main)] IPersistentState<SdoExchangeState> state, TimeProvider clock,
        ILogger<SdoExchangeGrain> logger, IServiceProvider services)
    {
        this.state = state;
        this.clock = clock;
        this.logger = logger;
        options = services.GetService<SdoClientOptions>() ?? new SdoClientOptions();
    }

    private string Department => this.GetPrimaryKeyString();

    private bool Enabled => options.Enabled && options.Departments.Contains(Department);

    private Caller Service => new($"client SI-SDO ({Department})", Role.System, [], Department, null);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (!Enabled)
            return Task.CompletedTask;
        var tick = TimeSpan.FromSeconds(options.TickSeconds);
        timer = this.RegisterGrainTimer(_ => TickAsync(), new GrainTimerCreationOptions(tick, tick) { Interleave = false, KeepAlive = true });
        // Not awaited here: the reminder service may wait for its first read of the table (seconds after a
        // restart), and the activation, with every call to it, would wait as long.
        wakeRegistration ??= RegisterWakeAsync();
        return Task.CompletedTask;
    }

    /// <summary>After a restart or a failover nobody calls this grain: the reminder brings it back.</summary>
    private async Task RegisterWakeAsync()
    {
        await Task.Yield();
        try
        {
            await this.RegisterOrUpdateReminder(WakeReminder, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(5));
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Rappel du client SI-SDO ({Department}) non enregistré : le service le réveille à son prochain démarrage.", Department);
        }
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => Task.CompletedTask;

    public Task WakeAsync() => Task.CompletedTask;

    public async Task EnqueueAsync(EsmsCandidatureView view)
    {
        if (!Enabled)
            return;
        var items = state.State.Items;
        var key = view.Id.Value;
        items.TryGetValue(key, out var known);
        if (known is not null && known.Version >= view.Version)
            return;
        if (known is null && items.Count >= MaxItems)
            throw new DomainException(StateWrites.LimitReachedCode,
                $"File du client SI-SDO du département {Department} pleine ({MaxItems} candidatures suivies) : le statut de {key} attend ; signalez-le à l'administrateur.");
        var now = clock.GetUtcNow();
        var code = view.Status.Code();
        var item = new SdoExchangeItem(key, view.PersonId.Value, view.Finess.Value, code, view.Version, view.Status.IsOpen(),
            SdoSendState.Pending, known?.RemoteTaskId, known?.NationalDecisionId, 0, known?.LastAttemptAt, now, known?.SentCode,
            "En attente d'envoi au SI-SDO.");
        if (state.State.Learned.Remove(key, out var learned) && learned == code)
            item = item with { State = SdoSendState.Sent, NextAttemptAt = null, Detail = $"Statut {code} reçu du SI-SDO (flux 5.1) : non renvoyé." };
        items[key] = item;
        await WriteAsync();
    }

    /// <summary>One write at a time: <see cref="EnqueueAsync"/> interleaves with the timer.</summary>
    private async Task WriteAsync()
    {
        await writing.WaitAsync();
        try
        {
            await state.WriteOrRestoreAsync("la file du client SI-SDO");
        }
        finally
        {
            writing.Release();
        }
    }

    public Task<SdoExchangeReport> GetReportAsync()
    {
        var s = state.State;
        var all = s.Items.Values;
        var shown = all.Where(i => i.State != SdoSendState.Sent).OrderBy(i => i.State).ThenBy(i => i.NextAttemptAt).Take(500)
            .Concat(all.Where(i => i.State == SdoSendState.Sent).OrderByDescending(i => i.LastAttemptAt).Take(200))
            .ToList();
        return Task.FromResult(new SdoExchangeReport(Department, Enabled, Enabled ? options.BaseUrl : null,
            all.Count(i => i.State == SdoSendState.Sent), all.Count(i => i.State == SdoSendState.Pending), all.Count(i => i.State == SdoSendState.Failed),
            s.LastPollAt, s.LastPoll ?? (Enabled ? "Flux 5.1 pas encore interrogé." : "Client SI-SDO désactivé (section SdoClient de la configuration)."),
            shown, s.Received.ToList()));
    }

    // ---------- the timer ----------

    private async Task TickAsync()
    {
        var now = clock.GetUtcNow();
        var changed = false;
        var due = state.State.Items.Values
            .Where(i => i.State == SdoSendState.Pending && (i.NextAttemptAt ?? now) <= now)
            .OrderBy(i => i.NextAttemptAt).Take(options.BatchSize).ToList();
        foreach (var item in due)
        {
            var result = await SendAsync(item);
            // A newer status may have come in while this one was sent: it stays pending, with the SI-SDO's id.
            state.State.Items[item.CandidatureId] = state.State.Items.TryGetValue(item.CandidatureId, out var now2) && now2.Version > item.Version
                ? now2 with { RemoteTaskId = result.RemoteTaskId ?? now2.RemoteTaskId, NationalDecisionId = result.NationalDecisionId ?? now2.NationalDecisionId, SentCode = result.SentCode ?? now2.SentCode }
                : result;
            changed = true;
        }
        if (now - lastPollTry >= TimeSpan.FromSeconds(options.PollSeconds) && state.State.Items.Values.Any(i => i.RemoteTaskId is not null))
        {
            lastPollTry = now;
            await PollAsync(now);
            changed = true;
        }
        changed |= Forget(now);
        if (changed)
        {
            try
            {
                await WriteAsync();
            }
            catch (Exception e)
            {
                // Restored to what storage has: the sends are done again at the next tick (PUT is idempotent).
                logger.LogWarning(e, "Écriture de la file du client SI-SDO ({Department}) en échec : reprise au prochain passage.", Department);
            }
        }
    }

    /// <summary>Sent statuses of closed candidatures are forgotten after a while; the received lines and seen Tasks stay bounded.</summary>
    private bool Forget(DateTimeOffset now)
    {
        var old = state.State.Items.Values
            .Where(i => i.State == SdoSendState.Sent && !i.Open && i.LastAttemptAt < now - SentClosedKept)
            .Select(i => i.CandidatureId).ToList();
        foreach (var id in old)
            state.State.Items.Remove(id);
        var seen = state.State.Seen;
        var known = state.State.Items.Values.Select(i => i.RemoteTaskId).Where(r => r is not null).ToHashSet();
        foreach (var id in seen.Keys.Where(k => !known.Contains(k)).ToList())
            seen.Remove(id);
        return old.Count > 0;
    }

    private async Task<SdoExchangeItem> SendAsync(SdoExchangeItem item)
    {
        var now = clock.GetUtcNow();
        var attempt = item.Attempts + 1;
        try
        {
            using var acting = CallerContext.As(Service);
            var person = await GrainFactory.GetGrain<IPersonGrain>(item.PersonId).GetAsync();
            var candidature = person?.Candidatures.FirstOrDefault(c => c.Id.Value == item.CandidatureId);
            if (person is null || candidature is null)
                return Failed(item, attempt, now, $"La candidature {item.CandidatureId} n'est plus au dossier de la personne {item.PersonId} (fusion ou scission) : rien à envoyer.");
            var esms = await GrainFactory.GetGrain<IEsmsGrain>(item.Finess).GetAsync();
            var task = SdoTaskMapper.ToTask(candidature, esms?.Profile.Name ?? item.Finess, SdoTaskMapper.DecisionOf(person.Record, candidature), item.NationalDecisionId);
            // Listes360's own id of the status as a business identifier: the SI-SDO can find it again.
            task.Identifier = [new Identifier(SdoProfile.Listes360System + ":task", TaskIds.Of(candidature.Finess, candidature.Id))];
            var issues = SdoTaskRules.Check(task).Concat(await ValidateAsync(task)).ToList();
            if (issues.Count > 0)
                return Failed(item, attempt, now, "Task invalide, non envoyée : " + string.Join(" ; ", issues.Select(i => $"{i.Location} : {i.Message}")));
            task.Meta!.VersionId = null;
            task.Id = item.RemoteTaskId;
            var client = SdoClients().Create();
            var sent = item.RemoteTaskId is null ? await client.CreateAsync(task) : await client.UpdateAsync(task);
            var remoteId = sent?.Id ?? item.RemoteTaskId ?? LocationId(client);
            if (remoteId is null)
                return Failed(item, attempt, now, "Le SI-SDO a accepté la Task sans donner son identifiant : les mises à jour suivantes ne pourraient pas la désigner.");
            var national = sent is null ? null : (SdoTaskRules.ValueOf(sent, SdoProfile.IdNatDecision) as Identifier)?.Value;
            var code = SdoTaskRules.CodeOf(task, SdoProfile.StatutEsms);
            return item with
            {
                State = SdoSendState.Sent,
                RemoteTaskId = remoteId,
                NationalDecisionId = national ?? item.NationalDecisionId,
                Attempts = attempt,
                LastAttemptAt = now,
                NextAttemptAt = null,
                SentCode = code,
                Detail = $"Envoyée au SI-SDO le {Paris(now)} ({(item.RemoteTaskId is null ? "POST" : "PUT")} Task/{remoteId}, statut J252 {code}{(attempt > 1 ? $", au bout de {attempt} essais" : "")}).",
            };
        }
        catch (FhirOperationException e) when (!SdoRetry.IsTransient((int)e.Status))
        {
            var why = e.Outcome?.Issue.Select(i => i.Diagnostics ?? i.Details?.Text).Where(t => !string.IsNullOrWhiteSpace(t)).ToList() is { Count: > 0 } reasons
                ? string.Join(" ; ", reasons)
                : e.Message;
            return Failed(item, attempt, now, $"Refusée par le SI-SDO (HTTP {(int)e.Status}) : {why}. Non renvoyée tant que le statut de la candidature ne change pas.");
        }
        catch (Exception e) when (e is FhirOperationException or HttpRequestException or TaskCanceledException or TimeoutException or OrleansException)
        {
            var next = now + SdoRetry.Delay(attempt, options);
            var why = e switch
            {
                FhirOperationException f => $"HTTP {(int)f.Status}",
                HttpRequestException h => $"injoignable : {h.Message}",
                TaskCanceledException or TimeoutException => $"pas de réponse en {options.TimeoutSeconds} s",
                _ => "service momentanément indisponible",
            };
            logger.LogInformation("Task de {Candidature} non envoyée au SI-SDO (essai {Attempt}) : {Why}", item.CandidatureId, attempt, why);
            return item with
            {
                Attempts = attempt,
                LastAttemptAt = now,
                NextAttemptAt = next,
                Detail = $"SI-SDO indisponible ({why}) au {attempt}e essai le {Paris(now)} : nouvel essai le {Paris(next)} ; rien n'est perdu.",
            };
        }
        catch (DomainException e)
        {
            return Failed(item, attempt, now, $"Non envoyée : {e.Message}");
        }
    }

    /// <summary>The Firely validator on the thread pool: the grain keeps serving interleaved calls meanwhile.</summary>
    private static Task<IReadOnlyList<FhirIssue>> ValidateAsync(FhirTask task) => Task.Run(() => Validation.Check(task));

    private static string? LocationId(FhirClient client) =>
        client.LastResult?.Location is { } location && new ResourceIdentity(location).Id is { } id ? id : null;

    private SdoExchangeItem Failed(SdoExchangeItem item, int attempt, DateTimeOffset now, string reason)
    {
        logger.LogWarning("Task de {Candidature} en échec vers le SI-SDO : {Reason}", item.CandidatureId, reason);
        return item with { State = SdoSendState.Failed, Attempts = attempt, LastAttemptAt = now, NextAttemptAt = null, Detail = reason };
    }

    // ---------- flow 5.1 ----------

    /// <summary>
    /// Flow 5.1 as the ESMS software does it: the ids of the Tasks changed since the last poll (with a
    /// margin), then each Task. A Task about a candidature sent from here (its SI-SDO id) is applied
    /// through the same state machine as everywhere (J252/J251 → harmonised status); what it did is kept
    /// in the report.
    /// </summary>
    private async Task PollAsync(DateTimeOffset now)
    {
        var since = (state.State.LastPollAt ?? now.AddDays(-1)).AddMinutes(-5);
        int found = 0, applied = 0;
        try
        {
            var client = SdoClients().Create();
            var ids = new List<string>();
            var bundle = await client.SearchAsync<FhirTask>(new SearchParams()
                .Add("_lastUpdated", "gt" + since.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture))
                .Add("_elements", "id"));
            while (bundle is not null)
            {
                ids.AddRange(bundle.Entry.Select(e => e.Resource?.Id).OfType<string>());
                bundle = ids.Count < 5_000 ? await client.ContinueAsync(bundle) : null;
            }
            found = ids.Count;
            foreach (var id in ids.Distinct())
            {
                var item = state.State.Items.Values.FirstOrDefault(i => i.RemoteTaskId == id);
                if (item is null)
                {
                    Receive($"Task {id} du SI-SDO ignorée : aucune candidature du département {Department} ne lui a été envoyée.");
                    continue;
                }
                var task = await client.ReadAsync<FhirTask>($"Task/{id}");
                if (task is null)
                    continue;
                var updated = task.Meta?.LastUpdated ?? now;
                if (state.State.Seen.TryGetValue(id, out var seen) && seen >= updated)
                    continue;
                if (await ApplyAsync(item, task))
                    applied++;
                state.State.Seen[id] = updated;
            }
            state.State.LastPollAt = now;
            state.State.LastPoll = $"Flux 5.1 interrogé le {Paris(now)} : {found} Task(s) modifiée(s) depuis le {Paris(since)}, {applied} appliquée(s).";
        }
        catch (Exception e) when (e is FhirOperationException or HttpRequestException or TaskCanceledException or TimeoutException or OrleansException)
        {
            var why = e is FhirOperationException f ? $"HTTP {(int)f.Status}" : e is HttpRequestException h ? $"injoignable : {h.Message}" : "pas de réponse";
            state.State.LastPoll = $"Flux 5.1 en échec le {Paris(now)} ({why}) : nouvel essai dans {options.PollSeconds:0} s, depuis le {Paris(since)} (rien n'est sauté).";
            logger.LogInformation("Flux 5.1 du SI-SDO en échec ({Department}) : {Why}", Department, why);
        }
    }

    /// <summary>One Task of flow 5.1 applied to its candidature; true when the status changed.</summary>
    private async Task<bool> ApplyAsync(SdoExchangeItem item, FhirTask task)
    {
        var issues = SdoTaskRules.Check(task).ToList();
        if (issues.Count > 0)
        {
            Receive($"Task {task.Id} du SI-SDO invalide, non appliquée : " + string.Join(" ; ", issues.Select(i => $"{i.Location} : {i.Message}")));
            return false;
        }
        var report = SdoTaskMapper.Read(task);
        if (report.StructureId != "1" + item.Finess)
        {
            Receive($"Task {task.Id} du SI-SDO non appliquée : elle désigne la structure {report.StructureId}, la candidature {item.CandidatureId} est dans l'ESMS {item.Finess}.");
            return false;
        }
        if (report.Status is not { } status)
            return false;
        using var acting = CallerContext.As(Service);
        var person = GrainFactory.GetGrain<IPersonGrain>(item.PersonId);
        var candidature = (await person.GetAsync())?.Candidatures.FirstOrDefault(c => c.Id.Value == item.CandidatureId);
        if (candidature is null)
        {
            Receive($"Task {task.Id} du SI-SDO non appliquée : la candidature {item.CandidatureId} n'est plus au dossier de {item.PersonId}.");
            return false;
        }
        try
        {
            var move = SdoStatusTranslation.Translate(status, report.Reason, candidature);
            if (move.NoChange)
                return false;
            state.State.Learned[item.CandidatureId] = move.Target.Code();
            await person.ChangeCandidatureStatusAsync(candidature.Id, move.Target, move.Reason, $"SI-SDO (flux 5.1, Task {task.Id})");
            Receive($"Task {task.Id} du SI-SDO : J252 {status}{(report.Reason is null ? "" : $" (J251 {report.Reason})")} appliqué à la candidature {item.CandidatureId} de l'ESMS {item.Finess} : {candidature.Status.Code()} → {move.Target.Code()}.");
            return true;
        }
        catch (DomainException e)
        {
            state.State.Learned.Remove(item.CandidatureId);
            Receive($"Task {task.Id} du SI-SDO refusée pour la candidature {item.CandidatureId} : {e.Message}");
            return false;
        }
    }

    private void Receive(string line)
    {
        var received = state.State.Received;
        received.Add($"{Paris(clock.GetUtcNow())} — {line}");
        if (received.Count > ReceivedKept)
            received.RemoveRange(0, received.Count - ReceivedKept);
    }

    private SdoFhirClients SdoClients() => ServiceProvider.GetRequiredService<SdoFhirClients>();

    private static string Paris(DateTimeOffset at) =>
        TimeZoneInfo.ConvertTime(at, ParisDate.Zone).ToString("dd/MM/yyyy HH:mm:ss", CultureInfo.InvariantCulture);
}
