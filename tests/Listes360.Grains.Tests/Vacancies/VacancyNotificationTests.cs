using System.Collections.Concurrent;
using System.Net;
using Listes360.Domain;
using Listes360.Domain.Candidatures;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;
using Listes360.Domain.Security;
using Listes360.Domain.Vacancies;
using Listes360.Domain.WaitingList;
using Listes360.Grains.Department;
using Listes360.Grains.Persons;
using Listes360.Grains.Registry;
using Listes360.Grains.Security;
using Listes360.Grains.Vacancies;
using Listes360.Grains.WaitingList;
using Orleans.Core.Internal;

namespace Listes360.Grains.Tests.Vacancies;

/// <summary>Issue 19, notifications and passes: the worklist items, the daily expiry pass, reopening, the signed webhook.</summary>
public sealed partial class VacancyGrainTests
{
    private static readonly DepartmentTopology Topology = new() { WaitingShards = 4 };

    private async Task<IReadOnlyList<WorklistRow>> WorklistAsync(string finess) =>
        (await Task.WhenAll(Topology.ListShardsOf("61").Select(k => cluster.Grains.GetGrain<IWaitingListShardGrain>(k).WorklistAsync())))
            .SelectMany(r => r).Where(r => r.Item.Esms?.Value == finess && r.Item.Kind is WorklistItemKind.VacancyProposed or WorklistItemKind.VacancyOffered).ToList();

    /// <summary>The director's worklist of <paramref name="finess"/> once it satisfies <paramref name="done"/> (the list shards are projections), or the last read.</summary>
    private async Task<IReadOnlyList<WorklistRow>> WorklistOnceAsync(string finess, Func<IReadOnlyList<WorklistRow>, bool> done)
    {
        using var _ = As(Role.EsmsDirector, finess);
        var rows = await WorklistAsync(finess);
        for (var i = 0; i < 50 && !done(rows); i++)
        {
            await Task.Delay(100);
            rows = await WorklistAsync(finess);
        }
        return rows;
    }

    [Fact]
    public async Task The_director_and_the_conseiller_see_the_proposed_persons_in_the_worklist_then_the_offer_and_an_undone_admission_reopens_the_place()
    {
        var ime = await NewEsmsAsync("183");
        var first = await NewPersonAsync(new Situation { Kind = SituationKind.AtHomeWithoutSolution, Since = new DateOnly(2025, 1, 1) }, new DateOnly(2015, 6, 1), KindOfSupport.Ime);
        var second = await NewPersonAsync(new Situation { Kind = SituationKind.AtHomeWithoutSolution, Since = new DateOnly(2025, 6, 1) }, new DateOnly(2016, 6, 1), KindOfSupport.Ime);
        var c1 = await WaitingAsync(first, ime, Modality.Residential, 300);
        var c2 = await WaitingAsync(second, ime, Modality.Residential, 100);
        using (As(Role.EsmsDirector, ime))
            await cluster.Grains.GetGrain<IEsmsGrain>(ime).SetPlacesAsync(Modality.Residential, 20, 19, Today, "dir");
        var vacancy = Assert.Single(await Vacancies(ime).ListAsync(openOnly: true));

        var rows = await WorklistOnceAsync(ime, r => r.Count == 2);
        Assert.Equal([c1.Id, c2.Id], rows.OrderBy(r => r.Item.Why).Select(r => r.Item.Candidature!.Value));
        Assert.All(rows, r => Assert.Equal(WorklistItemKind.VacancyProposed, r.Item.Kind));
        Assert.All(rows, r => Assert.Contains("2 candidat(s) proposé(s)", r.Item.Why));
        Assert.Contains(rows, r => r.Item.Why.Contains("proposée n° 1") && r.BirthName == "Durand");
        // The conseiller (territorial staff of the département) sees them with the persons' other items; a director of another ESMS does not.
        using (As(Role.TerritorialStaff))
            Assert.Equal(2, (await Task.WhenAll(Topology.ListShardsOf("61").Select(k => cluster.Grains.GetGrain<IWaitingListShardGrain>(k).WorklistAsync())))
                .SelectMany(r => r).Count(r => r.Item.Esms?.Value == ime && r.Item.Kind == WorklistItemKind.VacancyProposed));
        using (As(Role.EsmsDirector, "610000994"))
            Assert.Empty(await WorklistAsync(ime));

        using (As(Role.EsmsDirector, ime))
            await OfferAsync(Vacancies(ime), first, vacancy.Id, c1.Id);
        rows = await WorklistOnceAsync(ime, r => r.Count == 1 && r[0].Item.Kind == WorklistItemKind.VacancyOffered);
        var offered = Assert.Single(rows);
        Assert.Equal((WorklistItemKind.VacancyOffered, c1.Id), (offered.Item.Kind, offered.Item.Candidature));
        Assert.Contains("réponse de la personne attendue", offered.Item.Why);

        using (As(Role.EsmsDirector, ime))
            await first.ChangeCandidatureStatusAsync(c1.Id, CandidatureStatus.Admitted, null, "dir");
        Assert.Empty(await WorklistOnceAsync(ime, r => r.Count == 0));
        Assert.Equal(VacancyStatus.Filled, (await Vacancies(ime).GetAsync(vacancy.Id))!.Status);

        // The trial period fails: the admission is undone, the place opens again for the next proposed candidate.
        using (As(Role.EsmsDirector, ime))
            await first.ChangeCandidatureStatusAsync(c1.Id, CandidatureStatus.RefusedByEsms, CandidatureReason.TrialPeriodInconclusive, "dir");
        vacancy = (await Vacancies(ime).GetAsync(vacancy.Id))!;
        Assert.Equal((VacancyStatus.Open, (CandidatureId?)null, (DateOnly?)null), (vacancy.Status, vacancy.FilledBy, vacancy.ClosedOn));
        Assert.Equal((OfferOutcome.Ended, false), (vacancy.Offers[0].Outcome, vacancy.Offers[0].CountsAsRefusal));
        Assert.Contains(vacancy.Steps, s => s.Code == "REOPENED" && s.Text.Contains(c2.Id.Value));
        Assert.Equal(c2.Id, vacancy.NotYetOffered[0].CandidatureId);
        rows = await WorklistOnceAsync(ime, r => r.Count == 1 && r[0].Item.Candidature == c2.Id);
        Assert.Contains("1 candidat(s) proposé(s)", Assert.Single(rows).Item.Why);
    }

    [Fact]
    public async Task The_daily_expiry_pass_puts_an_overdue_offer_back_on_the_waiting_list_and_passes_the_place_to_the_next_candidate()
    {
        var ime = await NewEsmsAsync("183");
        var first = await NewPersonAsync(new Situation { Kind = SituationKind.AtHomeWithoutSolution, Since = new DateOnly(2025, 1, 1) }, new DateOnly(2015, 6, 1), KindOfSupport.Ime);
        var second = await NewPersonAsync(new Situation { Kind = SituationKind.AtHomeWithoutSolution, Since = new DateOnly(2025, 6, 1) }, new DateOnly(2016, 6, 1), KindOfSupport.Ime);
        var c1 = await WaitingAsync(first, ime, Modality.Residential, 300);
        var c2 = await WaitingAsync(second, ime, Modality.Residential, 100);
        var vacancy = await Vacancies(ime).RecordExitAsync(Modality.Residential, ExitReason.ReturnHome, Today, "dir");
        Assert.Contains(ExpiryReminderOf(ime), await RemindersAsync(Vacancies(ime)));
        vacancy = await OfferAsync(Vacancies(ime), first, vacancy.Id, c1.Id);
        var deadline = vacancy.PendingOffer!.Deadline;

        using (CallerContext.As(Caller.ServiceItself))
            Assert.Equal(0, await Vacancies(ime).RunExpiryPassAsync()); // the deadline day itself is still in time
        var start = MemoryClusterFixture.Clock.Now;
        try
        {
            MemoryClusterFixture.Clock.Now = new DateTimeOffset(deadline.AddDays(1).ToDateTime(new TimeOnly(10, 0)), TimeSpan.Zero);
            int expired;
            using (CallerContext.As(Caller.ServiceItself))
                expired = await Vacancies(ime).RunExpiryPassAsync();
            Assert.Equal(1, expired);
        }
        finally
        {
            MemoryClusterFixture.Clock.Now = start;
        }
        Assert.Equal(CandidatureStatus.Waiting, (await first.GetAsync())!.Candidatures.Single(c => c.Id == c1.Id).Status);
        vacancy = (await Vacancies(ime).GetAsync(vacancy.Id))!;
        Assert.Equal((VacancyStatus.Open, OfferOutcome.Expired, false), (vacancy.Status, vacancy.Offers[0].Outcome, vacancy.Offers[0].CountsAsRefusal));
        Assert.Contains(vacancy.Steps, s => s.Code == "EXPIRED" && s.Text.Contains("Délai de réponse dépassé"));
        Assert.Equal(c2.Id, vacancy.NotYetOffered[0].CandidatureId);

        // Withdrawn, nothing open: the daily reminder goes.
        await Vacancies(ime).WithdrawAsync(vacancy.Id, "Place fermée", "dir");
        Assert.DoesNotContain(ExpiryReminderOf(ime), await RemindersAsync(Vacancies(ime)));
    }

    private static string ExpiryReminderOf(string _) => VacancyGrain.ExpiryReminder;

    private async Task<IReadOnlyList<string>> RemindersAsync(IGrain grain) =>
        [.. (await cluster.Reminders.ReadRows(grain.GetGrainId())).Reminders.Select(r => r.ReminderName)];

    [Fact]
    public async Task The_signed_webhook_is_set_by_the_director_posts_each_change_signed_and_retries_with_backoff_after_a_failure()
    {
        var ime = await NewEsmsAsync("183");
        var person = await NewPersonAsync(new Situation { Kind = SituationKind.AtHomeWithoutSolution, Since = new DateOnly(2025, 1, 1) }, new DateOnly(2015, 6, 1), KindOfSupport.Ime);
        var candidature = await WaitingAsync(person, ime, Modality.Residential, 300);
        await using var receiver = HookReceiver.Start(failFirst: 1);
        var hook = cluster.Grains.GetGrain<IVacancyHookGrain>(ime);

        // Denied: a director of another ESMS, territorial staff, an http URL off this machine; nothing is set.
        using (As(Role.EsmsDirector, "610000994"))
            Assert.Equal("FORBIDDEN", (await Assert.ThrowsAsync<DomainException>(() => hook.ConfigureAsync(receiver.Url, null, "x"))).Code);
        using (As(Role.TerritorialStaff))
            Assert.Equal("FORBIDDEN", (await Assert.ThrowsAsync<DomainException>(() => hook.ConfigureAsync(receiver.Url, null, "x"))).Code);
        VacancyHookConfigured configured;
        using (As(Role.EsmsDirector, ime))
        {
            Assert.Equal("INVALID_HOOK_URL", (await Assert.ThrowsAsync<DomainException>(() => hook.ConfigureAsync("http://esms.example.org/hook", null, "x"))).Code);
            Assert.Equal("INVALID_HOOK_SECRET", (await Assert.ThrowsAsync<DomainException>(() => hook.ConfigureAsync(receiver.Url, "court", "x"))).Code);
            Assert.Null(await hook.GetAsync());
            configured = await hook.ConfigureAsync(receiver.Url, null, "dir");
        }
        var secret = configured.GeneratedSecret!;
        Assert.True(secret.Length >= 43);
        receiver.Secret = secret;

        // A place freed: opened and proposed → one message; the first attempt gets a 500, the retry (2 s later) goes through.
        using (As(Role.EsmsDirector, ime))
            await cluster.Grains.GetGrain<IEsmsGrain>(ime).SetPlacesAsync(Modality.Residential, 20, 19, Today, "dir");
        var vacancy = Assert.Single(await Vacancies(ime).ListAsync(openOnly: true));
        var received = await receiver.WaitAsync(1, TimeSpan.FromSeconds(20));
        var message = Assert.Single(received);
        Assert.True(message.SignatureValid, "signature HMAC-SHA256 invalide");
        Assert.Equal($"{vacancy.Id}/{vacancy.Version}", message.MessageId);
        Assert.Contains("\"proposedCandidates\":1", message.Body);
        Assert.Contains("Place libérée : 1 candidat(s) proposé(s).", System.Text.Json.JsonDocument.Parse(message.Body).RootElement.GetProperty("text").GetString());
        Assert.DoesNotContain("Durand", message.Body);
        Assert.Equal(2, receiver.Attempts);

        VacancyHookView? view;
        using (As(Role.EsmsDirector, ime))
            view = await hook.GetAsync();
        Assert.NotNull(view);
        Assert.Equal(0, view!.Pending);
        Assert.Equal([true, false], view.Deliveries.Take(2).Select(d => d.Delivered));
        Assert.Equal([204, 500], view.Deliveries.Take(2).Select(d => d.StatusCode ?? 0));
        Assert.Equal(2, view.Deliveries[0].Attempt);
        Assert.DoesNotContain(view.Deliveries, d => d.Outcome.Contains(secret));
        using (As(Role.TerritorialStaff))
            Assert.Equal("FORBIDDEN", (await Assert.ThrowsAsync<DomainException>(() => hook.GetAsync())).Code);

        // Receiver down, the grain deactivated: the waiting message is kept and posted once the grain is back and the receiver answers.
        receiver.FailNext = int.MaxValue;
        using (As(Role.EsmsDirector, ime))
            await OfferAsync(Vacancies(ime), person, vacancy.Id, candidature.Id);
        await receiver.WaitAttemptsAsync(3, TimeSpan.FromSeconds(20));
        Assert.Contains(HookReminder, await RemindersAsync(hook));
        await hook.AsReference<IGrainManagementExtension>().DeactivateOnIdle();
        receiver.FailNext = 0;
        using (As(Role.EsmsDirector, ime))
            Assert.Equal(1, (await hook.GetAsync())!.Pending); // reactivated from storage: the message is still there
        received = await receiver.WaitAsync(2, TimeSpan.FromSeconds(40));
        Assert.Contains("\"event\":\"vacancy.offered\"", received[1].Body);
        Assert.True(received[1].SignatureValid);
        for (var i = 0; i < 50 && (await RemindersAsync(hook)).Contains(HookReminder); i++)
            await Task.Delay(100);
        Assert.DoesNotContain(HookReminder, await RemindersAsync(hook));
    }

    private const string HookReminder = VacancyHookGrain.RetryReminder;

    /// <summary>
    /// An HTTP receiver on 127.0.0.1 started by the test: checks each request's signature with the ESMS's secret
    /// (against the silo's clock), answers 500 to the first <see cref="FailNext"/> attempts, then 204.
    /// </summary>
    private sealed class HookReceiver : IAsyncDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly ConcurrentQueue<Received> _received = new();
        private readonly Task _loop;
        private int _attempts;

        public sealed record Received(string MessageId, string Body, bool SignatureValid);

        public string Url { get; }
        public string Secret { get; set; } = "";
        public int FailNext { get; set; }
        public int Attempts => _attempts;

        private HookReceiver(int failFirst)
        {
            FailNext = failFirst;
            for (var attempt = 0; ; attempt++)
            {
                var port = Random.Shared.Next(20_000, 60_000);
                Url = $"http://127.0.0.1:{port}/hook/";
                _listener.Prefixes.Clear();
                _listener.Prefixes.Add(Url);
                try
                {
                    _listener.Start();
                    break;
                }
                catch (HttpListenerException) when (attempt < 10)
                {
                }
            }
            _loop = Task.Run(LoopAsync);
        }

        public static HookReceiver Start(int failFirst) => new(failFirst);

        private async Task LoopAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception) when (!_listener.IsListening)
                {
                    return;
                }
                using var reader = new StreamReader(context.Request.InputStream, System.Text.Encoding.UTF8);
                var body = await reader.ReadToEndAsync();
                Interlocked.Increment(ref _attempts);
                if (FailNext > 0)
                {
                    FailNext--;
                    context.Response.StatusCode = 500;
                }
                else
                {
                    var valid = VacancyHookRules.Verify(context.Request.Headers[VacancyHookRules.SignatureHeader], Secret, body,
                        MemoryClusterFixture.Clock.Now, TimeSpan.FromMinutes(5))
                        && !VacancyHookRules.Verify(context.Request.Headers[VacancyHookRules.SignatureHeader], Secret + "x", body, MemoryClusterFixture.Clock.Now, TimeSpan.FromMinutes(5));
                    _received.Enqueue(new Received(context.Request.Headers[VacancyHookRules.MessageIdHeader] ?? "", body, valid));
                    context.Response.StatusCode = 204;
                }
                context.Response.Close();
            }
        }

        public async Task<IReadOnlyList<Received>> WaitAsync(int count, TimeSpan timeout)
        {
            var until = DateTime.UtcNow + timeout;
            while (_received.Count < count && DateTime.UtcNow < until)
                await Task.Delay(50);
            Assert.True(_received.Count >= count, $"{count} message(s) attendu(s), {_received.Count} reçu(s) en {timeout.TotalSeconds} s ({_attempts} essais)");
            return [.. _received];
        }

        public async Task WaitAttemptsAsync(int count, TimeSpan timeout)
        {
            var until = DateTime.UtcNow + timeout;
            while (_attempts < count && DateTime.UtcNow < until)
                await Task.Delay(50);
            Assert.True(_attempts >= count, $"{count} essais attendus, {_attempts} reçus en {timeout.TotalSeconds} s");
        }

        public async ValueTask DisposeAsync()
        {
            _listener.Stop();
            _listener.Close();
            await _loop.ContinueWith(_ => { });
        }
    }
}
