using System.Collections.Immutable;
using System.Security.Cryptography;
using Listes360.Domain;
using Listes360.Domain.Vacancies;
using Listes360.Grains.Common;
using Listes360.Grains.Security;
using Microsoft.Extensions.Logging;

namespace Listes360.Grains.Vacancies;

[GenerateSerializer, Alias("Listes360.Vacancies.VacancyHookState")]
public sealed class VacancyHookState
{
    [Id(0)] public VacancyHookSettings? Settings { get; set; }
    [Id(1)] public List<PendingHookMessage> Pending { get; set; } = [];
    [Id(2)] public ImmutableArray<HookDelivery> Log { get; set; } = [];
}

/// <summary>
/// Queues each message in its state before acknowledging it (nothing is lost by a restart), posts in order,
/// stops at the first failure and retries it with backoff on a grain timer; a reminder, held while messages
/// wait, brings the grain back on any silo after a restart. Never logs the secret nor the URL.
/// </summary>
public sealed class VacancyHookGrain(
    [PersistentState("vacancy-hook", StorageNames.Main)] IPersistentState<VacancyHookState> state,
    TimeProvider clock,
    ILogger<VacancyHookGrain> logger,
    IVacancyHookTransport? transport = null) : Grain, IVacancyHookGrain, IRemindable
{
    public const string RetryReminder = "vacancy-hook-retry";
    private readonly IVacancyHookTransport _transport = transport ?? new HttpVacancyHookTransport();
    private IGrainTimer? _timer;
    private bool _delivering;

    private string Finess => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Pending.Count > 0)
            Schedule();
        return Task.CompletedTask;
    }

    public async Task<VacancyHookConfigured> ConfigureAsync(string url, string? secret, string by)
    {
        var valid = VacancyHookRules.ValidUrl(url);
        string? generated = null;
        if (string.IsNullOrEmpty(secret))
            generated = VacancyHookRules.SecretFrom(RandomNumberGenerator.GetBytes(32));
        var key = generated ?? VacancyHookRules.ValidSecret(secret!);
        var settings = new VacancyHookSettings { Url = valid, Secret = key, SetBy = CallerContext.Current?.Subject ?? by, SetAt = clock.GetUtcNow() };
        var before = state.State.Settings;
        state.State.Settings = settings;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            state.State.Settings = before;
            throw;
        }
        logger.LogInformation("Webhook des places libérées configuré pour l'ESMS {Finess} par {By}", Finess, settings.SetBy);
        return new VacancyHookConfigured(Finess, valid, generated, settings.SetAt);
    }

    public async Task RemoveAsync(string by)
    {
        var s = state.State;
        if (s.Settings is null)
            return;
        var now = clock.GetUtcNow();
        foreach (var p in s.Pending)
            s.Log = VacancyHookRules.Log(s.Log, new HookDelivery(p.Message.Id, p.Message.Event, now, p.Attempts, false, null, "Abandonné : webhook retiré."));
        s.Settings = null;
        s.Pending.Clear();
        await state.WriteOrRestoreAsync("le retrait du webhook");
        await UpdateReminderAsync();
    }

    public Task<VacancyHookView?> GetAsync() =>
        Task.FromResult(state.State.Settings is not { } settings ? null
            : new VacancyHookView(Finess, settings.Url, settings.SetBy, settings.SetAt, state.State.Pending.Count,
                state.State.Pending.Count > 0 ? state.State.Pending[0].NextAttemptAt : null, [.. state.State.Log.Reverse()]));

    public async Task EnqueueAsync(VacancyHookMessage message)
    {
        var s = state.State;
        if (s.Settings is null || s.Pending.Any(p => p.Message.Id == message.Id))
            return;
        if (s.Pending.Count >= VacancyHookRules.MaxPending)
        {
            // Bounded: the oldest waiting message is given up, said in the log.
            var oldest = s.Pending[0];
            s.Pending.RemoveAt(0);
            s.Log = VacancyHookRules.Log(s.Log, new HookDelivery(oldest.Message.Id, oldest.Message.Event, clock.GetUtcNow(), oldest.Attempts, false, null,
                $"Abandonné : plus de {VacancyHookRules.MaxPending} messages en attente."));
        }
        s.Pending.Add(new PendingHookMessage(message, 0, clock.GetUtcNow()));
        await state.WriteOrRestoreAsync("la file du webhook");
        await UpdateReminderAsync();
        Schedule();
    }

    public Task DeliverDueAsync() => DeliverGuardedAsync(force: false);

    /// <param name="force">The timer of the first message's attempt fired: it is due (the timer counts real time, the clock may be a test's).</param>
    private async Task DeliverGuardedAsync(bool force)
    {
        if (_delivering)
            return;
        _delivering = true;
        try
        {
            await DeliverAsync(force);
        }
        finally
        {
            _delivering = false;
        }
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) =>
        reminderName == RetryReminder ? DeliverDueAsync() : Task.CompletedTask;

    private async Task DeliverAsync(bool force)
    {
        var s = state.State;
        var changed = false;
        while (s.Settings is { } settings && s.Pending.Count > 0)
        {
            var now = clock.GetUtcNow();
            var next = s.Pending[0];
            if (next.NextAttemptAt > now && !force)
                break;
            force = false;
            var attempt = next.Attempts + 1;
            var headers = new Dictionary<string, string>
            {
                [VacancyHookRules.SignatureHeader] = VacancyHookRules.Sign(settings.Secret, now, next.Message.Body),
                [VacancyHookRules.EventHeader] = next.Message.Event,
                [VacancyHookRules.MessageIdHeader] = next.Message.Id,
            };
            int? code = null;
            string outcome;
            try
            {
                code = await _transport.PostAsync(settings.Url, next.Message.Body, headers, CancellationToken.None);
                outcome = code is >= 200 and < 300 ? $"Remis (HTTP {code})." : $"Refusé par le destinataire (HTTP {code}).";
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
            {
                outcome = e is TaskCanceledException ? "Pas de réponse en 10 secondes." : "Destinataire injoignable.";
            }
            changed = true;
            var delivered = code is >= 200 and < 300;
            if (delivered)
            {
                s.Pending.RemoveAt(0);
                s.Log = VacancyHookRules.Log(s.Log, new HookDelivery(next.Message.Id, next.Message.Event, now, attempt, true, code, outcome));
                continue;
            }
            if (now - next.Message.CreatedAt > VacancyHookRules.GiveUpAfter)
            {
                s.Pending.RemoveAt(0);
                s.Log = VacancyHookRules.Log(s.Log, new HookDelivery(next.Message.Id, next.Message.Event, now, attempt, false, code,
                    $"{outcome} Abandonné après {attempt} essais en {VacancyHookRules.GiveUpAfter.TotalDays:0} jours."));
                logger.LogWarning("Webhook de l'ESMS {Finess} : message {Message} abandonné après {Attempts} essais", Finess, next.Message.Id, attempt);
                continue;
            }
            var retry = VacancyHookRules.NextAttempt(attempt, now);
            s.Pending[0] = next with { Attempts = attempt, NextAttemptAt = retry };
            s.Log = VacancyHookRules.Log(s.Log, new HookDelivery(next.Message.Id, next.Message.Event, now, attempt, false, code,
                $"{outcome} Nouvel essai vers {retry:HH:mm:ss} UTC."));
            logger.LogWarning("Webhook de l'ESMS {Finess} : message {Message}, essai {Attempt} en échec ({Outcome})", Finess, next.Message.Id, attempt, outcome);
            break;
        }
        if (changed)
            await state.WriteOrRestoreAsync("la file du webhook");
        await UpdateReminderAsync();
        if (s.Pending.Count > 0 && s.Settings is not null)
            Schedule();
    }

    /// <summary>A timer for the first message's next attempt (at once by default).</summary>
    private void Schedule(TimeSpan? due = null)
    {
        var wait = due ?? (state.State.Pending.Count > 0 ? state.State.Pending[0].NextAttemptAt - clock.GetUtcNow() : TimeSpan.Zero);
        if (wait < TimeSpan.Zero)
            wait = TimeSpan.Zero;
        _timer?.Dispose();
        _timer = this.RegisterGrainTimer(async _ =>
        {
            _timer?.Dispose();
            _timer = null;
            await DeliverGuardedAsync(force: true);
        }, new GrainTimerCreationOptions(wait, Timeout.InfiniteTimeSpan) { Interleave = false, KeepAlive = true });
    }

    /// <summary>The reminder while messages wait (it reactivates the grain after a restart), none otherwise.</summary>
    private async Task UpdateReminderAsync()
    {
        var waiting = state.State.Pending.Count > 0 && state.State.Settings is not null;
        var reminder = await this.GetReminder(RetryReminder);
        if (waiting && reminder is null)
            await this.RegisterOrUpdateReminder(RetryReminder, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
        else if (!waiting && reminder is not null)
            await this.UnregisterReminder(reminder);
    }
}
